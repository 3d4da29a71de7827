import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbShop, SbToken } from '../../core/types.js';
import type { PddConfig } from './pdd.constants.js';
import { PddError } from './pdd.error.js';
import { pddRequestId, readPddParams, sendPddJson } from './pdd-http.util.js';
import type { PddApi } from './pdd-router.js';

/** Token body of pdd.pop.auth.token.create/refresh and of /oauth/token (times in seconds). */
function tokenBody(token: SbToken, shop: SbShop, now: number): Record<string, unknown> {
  const secs = (ms: number): number => Math.floor(ms / 1000);
  const expiresIn = Math.max(0, secs(token.expiresAt - now));
  return {
    access_token: token.accessToken,
    expires_at: secs(token.expiresAt),
    expires_in: expiresIn,
    owner_id: shop.shopId,
    owner_name: shop.name,
    refresh_token: token.refreshToken,
    refresh_token_expires_at: secs(token.refreshExpiresAt),
    refresh_token_expires_in: Math.max(0, secs(token.refreshExpiresAt - now)),
    r1_expires_at: secs(token.expiresAt), r1_expires_in: expiresIn,
    r2_expires_at: secs(token.expiresAt), r2_expires_in: expiresIn,
    w1_expires_at: secs(token.expiresAt), w1_expires_in: expiresIn,
    w2_expires_at: secs(token.expiresAt), w2_expires_in: expiresIn,
    scope: ['pdd.order.number.list.increment.get', 'pdd.order.information.get', 'pdd.order.note.update', 'pdd.logistics.ordertrace.get'],
  };
}

interface Grant {
  grantType: string;
  code?: string;
  refreshToken?: string;
}

/** Code or refresh-token exchange; throws PddError in the platform's format. */
export function exchangePddToken(ctx: SandboxContext, config: PddConfig, appKey: string, g: Grant): Record<string, unknown> {
  const now = ctx.world.clock.now();
  const opts = { lifetimeMs: config.tokenLifetimeMs, refreshLifetimeMs: config.refreshLifetimeMs, rotateRefresh: false };
  if (g.grantType === 'authorization_code') {
    const shop = g.code ? ctx.world.takeAuthCode('pinduoduo', g.code) : undefined;
    if (!shop || shop.appKey !== appKey) throw PddError.param('code无效或已过期');
    return tokenBody(ctx.world.issueToken('pinduoduo', shop.shopId, opts), shop, now);
  }
  if (g.grantType === 'refresh_token') {
    const found = g.refreshToken ? ctx.world.refreshLookup('pinduoduo', g.refreshToken) : undefined;
    if (!found || found.state !== 'valid' || found.shop.appKey !== appKey) throw PddError.param('refresh_token无效或已过期');
    const token = ctx.world.issueToken('pinduoduo', found.shop.shopId, { ...opts, byRefreshToken: g.refreshToken });
    return tokenBody(token, found.shop, now);
  }
  throw PddError.param(`不支持的grant_type:${g.grantType}`);
}

export function authApis(): Record<string, PddApi> {
  return {
    'pdd.pop.auth.token.create': {
      key: 'pop_auth_token_create_response',
      token: false,
      run: (c) => exchangePddToken(c.ctx, c.config, c.app.appKey, { grantType: 'authorization_code', code: c.params.code }),
    },
    'pdd.pop.auth.token.refresh': {
      key: 'pop_auth_token_refresh_response',
      token: false,
      run: (c) => exchangePddToken(c.ctx, c.config, c.app.appKey, { grantType: 'refresh_token', refreshToken: c.params.refresh_token }),
    },
  };
}

/** POST /pinduoduo/oauth/token: client_id + client_secret + grant_type (+ code | refresh_token). */
export function serveOAuthToken(ctx: SandboxContext, config: PddConfig, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const p = readPddParams(req, body) ?? {};
  const app = p.client_id ? ctx.world.app('pinduoduo', p.client_id) : undefined;
  try {
    if (!app || app.appSecret !== p.client_secret) throw new PddError('invalidClient');
    const token = exchangePddToken(ctx, config, app.appKey, { grantType: p.grant_type ?? '', code: p.code, refreshToken: p.refresh_token });
    ctx.calls.record({ platform: 'pinduoduo', method: 'oauth.token', shopId: String(token.owner_id), outcome: 'ok' });
    sendPddJson(res, 200, token);
  } catch (e) {
    if (!(e instanceof PddError)) throw e;
    ctx.calls.record({ platform: 'pinduoduo', method: 'oauth.token', outcome: String(e.code) });
    sendPddJson(res, 400, e.body(pddRequestId()));
  }
}
