import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbApp, SbShop } from '../../core/types.js';
import type { PddConfig, PddLimit } from './pdd.constants.js';
import { PddError, type PddErrorKind } from './pdd.error.js';
import { pddRequestId, readPddParams, sendPddJson } from './pdd-http.util.js';
import { pddSign } from './pdd-sign.util.js';
import { holdResponse } from '../../core/http-faults.js';

export interface PddCall {
  ctx: SandboxContext;
  config: PddConfig;
  app: SbApp;
  shop?: SbShop;
  params: Record<string, string>;
  type: string;
  now: number;
}

export interface PddApi {
  /** Response key; PDD's are not derivable from the type (order_sn_increment_get_response …). */
  key: string;
  token: boolean;
  run(call: PddCall): Record<string, unknown>;
}

function timeoutHold(res: ServerResponse): Promise<void> {
  return holdResponse(res, 35_000, 'drop');
}

/** POST /api/router: common parameters, MD5 signature, limits, access_token, then the API. */
export class PddRouter {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly config: () => PddConfig,
    private readonly apis: Record<string, PddApi>,
  ) {}

  async serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const requestId = pddRequestId();
    const params = readPddParams(req, body);
    const type = params?.type ?? '';
    const fault = await this.ctx.faultFor('pinduoduo');
    if (fault.fail === 'timeout') {
      this.ctx.calls.record({ platform: 'pinduoduo', method: type, outcome: 'timeout' });
      return timeoutHold(res);
    }
    let shopId: string | undefined;
    try {
      if (fault.fail === 'server_error') throw new PddError('serviceUnavailable');
      if (fault.fail === 'rate_limited') throw new PddError('limited');
      if (!params) throw PddError.param('请求体不是合法的JSON');
      const call = this.authenticate(params);
      shopId = call.shop?.shopId;
      const api = this.apis[type];
      const result = api.run(call);
      this.ctx.calls.record({ platform: 'pinduoduo', method: type, shopId, outcome: 'ok' });
      sendPddJson(res, 200, { [api.key]: { ...result, request_id: requestId } });
    } catch (e) {
      if (!(e instanceof PddError)) throw e;
      this.ctx.calls.record({ platform: 'pinduoduo', method: type, shopId, outcome: String(e.code) });
      sendPddJson(res, 200, e.body(requestId));
    }
  }

  private authenticate(params: Record<string, string>): PddCall {
    const now = this.ctx.world.clock.now();
    const config = this.config();
    for (const name of ['type', 'client_id', 'timestamp', 'sign']) if (!params[name]) throw PddError.param(`公共参数${name}不能为空`);
    const app = this.ctx.world.app('pinduoduo', params.client_id);
    if (!app) throw new PddError('invalidClient');
    const ts = params.timestamp;
    if (!/^\d{10}$/.test(ts) || Math.abs(Number(ts) * 1000 - now) > config.timestampToleranceMs) throw new PddError('invalidTimestamp');
    if (pddSign(params, app.appSecret) !== params.sign) throw new PddError('invalidSign');
    if (params.data_type && params.data_type.toUpperCase() !== 'JSON') throw PddError.param('sandbox supports data_type=JSON only');
    const api = this.apis[params.type];
    if (!api) throw new PddError('unknownType');
    this.limit(`pdd:app:${app.appKey}`, config.appLimit, 'limited');
    const appApi = config.appApiLimits[params.type];
    if (appApi) this.limit(`pdd:app-api:${app.appKey}:${params.type}`, appApi, 'limited');
    const shop = api.token ? this.tokenShop(params.access_token, app) : undefined;
    const shopLimit = config.shopLimits[params.type];
    if (shop && shopLimit) this.limit(`pdd:shop:${shop.shopId}:${params.type}`, shopLimit, 'tooFrequent');
    return { ctx: this.ctx, config, app, shop, params, type: params.type, now };
  }

  private limit(key: string, limit: PddLimit, kind: PddErrorKind): void {
    if (this.ctx.limiter.take(key, limit) > 0) throw new PddError(kind);
  }

  private tokenShop(accessToken: string | undefined, app: SbApp): SbShop {
    if (!accessToken) throw new PddError('invalidToken', 'access_token不能为空');
    const found = this.ctx.world.tokenLookup('pinduoduo', accessToken);
    if (!found || found.state === 'revoked' || found.shop.appKey !== app.appKey) throw new PddError('invalidToken');
    if (found.state === 'expired') throw new PddError('expiredToken');
    return found.shop;
  }
}
