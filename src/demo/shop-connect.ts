/**
 * Connecting a sandbox scenario's shops to a running kefu-bridge the way an operator does: create each
 * shop through the shops API, enter its app keys, and authorise it by OAuth against the sandbox. Used
 * by the demo and by the benchmarks.
 */
import type { SandboxScenario } from '../sandbox/core/scenario.js';
import type { RunningSandbox } from '../sandbox/server.js';
import type { DemoApi } from './demo-api.js';

/**
 * Creates each shop, enters its app keys and connects it by OAuth; the ERP first, so shops can link to it.
 * Answers kefu-bridge's shop id per platform (the last shop of a platform when it has several) and per
 * platform shop id.
 */
export async function connectShops(
  operator: DemoApi,
  sb: Pick<RunningSandbox, 'url'>,
  scenario: SandboxScenario,
  source = 'the scenario',
): Promise<{ byPlatform: Record<string, number>; byShopId: Record<string, number> }> {
  const byPlatform: Record<string, number> = {};
  const byShopId: Record<string, number> = {};
  const shops = [...(scenario.shops ?? [])].sort((a, b) => Number(b.platform === 'jushuitan') - Number(a.platform === 'jushuitan'));
  for (const s of shops) {
    const app = scenario.apps?.find((a) => a.platform === s.platform && a.appKey === s.appKey);
    if (!app) throw new Error(`${source}: no app ${s.appKey} for the ${s.platform} shop`);
    const link = s.erpShopId ? { erpAccountId: byPlatform.jushuitan, erpShopId: s.erpShopId } : {};
    const shop = await operator.must<{ id: number }>('POST', '/api/shops', { platform: s.platform, platformShopId: s.shopId, name: s.name ?? s.shopId, ...link });
    await operator.must('PUT', `/api/shops/${shop.id}/credentials`, { appKey: app.appKey, appSecret: app.appSecret, signSecret: app.signSecret, pushKey: app.pushAesKey });
    const { state } = await operator.must<{ state: string }>('GET', `/api/shops/${shop.id}/oauth/authorize-url`);
    // The sandbox stands in for the merchant clicking "authorise" on the platform's consent page.
    const consent = await fetch(`${sb.url}/_sandbox/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: s.platform, shopId: s.shopId }) });
    const { code } = (await consent.json()) as { code: string };
    await operator.must('GET', `/api/oauth/${s.platform}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
    byPlatform[s.platform] = shop.id;
    byShopId[s.shopId] = shop.id;
  }
  return { byPlatform, byShopId };
}

/** Kuaishou pushes to the address the app registered with the platform: this service's webhook. */
export function wireKuaishouPush(sb: Pick<RunningSandbox, 'world'>, scenario: SandboxScenario, url: string): void {
  for (const a of scenario.apps ?? []) {
    if (a.platform !== 'kuaishou') continue;
    const app = sb.world.app('kuaishou', a.appKey);
    if (app) app.pushUrl = `${url}/webhooks/kuaishou/${a.appKey}`;
  }
}
