import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbShop, SbToken } from '../../core/types.js';
import { KS_OAUTH_ERRORS, KS_TIMES } from './kuaishou.constants.js';
import { formParams, queryParams, sendJson } from './kuaishou-http.util.js';
import { sellerOpenId } from './kuaishou-order.mapper.js';

type OAuthError = (typeof KS_OAUTH_ERRORS)[keyof typeof KS_OAUTH_ERRORS];

const SCOPES = ['merchant_order', 'merchant_refund', 'merchant_logistics', 'merchant_item', 'merchant_user'];

/**
 * OAuth token endpoints: code → token (GET /oauth2/access_token) and refresh (POST /oauth2/refresh_token).
 * Every refresh issues a new refresh token; the old one keeps working for a 5-minute grace and is then
 * discarded for good (refreshToken.discarded).
 */
export class KuaishouOAuthHandler {
  /** refresh token → when it was first rotated away */
  private readonly rotatedAt = new Map<string, number>();

  constructor(private readonly ctx: SandboxContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    if (path === '/oauth2/access_token') {
      this.accessToken(req, res);
      return true;
    }
    if (path === '/oauth2/refresh_token') {
      this.refresh(req, res, body);
      return true;
    }
    return false;
  }

  private fail(res: ServerResponse, err: OAuthError, message: string): void {
    this.ctx.calls.record({ platform: 'kuaishou', method: 'oauth2', outcome: String(err.result) });
    sendJson(res, 200, { result: err.result, error: err.error, error_msg: message });
  }

  private appError(appId: string | undefined, appSecret: string | undefined): string | undefined {
    const app = appId ? this.ctx.world.app('kuaishou', appId) : undefined;
    if (!app) return 'app_id is invalid';
    if (app.appSecret !== appSecret) return 'app_secret is invalid';
    return undefined;
  }

  private accessToken(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return this.fail(res, KS_OAUTH_ERRORS.invalidRequest, 'only GET is supported');
    const p = queryParams(req);
    const appError = this.appError(p.app_id, p.app_secret);
    if (appError) return this.fail(res, KS_OAUTH_ERRORS.unauthorizedClient, appError);
    if (p.grant_type !== 'code') return this.fail(res, KS_OAUTH_ERRORS.unsupportedGrantType, 'grant_type must be code');
    const shop = p.code ? this.ctx.world.takeAuthCode('kuaishou', p.code) : undefined;
    if (!shop || shop.appKey !== p.app_id) return this.fail(res, KS_OAUTH_ERRORS.invalidGrant, 'code is invalid');
    const token = this.ctx.world.issueToken('kuaishou', shop.shopId, {
      lifetimeMs: KS_TIMES.accessTokenMs,
      refreshLifetimeMs: KS_TIMES.refreshTokenMs,
      rotateRefresh: true,
    });
    this.answer(res, shop, token, 'oauth2.access_token');
  }

  private refresh(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method !== 'POST') return this.fail(res, KS_OAUTH_ERRORS.invalidRequest, 'only POST is supported');
    const p = { ...queryParams(req), ...formParams(body) };
    const appError = this.appError(p.app_id, p.app_secret);
    if (appError) return this.fail(res, KS_OAUTH_ERRORS.unauthorizedClient, appError);
    if (p.grant_type !== 'refresh_token') {
      return this.fail(res, KS_OAUTH_ERRORS.unsupportedGrantType, 'grant_type must be refresh_token');
    }
    const found = this.findByRefresh(p.refresh_token ?? '', p.app_id);
    const refusal = found ? this.refusal(found.token, p.refresh_token) : 'refreshToken.invalid';
    if (refusal || !found) return this.fail(res, KS_OAUTH_ERRORS.accessDenied, refusal ?? 'refreshToken.invalid');
    // The first use rotates the token away in the world; a reuse inside the grace window gets a fresh pair.
    const firstUse = !this.rotatedAt.has(p.refresh_token);
    const token = this.ctx.world.issueToken('kuaishou', found.shop.shopId, {
      lifetimeMs: KS_TIMES.accessTokenMs,
      refreshLifetimeMs: KS_TIMES.refreshTokenMs,
      rotateRefresh: true,
      byRefreshToken: firstUse ? p.refresh_token : undefined,
    });
    if (firstUse) this.rotatedAt.set(p.refresh_token, this.ctx.world.clock.now());
    this.answer(res, found.shop, token, 'oauth2.refresh_token');
  }

  /** Why a refresh token may not be used, or undefined when it may. Error texts beyond discarded are [UNVERIFIED]. */
  private refusal(token: SbToken, refreshToken: string): string | undefined {
    const now = this.ctx.world.clock.now();
    if (token.revoked) return 'refreshToken.revoked';
    const rotated = this.rotatedAt.get(refreshToken);
    if (rotated !== undefined && now - rotated > KS_TIMES.refreshGraceMs) return 'refreshToken.discarded';
    if (rotated === undefined && token.discarded) return 'refreshToken.discarded';
    if (token.refreshExpiresAt <= now) return 'refreshToken.expired';
    return undefined;
  }

  private findByRefresh(refreshToken: string, appId: string): { shop: SbShop; token: SbToken } | undefined {
    for (const shop of this.ctx.world.shops('kuaishou')) {
      if (shop.appKey !== appId) continue;
      const token = shop.tokens.find((t) => t.refreshToken === refreshToken);
      if (token) return { shop, token };
    }
    return undefined;
  }

  private answer(res: ServerResponse, shop: SbShop, token: SbToken, method: string): void {
    const now = this.ctx.world.clock.now();
    this.ctx.calls.record({ platform: 'kuaishou', method, shopId: shop.shopId, outcome: 'ok' });
    sendJson(res, 200, {
      result: 1,
      access_token: token.accessToken,
      expires_in: Math.round((token.expiresAt - now) / 1000),
      refresh_token: token.refreshToken,
      refresh_token_expires_in: Math.round((token.refreshExpiresAt - now) / 1000),
      open_id: sellerOpenId(shop),
      scopes: SCOPES,
    });
  }
}
