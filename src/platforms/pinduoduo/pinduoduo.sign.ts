import { md5Hex, sortedEntries } from '../shared/digest.util.js';

/** PDD gateway sign: secret + Σ(key+value) sorted + secret, MD5, upper hex. No sign_method param is sent. */
export function signPdd(params: Record<string, string>, clientSecret: string): string {
  const body = sortedEntries(params)
    .filter(([k]) => k !== 'sign')
    .map(([k, v]) => k + v)
    .join('');
  return md5Hex(clientSecret + body + clientSecret).toUpperCase();
}

/**
 * Message-service WebSocket path: digest = base64(lower hex MD5(client_id + ts_ms + secret)),
 * URL-encoded because base64 may carry '=', '+', '/'.
 */
export function pddWsPath(clientId: string, clientSecret: string, timestampMs: number): string {
  const digest = Buffer.from(md5Hex(`${clientId}${timestampMs}${clientSecret}`), 'utf8').toString('base64');
  return `/message/${encodeURIComponent(clientId)}/${timestampMs}/${encodeURIComponent(digest)}`;
}
