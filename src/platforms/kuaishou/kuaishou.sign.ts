import { hmacBase64, md5Hex, sortedEntries } from '../shared/digest.util.js';

export type KsSignMethod = 'MD5' | 'HMAC_SHA256';

/**
 * Kuaishou sign: signed params sorted, `k=v` joined by `&`, then `&signSecret=<secret>` appended.
 * MD5 gives lower hex, HMAC_SHA256 (key = signSecret) gives Base64. `signMethod` is itself signed.
 */
export function signKs(params: Record<string, string>, signSecret: string, method: KsSignMethod): string {
  const joined = sortedEntries(params)
    .filter(([k]) => k !== 'sign')
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const input = `${joined}&signSecret=${signSecret}`;
  return method === 'MD5' ? md5Hex(input) : hmacBase64('sha256', signSecret, input);
}
