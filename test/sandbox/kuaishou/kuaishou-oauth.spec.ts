import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APP_KEY, APP_SECRET, type KsTestClient, SHOP_ID, startKuaishouSandbox } from './ks-test-client.js';

describe('Kuaishou OAuth over HTTP', () => {
  let c: KsTestClient;
  beforeAll(async () => {
    c = await startKuaishouSandbox();
    c.sb.world.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId: '2612345600000001' });
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const code = async (): Promise<string> => (await c.control('POST', '/auth/code', { platform: 'kuaishou', shopId: SHOP_ID })).json.code;
  const exchange = async (authCode: string, secret = APP_SECRET) => {
    const q = new URLSearchParams({ app_id: APP_KEY, grant_type: 'code', code: authCode, app_secret: secret });
    return (await fetch(`${c.sb.url}/kuaishou/oauth2/access_token?${q.toString()}`)).json() as Promise<Record<string, unknown>>;
  };
  const refresh = async (refreshToken: string) => {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, app_id: APP_KEY, app_secret: APP_SECRET });
    const res = await fetch(`${c.sb.url}/kuaishou/oauth2/refresh_token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    return (await res.json()) as Record<string, unknown>;
  };

  it('exchanges a single-use code for a 48 h token and a 180 d refresh token', async () => {
    const authCode = await code();
    expect((await exchange(authCode, 'wrong')).result).toBe(100200101);
    const t = await exchange(authCode);
    expect(t).toMatchObject({ result: 1, expires_in: 172800, refresh_token_expires_in: 180 * 86400 });
    expect(typeof t.access_token).toBe('string');
    expect(typeof t.open_id).toBe('string');
    expect((await exchange(authCode)).result).toBe(100200105);
    const api = await c.call('open.order.detail', { oid: '2612345600000001' }, { token: String(t.access_token) });
    expect(api.json.result).toBe(1);
  });

  it('rotates the refresh token; the old one works for 5 minutes, then is discarded', async () => {
    const first = await exchange(await code());
    const old = String(first.refresh_token);
    const second = await refresh(old);
    expect(second.result).toBe(1);
    expect(second.refresh_token).not.toBe(old);
    expect(second.access_token).not.toBe(first.access_token);
    c.sb.clock.advance(4 * 60_000);
    const grace = await refresh(old);
    expect(grace.result).toBe(1);
    c.sb.clock.advance(2 * 60_000);
    expect(await refresh(old)).toEqual({ result: 100200102, error: 'access_denied', error_msg: 'refreshToken.discarded' });
    const latest = await refresh(String(grace.refresh_token));
    expect(latest.result).toBe(1);
    expect((await c.call('open.order.detail', { oid: '2612345600000001' }, { token: String(latest.access_token) })).json.result).toBe(1);
  });

  it('refuses an unknown refresh token and the wrong verb', async () => {
    expect(await refresh('nope')).toMatchObject({ result: 100200102, error: 'access_denied' });
    const res = await fetch(`${c.sb.url}/kuaishou/oauth2/refresh_token?grant_type=refresh_token`);
    expect(((await res.json()) as { result: number }).result).toBe(100200100);
  });
});
