import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FrameReader, MALL_ID, startPddSandbox, type PddTestClient } from './pdd-test-client.js';

let seq = 0;
const newSn = (): string => `240601-${String(900000000000000 + ++seq)}`;

describe('Pinduoduo message WebSocket', () => {
  let c: PddTestClient;
  beforeAll(async () => {
    c = await startPddSandbox();
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const paidOrder = (): string => {
    const sn = newSn();
    c.sb.world.addOrder({ platform: 'pinduoduo', shopId: MALL_ID, orderId: sn });
    c.sb.world.pay('pinduoduo', sn);
    return sn;
  };
  const ack = (r: FrameReader, id: string): void => r.ws.send(`{"commandType":"Ack","id":${id},"sendTime":${Date.now()}}`);

  it('refuses a bad digest and a stale timestamp', async () => {
    await expect(FrameReader.open(c.wsUrl('bm90LXRoZS1kaWdlc3Q='))).rejects.toThrow('HTTP 401');
    await expect(FrameReader.open(c.wsUrl(undefined, c.sb.clock.now() - 3_600_000))).rejects.toThrow('HTTP 401');
  });

  it('answers heartbeats and delivers TradeConfirmed with an id above 2^53 written as a bare number', async () => {
    const r = await FrameReader.open(c.wsUrl());
    r.ws.send('{"commandType":"HeartBeat"}');
    const [beat] = await r.frames(1);
    expect(beat.commandType).toBe('HeartBeat');
    const sn = paidOrder();
    const [, msg] = await r.frames(2);
    expect(r.raw[1]).toMatch(/^\{"id":\d{16,},"commandType":"Common"/);
    expect(BigInt(msg.id as string)).toBeGreaterThan(2n ** 53n);
    expect(msg.message).toMatchObject({ type: 'pdd_trade_TradeConfirmed', mallID: Number(MALL_ID) });
    expect(JSON.parse(msg.message.content as string)).toEqual({ mall_id: Number(MALL_ID), tid: sn });
    ack(r, msg.id as string);
    await r.close();
  });

  it('redelivers an unacked message after the delay and on reconnect, and stops once acked', async () => {
    const r = await FrameReader.open(c.wsUrl());
    paidOrder();
    const [first] = await r.frames(1);
    c.sb.clock.advance(c.module.config.wsRedeliveryMs + 1000);
    const [, again] = await r.frames(2);
    expect(again.id).toBe(first.id);
    await r.close();
    const r2 = await FrameReader.open(c.wsUrl());
    const [onReconnect] = await r2.frames(1);
    expect(onReconnect.id).toBe(first.id);
    ack(r2, first.id as string);
    await new Promise((res) => setTimeout(res, 50));
    c.sb.clock.advance(c.module.config.wsRedeliveryMs * 3);
    expect(await r2.settle()).toBe(1);
    expect(c.sb.ctx.pushes.records('pinduoduo').find((p) => p.id === String(first.id))?.acknowledgedAt).toBeDefined();
    await r2.close();
  });

  it('drops and duplicates pushes when told to', async () => {
    const r = await FrameReader.open(c.wsUrl());
    c.sb.ctx.faults.set('pinduoduo', { pushDropRate: 1 });
    paidOrder();
    expect(await r.settle()).toBe(0);
    c.sb.ctx.faults.set('pinduoduo', { pushDuplicateRate: 1 });
    paidOrder();
    const [a, b] = await r.frames(2);
    expect(a.id).toBe(b.id);
    c.sb.ctx.faults.clear('pinduoduo');
    ack(r, a.id as string);
    await r.close();
  });

  it('sends memo and ship topics, nothing for unpaid orders', async () => {
    const r = await FrameReader.open(c.wsUrl());
    const unpaid = newSn();
    c.sb.world.addOrder({ platform: 'pinduoduo', shopId: MALL_ID, orderId: unpaid });
    expect(await r.settle()).toBe(0);
    const sn = paidOrder();
    c.sb.world.writeMemo('pinduoduo', sn, { text: '改', by: 'human:x', op: 'update' });
    c.sb.world.ship('pinduoduo', sn, { carrierCode: 'zhongtong', plan: 'none' });
    const frames = await r.frames(3);
    expect(frames.map((f) => f.message.type)).toEqual(['pdd_trade_TradeConfirmed', 'pdd_trade_TradeMemoModified', 'pdd_trade_TradeSellerShip']);
    for (const f of frames) ack(r, f.id as string);
    await r.close();
  });
});
