import { hmacHex, md5Hex, sortedEntries } from '../shared/digest.util.js';

export type TopSignMethod = 'md5' | 'hmac' | 'hmac-sha256';

/**
 * TOP request signature: params (minus `sign` and file params) sorted by name, `name+value`
 * concatenated; md5 wraps the secret on both sides, the HMAC variants use it as key only.
 * Empty values are skipped, like the official Java SDK does.
 */
export function signTop(params: Record<string, string>, secret: string, method: TopSignMethod = 'md5'): string {
  const body = sortedEntries(params)
    .filter(([k, v]) => k !== 'sign' && k !== '' && v !== '')
    .map(([k, v]) => k + v)
    .join('');
  switch (method) {
    case 'md5':
      return md5Hex(secret + body + secret).toUpperCase();
    case 'hmac':
      return hmacHex('md5', secret, body).toUpperCase();
    case 'hmac-sha256':
      return hmacHex('sha256', secret, body).toUpperCase();
  }
}

/** TMC WebSocket handshake signature (timestamp in epoch milliseconds). */
export function signTmc(appKey: string, secret: string, groupName: string, timestampMs: string): string {
  return md5Hex(`${secret}app_key${appKey}group_name${groupName}timestamp${timestampMs}${secret}`).toUpperCase();
}
