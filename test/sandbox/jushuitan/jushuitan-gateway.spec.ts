import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_KEY, DAY, ERP_SHOP, type JstTestClient, startJstSandbox, TB_SHOP } from './jst-test-client.js';

describe('Jushuitan gateway over HTTP', () => {
  let c: JstTestClient;
  const SO = '3901234567890123456';
  beforeAll(async () => {
    c = await startJstSandbox();
    c.sb.world.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: SO });
    c.sb.world.pay('taobao', SO);
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const query = (over: Record<string, string> = {}) => c.call('/open/orders/single/query', { so_ids: [SO] }, over);

  it('answers the documented envelope', async () => {
    const r = await query();
    expect(r.json).toMatchObject({ code: 0, msg: '执行成功' });
    expect(r.json.data.orders[0].so_id).toBe(SO);
  });

  it('refuses a wrong signature (10), a stale timestamp (140), a bad token (100), an unknown path (190)', async () => {
    const badSign = await c.post('/open/orders/single/query', { app_key: APP_KEY, access_token: 'x', timestamp: String(Math.floor(c.sb.clock.now() / 1000)), charset: 'utf-8', version: '2', biz: '{}' }, 'wrong-secret');
    expect(badSign.json).toMatchObject({ code: 10, msg: '验证失败！无效签名' });
    const stale = String(Math.floor((c.sb.clock.now() - 16 * 60_000) / 1000));
    expect((await query({ timestamp: stale })).json.code).toBe(140);
    const fresh = String(Math.floor((c.sb.clock.now() + 14 * 60_000) / 1000));
    expect((await query({ timestamp: fresh })).json.code).toBe(0);
    expect((await query({ access_token: 'nope' })).json.code).toBe(100);
    expect((await c.call('/open/not/an/api', {})).json.code).toBe(190);
  });

  it('answers 100 once the token expired', async () => {
    const t = c.sb.clock.now();
    c.sb.world.addShop({ platform: 'jushuitan', shopId: '10086002', appKey: APP_KEY, tokens: [{ accessToken: 'jst-old', refreshToken: 'r', expiresAt: t + DAY, refreshExpiresAt: t + DAY, revoked: false }] });
    expect((await query({ access_token: 'jst-old' })).json.code).toBe(0);
    c.sb.world.expireTokens('jushuitan', '10086002');
    expect((await query({ access_token: 'jst-old' })).json).toMatchObject({ code: 100 });
  });

  it('limits to 5 per second (199) and 100 per minute (200), then recovers', async () => {
    c.sb.ctx.limiter.reset();
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await query()).json.code);
    expect(codes.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(codes).toContain(199);
    c.sb.clock.advance(1500);
    expect((await query()).json.code).toBe(0);
    await c.control('PUT', '/jushuitan/limits', { perSecond: 1000, perMinute: 3 });
    c.sb.ctx.limiter.reset();
    const minute = [];
    for (let i = 0; i < 4; i++) minute.push((await query()).json.code);
    expect(minute).toEqual([0, 0, 0, 200]);
    c.sb.clock.advance(60_000);
    expect((await query()).json.code).toBe(0);
    await c.control('PUT', '/jushuitan/limits', { perSecond: 5, perMinute: 100 });
  });

  it('shows server faults and records calls per path and shop', async () => {
    c.sb.ctx.limiter.reset();
    c.sb.ctx.faults.set('jushuitan', { errorRate: 1 });
    const r = await query();
    expect(r.status === 502 || r.json?.code === 500).toBe(true);
    c.sb.ctx.faults.clear('jushuitan');
    const calls = c.sb.ctx.calls.calls({ platform: 'jushuitan', method: '/open/orders/single/query' });
    expect(calls.some((x) => x.outcome === 'ok' && x.shopId === ERP_SHOP)).toBe(true);
    expect(calls.some((x) => x.outcome === '140')).toBe(true);
  });
});
