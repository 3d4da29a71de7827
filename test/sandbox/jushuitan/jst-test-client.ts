import { createHash } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';

export const APP_KEY = 'b0b7d1db226d4216a3d58df9ffa2dde5';
export const APP_SECRET = '99c4cef262f34ca882975a7064de0b87';
export const TOKEN = 'jst-token-0001';
export const ERP_SHOP = '10086001';
export const TB_SHOP = '2088000001';
export const DAY = 86_400_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Caller-side signature from the document: md5(app_secret + Σ sorted key+value), lowercase. */
export function jstSign(p: Record<string, string>, secret: string): string {
  const s = Object.keys(p).filter((k) => k !== 'sign').sort().map((k) => k + p[k]).join('');
  return createHash('md5').update(secret + s).digest('hex');
}

export function beijing(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export class JstTestClient {
  constructor(readonly sb: RunningSandbox) {}

  async post(path: string, p: Record<string, string>, secret = APP_SECRET): Promise<{ status: number; text: string; json: Json }> {
    const params = { ...p };
    params.sign = jstSign(params, secret);
    const res = await fetch(`${this.sb.url}/jushuitan${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(params).toString(),
    });
    const text = await res.text();
    let json: Json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  call(path: string, biz: unknown, over: Record<string, string> = {}): Promise<{ status: number; text: string; json: Json }> {
    return this.post(path, {
      app_key: APP_KEY,
      access_token: TOKEN,
      timestamp: String(Math.floor(this.sb.clock.now() / 1000)),
      charset: 'utf-8',
      version: '2',
      biz: JSON.stringify(biz),
      ...over,
    });
  }

  async control(verb: string, path: string, body?: unknown): Promise<Json> {
    const res = await fetch(`${this.sb.url}/_sandbox${path}`, { method: verb, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json();
  }
}

/** One JST app + company shop, and a Taobao shop whose paid orders mirror into that ERP shop. */
export async function startJstSandbox(): Promise<JstTestClient> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: 11 });
  const now = sb.clock.now();
  sb.world.addApp({ platform: 'jushuitan', appKey: APP_KEY, appSecret: APP_SECRET });
  sb.world.addShop({ platform: 'jushuitan', shopId: ERP_SHOP, appKey: APP_KEY, tokens: [{ accessToken: TOKEN, refreshToken: 'jst-refresh-0001', expiresAt: now + 30 * DAY, refreshExpiresAt: now + 60 * DAY, revoked: false }] });
  sb.world.addShop({ platform: 'taobao', shopId: TB_SHOP, appKey: 'tb-app', erpShopId: ERP_SHOP });
  return new JstTestClient(sb);
}
