import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API tokens: `kfb_` and 32 random bytes in base64url. Only their SHA-256 is stored. */
const TOKEN_SHAPE = /^kfb_[A-Za-z0-9_-]{43}$/;

export function newApiToken(): string {
  return `kfb_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a presented string could be a token at all: anything else is refused before any lookup. */
export function looksLikeApiToken(s: string): boolean {
  return TOKEN_SHAPE.test(s);
}

/** Compares a presented token with a stored hash in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
