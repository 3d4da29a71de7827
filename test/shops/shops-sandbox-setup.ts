/** Sandbox apps and shops for the connect tests: one per platform, no tokens until OAuth gives them. */
import type { RunningSandbox } from '../../src/sandbox/server.js';
import type { ApiClient } from './shops-test-support.js';

export interface PlatformFixture {
  platform: 'taobao' | 'pinduoduo' | 'kuaishou' | 'jushuitan';
  shopId: string;
  appKey: string;
  appSecret: string;
  signSecret?: string;
  erpShopId?: string;
}

export const FIXTURES: PlatformFixture[] = [
  { platform: 'jushuitan', shopId: '10010001', appKey: 'jst-app-0001', appSecret: 'jst-secret-f3a1c9e7' },
  { platform: 'taobao', shopId: '2200001', appKey: '12345678', appSecret: 'tb-secret-9b7d2c44', erpShopId: '10010001' },
  { platform: 'pinduoduo', shopId: '880001', appKey: 'pdd-client-0001', appSecret: 'pdd-secret-6e2f0a83', erpShopId: '10010001' },
  { platform: 'kuaishou', shopId: '2200010001', appKey: 'ks6887700000000001', appSecret: 'ks-secret-51c8d0aa', signSecret: 'ks-sign-e04b7731', erpShopId: '10010001' },
];

export function seedSandbox(sb: RunningSandbox): void {
  for (const f of FIXTURES) {
    sb.world.addApp({ platform: f.platform, appKey: f.appKey, appSecret: f.appSecret, signSecret: f.signSecret });
    sb.world.addShop({ platform: f.platform, shopId: f.shopId, appKey: f.appKey, erpShopId: f.erpShopId });
  }
}

/** Every secret and token the sandbox knows for these shops: none may show up in rows, logs or answers. */
export function knownSecrets(sb: RunningSandbox): string[] {
  const out = FIXTURES.flatMap((f) => [f.appSecret, ...(f.signSecret ? [f.signSecret] : [])]);
  for (const f of FIXTURES) {
    for (const t of sb.world.shop(f.platform, f.shopId)?.tokens ?? []) out.push(t.accessToken, t.refreshToken);
  }
  return out.filter(Boolean);
}

/** Creates the shop rows, enters keys, and connects each by OAuth through the sandbox's consent stand-in. */
export async function connectAll(api: ApiClient, sb: RunningSandbox): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const f of FIXTURES) {
    const created = await api.post('/api/shops', {
      platform: f.platform,
      platformShopId: f.shopId,
      name: `${f.platform} shop`,
      ...(f.erpShopId ? { erpAccountId: ids.jushuitan, erpShopId: f.erpShopId } : {}),
    });
    if (created.status !== 201) throw new Error(`create ${f.platform}: ${created.text}`);
    ids[f.platform] = created.body.id;
    const keys = await api.put(`/api/shops/${ids[f.platform]}/credentials`, { appKey: f.appKey, appSecret: f.appSecret, signSecret: f.signSecret });
    if (keys.status !== 200) throw new Error(`keys ${f.platform}: ${keys.text}`);
    const auth = await api.get(`/api/shops/${ids[f.platform]}/oauth/authorize-url`);
    const code = await sandboxCode(sb, f.platform, f.shopId);
    const back = await api.get(`/api/oauth/${f.platform}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(auth.body.state)}`);
    if (back.status !== 200) throw new Error(`callback ${f.platform}: ${back.text}`);
  }
  return ids;
}

export async function sandboxCode(sb: RunningSandbox, platform: string, shopId: string): Promise<string> {
  const res = await fetch(`${sb.url}/_sandbox/auth/code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ platform, shopId }),
  });
  const body = (await res.json()) as { code: string };
  return body.code;
}
