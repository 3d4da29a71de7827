import type { PlatformErrorCode } from '../errors.js';
import { text } from '../shared/lossless-json.util.js';

export interface PddErrorBody {
  error_code?: number | string;
  error_msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

export interface TranslatedPddError {
  code: PlatformErrorCode;
  rawCode: string;
  rawMessage: string;
  retryAfterMs?: number;
}

/**
 * Known codes (§2.8). The full official table was not available; ranges follow the public SDK:
 * 10000–39999 and 50000–52003 are caller/business errors, everything else is retryable.
 */
export function translatePddError(body: PddErrorBody, rateLimitWaitMs = 1_000): TranslatedPddError {
  const n = Number(body.error_code ?? 0);
  const rawCode = body.sub_code ? `${n}:${body.sub_code}` : String(n);
  const rawMessage = [text(body.error_msg), text(body.sub_msg)].filter(Boolean).join(' / ');
  const base = { rawCode, rawMessage };
  switch (n) {
    case 10019:
      return { ...base, code: 'AUTH_EXPIRED' };
    case 52101:
    case 70031:
      return { ...base, code: 'RATE_LIMITED', retryAfterMs: rateLimitWaitMs };
    case 52102:
    case 52103:
      return { ...base, code: 'TRANSIENT' };
  }
  if (/不存在|not exist/i.test(rawMessage)) return { ...base, code: 'NOT_FOUND' };
  if (n >= 10000 && n <= 39999) return { ...base, code: 'INVALID_REQUEST' };
  if (n >= 50000 && n <= 52003) return { ...base, code: 'PERMANENT' };
  return { ...base, code: 'TRANSIENT' };
}
