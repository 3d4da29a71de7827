import { createHash } from 'node:crypto';
import { isSafeNumber, parse } from 'lossless-json';
import WebSocket from 'ws';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import type { PinduoduoModule } from '../../../src/sandbox/platforms/pinduoduo/index.js';

export const CLIENT_ID = 'pdd-client-1';
export const CLIENT_SECRET = 'pdd-secret-1';
export const MALL_ID = '100200300';
export const TOKEN = 'pdd-token-ok';
export const OLD_TOKEN = 'pdd-token-old';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function parseLossless(text: string): Json {
  return parse(text, null, (v) => (isSafeNumber(v) ? Number(v) : v)) as Json;
}

/** Client-side PDD signer written from the published algorithm. */
export function sign(params: Record<string, string>, secret: string): string {
  const base = Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHash('md5').update(secret + base + secret).digest('hex').toUpperCase();
}

export class PddTestClient {
  constructor(readonly sb: RunningSandbox) {}

  get module(): PinduoduoModule {
    return this.sb.modules.find((m) => m.service === 'pinduoduo') as PinduoduoModule;
  }

  async call(type: string, biz: Record<string, string> = {}, o: { token?: string | null; tsMs?: number; tamper?: boolean } = {}): Promise<Json> {
    const params: Record<string, string> = {
      type, client_id: CLIENT_ID, timestamp: String(Math.floor((o.tsMs ?? this.sb.clock.now()) / 1000)), data_type: 'JSON', ...biz,
    };
    if (o.token !== null) params.access_token = o.token ?? TOKEN;
    params.sign = sign(params, CLIENT_SECRET);
    if (o.tamper) params.page = '99';
    const res = await fetch(`${this.sb.url}/pinduoduo/api/router`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    return parseLossless(await res.text());
  }

  wsUrl(digestOverride?: string, tsMs = this.sb.clock.now()): string {
    const hex = createHash('md5').update(`${CLIENT_ID}${tsMs}${CLIENT_SECRET}`).digest('hex');
    const digest = digestOverride ?? Buffer.from(hex).toString('base64');
    return `${this.sb.url.replace('http', 'ws')}/pinduoduo/message/${CLIENT_ID}/${tsMs}/${encodeURIComponent(digest)}`;
  }
}

/** A WebSocket that queues raw frames so a test can await them one by one. */
export class FrameReader {
  readonly raw: string[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.raw.push(d.toString('utf8'));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(url: string): Promise<FrameReader> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const reader = new FrameReader(ws);
      ws.once('open', () => resolve(reader));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Wait until at least n frames have arrived (the test's own timeout bounds this). */
  async frames(n: number): Promise<Json[]> {
    while (this.raw.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.raw.slice(0, n).map(parseLossless);
  }

  /** Let in-flight frames land, then report how many arrived. */
  async settle(): Promise<number> {
    await new Promise((r) => setTimeout(r, 100));
    return this.raw.length;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.ws.once('close', () => r());
      this.ws.close();
    });
  }
}

export async function startPddSandbox(): Promise<PddTestClient> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: 11 });
  const now = sb.clock.now();
  sb.world.addApp({ platform: 'pinduoduo', appKey: CLIENT_ID, appSecret: CLIENT_SECRET });
  sb.world.addShop({
    platform: 'pinduoduo', shopId: MALL_ID, appKey: CLIENT_ID, name: '拼多多测试店',
    tokens: [
      { accessToken: TOKEN, refreshToken: 'pdd-rt-ok', expiresAt: now + 30 * 86_400_000, refreshExpiresAt: now + 60 * 86_400_000, revoked: false },
      { accessToken: OLD_TOKEN, refreshToken: 'pdd-rt-old', expiresAt: now - 1000, refreshExpiresAt: now - 1000, revoked: false },
    ],
  });
  return new PddTestClient(sb);
}
