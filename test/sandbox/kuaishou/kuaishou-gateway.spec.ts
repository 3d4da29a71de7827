import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_KEY, DAY, HOUR, type KsTestClient, SHOP_ID, startKuaishouSandbox } from './ks-test-client.js';

describe('Kuaishou gateway over HTTP', () => {
  let c: KsTestClient;
  let now: number;
  const OID = '2612345678901234';

  beforeAll(async () => {
    c = await startKuaishouSandbox();
    now = c.sb.clock.now();
    c.sb.world.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId: OID }, now - HOUR);
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const detail = (opts = {}) => c.call('open.order.detail', { oid: Number(OID) }, opts);

  it('accepts both signature methods', async () => {
    const hmac = await detail({ signMethod: 'HMAC_SHA256' });
    expect(hmac.json.result).toBe(1);
    const md5 = await detail({ signMethod: 'MD5' });
    expect(md5.json.result).toBe(1);
    expect(md5.text).toContain(`"oid":${OID}`);
  });

  it('refuses a wrong signature, an unknown app key and the wrong HTTP verb', async () => {
    expect((await detail({ signSecret: 'not-the-secret' })).json).toMatchObject({ result: 21, error_msg: '签名校验失败' });
    expect((await detail({ appKey: 'ks-nobody' })).json.result).toBe(20);
    const wrongVerb = await detail({ verb: 'POST' });
    expect(wrongVerb.json.result).toBe(12);
    expect(wrongVerb.json.error_msg).toContain('GET');
  });

  it('answers token errors: unknown, expired, revoked', async () => {
    expect((await detail({ token: 'no-such-token' })).json).toMatchObject({ result: 22, error_msg: '鉴权失败' });
    const t = c.sb.clock.now();
    c.sb.world.addShop({ platform: 'kuaishou', shopId: '2200010002', appKey: APP_KEY, tokens: [{ accessToken: 'ks-old', refreshToken: 'r-old', expiresAt: t + HOUR, refreshExpiresAt: t + DAY, revoked: false }] });
    c.sb.world.expireTokens('kuaishou', '2200010002');
    expect((await detail({ token: 'ks-old' })).json).toMatchObject({ result: 28, error_msg: 'TOKEN过期' });
    c.sb.world.addShop({ platform: 'kuaishou', shopId: '2200010003', appKey: APP_KEY, tokens: [{ accessToken: 'ks-rev', refreshToken: 'r-rev', expiresAt: t + HOUR, refreshExpiresAt: t + DAY, revoked: false }] });
    expect((await c.control('POST', '/kuaishou/auth/revoke', { shopId: '2200010003' })).status).toBe(200);
    expect((await detail({ token: 'ks-rev' })).json).toMatchObject({ result: 24, error_msg: 'AUTHORIZATION_REVOKED' });
  });

  it('does not show another shop its orders', async () => {
    const t = c.sb.clock.now();
    c.sb.world.addShop({ platform: 'kuaishou', shopId: '2200010004', appKey: APP_KEY, tokens: [{ accessToken: 'ks-other', refreshToken: 'r-other', expiresAt: t + HOUR, refreshExpiresAt: t + DAY, revoked: false }] });
    expect((await detail({ token: 'ks-other' })).json.result).toBe(300020);
  });

  it('rate-limits a burst over the configured QPS, then recovers after the ban', async () => {
    expect((await c.control('PUT', '/kuaishou/limits', { qpsPerApp: 3 })).json.qpsPerApp).toBe(3);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await detail());
    const limited = replies.filter((r) => r.json.result !== 1);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].json.error_msg).toBe(`Exceed qps limit, KEY [apiId:open.order.detail;appkey:${APP_KEY}], MAX_QPS [3.0]`);
    c.sb.clock.advance(2000);
    expect((await detail()).json.result).toBe(1);
    await c.control('PUT', '/kuaishou/limits', { qpsPerApp: 300 });
  });

  it('enforces the app daily quota until Beijing midnight', async () => {
    c.sb.ctx.limiter.reset();
    await c.control('PUT', '/kuaishou/limits', { dailyQuotaPerApp: 2 });
    c.sb.clock.advance(DAY);
    expect((await detail()).json.result).not.toBe(30);
    const results = [(await detail()).json, (await detail()).json];
    expect(results[results.length - 1]).toMatchObject({ result: 30, error_msg: `Exceed quota limit, KEY [appkey:${APP_KEY}]` });
    c.sb.clock.advance(DAY);
    expect((await detail()).json.result).not.toBe(30);
    await c.control('PUT', '/kuaishou/limits', { dailyQuotaPerApp: 0 });
  });

  it('shows faults in the platform format and records every call', async () => {
    c.sb.ctx.faults.set('kuaishou', { errorRate: 1 });
    const broken = await detail();
    expect([502, 503]).toContain(broken.status);
    c.sb.ctx.faults.set('kuaishou', { rateLimitStormUntil: c.sb.clock.now() + 60_000 });
    expect((await detail()).json.error_msg).toBe(`Exceed qps limit, KEY [apiId:open.order.detail;appkey:${APP_KEY}], MAX_QPS [300.0]`);
    c.sb.ctx.faults.clear('kuaishou');
    expect((await detail()).json.result).toBe(1);
    const calls = c.sb.ctx.calls.calls({ platform: 'kuaishou', method: 'open.order.detail' });
    expect(calls.some((x) => x.outcome === '21')).toBe(true);
    expect(calls.some((x) => x.outcome === 'ok' && x.shopId === SHOP_ID)).toBe(true);
  });
});
