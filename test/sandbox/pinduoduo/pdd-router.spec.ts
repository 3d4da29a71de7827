import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_ID, CLIENT_SECRET, MALL_ID, OLD_TOKEN, startPddSandbox, type PddTestClient } from './pdd-test-client.js';

const SN = '240501-123456789012345';
const SN_UNPAID = '240501-123456789099999';
const INC = 'pdd.order.number.list.increment.get';

describe('Pinduoduo gateway over HTTP', () => {
  let c: PddTestClient;
  let t0: number;
  beforeAll(async () => {
    c = await startPddSandbox();
    t0 = c.sb.clock.now();
    const receiver = { province: '广东省', city: '广州市', district: '天河区', name: '李四', mobile: '13900001111', address: '体育西路1号' };
    c.sb.world.addOrder({ platform: 'pinduoduo', shopId: MALL_ID, orderId: SN, receiver }, t0 - 20 * 60_000);
    c.sb.world.pay('pinduoduo', SN, t0 - 10 * 60_000);
    c.sb.world.addOrder({ platform: 'pinduoduo', shopId: MALL_ID, orderId: SN_UNPAID }, t0 - 10 * 60_000);
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const window = (fromMs: number, toMs: number, extra: Record<string, string> = {}): Record<string, string> => ({
    start_updated_at: String(Math.floor(fromMs / 1000)), end_updated_at: String(Math.floor(toMs / 1000)), order_status: '5', refund_status: '5', ...extra,
  });

  it('rejects a bad signature, a stale timestamp and an expired token with the documented envelope', async () => {
    const bad = await c.call('pdd.time.get', {}, { tamper: true });
    expect(bad.error_response).toMatchObject({ error_code: 20004 });
    expect(Object.keys(bad.error_response).sort()).toEqual(['error_code', 'error_msg', 'request_id', 'sub_code', 'sub_msg']);
    expect((await c.call('pdd.time.get', {}, { tsMs: t0 - 11 * 60_000 })).error_response.error_code).toBe(20005);
    const expired = await c.call(INC, window(t0 - 20 * 60_000, t0), { token: OLD_TOKEN });
    expect(expired.error_response).toMatchObject({ error_code: 10019, error_msg: 'access_token已过期' });
    const time = await c.call('pdd.time.get', {}, { token: null });
    expect(time.time_get_response.time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('refuses a window over 30 minutes and a page size over 100', async () => {
    expect((await c.call(INC, window(t0 - 31 * 60_000, t0))).error_response.error_code).toBe(10000);
    expect((await c.call(INC, window(t0 - 20 * 60_000, t0, { page_size: '101' }))).error_response.error_code).toBe(10000);
  });

  it('lists paid orders only, and only 3 minutes after their update', async () => {
    const r = (await c.call(INC, window(t0 - 20 * 60_000, t0))).order_sn_increment_get_response;
    expect(r.order_sn_list.map((o: { order_sn: string }) => o.order_sn)).toEqual([SN]);
    expect(r.total_count).toBe(1);
    c.sb.world.writeMemo('pinduoduo', SN, { text: '人工', by: 'human:小李', op: 'update' });
    const fresh = (await c.call(INC, window(t0 - 60_000, t0 + 60_000))).order_sn_increment_get_response;
    expect(fresh.order_sn_list).toEqual([]);
    c.sb.clock.advance(3 * 60_000 + 1000);
    const later = (await c.call(INC, window(t0 - 60_000, t0 + 60_000, { use_has_next: 'true' }))).order_sn_increment_get_response;
    expect(later.order_sn_list.map((o: { order_sn: string }) => o.order_sn)).toEqual([SN]);
    expect(later.has_next).toBe(false);
    expect(later.total_count).toBeUndefined();
    expect((await c.call(INC, window(t0 - 60_000, t0 + 60_000, { order_status: '2' }))).order_sn_increment_get_response.order_sn_list).toEqual([]);
  });

  it('returns order info with ciphertext receiver and plain region; unpaid orders do not exist', async () => {
    const info = (await c.call('pdd.order.information.get', { order_sn: SN })).order_info_get_response.order_info;
    expect(info).toMatchObject({ order_sn: SN, order_status: 1, province: '广东省', city: '广州市', town: '天河区', remark: '人工' });
    expect(info.receiver_name).toMatch(/^~.+~.+~2~~$/);
    expect(info.receiver_phone).toMatch(/^\$.+\$.+\$2\$\$$/);
    expect(JSON.stringify(info)).not.toContain('13900001111');
    expect(info.updated_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await c.call('pdd.order.information.get', { order_sn: SN_UNPAID })).error_response.error_code).toBe(10000);
  });

  it('overwrites the note with tag and tag_name, requiring both or neither', async () => {
    const ok = await c.call('pdd.order.note.update', { order_sn: SN, note: '补发已登记', tag: '2', tag_name: '补发' });
    expect(ok.response.success).toBe(true);
    const info = (await c.call('pdd.order.information.get', { order_sn: SN })).order_info_get_response.order_info;
    expect(info).toMatchObject({ remark: '补发已登记', remark_tag: 2, remark_tag_name: '补发' });
    expect((await c.call('pdd.order.note.update', { order_sn: SN, note: 'x', tag: '1' })).error_response.error_code).toBe(10000);
    expect((await c.call('pdd.order.note.update', { order_sn: SN, note: 'x', tag: '1', tag_name: '四个字符' })).error_response.error_code).toBe(10000);
    await c.call('pdd.order.note.update', { order_sn: SN, note: '只改备注' });
    expect(c.sb.world.order('pinduoduo', SN)).toMatchObject({ memo: '只改备注', flag: 'yellow' });
  });

  it('traces a waybill under the misspelt response key', async () => {
    c.sb.world.ship('pinduoduo', SN, { carrierCode: 'yunda' });
    c.sb.clock.advance(24 * 3_600_000);
    const no = c.sb.world.order('pinduoduo', SN)?.shipment?.trackingNo ?? '';
    const r = await c.call('pdd.logistics.ordertrace.get', { company_code: 'YUNDA', mail_no: no });
    const list = r.logistics_ordertrace_get_resposne.trace_list as { status_time: string; action: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list[0].status_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const info = (await c.call('pdd.order.information.get', { order_sn: SN })).order_info_get_response.order_info;
    expect(info.order_status).toBeGreaterThanOrEqual(2);
    expect(info.tracking_number).toBe(no);
  });

  it('answers 70031 to a shop over its limit and recovers after the ban', async () => {
    const saved = c.module.config.shopLimits;
    c.module.config.shopLimits = { 'pdd.order.information.get': { perSecond: 1, burst: 2, banMs: 4000 } };
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await c.call('pdd.order.information.get', { order_sn: SN })).error_response?.error_code ?? 0);
      expect(codes).toContain(70031);
      c.sb.clock.advance(4100);
      expect((await c.call('pdd.order.information.get', { order_sn: SN })).order_info_get_response).toBeDefined();
    } finally {
      c.module.config.shopLimits = saved;
    }
    c.sb.ctx.faults.set('pinduoduo', { rateLimitStormUntil: c.sb.clock.now() + 2000 });
    expect((await c.call('pdd.time.get')).error_response.error_code).toBe(52101);
    c.sb.ctx.faults.clear('pinduoduo');
  });

  it('exchanges an authorization code at /oauth/token and refreshes through the router', async () => {
    const { code } = (await (await fetch(`${c.sb.url}/_sandbox/auth/code`, { method: 'POST', body: JSON.stringify({ platform: 'pinduoduo', shopId: MALL_ID }) })).json()) as { code: string };
    const res = await fetch(`${c.sb.url}/pinduoduo/oauth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code, grant_type: 'authorization_code' }),
    });
    const token = (await res.json()) as { access_token: string; refresh_token: string; owner_id: string; expires_in: number };
    expect(token.owner_id).toBe(MALL_ID);
    expect(token.expires_in).toBeGreaterThan(0);
    expect((await c.call('pdd.order.information.get', { order_sn: SN }, { token: token.access_token })).order_info_get_response).toBeDefined();
    const r = await c.call('pdd.pop.auth.token.refresh', { refresh_token: token.refresh_token }, { token: null });
    expect(r.pop_auth_token_refresh_response.access_token).not.toBe(token.access_token);
  });
});
