import { createHash } from 'node:crypto';

/** UPPER(hex(MD5(secret + Σ name+value + secret))), names sorted in byte order, `sign` left out. */
export function pddSign(params: Record<string, string>, secret: string): string {
  const base = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort((a, b) => Buffer.from(a).compare(Buffer.from(b)))
    .map((k) => `${k}${params[k]}`)
    .join('');
  return createHash('md5').update(`${secret}${base}${secret}`, 'utf8').digest('hex').toUpperCase();
}

/** Message-push path digest: base64 of the lowercase hex MD5 (not of the raw digest). */
export function pddWsDigest(clientId: string, timestampMs: string, secret: string): string {
  const hex = createHash('md5').update(`${clientId}${timestampMs}${secret}`, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}
