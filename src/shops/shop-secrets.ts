import type { TokenSet } from '../platforms/ports/canonical.types.js';

/**
 * Everything secret about one shop's connection: sealed together into shop_credentials, opened only
 * when an adapter is built or a token is exchanged. Expiries live in plain columns too, so the refresh
 * scan can find due rows without opening every one.
 */
export interface ShopSecrets {
  appKey: string;
  appSecret: string;
  /** Kuaishou: the request-signing secret (never sent). */
  signSecret?: string;
  /** Taobao md5 | hmac | hmac-sha256; Kuaishou MD5 | HMAC_SHA256. */
  signMethod?: string;
  /** Kuaishou: the app's 消息私钥 (Base64 AES key) that decrypts its pushes; entered by hand, never from OAuth. */
  pushKey?: string;
  accessToken?: string;
  refreshToken?: string;
  /**
   * Whether the app may refresh: Taobao only for 服务市场 subscription apps, Jushuitan only for
   * self-developed (自研) apps since ISV refresh was banned (error 150). Pinduoduo and Kuaishou always may.
   */
  refreshable?: boolean;
}

export interface StoredCredentials {
  secrets: ShopSecrets;
  keyId: string;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  updatedAt: Date;
}

/** Secrets after a token grant: the new pair replaces the old one; a grant without a refresh token keeps the old. */
export function withTokens(secrets: ShopSecrets, tokens: TokenSet): ShopSecrets {
  return { ...secrets, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken ?? secrets.refreshToken };
}
