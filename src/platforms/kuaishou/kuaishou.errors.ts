import type { PlatformErrorCode } from '../errors.js';
import { msUntilBeijingMidnight } from '../shared/beijing-time.util.js';
import { text } from '../shared/lossless-json.util.js';

export interface TranslatedKsError {
  code: PlatformErrorCode;
  rawCode: string;
  rawMessage: string;
  retryAfterMs?: number;
}

/** OAuth `result` codes (§3.3). A refused grant or a discarded refresh token needs a new authorisation. */
const OAUTH: Readonly<Record<number, PlatformErrorCode>> = {
  100200100: 'INVALID_REQUEST',
  100200101: 'PERMANENT',
  100200102: 'AUTH_REVOKED',
  100200103: 'PERMANENT',
  100200104: 'PERMANENT',
  100200105: 'AUTH_REVOKED',
  100200106: 'PERMANENT',
  100200107: 'AUTH_REVOKED',
  100200500: 'TRANSIENT',
};

/** Business codes for bad list windows (§3.6). */
const BAD_WINDOW = new Set([300003, 300004, 300005, 300019]);

function byCode(n: number, message: string, now: Date): Omit<TranslatedKsError, 'rawCode' | 'rawMessage'> {
  if (/exceed qps limit/i.test(message)) return { code: 'RATE_LIMITED', retryAfterMs: 1_000 };
  // Daily quotas (app, test user, per-user per-API) reset with the Beijing day.
  if (/exceed quota limit/i.test(message)) return { code: 'RATE_LIMITED', retryAfterMs: msUntilBeijingMidnight(now) };
  if (n === 24 || /AUTHORIZATION_REVOKED/.test(message)) return { code: 'AUTH_REVOKED' };
  if (OAUTH[n]) return { code: OAUTH[n] };
  // No numeric code is documented for an expired access token, only these texts (FAQ K0004).
  if (/鉴权失败|TOKEN过期|token.{0,10}expire/i.test(message)) return { code: 'AUTH_EXPIRED' };
  if (BAD_WINDOW.has(n)) return { code: 'INVALID_REQUEST' };
  if (/不存在|not exist/i.test(message)) return { code: 'NOT_FOUND' };
  if (/系统繁忙|system busy|timeout|服务异常/i.test(message)) return { code: 'TRANSIENT' };
  return { code: 'PERMANENT' };
}

/** Maps a failed Kuaishou body (`result` ≠ 1) to a PlatformError code. */
export function translateKsError(body: Record<string, unknown>, now: Date = new Date()): TranslatedKsError {
  const n = Number(body.result ?? body.code ?? 0);
  const rawMessage = [body.error, body.error_msg, body.msg, body.sub_code, body.sub_msg].map(text).filter(Boolean).join(' / ');
  return { rawCode: String(n), rawMessage, ...byCode(n, rawMessage, now) };
}
