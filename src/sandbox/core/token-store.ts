import type { SandboxClock } from './contract.js';
import type { SbPlatform, SbShop, SbToken } from './types.js';

export type TokenState = 'valid' | 'expired' | 'revoked';
export type RefreshState = TokenState | 'discarded';

interface IssueOpts {
  lifetimeMs: number;
  refreshLifetimeMs: number;
  rotateRefresh: boolean;
  byRefreshToken?: string;
}

/** Access and refresh tokens of every shop, and single-use OAuth codes. */
export class TokenStore {
  private readonly byAccess = new Map<string, SbShop>();
  private readonly byRefresh = new Map<string, SbShop>();
  private readonly codes = new Map<string, SbShop>();
  private seq = 0;

  constructor(
    private readonly clock: SandboxClock,
    private readonly random: () => number,
  ) {}

  /** Index a shop's tokens (added by scenario or addShop). */
  register(shop: SbShop): void {
    for (const t of shop.tokens) {
      this.byAccess.set(`${shop.platform}|${t.accessToken}`, shop);
      this.byRefresh.set(`${shop.platform}|${t.refreshToken}`, shop);
    }
  }

  lookup(platform: SbPlatform, accessToken: string): { shop: SbShop; token: SbToken; state: TokenState } | undefined {
    const shop = this.byAccess.get(`${platform}|${accessToken}`);
    const token = shop?.tokens.find((t) => t.accessToken === accessToken);
    if (!shop || !token) return undefined;
    const state: TokenState = token.revoked ? 'revoked' : token.expiresAt <= this.clock.now() ? 'expired' : 'valid';
    return { shop, token, state };
  }

  refreshLookup(platform: SbPlatform, refreshToken: string): { shop: SbShop; token: SbToken; state: RefreshState } | undefined {
    const shop = this.byRefresh.get(`${platform}|${refreshToken}`);
    const token = shop?.tokens.find((t) => t.refreshToken === refreshToken);
    if (!shop || !token) return undefined;
    const state: RefreshState = token.revoked
      ? 'revoked'
      : token.discarded
        ? 'discarded'
        : token.refreshExpiresAt <= this.clock.now()
          ? 'expired'
          : 'valid';
    return { shop, token, state };
  }

  /**
   * A refresh either rotates (the old refresh token is discarded, Kuaishou) or keeps the old refresh
   * token and its expiry. Throws when byRefreshToken is not a live refresh token of that shop.
   */
  issue(shop: SbShop, opts: IssueOpts): SbToken {
    const now = this.clock.now();
    let keepRefresh: SbToken | undefined;
    if (opts.byRefreshToken !== undefined) {
      const found = this.refreshLookup(shop.platform, opts.byRefreshToken);
      if (!found || found.shop !== shop) throw new Error('refresh token does not belong to this shop');
      if (found.state !== 'valid') throw new Error(`refresh token is ${found.state}`);
      if (opts.rotateRefresh) found.token.discarded = true;
      else keepRefresh = found.token;
    }
    const token: SbToken = {
      accessToken: this.newToken(shop, 'at'),
      refreshToken: keepRefresh?.refreshToken ?? this.newToken(shop, 'rt'),
      expiresAt: now + opts.lifetimeMs,
      refreshExpiresAt: keepRefresh?.refreshExpiresAt ?? now + opts.refreshLifetimeMs,
      revoked: false,
    };
    shop.tokens.unshift(token);
    this.register(shop);
    return token;
  }

  createCode(shop: SbShop): string {
    const code = `${shop.platform.slice(0, 2)}${this.clock.now().toString(36)}${(this.seq++).toString(36)}${Math.floor(this.random() * 1e9).toString(36)}`;
    this.codes.set(`${shop.platform}|${code}`, shop);
    return code;
  }

  takeCode(platform: SbPlatform, code: string): SbShop | undefined {
    const key = `${platform}|${code}`;
    const shop = this.codes.get(key);
    this.codes.delete(key);
    return shop;
  }

  /** Make every current token of a shop expire now (control endpoint). */
  expireAll(shop: SbShop): void {
    const now = this.clock.now();
    for (const t of shop.tokens) t.expiresAt = Math.min(t.expiresAt, now - 1);
  }

  private newToken(shop: SbShop, kind: string): string {
    let s = '';
    for (let i = 0; i < 32; i++) s += Math.floor(this.random() * 16).toString(16);
    return `${kind}${shop.platform.slice(0, 2)}${(this.seq++).toString(36)}${s}`;
  }
}
