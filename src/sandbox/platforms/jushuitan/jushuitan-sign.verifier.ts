import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Jushuitan openapi signature (签名规则): every parameter except `sign`, sorted by name, concatenated
 * as key+value with no separators, prefixed (only prefixed, no suffix) with app_secret; MD5, lowercase hex.
 */
export function signJushuitan(params: Record<string, string | undefined>, appSecret: string): string {
  const concat = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== null)
    .sort()
    .map((k) => `${k}${params[k]}`)
    .join('');
  return createHash('md5').update(appSecret + concat, 'utf8').digest('hex');
}

export function verifyJushuitanSign(params: Record<string, string | undefined>, appSecret: string): boolean {
  if (!params.sign) return false;
  const expected = Buffer.from(signJushuitan(params, appSecret), 'utf8');
  const actual = Buffer.from(params.sign, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
