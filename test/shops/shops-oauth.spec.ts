import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { rotateMasterKey } from '../../src/shops/master-key.rotation.js';
import { ShopAdapters } from '../../src/shops/shop-adapters.js';
import { ShopCredentialEntity } from '../../src/shops/shop-credential.entity.js';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { freshBackend, type TestBackend } from '../support/test-env.js';
import { connectAll, FIXTURES, knownSecrets, sandboxCode, seedSandbox } from './shops-sandbox-setup.js';
import { ApiClient } from './shops-test-support.js';
import { authAs } from '../support/auth.js';

/** One signed, authorised call per shop proves its adapter carries working credentials. */
async function everyAdapterWorks(app: TestApp, ids: Record<string, number>): Promise<void> {
  const adapters = app.app.get(ShopAdapters);
  const end = new Date(Date.now() - 10 * 60_000);
  const start = new Date(end.getTime() - 20 * 60_000);
  for (const p of ['taobao', 'pinduoduo', 'kuaishou'] as const) {
    const page = await (await adapters.marketplace(ids[p])).listOrders({ start, end });
    expect(Array.isArray(page.orders)).toBe(true);
  }
  const erp = await adapters.erp(ids.kuaishou);
  const page = await erp.listOrders({ shopId: '10010001', modifiedStart: start, modifiedEnd: end });
  expect(Array.isArray(page.orders)).toBe(true);
}

describe('OAuth connect against the sandbox, secrets at rest, master key rotation', () => {
  let sb: RunningSandbox;
  let backend: TestBackend;
  let t: TestApp;
  let api: ApiClient;
  let ids: Record<string, number>;
  const env = (): Record<string, string> => ({ KEFU_SANDBOX_URL: sb.url, KEFU_SCHEDULER: 'off' });

  beforeAll(async () => {
    sb = await startSandbox({ port: 0, autoTick: false, seed: 7 });
    seedSandbox(sb);
    backend = await freshBackend();
    t = await startTestApp({ backend, env: env() });
    api = new ApiClient(t.url!, await authAs(t, { roles: ['operator'] }));
    ids = await connectAll(api, sb);
  });
  afterAll(async () => {
    await t?.close();
    await backend?.dispose();
    await sb?.close();
  });

  it('connects every platform by OAuth and builds working adapters from the stored tokens', async () => {
    for (const f of FIXTURES) {
      const shop = await api.get(`/api/shops/${ids[f.platform]}`);
      expect(shop.body).toMatchObject({ status: 'active', hasCredentials: true });
      expect(shop.body.accessExpiresAt).not.toBeNull();
      expect(sb.world.shop(f.platform, f.shopId)!.tokens.length).toBe(1);
    }
    await everyAdapterWorks(t, ids);
  });

  it('builds the authorise URL on the platform page with the callback and the state', async () => {
    const r = await api.get(`/api/shops/${ids.kuaishou}/oauth/authorize-url`);
    const url = new URL(r.body.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${sb.url}/kuaishou/oauth/authorize`);
    expect(url.searchParams.get('app_id')).toBe('ks6887700000000001');
    expect(url.searchParams.get('state')).toBe(r.body.state);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.config.publicUrl}/api/oauth/kuaishou/callback`);
  });

  it('rejects a forged, reused, superseded or cross-platform state without exchanging the code', async () => {
    const shopId = ids.pinduoduo;
    const first = (await api.get(`/api/shops/${shopId}/oauth/authorize-url`)).body.state as string;
    const code = await sandboxCode(sb, 'pinduoduo', '880001');
    const tampered = first.replace(/^\d+\./, `${ids.kuaishou}.`);
    const cb = (state: string, platform = 'pinduoduo') =>
      api.get(`/api/oauth/${platform}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
    expect((await cb(tampered)).status).toBe(400);
    expect((await cb('garbage')).status).toBe(400);
    expect((await cb(first, 'kuaishou')).status).toBe(400);
    const second = (await api.get(`/api/shops/${shopId}/oauth/authorize-url`)).body.state as string;
    const superseded = await cb(first);
    expect(superseded.status).toBe(400);
    expect(superseded.text).toContain('state');
    expect((await cb(second)).status).toBe(200);
    expect((await cb(second)).status).toBe(400);
    expect((await api.get(`/api/oauth/pinduoduo/callback?code=x`)).status).toBe(400);
  });

  it('keeps no secret or token in plain text in any table, log line or API answer', async () => {
    const ds = t.app.get(DataSource);
    const secrets = knownSecrets(sb);
    expect(secrets.length).toBeGreaterThan(12);
    const dump: string[] = [];
    for (const meta of ds.entityMetadatas) {
      const rows: unknown[] = await ds.query(`SELECT * FROM ${meta.tableName}`);
      dump.push(JSON.stringify(rows));
    }
    expect(dump.join('\n')).toContain('"key_id"');
    const haystacks = { rows: dump.join('\n'), logs: t.logs.join('\n'), answers: api.replies.join('\n') };
    expect(haystacks.logs.length).toBeGreaterThan(0);
    for (const s of secrets) {
      for (const [where, text] of Object.entries(haystacks)) {
        if (text.includes(s)) throw new Error(`a secret appears in ${where}`);
      }
    }
  });

  it('rotates the master key while shops keep working, then runs on the new key alone', async () => {
    await t.close();
    const oldKey = backend.env.KEFU_MASTER_KEY!;
    const newKey = randomBytes(32).toString('base64');
    const rotated = { ...env(), KEFU_MASTER_KEY: newKey, KEFU_MASTER_KEY_ID: 'test2', KEFU_PREVIOUS_MASTER_KEYS: `test1:${oldKey}` };
    t = await startTestApp({ backend, env: rotated });
    await everyAdapterWorks(t, ids);
    const result = await rotateMasterKey(t.app.get(DataSource), t.app.get(SecretBox));
    expect(result).toEqual({ total: 4, resealed: 4, activeKeyId: 'test2' });
    const rows = await t.app.get(DataSource).getRepository(ShopCredentialEntity).find();
    expect(rows.map((r) => r.keyId)).toEqual(['test2', 'test2', 'test2', 'test2']);
    await everyAdapterWorks(t, ids);
    await t.close();

    t = await startTestApp({ backend, env: { ...env(), KEFU_MASTER_KEY: newKey, KEFU_MASTER_KEY_ID: 'test2' } });
    await everyAdapterWorks(t, ids);
  });
});
