import type { PlatformErrorCode } from '../errors.js';

/**
 * Kuaidi100 `returnCode`s. The spec collected no code table, so these follow the service's public
 * API notes [UNVERIFIED]: 400 bad params, 408 phone check failed, 500 no result yet, 501/502 server
 * busy, 503 bad signature, 601 key expired or out of balance, 700/701 carrier refused for subscription.
 */
const CODES: Readonly<Record<string, PlatformErrorCode>> = {
  '400': 'INVALID_REQUEST',
  '408': 'INVALID_REQUEST',
  '500': 'NOT_FOUND',
  '501': 'TRANSIENT',
  '502': 'RATE_LIMITED',
  '503': 'PERMANENT',
  '600': 'PERMANENT',
  '601': 'PERMANENT',
  '700': 'INVALID_REQUEST',
  '701': 'INVALID_REQUEST',
};

const LOCK_MS = 24 * 3_600_000;

export function translateKd100Error(
  returnCode: string,
  message: string,
): { code: PlatformErrorCode; rawCode: string; rawMessage: string; retryAfterMs?: number } {
  // One waybill queried > 48 times in 24 h is locked for 24 h [3P]: treat as a long rate limit.
  const locked = /锁定|lock/i.test(message);
  // At most 4 subscriptions of a waybill a month [3P]: asking again cannot help.
  const capped = /上限/.test(message);
  const code = locked ? 'RATE_LIMITED' : capped ? 'PERMANENT' : (CODES[returnCode] ?? 'TRANSIENT');
  return { code, rawCode: returnCode, rawMessage: message, ...(locked ? { retryAfterMs: LOCK_MS } : {}) };
}
