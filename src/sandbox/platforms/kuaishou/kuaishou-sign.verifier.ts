import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type KuaishouSignMethod = 'MD5' | 'HMAC_SHA256';

/** The parameters the gateway signs; anything else on the request (sign itself, extras) is not signed. */
const SIGNED_KEYS = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version'] as const;

/**
 * The string Kuaishou signs: the signed parameters that are present, sorted by name, joined as
 * `k=v&k=v`, then `&signSecret=<signSecret>` appended (the secret itself is never sent).
 */
export function kuaishouSignBase(params: Record<string, string | undefined>, signSecret: string): string {
  const pairs = SIGNED_KEYS.filter((k) => params[k] !== undefined && params[k] !== null)
    .slice()
    .sort()
    .map((k) => `${k}=${params[k]}`);
  return `${pairs.join('&')}&signSecret=${signSecret}`;
}

/** MD5 answers lowercase hex; HMAC_SHA256 (key = signSecret) answers Base64 of the raw digest. */
export function signKuaishou(
  params: Record<string, string | undefined>,
  signSecret: string,
  method: KuaishouSignMethod,
): string {
  const base = kuaishouSignBase(params, signSecret);
  if (method === 'MD5') return createHash('md5').update(base, 'utf8').digest('hex');
  return createHmac('sha256', Buffer.from(signSecret, 'utf8')).update(base, 'utf8').digest('base64');
}

export function isKuaishouSignMethod(v: string | undefined): v is KuaishouSignMethod {
  return v === 'MD5' || v === 'HMAC_SHA256';
}

/** Constant-time comparison of the sign the caller sent with the one the sandbox computes. */
export function verifyKuaishouSign(params: Record<string, string | undefined>, signSecret: string): boolean {
  const method = params.signMethod;
  const given = params.sign;
  if (!isKuaishouSignMethod(method) || !given) return false;
  const expected = Buffer.from(signKuaishou(params, signSecret, method), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
