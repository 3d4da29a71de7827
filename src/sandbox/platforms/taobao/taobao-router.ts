import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbApp, SbShop } from '../../core/types.js';
import type { TaobaoConfig, TopLimit } from './taobao.constants.js';
import { TopError } from './taobao.error.js';
import { holdUntilClosed, readTopParams, sendJson, topRequestId } from './taobao-http.util.js';
import { TOP_SIGN_METHODS, topSign, type TopSignMethod } from './taobao-sign.util.js';
import { parseTopTime } from './taobao-time.util.js';
import { sendBadGateway } from '../../core/http-faults.js';

/** One authenticated API call as the handlers see it. */
export interface TopCall {
  ctx: SandboxContext;
  config: TaobaoConfig;
  app: SbApp;
  /** Present when the API needs a session (and it was valid). */
  shop?: SbShop;
  params: Record<string, string>;
  method: string;
  now: number;
}

export interface TopApi {
  /** Whether the API needs the seller's authorisation (`session`). */
  session: boolean;
  run(call: TopCall): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** `taobao.trade.memo.update` → `trade_memo_update_response`. */
export function topResponseKey(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
}

function banError(subCode: string, banMs: number): TopError {
  const seconds = Math.max(1, Math.ceil(banMs / 1000));
  return new TopError('appCallLimited', subCode, `This ban will last for ${seconds} more seconds`);
}

/** The /router/rest gateway: common parameters, signature, limits, session, then the API itself. */
export class TopRouter {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly config: () => TaobaoConfig,
    private readonly apis: Record<string, TopApi>,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const requestId = topRequestId();
    const params = readTopParams(req, body);
    const method = params.method ?? '';
    const fault = await this.ctx.faultFor('taobao');
    if (fault.fail === 'timeout') {
      this.ctx.calls.record({ platform: 'taobao', method, outcome: 'timeout' });
      return holdUntilClosed(res);
    }
    if (fault.fail === 'server_error' && this.ctx.random() < 0.3) {
      this.ctx.calls.record({ platform: 'taobao', method, outcome: 'http_502' });
      sendBadGateway(res);
      return;
    }
    let shopId: string | undefined;
    try {
      if (fault.fail === 'server_error') throw new TopError('serviceUnavailable', 'isp.remote-service-unavailable', '服务暂时不可用');
      if (fault.fail === 'rate_limited') throw this.stormError();
      const call = this.authenticate(params);
      shopId = call.shop?.shopId;
      const result = await this.apis[method].run(call);
      this.ctx.calls.record({ platform: 'taobao', method, shopId, outcome: 'ok' });
      sendJson(res, 200, { [topResponseKey(method)]: { ...result, request_id: requestId } });
    } catch (e) {
      if (!(e instanceof TopError)) throw e;
      this.ctx.calls.record({ platform: 'taobao', method, shopId, outcome: String(e.code) });
      sendJson(res, 200, e.body(requestId));
    }
  }

  private stormError(): TopError {
    const until = this.ctx.faults.get('taobao').rateLimitStormUntil ?? 0;
    return banError('accesscontrol.limited-by-app-access-count', until - this.ctx.world.clock.now());
  }

  private authenticate(params: Record<string, string>): TopCall {
    const now = this.ctx.world.clock.now();
    const config = this.config();
    const method = params.method;
    if (!method) throw new TopError('missingMethod');
    if (!params.app_key) throw new TopError('missingAppKey');
    const app = this.ctx.world.app('taobao', params.app_key);
    if (!app) throw new TopError('invalidAppKey');
    this.checkTimestamp(params.timestamp, now, config);
    this.checkSignature(params, app.appSecret);
    // The sandbox answers JSON only; TOP's default format is xml, so a missing format is refused too.
    if (params.format !== 'json') throw new TopError('invalidFormat', undefined, 'sandbox supports format=json only');
    const api = this.apis[method];
    if (!api) throw new TopError('invalidMethod');
    this.checkLimit(`taobao:app:${app.appKey}`, config.appLimit, 'accesscontrol.limited-by-app-access-count');
    this.checkLimit(`taobao:api:${app.appKey}:${method}`, config.apiLimit, 'accesscontrol.limited-by-api-access-count');
    const shop = api.session ? this.sessionShop(params.session, app) : undefined;
    return { ctx: this.ctx, config, app, shop, params, method, now };
  }

  private checkTimestamp(ts: string | undefined, now: number, config: TaobaoConfig): void {
    if (!ts) throw new TopError('missingTimestamp');
    const at = parseTopTime(ts);
    if (at === undefined || Math.abs(at - now) > config.timestampToleranceMs) throw new TopError('invalidTimestamp');
  }

  private checkSignature(params: Record<string, string>, secret: string): void {
    if (!params.sign) throw new TopError('missingSignature');
    const method = (params.sign_method ?? 'md5') as TopSignMethod;
    if (!TOP_SIGN_METHODS.includes(method)) throw new TopError('invalidSignature', undefined, `unsupported sign_method ${method}`);
    if (topSign(params, secret, method) !== params.sign) throw new TopError('invalidSignature');
  }

  private checkLimit(key: string, limit: TopLimit, subCode: string): void {
    const banMs = this.ctx.limiter.take(key, limit);
    if (banMs > 0) throw banError(subCode, banMs);
  }

  private sessionShop(session: string | undefined, app: SbApp): SbShop {
    if (!session) throw new TopError('missingSession');
    const found = this.ctx.world.tokenLookup('taobao', session);
    if (!found || found.state !== 'valid' || found.shop.appKey !== app.appKey) {
      throw new TopError('invalidSession', 'invalid-sessionkey', 'SessionKey非法');
    }
    return found.shop;
  }
}
