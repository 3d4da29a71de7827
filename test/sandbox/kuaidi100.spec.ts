import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CUSTOMER = 'CUST0001';
const KEY = 'kd100-auth-key';

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

/** The fields of Kuaidi100 answers and callback bodies the tests look at. */
interface KdBody {
  result?: boolean;
  returnCode?: string;
  message?: string;
  status?: string;
  state?: string;
  ischeck?: string;
  nu?: string;
  data: { time: string; context: string; status?: string }[];
  lastResult: KdBody;
}

interface Received {
  param: string;
  sign: string | null;
  body: KdBody;
}

/** A subscriber's callback endpoint; `answers` decides each reply in turn. */
class Callback {
  received: Received[] = [];
  answers: string[] = [];
  server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const param = form.get('param') ?? '';
        this.received.push({ param, sign: form.get('sign'), body: JSON.parse(param) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(this.answers.shift() ?? '{"result":true,"returnCode":"200","message":"成功"}');
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/kd100/callback`;
  }

  /** Pushes about one waybill (earlier tests' subscriptions keep pushing as the clock moves). */
  of(nu: string): Received[] {
    return this.received.filter((r) => r.body.lastResult?.nu === nu);
  }

  /** Wait (bounded) until n pushes about `nu` arrived; the assertions that follow check what they were. */
  async waitFor(n: number, nu: string): Promise<Received[]> {
    for (let i = 0; i < 200 && this.of(nu).length < n; i++) await new Promise((r) => setTimeout(r, 25));
    return this.of(nu);
  }
}

let sb: RunningSandbox;
let cb: Callback;
let orderSeq = 0;

async function query(param: Record<string, unknown>, sign?: string): Promise<KdBody> {
  const p = JSON.stringify(param);
  const form = new URLSearchParams({ customer: CUSTOMER, param: p, sign: sign ?? md5(p + KEY + CUSTOMER) });
  const res = await fetch(`${sb.url}/kuaidi100/poll/query.do`, { method: 'POST', body: form });
  return (await res.json()) as KdBody;
}

async function subscribe(company: string, number: string, salt = 'salt-1'): Promise<KdBody> {
  const param = JSON.stringify({ company, number, key: KEY, parameters: { callbackurl: cb.url, salt, resultv2: '1' } });
  const res = await fetch(`${sb.url}/kuaidi100/poll`, { method: 'POST', body: new URLSearchParams({ schema: 'json', param }) });
  return (await res.json()) as KdBody;
}

/** A paid Taobao order shipped now with the given carrier (parcel planned at zone speed). */
function shippedOrder(carrierCode = 'zhongtong', province = '浙江省') {
  const trackingNo = `7${String(++orderSeq).padStart(13, '0')}`;
  const o = sb.world.addOrder({ platform: 'taobao', shopId: '5001', receiver: { province, city: '杭州市', district: '西湖区', name: '张三', mobile: '13812345678', address: '文三路1号' } });
  sb.world.pay('taobao', o.orderId);
  sb.world.ship('taobao', o.orderId, { carrierCode, trackingNo });
  return { order: o, trackingNo };
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 11, autoTick: false });
  sb.world.addApp({ platform: 'kuaidi100', appKey: CUSTOMER, appSecret: KEY });
  sb.world.addShop({ platform: 'taobao', shopId: '5001', appKey: 'tb' });
  cb = new Callback();
  await cb.listen();
});

afterEach(() => {
  sb.ctx.faults.clear();
  cb.received = [];
  cb.answers = [];
});

afterAll(async () => {
  await sb.close();
  await new Promise((r) => cb.server.close(r));
});

describe('Kuaidi100 real-time query', () => {
  it('rejects a wrong sign with 503 验证签名失败', async () => {
    const { trackingNo } = shippedOrder();
    const r = await query({ com: 'zhongtong', num: trackingNo }, 'ABCDEF');
    expect(r).toEqual({ result: false, returnCode: '503', message: '验证签名失败' });
  });

  it('answers 查询无结果 before the first scan, then the scans newest first, signed at the end', async () => {
    const { trackingNo } = shippedOrder();
    const before = await query({ com: 'zhongtong', num: trackingNo });
    expect(before.result).toBe(false);
    expect(before.returnCode).toBe('500');
    sb.clock.advance(7 * HOUR);
    const mid = await query({ com: 'zhongtong', num: trackingNo });
    expect(mid).toMatchObject({ message: 'ok', status: '200', condition: 'F00', ischeck: '0', com: 'zhongtong', nu: trackingNo });
    expect(mid.data[mid.data.length - 1].context).toContain('揽收');
    sb.clock.advance(6 * DAY);
    const done = await query({ com: 'zhongtong', num: trackingNo });
    expect(done.state).toBe('3');
    expect(done.ischeck).toBe('1');
    expect(done.data[0].context).toContain('签收');
    expect(done.data[0].time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const times = done.data.map((d: { time: string }) => d.time);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('needs the phone tail for 顺丰', async () => {
    const { trackingNo } = shippedOrder('shunfeng');
    sb.clock.advance(7 * HOUR);
    expect((await query({ com: 'shunfeng', num: trackingNo })).returnCode).toBe('408');
    expect((await query({ com: 'shunfeng', num: trackingNo, phone: '5678' })).message).toBe('ok');
  });

  it('locks a waybill after 48 queries in 24 h', async () => {
    const { trackingNo } = shippedOrder();
    sb.clock.advance(7 * HOUR);
    for (let i = 0; i < 48; i++) {
      sb.clock.advance(1000); // stay under the per-customer rate; the cap is per waybill per day
      expect((await query({ com: 'zhongtong', num: trackingNo })).message).toBe('ok');
    }
    const locked = await query({ com: 'zhongtong', num: trackingNo });
    expect(locked.result).toBe(false);
    sb.clock.advance(DAY + 1000);
    expect((await query({ com: 'zhongtong', num: trackingNo })).message).toBe('ok');
  });
});

describe('Kuaidi100 subscription and callbacks', () => {
  it('pushes each new scan signed with MD5(param + salt), shutdown once signed', async () => {
    const { trackingNo } = shippedOrder();
    expect(await subscribe('zhongtong', trackingNo)).toEqual({ result: true, returnCode: '200', message: '提交成功' });
    expect((await subscribe('zhongtong', trackingNo)).returnCode).toBe('501');
    sb.clock.advance(7 * HOUR);
    const first = (await cb.waitFor(1, trackingNo))[0];
    expect(first.sign).toBe(md5(first.param + 'salt-1'));
    expect(first.body.status).toBe('polling');
    expect(first.body.lastResult.nu).toBe(trackingNo);
    expect(first.body.lastResult.data[0].status).toBeDefined();
    sb.clock.advance(6 * DAY);
    const total = sb.world.shipmentByTracking(trackingNo)?.shipment.events.length ?? 0;
    const all = await cb.waitFor(total, trackingNo);
    expect(all).toHaveLength(total);
    const last = all[all.length - 1].body;
    expect(last.status).toBe('shutdown');
    expect(last.lastResult.ischeck).toBe('1');
    expect(last.lastResult.data).toHaveLength(total);
  });

  it('redelivers when the callback does not answer result:true/returnCode 200', async () => {
    const { trackingNo } = shippedOrder();
    cb.answers = ['{"result":false,"returnCode":"500","message":"busy"}'];
    await subscribe('zhongtong', trackingNo);
    sb.clock.advance(7 * HOUR);
    const firstOnes = await cb.waitFor(1, trackingNo);
    const rec = sb.ctx.pushes.records('kuaidi100').find((r) => r.id.startsWith(`${trackingNo}:`));
    expect(rec?.acknowledgedAt).toBeUndefined();
    sb.clock.advance(5 * 60_000);
    const later = await cb.waitFor(firstOnes.length + 1, trackingNo);
    const again = later.filter((r) => r.param === firstOnes[0].param);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(rec?.acknowledgedAt).toBeDefined();
  });

  it('aborts with 3天查询无记录 when a subscribed number never shows a scan', async () => {
    expect((await subscribe('yuantong', 'YT0000000000001')).result).toBe(true);
    sb.clock.advance(3 * DAY - 60_000);
    expect(cb.of('YT0000000000001')).toHaveLength(0);
    sb.clock.advance(2 * 60_000);
    const [abort] = await cb.waitFor(1, 'YT0000000000001');
    expect(abort.body.status).toBe('abort');
    expect(abort.body.message).toBe('3天查询无记录');
  });

  it('drops or duplicates pushes on demand', async () => {
    const dropped = shippedOrder();
    sb.ctx.faults.set('kuaidi100', { pushDropRate: 1 });
    await subscribe('zhongtong', dropped.trackingNo);
    sb.clock.advance(7 * HOUR);
    const droppedRecs = sb.ctx.pushes.records('kuaidi100').filter((r) => r.id.startsWith(`${dropped.trackingNo}:`));
    expect(droppedRecs.length).toBeGreaterThan(0);
    expect(droppedRecs.every((r) => r.dropped === 1 && r.deliveredAt.length === 0)).toBe(true);

    const dup = shippedOrder();
    sb.ctx.faults.set('kuaidi100', { pushDuplicateRate: 1 });
    await subscribe('zhongtong', dup.trackingNo);
    sb.clock.advance(7 * HOUR);
    const dupCount = sb.ctx.pushes.records('kuaidi100').filter((r) => r.id.startsWith(`${dup.trackingNo}:`)).length;
    const got = await cb.waitFor(2 * dupCount, dup.trackingNo);
    expect(dupCount).toBeGreaterThan(0);
    expect(got).toHaveLength(2 * dupCount);
    expect(got[0].param).toBe(got[1].param);
    expect(droppedRecs.every((r) => r.deliveredAt.length === 0)).toBe(true);
  });
});
