import { createHash, createHmac } from 'node:crypto';

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

export const TOP_SIGN_METHODS: readonly TopSignMethod[] = ['md5', 'hmac', 'hmac-sha256'];

/**
 * The string TOP signs: every parameter except `sign`, sorted by name (byte order), name+value with no
 * separators. Empty values are left out, as the official sample does (it skips empty keys and values).
 */
export function topSignBase(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && k !== '' && params[k] !== undefined && params[k] !== '')
    .sort((a, b) => (Buffer.from(a).compare(Buffer.from(b))))
    .map((k) => `${k}${params[k]}`)
    .join('');
}

/** Uppercase hex digest; md5 wraps the secret around the base, the HMACs key on it instead. */
export function topSign(params: Record<string, string>, secret: string, method: TopSignMethod): string {
  const base = topSignBase(params);
  let digest: string;
  switch (method) {
    case 'md5':
      digest = createHash('md5').update(`${secret}${base}${secret}`, 'utf8').digest('hex');
      break;
    case 'hmac':
      digest = createHmac('md5', secret).update(base, 'utf8').digest('hex');
      break;
    case 'hmac-sha256':
      digest = createHmac('sha256', secret).update(base, 'utf8').digest('hex');
      break;
  }
  return digest.toUpperCase();
}

/** TMC handshake sign: md5 over fixed fields, secret on both sides. */
export function tmcSign(appKey: string, secret: string, groupName: string, timestampMs: string): string {
  const base = `app_key${appKey}group_name${groupName}timestamp${timestampMs}`;
  return createHash('md5').update(`${secret}${base}${secret}`, 'utf8').digest('hex').toUpperCase();
}
