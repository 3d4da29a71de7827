import { createHash, createHmac } from 'node:crypto';
import { isSafeNumber, parse } from 'lossless-json';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import type { TaobaoModule } from '../../../src/sandbox/platforms/taobao/index.js';

export const APP_KEY = '12345678';
export const APP_SECRET = 'helloworld';
export const SHOP_ID = '2200000001';
export const SESSION = 'tb-session-ok';
export const OLD_SESSION = 'tb-session-old';

/** Beijing wall clock, written here independently of the sandbox code. */
export function beijing(ms: number): string {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** A client-side TOP signer following the published algorithm. */
export function sign(params: Record<string, string>, secret: string, method: string): string {
  const base = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => k + params[k])
    .join('');
  if (method === 'hmac') return createHmac('md5', secret).update(base).digest('hex').toUpperCase();
  if (method === 'hmac-sha256') return createHmac('sha256', secret).update(base).digest('hex').toUpperCase();
  return createHash('md5').update(secret + base + secret).digest('hex').toUpperCase();
}

export interface CallOpts {
  session?: string | null;
  signMethod?: string;
  timestampMs?: number;
  tamper?: boolean;
  appKey?: string;
  secret?: string;
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Safe numbers as numbers; ids beyond 2^53 as their exact digit strings. */
export function parseLossless(text: string): Json {
  return parse(text, null, (v) => (isSafeNumber(v) ? Number(v) : v)) as Json;
}

export class TopTestClient {
  /** Raw body of the last router answer, to check how ids are written. */
  lastText = '';

  constructor(readonly sb: RunningSandbox) {}

  get module(): TaobaoModule {
    return this.sb.modules.find((m) => m.service === 'taobao') as TaobaoModule;
  }

  async call(method: string, biz: Record<string, string> = {}, o: CallOpts = {}): Promise<Json> {
    const signMethod = o.signMethod ?? 'md5';
    const params: Record<string, string> = {
      method, app_key: o.appKey ?? APP_KEY, timestamp: beijing(o.timestampMs ?? this.sb.clock.now()),
      format: 'json', v: '2.0', sign_method: signMethod, ...biz,
    };
    if (o.session !== null) params.session = o.session ?? SESSION;
    params.sign = sign(params, o.secret ?? APP_SECRET, signMethod);
    if (o.tamper) params.timestamp = beijing((o.timestampMs ?? this.sb.clock.now()) - 1000);
    const res = await fetch(`${this.sb.url}/taobao/router/rest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    });
    this.lastText = await res.text();
    return parseLossless(this.lastText);
  }

  async post(path: string, body: unknown, method = 'POST'): Promise<Json> {
    const res = await fetch(`${this.sb.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as Json;
  }
}

/** A sandbox with one Taobao app, one shop (valid and expired sessions) and nothing else. */
export async function startTaobaoSandbox(): Promise<TopTestClient> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: 7 });
  const now = sb.clock.now();
  sb.world.addApp({ platform: 'taobao', appKey: APP_KEY, appSecret: APP_SECRET });
  sb.world.addShop({
    platform: 'taobao', shopId: SHOP_ID, appKey: APP_KEY, name: '测试旗舰店',
    tokens: [
      { accessToken: SESSION, refreshToken: 'tb-rt-ok', expiresAt: now + 30 * 86_400_000, refreshExpiresAt: now + 60 * 86_400_000, revoked: false },
      { accessToken: OLD_SESSION, refreshToken: 'tb-rt-old', expiresAt: now - 1000, refreshExpiresAt: now - 1000, revoked: false },
    ],
  });
  return new TopTestClient(sb);
}
