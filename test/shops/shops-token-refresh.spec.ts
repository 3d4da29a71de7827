import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/common/clock.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { ShopAdapters } from '../../src/shops/shop-adapters.js';
import { ShopCredentialVault } from '../../src/shops/shop-credential.vault.js';
import { ShopTokenRefresher } from '../../src/shops/shop-token-refresher.js';
import { ShopUnavailableError } from '../../src/shops/shop-unavailable.error.js';
import { TasksService } from '../../src/tasks/tasks.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { connectAll, FIXTURES, sandboxCode, seedSandbox } from './shops-sandbox-setup.js';
import { ApiClient } from './shops-test-support.js';
import { authAs } from '../support/auth.js';

const HOUR = 3_600_000;
const KS = FIXTURES.find((f) => f.platform === 'kuaishou')!;

describe('token refresh ahead of expiry and re-authorisation', () => {
  let sb: RunningSandbox;
  let t: TestApp;
  let api: ApiClient;
  let ids: Record<string, number>;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, autoTick: false, seed: 11 });
    seedSandbox(sb);
    t = await startTestApp({ env: { KEFU_SANDBOX_URL: sb.url, KEFU_SCHEDULER: 'off' }, clock });
    api = new ApiClient(t.url!, await authAs(t, { roles: ['operator'] }));
    ids = await connectAll(api, sb);
  });
  afterAll(async () => {
    await t?.close();
    await sb?.close();
  });

  const refresher = () => t.app.get(ShopTokenRefresher);
  const vault = () => t.app.get(ShopCredentialVault);

  it('leaves tokens alone while they are far from expiry', async () => {
    const out = await refresher().refreshDue();
    expect(Object.values(out).filter((o) => o !== 'skipped')).toEqual([]);
  });

  it('refreshes Kuaishou ahead of expiry, storing the rotated refresh token; the sandbox discards the old one', async () => {
    const before = (await vault().read(ids.kuaishou))!;
    clock.advance(43 * HOUR);
    const out = await refresher().refreshDue();
    expect(out[ids.kuaishou]).toBe('refreshed');
    const after = (await vault().read(ids.kuaishou))!;
    expect(after.secrets.refreshToken).not.toBe(before.secrets.refreshToken);
    expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
    expect(after.secrets.accessToken).toBe(sb.world.shop('kuaishou', KS.shopId)!.tokens[0].accessToken);
    expect(after.accessExpiresAt!.getTime()).toBeGreaterThan(clock.nowMs() + 40 * HOUR);
    const page = await (await t.app.get(ShopAdapters).marketplace(ids.kuaishou)).listOrders({ start: new Date(Date.now() - HOUR), end: new Date() });
    expect(Array.isArray(page.orders)).toBe(true);

    sb.clock.advance(6 * 60_000);
    const reuse = await fetch(`${sb.url}/kuaishou/oauth2/refresh_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.secrets.refreshToken!, app_id: KS.appKey, app_secret: KS.appSecret }).toString(),
    });
    expect(await reuse.json()).toMatchObject({ result: 100200102, error_msg: 'refreshToken.discarded' });
  });

  it('refreshes once when the platform says the token expired mid-run, and repeats the call', async () => {
    const before = (await vault().read(ids.kuaishou))!;
    const adapter = await t.app.get(ShopAdapters).marketplace(ids.kuaishou);
    await fetch(`${sb.url}/_sandbox/tokens/expire`, { method: 'POST', body: JSON.stringify({ platform: 'kuaishou', shopId: KS.shopId }) });
    const page = await adapter.listOrders({ start: new Date(Date.now() - HOUR), end: new Date() });
    expect(Array.isArray(page.orders)).toBe(true);
    expect((await vault().read(ids.kuaishou))!.secrets.accessToken).not.toBe(before.secrets.accessToken);
  });

  it('flags the Jushuitan ISV account needs_reauth with one operator task before its token dies', async () => {
    clock.advance(28 * 24 * HOUR);
    const out = await refresher().refreshDue();
    expect(out[ids.jushuitan]).toBe('flagged');
    const shop = await api.get(`/api/shops/${ids.jushuitan}`);
    expect(shop.body.status).toBe('needs_reauth');
    expect(new Date(shop.body.accessExpiresAt).getTime()).toBeGreaterThan(clock.nowMs());
    expect((await refresher().refreshDue())[ids.jushuitan]).toBe('skipped');
    const tasks = await t.app.get(TasksService).list({ shopId: ids.jushuitan, type: 'reauthorize' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ role: 'operator', status: 'open' });
    await expect(t.app.get(ShopAdapters).erp(ids.kuaishou)).rejects.toBeInstanceOf(ShopUnavailableError);
  });

  it('returns to active once the merchant authorises again', async () => {
    // Jushuitan checks request timestamps within 15 minutes of its own clock, which did not move.
    clock.set(Date.now());
    const auth = await api.get(`/api/shops/${ids.jushuitan}/oauth/authorize-url`);
    const code = await sandboxCode(sb, 'jushuitan', '10010001');
    const back = await api.get(`/api/oauth/jushuitan/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(auth.body.state)}`);
    expect(back.status).toBe(200);
    const shop = await api.get(`/api/shops/${ids.jushuitan}`);
    expect(shop.body).toMatchObject({ status: 'active', authError: null });
  });
});
