import { createHash, createHmac } from 'node:crypto';

export function md5Hex(input: string): string {
  return createHash('md5').update(input, 'utf8').digest('hex');
}

export function hmacHex(algorithm: 'md5' | 'sha256', key: string, input: string): string {
  return createHmac(algorithm, Buffer.from(key, 'utf8')).update(input, 'utf8').digest('hex');
}

export function hmacBase64(algorithm: 'sha256', key: string, input: string): string {
  return createHmac(algorithm, Buffer.from(key, 'utf8')).update(input, 'utf8').digest('base64');
}

/** Sorted by key, ASCII (code unit) order, as every gateway documents. */
export function sortedEntries(params: Record<string, string>): Array<[string, string]> {
  return Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
