import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JushuitanLimits } from './jushuitan.constants.js';
import type { JstAppKind } from './jushuitan-auth.handler.js';
import { sendJson } from './jushuitan-http.util.js';

function readJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = body.length ? JSON.parse(body.toString('utf8')) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

/**
 * Jushuitan-specific controls under /_sandbox/jushuitan: the rate-limit numbers and whether an app is
 * a 服务商 (ISV, may not refresh) or a self-developed merchant app (may refresh).
 */
export class JushuitanControlHandler {
  constructor(
    private readonly limits: JushuitanLimits,
    private readonly kinds: Map<string, JstAppKind>,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, rawPath: string, body: Buffer): Promise<boolean> {
    const path = rawPath.replace(/^\/_sandbox\/jushuitan/, '').replace(/\/+$/, '');
    const input = readJson(body);
    if (!input) {
      sendJson(res, 400, { error: 'body must be JSON' });
      return true;
    }
    if (path === '/limits' && req.method === 'GET') {
      sendJson(res, 200, this.limits);
      return true;
    }
    if (path === '/limits' && req.method === 'PUT') {
      if (typeof input.perSecond === 'number' && input.perSecond > 0) this.limits.perSecond = input.perSecond;
      if (typeof input.perMinute === 'number' && input.perMinute > 0) this.limits.perMinute = input.perMinute;
      sendJson(res, 200, this.limits);
      return true;
    }
    const app = /^\/apps\/([^/]+)$/.exec(path);
    if (app && req.method === 'PUT') {
      if (input.kind !== 'isv' && input.kind !== 'self') {
        sendJson(res, 400, { error: "kind must be 'isv' or 'self'" });
        return true;
      }
      this.kinds.set(decodeURIComponent(app[1]), input.kind);
      sendJson(res, 200, { appKey: decodeURIComponent(app[1]), kind: input.kind });
      return true;
    }
    return false;
  }
}
