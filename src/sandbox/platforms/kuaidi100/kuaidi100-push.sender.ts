import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SandboxContext } from '../../core/contract.js';
import { KD100 } from './kuaidi100.constants.js';
import { pushSign } from './kuaidi100-sign.util.js';

export interface PendingPush {
  id: string;
  topic: string;
  url: string;
  param: string;
  salt?: string;
}

/** POST one form to the callback; resolves with the status and body, or undefined when unreachable. */
function post(url: string, form: string): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve(undefined);
    }
    const send = u.protocol === 'https:' ? httpsRequest : request;
    const req = send(u, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', 'content-length': Buffer.byteLength(form) }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(form);
  });
}

/** The subscriber accepted only when it answers {"result":true,"returnCode":"200",…}. */
function accepted(body: string): boolean {
  try {
    const v = JSON.parse(body) as { result?: unknown; returnCode?: unknown };
    return v.result === true && String(v.returnCode) === '200';
  } catch {
    return false;
  }
}

/**
 * Delivers pushes with the push faults (drop, duplicate, reorder, delay) and redelivers on the
 * sandbox clock when the callback does not accept.
 */
export class Kd100PushSender {
  private held: PendingPush[] = [];

  constructor(private readonly ctx: SandboxContext) {}

  /** Resolves when the first attempt (and any duplicate) is done, for callers that want to wait. */
  send(p: PendingPush): void {
    const f = this.ctx.faults.get('kuaidi100');
    const rec = this.ctx.pushes.upsert({ service: 'kuaidi100', id: p.id, topic: p.topic });
    if (f.pushDropRate && this.ctx.random() < f.pushDropRate) {
      rec.dropped++;
      return;
    }
    if (f.pushReorderRate && this.ctx.random() < f.pushReorderRate) {
      this.held.push(p);
      const at = this.ctx.world.clock.now() + KD100.reorderHoldMs;
      this.ctx.schedule(at, () => this.release(p));
      return;
    }
    const copies = f.pushDuplicateRate && this.ctx.random() < f.pushDuplicateRate ? 2 : 1;
    if (copies === 2) rec.duplicated++;
    const go = (): void => {
      for (let i = 0; i < copies; i++) void this.attempt(p, 0);
      const held = this.held;
      this.held = [];
      for (const h of held) void this.attempt(h, 0);
    };
    if (f.pushDelayMs && f.pushDelayMs > 0) this.ctx.schedule(this.ctx.world.clock.now() + f.pushDelayMs, go);
    else go();
  }

  private release(p: PendingPush): void {
    if (!this.held.includes(p)) return;
    this.held = this.held.filter((h) => h !== p);
    void this.attempt(p, 0);
  }

  private async attempt(p: PendingPush, n: number): Promise<void> {
    let form = `param=${encodeURIComponent(p.param)}`;
    if (p.salt) form += `&sign=${pushSign(p.param, p.salt)}`;
    const res = await post(p.url, form);
    if (res) this.ctx.pushes.delivered('kuaidi100', p.id);
    if (res && res.status === 200 && accepted(res.body)) {
      this.ctx.pushes.acknowledged('kuaidi100', p.id);
      return;
    }
    const delay = KD100.retryDelaysMs[n];
    if (delay === undefined) return;
    this.ctx.schedule(this.ctx.world.clock.now() + delay, () => void this.attempt(p, n + 1));
  }
}
