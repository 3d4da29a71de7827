import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbShop, SbToken } from '../../core/types.js';
import type { TaobaoConfig } from './taobao.constants.js';
import { TopError } from './taobao.error.js';
import { readTopParams, sendJson } from './taobao-http.util.js';
import { required } from './taobao-params.util.js';
import type { TopApi } from './taobao-router.js';

/** Taobao's own rule for refresh (taobao.top.auth.token.refresh metadata). */
const NO_REFRESH_RULE = '目前只有服务市场订购类应用可以刷新token，其他类型应用（如商家后台）使用固定时长token，不提供刷新功能';

/** The token JSON of the OAuth endpoint and of token.create's token_result (expiries in seconds). */
export function tokenJson(token: SbToken, shop: SbShop, now: number): Record<string, string | number> {
  const expiresIn = Math.max(0, Math.floor((token.expiresAt - now) / 1000));
  const reExpiresIn = Math.max(0, Math.floor((token.refreshExpiresAt - now) / 1000));
  return {
    access_token: token.accessToken,
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_token: token.refreshToken,
    re_expires_in: reExpiresIn,
    r1_expires_in: expiresIn,
    r2_expires_in: expiresIn,
    w1_expires_in: expiresIn,
    w2_expires_in: expiresIn,
    taobao_user_nick: encodeURIComponent(shop.name),
    taobao_user_id: shop.shopId,
    sub_taobao_user_id: '',
    sub_taobao_user_nick: '',
  };
}

function issue(ctx: SandboxContext, config: TaobaoConfig, shop: SbShop, byRefreshToken?: string): SbToken {
  return ctx.world.issueToken('taobao', shop.shopId, {
    lifetimeMs: config.tokenLifetimeMs,
    refreshLifetimeMs: config.refreshLifetimeMs,
    rotateRefresh: false,
    byRefreshToken,
  });
}

type OAuthResult = { status: number; body: Record<string, string | number> };

function oauthError(status: number, error: string, description: string): OAuthResult {
  // [UNVERIFIED] error body shape of oauth.taobao.com/token; follows RFC 6749 naming
  return { status, body: { error, error_description: description } };
}

function exchange(ctx: SandboxContext, config: TaobaoConfig, p: Record<string, string>): OAuthResult {
  const app = p.client_id ? ctx.world.app('taobao', p.client_id) : undefined;
  if (!app || app.appSecret !== p.client_secret) return oauthError(401, 'invalid_client', 'client_id or client_secret is wrong');
  const now = ctx.world.clock.now();
  if (p.grant_type === 'authorization_code') {
    if (!p.code || !p.redirect_uri) return oauthError(400, 'invalid_request', 'code and redirect_uri are required');
    const shop = ctx.world.takeAuthCode('taobao', p.code);
    if (!shop || shop.appKey !== app.appKey) return oauthError(400, 'invalid_grant', 'authorize code expire or invalid');
    return { status: 200, body: tokenJson(issue(ctx, config, shop), shop, now) };
  }
  if (p.grant_type === 'refresh_token') {
    if (!config.refreshableApps.includes(app.appKey)) return oauthError(400, 'invalid_request', NO_REFRESH_RULE);
    const found = p.refresh_token ? ctx.world.refreshLookup('taobao', p.refresh_token) : undefined;
    if (!found || found.state !== 'valid' || found.shop.appKey !== app.appKey) return oauthError(400, 'invalid_grant', 'refresh_token is invalid or expired');
    return { status: 200, body: tokenJson(issue(ctx, config, found.shop, p.refresh_token), found.shop, now) };
  }
  return oauthError(400, 'unsupported_grant_type', `unsupported grant_type ${p.grant_type ?? ''}`);
}

/** POST /taobao/oauth/token (server-side flow). */
export function serveOAuthToken(ctx: SandboxContext, config: TaobaoConfig, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const result = exchange(ctx, config, readTopParams(req, body));
  const shopId = typeof result.body.taobao_user_id === 'string' ? result.body.taobao_user_id : undefined;
  ctx.calls.record({ platform: 'taobao', method: 'oauth.token', shopId, outcome: result.status === 200 ? 'ok' : String(result.body.error) });
  sendJson(res, result.status, result.body);
}

/** Token APIs through the router; token_result carries the same JSON as the OAuth endpoint, as a string. */
export const AUTH_APIS: Record<string, TopApi> = {
  'taobao.top.auth.token.create': {
    session: false,
    run(call) {
      const shop = call.ctx.world.takeAuthCode('taobao', required(call, 'code'));
      if (!shop || shop.appKey !== call.app.appKey) throw TopError.business('isv.invalid-parameter', 'code无效或已过期');
      return { token_result: JSON.stringify(tokenJson(issue(call.ctx, call.config, shop), shop, call.now)) };
    },
  },
  'taobao.top.auth.token.refresh': {
    session: false,
    run(call) {
      const refreshToken = required(call, 'refresh_token');
      // [UNVERIFIED] sub code; the rule itself is the documented one
      if (!call.config.refreshableApps.includes(call.app.appKey)) throw TopError.business('isv.refresh-token-not-supported', NO_REFRESH_RULE);
      const found = call.ctx.world.refreshLookup('taobao', refreshToken);
      if (!found || found.state !== 'valid' || found.shop.appKey !== call.app.appKey) {
        throw TopError.business('isv.refresh-token-invalid', 'refresh_token无效或已过期');
      }
      const token = issue(call.ctx, call.config, found.shop, refreshToken);
      return { token_result: JSON.stringify(tokenJson(token, found.shop, call.now)) };
    },
  },
};
