import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { KuaishouLimits } from './kuaishou.constants.js';
import { sendJson } from './kuaishou-http.util.js';
import type { KuaishouPushDispatcher } from './kuaishou-push.dispatcher.js';

function readJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

const LIMIT_KEYS = ['qpsPerApp', 'qpsPerUser', 'dailyQuotaPerApp'] as const;

/**
 * Kuaishou-specific sandbox controls under /_sandbox/kuaishou: the app's QPS / quota numbers, saving a
 * push URL (which sends the platform's `{"test":true}` message) and revoking a shop's authorisation.
 */
export class KuaishouControlHandler {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly limits: KuaishouLimits,
    private readonly pushes: KuaishouPushDispatcher,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, rawPath: string, body: Buffer): Promise<boolean> {
    const path = rawPath.replace(/^\/_sandbox\/kuaishou/, '').replace(/\/+$/, '');
    const route = `${req.method ?? 'GET'} ${path}`;
    let input: Record<string, unknown>;
    try {
      input = readJson(body);
    } catch {
      sendJson(res, 400, { error: 'body must be JSON' });
      return true;
    }
    switch (route) {
      case 'GET /limits':
        sendJson(res, 200, this.limits);
        return true;
      case 'PUT /limits':
        return this.setLimits(res, input);
      case 'POST /push/config':
      case 'POST /push/test':
        return this.pushConfig(res, input);
      case 'POST /auth/revoke':
        return this.revoke(res, input);
      default:
        return false;
    }
  }

  private setLimits(res: ServerResponse, input: Record<string, unknown>): boolean {
    for (const key of LIMIT_KEYS) {
      const v = input[key];
      if (typeof v === 'number' && v >= 0) this.limits[key] = v;
    }
    sendJson(res, 200, this.limits);
    return true;
  }

  private pushConfig(res: ServerResponse, input: Record<string, unknown>): boolean {
    const app = typeof input.appKey === 'string' ? this.ctx.world.app('kuaishou', input.appKey) : undefined;
    if (!app) {
      sendJson(res, 404, { error: 'unknown appKey' });
      return true;
    }
    if (typeof input.pushUrl === 'string') app.pushUrl = input.pushUrl;
    if (typeof input.pushAesKey === 'string') app.pushAesKey = input.pushAesKey;
    if (!app.pushUrl || !app.pushAesKey) {
      sendJson(res, 400, { error: 'app has no pushUrl / pushAesKey' });
      return true;
    }
    this.pushes.sendTest(app);
    sendJson(res, 200, { ok: true, pushUrl: app.pushUrl });
    return true;
  }

  private revoke(res: ServerResponse, input: Record<string, unknown>): boolean {
    const shop = typeof input.shopId === 'string' ? this.ctx.world.shop('kuaishou', input.shopId) : undefined;
    if (!shop) {
      sendJson(res, 404, { error: 'unknown shopId' });
      return true;
    }
    for (const t of shop.tokens) t.revoked = true;
    sendJson(res, 200, { ok: true, revoked: shop.tokens.length });
    return true;
  }
}
