import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SHOP_ID, startTaobaoSandbox, type TopTestClient } from './top-test-client.js';

interface Msg { id: string; topic: string; content: string; user_id: number }

describe('Taobao TMC pull over HTTP', () => {
  let c: TopTestClient;
  beforeAll(async () => {
    c = await startTaobaoSandbox();
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const consume = async (): Promise<Msg[]> => {
    const r = await c.call('taobao.tmc.messages.consume', { quantity: '100', group_name: 'default' }, { session: null });
    return (r.tmc_messages_consume_response.messages?.tmc_message ?? []) as Msg[];
  };
  const confirm = (ids: string[]): Promise<unknown> =>
    c.call('taobao.tmc.messages.confirm', { s_message_ids: ids.join(',') }, { session: null });

  it('publishes trade messages with JSON content and large ids as bare numbers', async () => {
    const o = c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: '3900000000000000011' });
    c.sb.world.pay('taobao', o.orderId);
    c.sb.world.writeMemo('taobao', o.orderId, { text: '人工备注', flag: 'blue', by: 'human:小王', op: 'update' });
    const msgs = await consume();
    expect(msgs.map((m) => m.topic)).toEqual(['taobao_trade_TradeCreate', 'taobao_trade_TradeBuyerPay', 'taobao_trade_TradeMemoModified']);
    expect(c.lastText).toMatch(/"id":\d{19}/);
    const memo = JSON.parse(msgs[2].content) as { seller_memo: string; seller_flag: number };
    expect(memo).toMatchObject({ seller_memo: '人工备注', seller_flag: 4 });
    expect(msgs[0].content).toContain('"tid":3900000000000000011');
    expect(String(msgs[0].user_id)).toBe(SHOP_ID);
    await confirm(msgs.map((m) => String(m.id)));
  });

  it('does not redeliver confirmed messages, redelivers unconfirmed ones after the delay', async () => {
    const o = c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: '3900000000000000022' });
    const first = await consume();
    expect(first).toHaveLength(1);
    expect(await consume()).toHaveLength(0); // in flight, not yet due again
    c.sb.clock.advance(5 * 60_000 + 1000);
    const again = await consume();
    expect(again.map((m) => String(m.id))).toEqual([String(first[0].id)]);
    await confirm([String(first[0].id)]);
    c.sb.clock.advance(10 * 60_000);
    expect(await consume()).toHaveLength(0);
    const rec = c.sb.ctx.pushes.records('taobao').find((r) => r.id === String(first[0].id));
    expect(rec?.deliveredAt).toHaveLength(2);
    expect(rec?.acknowledgedAt).toBeDefined();
    c.sb.world.close('taobao', o.orderId);
    expect((await consume()).map((m) => m.topic)).toEqual(['taobao_trade_TradeClose']);
  });

  it('applies drop and duplicate push faults', async () => {
    for (const m of await consume()) await confirm([String(m.id)]);
    c.sb.ctx.faults.set('taobao', { pushDropRate: 1 });
    c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: '3900000000000000033' });
    expect(await consume()).toHaveLength(0);
    c.sb.ctx.faults.set('taobao', { pushDuplicateRate: 1 });
    c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: '3900000000000000044' });
    const dup = await consume();
    expect(dup).toHaveLength(2);
    expect(String(dup[0].id)).toBe(String(dup[1].id));
    c.sb.ctx.faults.clear('taobao');
  });

  it('refuses a quantity outside 10..200 and more than 200 confirm ids', async () => {
    const r = await c.call('taobao.tmc.messages.consume', { quantity: '5' }, { session: null });
    expect(r.error_response.code).toBe(41);
    const ids = Array.from({ length: 201 }, (_, i) => String(i + 1));
    expect(((await confirm(ids)) as { error_response: { code: number } }).error_response.code).toBe(41);
  });
});
