/**
 * The whole service against the sandbox, as an operator would set it up: shops created and keyed through
 * the REST API (sealed credentials, the real ShopAdapters and PushKeys), the sandbox's clock as the
 * service's clock, and the Kuaishou app pushing to the service's webhook.
 */
import { randomBytes } from 'node:crypto';
import { Clock } from '../../../src/common/clock.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import type { SbPlatform } from '../../../src/sandbox/core/types.js';
import { authAs, type AuthHeader } from '../../support/auth.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { TestBackend } from '../../support/test-env.js';

export type Mp = 'taobao' | 'pinduoduo' | 'kuaishou';
export const MARKETPLACES: Mp[] = ['taobao', 'pinduoduo', 'kuaishou'];
const DAY = 86_400_000;

/** One app per platform, shared by all shops of that platform (as an ISV's shops share its app). */
export const LIVE_APPS = {
  taobao: { appKey: '23100001', appSecret: 'live-tb-secret-51d0' },
  pinduoduo: { appKey: 'live-pdd-client', appSecret: 'live-pdd-secret-77a2' },
  kuaishou: { appKey: 'ks6887700000000777', appSecret: 'live-ks-secret-0c19', signSecret: 'live-ks-sign-3e8b', pushKey: randomBytes(16).toString('base64') },
  jushuitan: { appKey: 'live-jst-app', appSecret: 'live-jst-secret-9d41' },
} as const;

export const ERP_ACCOUNT = '10020001';

export interface LiveShopSpec {
  platform: Mp;
  platformShopId: string;
  /** The shop inside Jushuitan: the sandbox mirrors its paid orders there. */
  erpShopId?: string;
}

export interface LiveShop extends LiveShopSpec {
  id: number;
}

/** The service's clock reads the sandbox's virtual time, so windows and signatures agree with it. */
export class SandboxClock extends Clock {
  constructor(
    private readonly sb: RunningSandbox,
    /** A service clock that runs ahead of (or behind) the platforms' by this much. */
    private readonly offsetMs = 0,
  ) {
    super();
  }
  now(): Date {
    return new Date(this.sb.clock.now() + this.offsetMs);
  }
}

export interface LiveEnv {
  sb: RunningSandbox;
  t: TestApp;
  auth: AuthHeader;
  shops: LiveShop[];
  erpAccountId: number | null;
  shop(platform: Mp, index?: number): LiveShop;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; text: string }>;
  close(): Promise<void>;
}

export interface LiveOptions {
  seed: number;
  shops: LiveShopSpec[];
  /** Virtual time the sandbox starts at (default: now). */
  startAt?: number;
  env?: Record<string, string>;
  overrides?: Record<string, unknown>;
  backend?: TestBackend;
  /** How far the service's clock runs ahead of the platforms' (default 0). */
  clockOffsetMs?: number;
  /** Sandbox options passed through (auto-close times etc.). */
  sandbox?: Parameters<typeof startSandbox>[0];
}

export async function startLiveEnv(opts: LiveOptions): Promise<LiveEnv> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: opts.seed, startAt: opts.startAt, ...opts.sandbox });
  for (const p of ['taobao', 'pinduoduo', 'kuaishou', 'jushuitan'] as const) {
    const a = LIVE_APPS[p];
    sb.world.addApp({ platform: p, appKey: a.appKey, appSecret: a.appSecret, ...('signSecret' in a ? { signSecret: a.signSecret, pushAesKey: a.pushKey } : {}) });
  }
  const t = await startTestApp({
    env: { KEFU_SANDBOX_URL: sb.url, KEFU_SCHEDULER: 'off', ...opts.env },
    overrides: opts.overrides,
    clock: new SandboxClock(sb, opts.clockOffsetMs),
    backend: opts.backend,
  });
  const auth = await authAs(t, { roles: ['operator'] });
  const api: LiveEnv['api'] = async (method, path, body) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  sb.world.app('kuaishou', LIVE_APPS.kuaishou.appKey)!.pushUrl = `${t.url}/webhooks/kuaishou/${LIVE_APPS.kuaishou.appKey}`;

  const needsErp = opts.shops.some((s) => s.erpShopId);
  const erpAccountId = needsErp ? await connect(sb, api, 'jushuitan', ERP_ACCOUNT, {}) : null;
  const shops: LiveShop[] = [];
  for (const spec of opts.shops) {
    const link = spec.erpShopId && erpAccountId ? { erpAccountId, erpShopId: spec.erpShopId } : {};
    shops.push({ ...spec, id: await connect(sb, api, spec.platform, spec.platformShopId, link, spec.erpShopId) });
  }
  return {
    sb,
    t,
    auth,
    shops,
    erpAccountId,
    api,
    shop(platform, index = 0) {
      const found = shops.filter((s) => s.platform === platform)[index];
      if (!found) throw new Error(`no ${platform} shop #${index}`);
      return found;
    },
    async close() {
      await t.close();
      await sb.close();
    },
  };
}

/** Creates the shop in the sandbox with a token, and in the service through the API with its keys. */
async function connect(sb: RunningSandbox, api: LiveEnv['api'], platform: SbPlatform, platformShopId: string, link: Record<string, unknown>, erpShopId?: string): Promise<number> {
  const a = LIVE_APPS[platform];
  const now = sb.clock.now();
  const token = `${platform}-live-${platformShopId}`;
  sb.world.addShop({
    platform, shopId: platformShopId, appKey: a.appKey, erpShopId,
    tokens: [{ accessToken: token, refreshToken: `${token}-r`, expiresAt: now + 30 * DAY, refreshExpiresAt: now + 180 * DAY, revoked: false }],
  });
  const created = await api('POST', '/api/shops', { platform, platformShopId, name: `${platform} ${platformShopId}`, ...link });
  if (created.status !== 201) throw new Error(`create ${platform} shop: ${created.text}`);
  const id = (created.body as { id: number }).id;
  const keys = await api('PUT', `/api/shops/${id}/credentials`, {
    appKey: a.appKey,
    appSecret: a.appSecret,
    ...('signSecret' in a ? { signSecret: a.signSecret, pushKey: a.pushKey } : {}),
    accessToken: token,
    refreshToken: `${token}-r`,
    expiresIn: 30 * 86_400,
  });
  if (keys.status !== 200) throw new Error(`keys for ${platform} shop: ${keys.text}`);
  return id;
}
