import { createHash, createHmac, randomBytes } from 'node:crypto';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';

export const APP_KEY = 'ks6887700000000001';
export const APP_SECRET = 'app-secret-ks';
export const SIGN_SECRET = 'sign-secret-ks';
export const SHOP_ID = '2200010001';
export const TOKEN = 'ks-access-token-1';
export const PUSH_KEY = randomBytes(16).toString('base64');

export interface KsReply {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface KsCallOpts {
  verb?: 'GET' | 'POST';
  signMethod?: 'MD5' | 'HMAC_SHA256';
  token?: string;
  signSecret?: string;
  appKey?: string;
}

/** The caller's side of the signature, written here from the document (not the sandbox's verifier). */
export function testSign(p: Record<string, string>, secret: string): string {
  const base = Object.keys(p).sort().map((k) => `${k}=${p[k]}`).join('&') + `&signSecret=${secret}`;
  if (p.signMethod === 'MD5') return createHash('md5').update(base).digest('hex');
  return createHmac('sha256', secret).update(base).digest('base64');
}

export const VERBS: Record<string, 'GET' | 'POST'> = {
  'open.order.cursor.list': 'GET',
  'open.order.detail': 'GET',
  'open.seller.order.note.add': 'POST',
  'open.sms.send': 'POST',
};

export class KsTestClient {
  constructor(readonly sb: RunningSandbox) {}

  async call(method: string, param: Record<string, unknown> | string, opts: KsCallOpts = {}): Promise<KsReply> {
    const p: Record<string, string> = {
      appkey: opts.appKey ?? APP_KEY,
      method,
      version: '1',
      param: typeof param === 'string' ? param : JSON.stringify(param),
      access_token: opts.token ?? TOKEN,
      timestamp: String(this.sb.clock.now()),
      signMethod: opts.signMethod ?? 'HMAC_SHA256',
    };
    p.sign = testSign(p, opts.signSecret ?? SIGN_SECRET);
    const verb = opts.verb ?? VERBS[method] ?? 'GET';
    const url = `${this.sb.url}/kuaishou/${method.split('.').join('/')}`;
    const form = new URLSearchParams(p).toString();
    const res =
      verb === 'GET'
        ? await fetch(`${url}?${form}`)
        : await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    return reply(res);
  }

  async control(verb: string, path: string, body?: unknown): Promise<KsReply> {
    const res = await fetch(`${this.sb.url}/_sandbox${path}`, {
      method: verb,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return reply(res);
  }
}

async function reply(res: Response): Promise<KsReply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A sandbox with one Kuaishou app and one authorised shop. */
export async function startKuaishouSandbox(pushUrl?: string): Promise<KsTestClient> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: 7 });
  const now = sb.clock.now();
  sb.world.addApp({ platform: 'kuaishou', appKey: APP_KEY, appSecret: APP_SECRET, signSecret: SIGN_SECRET, pushAesKey: PUSH_KEY, pushUrl });
  sb.world.addShop({
    platform: 'kuaishou',
    shopId: SHOP_ID,
    appKey: APP_KEY,
    name: '快手测试店',
    tokens: [{ accessToken: TOKEN, refreshToken: 'ks-refresh-1', expiresAt: now + 30 * 86_400_000, refreshExpiresAt: now + 180 * 86_400_000, revoked: false }],
  });
  return new KsTestClient(sb);
}

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
