import type { PlatformErrorCode } from '../errors.js';

export interface TranslatedJstError {
  code: PlatformErrorCode;
  rawCode: string;
  rawMessage: string;
  retryAfterMs?: number;
}

/** Documented codes (§4.1): the two frequency limits carry their window as the wait. */
const KNOWN: Readonly<Record<number, Omit<TranslatedJstError, 'rawCode' | 'rawMessage'>>> = {
  10: { code: 'PERMANENT' }, // 无效签名: wrong secret, retrying cannot help
  100: { code: 'AUTH_EXPIRED' }, // 无效的access_token或已过期
  110: { code: 'PERMANENT' }, // IP不在白名单
  140: { code: 'TRANSIENT' }, // 无效的timestamp (±15 min): a fresh timestamp fixes it
  150: { code: 'AUTH_REVOKED' }, // ISV apps may not refresh since 2023-08-15: the merchant re-authorises
  190: { code: 'PERMANENT' }, // 无API权限
  199: { code: 'RATE_LIMITED', retryAfterMs: 1_000 }, // ≤ 5 req/s
  200: { code: 'RATE_LIMITED', retryAfterMs: 60_000 }, // ≤ 100 req/min
};

export function translateJstError(code: number, msg: string): TranslatedJstError {
  const known = KNOWN[code];
  if (known) return { ...known, rawCode: String(code), rawMessage: msg };
  if (/不存在|not exist/i.test(msg)) return { code: 'NOT_FOUND', rawCode: String(code), rawMessage: msg };
  if (/系统繁忙|稍后|timeout|超时/i.test(msg)) return { code: 'TRANSIENT', rawCode: String(code), rawMessage: msg };
  return { code: 'INVALID_REQUEST', rawCode: String(code), rawMessage: msg };
}
