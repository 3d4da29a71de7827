import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbApp, SbShop } from '../../core/types.js';
import { JST_ERRORS, JST_TIMES, type JstErrorDef, type JushuitanLimits } from './jushuitan.constants.js';
import { formParams, holdPastTimeout, isFormEncoded, parseBiz, sendBadGateway, sendJson } from './jushuitan-http.util.js';
import { verifyJushuitanSign } from './jushuitan-sign.verifier.js';

export interface JstCall {
  path: string;
  app: SbApp;
  shop: SbShop;
  biz: unknown;
}

export type JstFail = { error: JstErrorDef; detail?: string };
export type JstOutcome = { data?: unknown } | JstFail;
export type JstApi = (call: JstCall) => JstOutcome;

export class JstFailure extends Error {
  constructor(
    readonly def: JstErrorDef,
    readonly detail?: string,
  ) {
    super(def.msg);
  }
}

export function jstErrorBody(def: JstErrorDef, detail?: string): Record<string, unknown> {
  return { code: def.code, msg: detail ?? def.msg, data: null };
}

export function jstOkBody(data: unknown): Record<string, unknown> {
  return { code: 0, msg: '执行成功', data: data === undefined ? null : data };
}

/**
 * Checks the common parameters every signed Jushuitan request carries: app_key, timestamp (seconds,
 * ±15 min) and the signature. Shared by the business gateway and the auth endpoints.
 */
export function checkSignedForm(ctx: SandboxContext, req: IncomingMessage, body: Buffer): { params: Record<string, string>; app: SbApp } {
  if (req.method !== 'POST' || (body.length > 0 && !isFormEncoded(req))) {
    throw new JstFailure(JST_ERRORS.bizInvalid, '请使用POST application/x-www-form-urlencoded提交');
  }
  const params = formParams(body);
  const app = params.app_key ? ctx.world.app('jushuitan', params.app_key) : undefined;
  // An unknown app_key has no secret to verify against, so it fails the signature check.
  if (!app) throw new JstFailure(JST_ERRORS.signInvalid);
  const ts = Number(params.timestamp);
  if (!/^\d+$/.test(params.timestamp ?? '') || Math.abs(ctx.world.clock.now() - ts * 1000) > JST_TIMES.timestampSkewMs) {
    throw new JstFailure(JST_ERRORS.timestampInvalid);
  }
  if (!verifyJushuitanSign(params, app.appSecret)) throw new JstFailure(JST_ERRORS.signInvalid);
  return { params, app };
}

/** The openapi gateway: faults, signature, token, 5/s and 100/min limits, then the business API. */
export class JushuitanGateway {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly limits: JushuitanLimits,
    private readonly apis: Record<string, JstApi>,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const fault = await this.ctx.faultFor('jushuitan');
    if (fault.fail === 'timeout' || fault.fail === 'server_error') {
      this.ctx.calls.record({ platform: 'jushuitan', method: path, outcome: fault.fail });
      if (fault.fail === 'timeout') return holdPastTimeout(res);
      return this.ctx.random() < 0.5 ? sendBadGateway(res) : sendJson(res, 200, jstErrorBody(JST_ERRORS.serviceUnavailable));
    }
    let shopId: string | undefined;
    try {
      if (fault.fail === 'rate_limited') throw new JstFailure(JST_ERRORS.perSecond);
      const call = this.authenticate(req, path, body);
      shopId = call.shop.shopId;
      this.enforceLimits(call.app.appKey);
      const outcome = this.apis[path](call);
      if ('error' in outcome) throw new JstFailure(outcome.error, outcome.detail);
      this.ctx.calls.record({ platform: 'jushuitan', method: path, shopId, outcome: 'ok' });
      sendJson(res, 200, jstOkBody(outcome.data));
    } catch (err) {
      if (!(err instanceof JstFailure)) throw err;
      this.ctx.calls.record({ platform: 'jushuitan', method: path, shopId, outcome: String(err.def.code) });
      sendJson(res, 200, jstErrorBody(err.def, err.detail));
    }
  }

  private authenticate(req: IncomingMessage, path: string, body: Buffer): JstCall {
    const { params, app } = checkSignedForm(this.ctx, req, body);
    const found = params.access_token ? this.ctx.world.tokenLookup('jushuitan', params.access_token) : undefined;
    if (!found || found.state !== 'valid' || found.shop.appKey !== app.appKey) throw new JstFailure(JST_ERRORS.tokenInvalid);
    if (!this.apis[path]) throw new JstFailure(JST_ERRORS.noPermission);
    const biz = parseBiz(params.biz);
    if (biz === undefined) throw new JstFailure(JST_ERRORS.bizInvalid, 'biz不是有效的JSON');
    return { path, app, shop: found.shop, biz };
  }

  /** Two windows with their own codes: 199 over 5 per second, 200 over 100 per minute. */
  private enforceLimits(appKey: string): void {
    if (this.ctx.limiter.take(`jushuitan:s:${appKey}`, { perSecond: this.limits.perSecond }) > 0) {
      throw new JstFailure(JST_ERRORS.perSecond);
    }
    if (this.ctx.limiter.take(`jushuitan:m:${appKey}`, { perMinute: this.limits.perMinute }) > 0) {
      throw new JstFailure(JST_ERRORS.perMinute);
    }
  }
}
