import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_KEY, APP_SECRET, OLD_SESSION, SHOP_ID, startTaobaoSandbox, type TopTestClient } from './top-test-client.js';

const TIME = 'taobao.tmc.user.permit';

describe('Taobao TOP router over HTTP', () => {
  let c: TopTestClient;
  beforeAll(async () => {
    c = await startTaobaoSandbox();
  });
  afterAll(async () => {
    await c.sb.close();
  });

  it('accepts md5, hmac and hmac-sha256 signatures', async () => {
    for (const signMethod of ['md5', 'hmac', 'hmac-sha256']) {
      const r = await c.call(TIME, {}, { signMethod });
      expect(r.tmc_user_permit_response?.is_success).toBe(true);
      expect(typeof r.tmc_user_permit_response.request_id).toBe('string');
    }
  });

  it('answers 25 Invalid Signature for a wrong signature', async () => {
    const r = await c.call(TIME, {}, { tamper: true });
    expect(r.error_response).toMatchObject({ code: 25, msg: 'Invalid Signature' });
    expect(typeof r.error_response.request_id).toBe('string');
    const wrongSecret = await c.call(TIME, {}, { secret: 'not-the-secret' });
    expect(wrongSecret.error_response.code).toBe(25);
  });

  it('answers 31 Invalid Timestamp outside ±10 minutes but accepts 9 minutes of skew', async () => {
    const now = c.sb.clock.now();
    expect((await c.call(TIME, {}, { timestampMs: now - 11 * 60_000 })).error_response.code).toBe(31);
    expect((await c.call(TIME, {}, { timestampMs: now + 11 * 60_000 })).error_response.code).toBe(31);
    expect((await c.call(TIME, {}, { timestampMs: now - 9 * 60_000 })).tmc_user_permit_response).toBeDefined();
  });

  it('answers 29 for an unknown app key and 22 for an unknown method', async () => {
    expect((await c.call(TIME, {}, { appKey: '99999' })).error_response).toMatchObject({ code: 29, msg: 'Invalid App Key' });
    expect((await c.call('taobao.no.such.api')).error_response.code).toBe(22);
  });

  it('answers 26 without a session and 27 invalid-sessionkey for an expired one', async () => {
    expect((await c.call(TIME, {}, { session: null })).error_response.code).toBe(26);
    const r = await c.call(TIME, {}, { session: OLD_SESSION });
    expect(r.error_response).toMatchObject({ code: 27, msg: 'Invalid session', sub_code: 'invalid-sessionkey' });
    expect((await c.call(TIME, {}, { session: 'never-issued' })).error_response.code).toBe(27);
  });

  it('answers 40 with an isv sub code for a missing argument', async () => {
    const r = await c.call('taobao.trade.fullinfo.get', { fields: 'tid' });
    expect(r.error_response).toMatchObject({ code: 40, sub_code: 'isv.missing-parameter' });
    expect(r.error_response.msg).toContain('tid');
  });

  it('bans a burst over the API limit with code 7 and recovers after the ban', async () => {
    const saved = c.module.config.apiLimit;
    c.module.config.apiLimit = { perSecond: 1, burst: 3, banMs: 5000 };
    try {
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await c.call('taobao.tmc.messages.confirm', { s_message_ids: '1' }));
      const banned = results.filter((r) => r.error_response);
      expect(banned.length).toBeGreaterThanOrEqual(1);
      expect(banned[0].error_response).toMatchObject({
        code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-api-access-count', sub_msg: 'This ban will last for 5 more seconds',
      });
      c.sb.clock.advance(5_100);
      expect((await c.call('taobao.tmc.messages.confirm', { s_message_ids: '1' })).tmc_messages_confirm_response).toBeDefined();
    } finally {
      c.module.config.apiLimit = saved;
    }
  });

  it('renders faults: rate-limit storm as code 7, server errors as code 10 or HTTP 502', async () => {
    c.sb.ctx.faults.set('taobao', { rateLimitStormUntil: c.sb.clock.now() + 3_000 });
    const storm = await c.call(TIME);
    expect(storm.error_response).toMatchObject({ code: 7, sub_code: 'accesscontrol.limited-by-app-access-count' });
    expect(storm.error_response.sub_msg).toMatch(/^This ban will last for \d+ more seconds$/);
    c.sb.ctx.faults.set('taobao', { errorRate: 1 });
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${c.sb.url}/taobao/router/rest`, { method: 'POST' });
      if (res.status === 200) expect(((await res.json()) as { error_response: { code: number } }).error_response.code).toBe(10);
      else expect(res.status).toBe(502);
    }
    c.sb.ctx.faults.clear('taobao');
    expect((await c.call(TIME)).tmc_user_permit_response).toBeDefined();
  });

  it('exchanges an authorization code for a session at /oauth/token, and refuses refresh for ordinary apps', async () => {
    const { code } = await c.post('/_sandbox/auth/code', { platform: 'taobao', shopId: SHOP_ID });
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, client_id: APP_KEY, client_secret: APP_SECRET, redirect_uri: 'https://example.com/cb' });
    const res = await fetch(`${c.sb.url}/taobao/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const token = (await res.json()) as Record<string, string | number>;
    expect(res.status).toBe(200);
    expect(token).toMatchObject({ token_type: 'Bearer', taobao_user_id: SHOP_ID });
    expect(Number(token.expires_in)).toBeGreaterThan(0);
    expect((await c.call(TIME, {}, { session: String(token.access_token) })).tmc_user_permit_response).toBeDefined();
    const again = await fetch(`${c.sb.url}/taobao/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(again.status).toBe(400);

    const refused = await c.call('taobao.top.auth.token.refresh', { refresh_token: String(token.refresh_token) }, { session: null });
    expect(refused.error_response.sub_msg).toContain('服务市场订购类应用');
    c.module.config.refreshableApps = [APP_KEY];
    const ok = await c.call('taobao.top.auth.token.refresh', { refresh_token: String(token.refresh_token) }, { session: null });
    const fresh = JSON.parse(ok.top_auth_token_refresh_response.token_result as string) as { access_token: string };
    expect(fresh.access_token).not.toBe(token.access_token);
    expect((await c.call(TIME, {}, { session: fresh.access_token })).tmc_user_permit_response).toBeDefined();
  });
});
