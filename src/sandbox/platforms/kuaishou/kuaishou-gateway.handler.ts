import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbApp, SbShop } from '../../core/types.js';
import { KS_ERRORS, KS_METHOD_VERBS, type KsErrorDef, type KuaishouLimits } from './kuaishou.constants.js';
import {
  formParams,
  holdPastTimeout,
  isFormEncoded,
  parseParamJson,
  queryParams,
  sendBadGateway,
  sendJson,
} from './kuaishou-http.util.js';
import { verifyKuaishouSign } from './kuaishou-sign.verifier.js';

/** An authenticated API call after the gateway's checks. */
export interface KsCall {
  method: string;
  app: SbApp;
  shop: SbShop;
  param: Record<string, unknown>;
}

/** `data` goes under `data`; `fields` sit beside `result` (open.sms.send answers messageId there). */
export type KsFail = { error: KsErrorDef; detail?: string };
export type KsOutcome = { data?: unknown; fields?: Record<string, unknown> } | KsFail;
export type KsApi = (call: KsCall) => KsOutcome | Promise<KsOutcome>;

class KsFailure extends Error {
  constructor(
    readonly def: KsErrorDef,
    readonly detail?: string,
  ) {
    super(def.msg);
  }
}

const REQUIRED = ['appkey', 'method', 'version', 'access_token', 'timestamp', 'signMethod', 'sign'];

/** Error body: `result` ≠ 1 with error_msg / code / msg, sub_code / sub_msg carrying the detail. */
export function ksErrorBody(def: KsErrorDef, detail?: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    result: def.result,
    error_msg: detail ?? def.msg,
    code: String(def.result),
    msg: def.msg,
  };
  if (detail) Object.assign(body, { sub_code: String(def.result), sub_msg: detail });
  return body;
}

/**
 * The openapi gateway: method from the path, verb per API, signature over the common parameters,
 * token, QPS / daily quota, then the business handler. Every call is recorded with its outcome.
 */
export class KuaishouGateway {
  private readonly quotaUsed = new Map<string, number>();

  constructor(
    private readonly ctx: SandboxContext,
    private readonly limits: KuaishouLimits,
    private readonly apis: Record<string, KsApi>,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const method = path.replace(/^\/+/, '').split('/').join('.');
    let shopId: string | undefined;
    const fault = await this.ctx.faultFor('kuaishou');
    if (fault.fail === 'timeout') return this.finishFault(res, method, 'timeout', () => holdPastTimeout(res));
    if (fault.fail === 'server_error') return this.finishFault(res, method, 'server_error', () => this.serverError(res));
    try {
      if (fault.fail === 'rate_limited') {
        const appKey = { ...queryParams(req), ...formParams(body) }.appkey ?? '';
        throw new KsFailure(KS_ERRORS.qpsLimited, this.qpsMessage(method, appKey, this.limits.qpsPerApp));
      }
      const call = this.authenticate(req, method, body);
      shopId = call.shop.shopId;
      this.enforceLimits(call);
      const outcome = await this.apis[method](call);
      if ('error' in outcome) throw new KsFailure(outcome.error, outcome.detail);
      this.ctx.calls.record({ platform: 'kuaishou', method, shopId, outcome: 'ok' });
      const data = outcome.data === undefined ? {} : { data: outcome.data };
      sendJson(res, 200, { result: 1, ...outcome.fields, ...data });
    } catch (err) {
      if (!(err instanceof KsFailure)) throw err;
      this.ctx.calls.record({ platform: 'kuaishou', method, shopId, outcome: String(err.def.result) });
      sendJson(res, 200, ksErrorBody(err.def, err.detail));
    }
  }

  private async finishFault(res: ServerResponse, method: string, outcome: string, answer: () => unknown): Promise<void> {
    this.ctx.calls.record({ platform: 'kuaishou', method, outcome });
    await answer();
  }

  /** Service trouble shows either as a bare 502 from the front proxy or as the gateway's own error. */
  private serverError(res: ServerResponse): void {
    if (this.ctx.random() < 0.5) return sendBadGateway(res);
    sendJson(res, 503, ksErrorBody(KS_ERRORS.serviceUnavailable));
  }

