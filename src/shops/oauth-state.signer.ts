import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface OAuthState {
  shopId: number;
  nonce: string;
  /** epoch seconds */
  expiresAt: number;
}

/**
 * OAuth `state`: shop id, a single-use nonce (also stored on the shop) and an expiry, MAC'd with a key
 * derived from the master keys, so a state cannot be forged or pointed at another shop. Any configured
 * master key verifies, so a key rotation does not break a connect already under way.
 */
export class OAuthStateSigner {
  private readonly keys: Buffer[];

  constructor(masterKeys: Buffer[]) {
    this.keys = masterKeys.map((k) => createHmac('sha256', k).update('kefu-bridge oauth state v1').digest());
  }

  issue(shopId: number, nowMs: number, ttlMs: number): { state: string; nonce: string } {
    const nonce = randomBytes(16).toString('hex');
    const body = `${shopId}.${nonce}.${Math.floor((nowMs + ttlMs) / 1000)}`;
    return { state: `${body}.${this.mac(this.keys[0], body)}`, nonce };
  }

  /** The parsed state when its MAC holds and it has not expired; null otherwise. */
  verify(state: string, nowMs: number): OAuthState | null {
    const m = /^(\d{1,10})\.([0-9a-f]{32})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(state);
    if (!m) return null;
    const body = `${m[1]}.${m[2]}.${m[3]}`;
    const given = Buffer.from(m[4]);
    const ok = this.keys.some((k) => {
      const want = Buffer.from(this.mac(k, body));
      return want.length === given.length && timingSafeEqual(want, given);
    });
    if (!ok || Number(m[3]) * 1000 < nowMs) return null;
    return { shopId: Number(m[1]), nonce: m[2], expiresAt: Number(m[3]) };
  }

  private mac(key: Buffer, body: string): string {
    return createHmac('sha256', key).update(body).digest('base64url');
  }
}
