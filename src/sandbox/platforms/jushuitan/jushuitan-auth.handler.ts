import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../../core/contract.js';
import type { SbApp, SbShop, SbToken } from '../../core/types.js';
import { JST_ERRORS, JST_TIMES } from './jushuitan.constants.js';
import { checkSignedForm, jstErrorBody, JstFailure, jstOkBody } from './jushuitan-gateway.handler.js';
import { sendJson } from './jushuitan-http.util.js';

/** 服务商 (ISV) apps may not refresh since 2023-08-15; 自研 (self-developed) merchant apps may. */
export type JstAppKind = 'isv' | 'self';

const TOKEN_OPTS = { lifetimeMs: JST_TIMES.accessTokenMs, refreshLifetimeMs: JST_TIMES.refreshTokenMs };

/**
 * /openWeb/auth/*: code → token for ISV apps, getInitToken for self-developed apps (the code is any
 * 6 characters the caller picks), and refresh (self-developed only; ISV apps get code 150).
 */
export class JushuitanAuthHandler {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly kinds: Map<string, JstAppKind>,
  ) {}

  kindOf(appKey: string): JstAppKind {
    return this.kinds.get(appKey) ?? 'isv';
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    const routes: Record<string, (p: Record<string, string>, app: SbApp) => { shop: SbShop; token: SbToken }> = {
      '/openWeb/auth/accessToken': (p, app) => this.byCode(p, app),
      '/openWeb/auth/getInitToken': (p, app) => this.initToken(p, app),
      '/openWeb/auth/refreshToken': (p, app) => this.refresh(p, app),
    };
    const route = routes[path];
    if (!route) return false;
    try {
      const { params, app } = checkSignedForm(this.ctx, req, body);
      const { shop, token } = route(params, app);
      this.ctx.calls.record({ platform: 'jushuitan', method: path, shopId: shop.shopId, outcome: 'ok' });
      const now = this.ctx.world.clock.now();
      const expiresIn = Math.round((token.expiresAt - now) / 1000);
      sendJson(res, 200, jstOkBody({ access_token: token.accessToken, expires_in: expiresIn, refresh_token: token.refreshToken, scope: 'all' }));
    } catch (err) {
      if (!(err instanceof JstFailure)) throw err;
      this.ctx.calls.record({ platform: 'jushuitan', method: path, outcome: String(err.def.code) });
      sendJson(res, 200, jstErrorBody(err.def, err.detail));
    }
    return true;
  }

  private byCode(p: Record<string, string>, app: SbApp): { shop: SbShop; token: SbToken } {
    if (p.grant_type !== 'authorization_code') throw new JstFailure(JST_ERRORS.bizInvalid, 'grant_type必须为authorization_code');
    const shop = p.code ? this.ctx.world.takeAuthCode('jushuitan', p.code) : undefined;
    if (!shop || shop.appKey !== app.appKey) throw new JstFailure(JST_ERRORS.authCodeInvalid);
    return { shop, token: this.ctx.world.issueToken('jushuitan', shop.shopId, { ...TOKEN_OPTS, rotateRefresh: true }) };
  }

  private initToken(p: Record<string, string>, app: SbApp): { shop: SbShop; token: SbToken } {
    if (this.kindOf(app.appKey) !== 'self') throw new JstFailure(JST_ERRORS.noPermission);
    if (!/^.{6}$/u.test(p.code ?? '')) throw new JstFailure(JST_ERRORS.bizInvalid, 'code必须为6位字符');
    const shop = this.ctx.world.shops('jushuitan').find((s) => s.appKey === app.appKey);
    if (!shop) throw new JstFailure(JST_ERRORS.noPermission);
    return { shop, token: this.ctx.world.issueToken('jushuitan', shop.shopId, { ...TOKEN_OPTS, rotateRefresh: true }) };
  }

  private refresh(p: Record<string, string>, app: SbApp): { shop: SbShop; token: SbToken } {
    if (this.kindOf(app.appKey) === 'isv') throw new JstFailure(JST_ERRORS.refreshForbidden);
    if (p.grant_type !== 'refresh_token') throw new JstFailure(JST_ERRORS.bizInvalid, 'grant_type必须为refresh_token');
    const shop = this.ctx.world.shops('jushuitan').find((s) => s.appKey === app.appKey && s.tokens.some((t) => t.refreshToken === p.refresh_token));
    const token = shop?.tokens.find((t) => t.refreshToken === p.refresh_token);
    const now = this.ctx.world.clock.now();
    if (!shop || !token || token.revoked || token.discarded || token.refreshExpiresAt <= now) {
      throw new JstFailure(JST_ERRORS.tokenInvalid, '无效的refresh_token或已过期');
    }
    // [UNVERIFIED] whether the refresh token rotates; the response carries one, so the sandbox rotates it.
    const fresh = this.ctx.world.issueToken('jushuitan', shop.shopId, { ...TOKEN_OPTS, rotateRefresh: true, byRefreshToken: p.refresh_token });
    return { shop, token: fresh };
  }
}