  private readParams(req: IncomingMessage, method: string, body: Buffer): Record<string, string> {
    const verb = KS_METHOD_VERBS[method];
    if (!verb) throw new KsFailure(KS_ERRORS.apiNotFound, `api ${method} not found`);
    if (req.method !== verb) throw new KsFailure(KS_ERRORS.httpMethod, `${method} only supports ${verb}`);
    if (verb === 'GET') return queryParams(req);
    if (body.length > 0 && !isFormEncoded(req)) {
      throw new KsFailure(KS_ERRORS.paramInvalid, 'Content-Type must be application/x-www-form-urlencoded');
    }
    return { ...queryParams(req), ...formParams(body) };
  }

  private authenticate(req: IncomingMessage, method: string, body: Buffer): KsCall {
    const params = this.readParams(req, method, body);
    const missing = REQUIRED.find((k) => !params[k]);
    if (missing) throw new KsFailure(KS_ERRORS.paramInvalid, `missing parameter ${missing}`);
    if (params.method !== method) throw new KsFailure(KS_ERRORS.paramInvalid, 'method does not match the request path');
    const app = this.ctx.world.app('kuaishou', params.appkey);
    if (!app) throw new KsFailure(KS_ERRORS.appKeyInvalid);
    if (!verifyKuaishouSign(params, app.signSecret ?? app.appSecret)) throw new KsFailure(KS_ERRORS.signInvalid);
    const shop = this.tokenShop(params.access_token, app.appKey);
    const param = parseParamJson(params.param);
    if (!param) throw new KsFailure(KS_ERRORS.paramInvalid, 'param is not a JSON object');
    return { method, app, shop, param };
  }

  private tokenShop(accessToken: string, appKey: string): SbShop {
    const found = this.ctx.world.tokenLookup('kuaishou', accessToken);
    if (!found || found.shop.appKey !== appKey) throw new KsFailure(KS_ERRORS.tokenInvalid);
    if (found.state === 'revoked') throw new KsFailure(KS_ERRORS.revoked);
    if (found.state === 'expired') throw new KsFailure(KS_ERRORS.tokenExpired);
    return found.shop;
  }

  private qpsMessage(method: string, appKey: string, max: number, userId?: string): string {
    const user = userId ? `;primaryUserId:${userId}` : '';
    return `Exceed qps limit, KEY [apiId:${method};appkey:${appKey}${user}], MAX_QPS [${max.toFixed(1)}]`;
  }

  private enforceLimits(call: KsCall): void {
    const { method, app, shop } = call;
    const appBan = this.ctx.limiter.take(`kuaishou:app:${app.appKey}:${method}`, { perSecond: this.limits.qpsPerApp });
    if (appBan > 0) throw new KsFailure(KS_ERRORS.qpsLimited, this.qpsMessage(method, app.appKey, this.limits.qpsPerApp));
    const userKey = `kuaishou:user:${app.appKey}:${shop.shopId}:${method}`;
    if (this.ctx.limiter.take(userKey, { perSecond: this.limits.qpsPerUser }) > 0) {
      throw new KsFailure(KS_ERRORS.qpsLimited, this.qpsMessage(method, app.appKey, this.limits.qpsPerUser, shop.shopId));
    }
    this.takeDailyQuota(app.appKey);
  }

  /** The app's daily quota resets at Beijing midnight. */
  private takeDailyQuota(appKey: string): void {
    if (this.limits.dailyQuotaPerApp <= 0) return;
    const day = Math.floor((this.ctx.world.clock.now() + 8 * 3_600_000) / 86_400_000);
    const key = `${appKey}:${day}`;
    const used = this.quotaUsed.get(key) ?? 0;
    if (used >= this.limits.dailyQuotaPerApp) {
      throw new KsFailure(KS_ERRORS.quotaLimited, `Exceed quota limit, KEY [appkey:${appKey}]`);
    }
    this.quotaUsed.set(key, used + 1);
  }
}
