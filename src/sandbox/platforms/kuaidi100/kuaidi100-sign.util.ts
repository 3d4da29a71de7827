import { createHash, timingSafeEqual } from 'node:crypto';

export function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

/** Real-time query: sign = UPPER(MD5(param + key + customer)) over the param string exactly as sent. */
export function querySign(param: string, key: string, customer: string): string {
  return md5Upper(param + key + customer);
}

/** Push to the subscriber: sign = UPPER(MD5(param + salt)). */
export function pushSign(param: string, salt: string): string {
  return md5Upper(param + salt);
}

export function sameSign(a: string, b: string): boolean {
  const x = Buffer.from(a.toUpperCase());
  const y = Buffer.from(b.toUpperCase());
  return x.length === y.length && timingSafeEqual(x, y);
}
