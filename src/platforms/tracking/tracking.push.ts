import { timingSafeEqual } from 'node:crypto';
import type { TrackingPushUpdate } from '../ports/tracking.port.js';
import { parseLosslessJson, text } from '../shared/lossless-json.util.js';
import { asRecord } from '../shared/wire-params.util.js';
import { mapKd100Result } from './tracking.mapper.js';
import { signKd100Callback } from './tracking.sign.js';

/** Reply the service expects; anything else makes it push again. */
export const KD100_PUSH_ACK = '{"result":true,"returnCode":"200","message":"成功"}';

/** Resubscribe delay after an `abort` for a number that is right (§4b). */
const RESUBSCRIBE_AFTER_MS = 30 * 60_000;

/** `resubscribeAfterMs` is set on `abort` (e.g. "3天查询无记录" / "60天无变化"). */
export interface TrackingPush extends TrackingPushUpdate {
  message: string;
}

export function verifyKd100Callback(param: string, sign: string, salt: string): boolean {
  const expected = Buffer.from(signKd100Callback(param, salt));
  const given = Buffer.from(sign.toUpperCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Verifies and decodes one push (form fields `param`, `sign`); throws on a bad signature. */
export function decodeKd100Push(form: { param?: string; sign?: string }, salt: string): TrackingPush {
  const param = form.param ?? '';
  if (!verifyKd100Callback(param, form.sign ?? '', salt)) throw new Error('tracking push signature mismatch');
  return readKd100Push(parseLosslessJson(param));
}

/** A push's decoded `param`, once its signature was checked (it is stored as received, then processed). */
export function readKd100Push(param: unknown): TrackingPush {
  const p = asRecord(param);
  const status = text(p.status);
  return {
    status,
    message: text(p.message),
    result: mapKd100Result(p.lastResult),
    resubscribeAfterMs: status === 'abort' ? RESUBSCRIBE_AFTER_MS : null,
  };
}
