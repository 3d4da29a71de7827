import type { PlatformErrorCode } from '../errors.js';
import { text as str } from '../shared/lossless-json.util.js';

export interface TopErrorBody {
  code?: number | string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
}

export interface TranslatedError {
  code: PlatformErrorCode;
  rawCode: string;
  rawMessage: string;
  retryAfterMs?: number;
}

const BAN = /This ban will last for (\d+) more seconds/i;

/** Codes 4–8: user/session/partner/app call limits and frequency bans. */
const LIMIT_CODES = new Set([4, 5, 6, 7, 8]);
const PERMISSION_CODES = new Set([11, 12, 13, 9, 28, 29, 25, 24]);
const INVALID_CODES = new Set([21, 22, 23, 26, 32, 33, 34, 40, 41, 42, 43]);

function classify(code: number, sub: string, text: string): PlatformErrorCode {
  if (LIMIT_CODES.has(code) || sub.startsWith('accesscontrol.')) return 'RATE_LIMITED';
  if (code === 27 || sub === 'invalid-sessionkey') return 'AUTH_EXPIRED';
  if (PERMISSION_CODES.has(code)) return 'PERMANENT';
  // A business sub_code decides even under code 15/50: isv.* is the caller's problem.
  if (sub.startsWith('isv.')) {
    return /not[-_]?exist|not[-_]?found/i.test(sub) || /不存在/.test(text) ? 'NOT_FOUND' : 'INVALID_REQUEST';
  }
  // Server-side failures: the official doc says to retry after a while.
  if (sub.startsWith('isp.') || code === 10 || code === 15) return 'TRANSIENT';
  // Clock drift beyond the 10-minute tolerance: a fresh timestamp fixes it.
  if (code === 31) return 'TRANSIENT';
  if (INVALID_CODES.has(code)) return 'INVALID_REQUEST';
  return 'PERMANENT';
}

/** Maps a TOP `error_response` to a PlatformError code; ban waits come from `sub_msg`. */
export function translateTopError(body: TopErrorBody): TranslatedError {
  const code = Number(body.code ?? 0);
  const sub = str(body.sub_code);
  const text = [str(body.msg), str(body.sub_msg)].filter(Boolean).join(' / ');
  const result: TranslatedError = {
    code: classify(code, sub, text),
    rawCode: sub ? `${code}:${sub}` : String(code),
    rawMessage: text,
  };
  const ban = BAN.exec(text);
  if (result.code === 'RATE_LIMITED' && ban) result.retryAfterMs = Number(ban[1]) * 1000;
  return result;
}

/** OAuth token endpoint errors (`{error, error_description}`): a failed grant needs a new authorisation. */
export function translateTopOAuthError(body: { error?: string; error_description?: string }): TranslatedError {
  const error = body.error ?? 'unknown';
  const server = /server_error|temporarily_unavailable/.test(error);
  return {
    code: server ? 'TRANSIENT' : error === 'invalid_request' ? 'INVALID_REQUEST' : 'AUTH_REVOKED',
    rawCode: error,
    rawMessage: body.error_description ?? '',
  };
}
