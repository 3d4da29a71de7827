import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Parses platform JSON keeping integers above 2^53 as their exact digit strings
 * (Taobao tid/oid, PDD message frame ids); every other number becomes a plain number.
 */
export function parseLosslessJson(text: string): unknown {
  return parse(text, null, (raw: string) => (isInteger(raw) && !isSafeNumber(raw) ? raw : parseFloat(raw)));
}

/** An id field may arrive as a number, a big-number string or a string: always hand back a string. */
export function idString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return '';
}

export function optionalString(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const out = text(value);
  return out === '' ? null : out;
}

/** Text of a scalar wire value; objects and absent values give ''. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return '';
}
