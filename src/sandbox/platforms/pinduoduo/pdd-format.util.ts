import { createHash } from 'node:crypto';

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** Order times in PDD bodies are Beijing `yyyy-MM-dd HH:mm:ss` strings (request params are Unix seconds). */
export function formatPddTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Amounts in yuan as JSON numbers (19.9). */
export function yuanNumber(fen: number): number {
  return Math.round(fen) / 100;
}

function b64(seed: string, bytes: number): string {
  return createHash('sha256').update(seed).digest().subarray(0, bytes).toString('base64');
}

/**
 * Ciphertext in PDD's shapes: `$index$cipher$2$$` for phones, `~cipher~index~2~~` for names and
 * addresses. The index depends on the plain value only (so equal receivers share it, as PDD's search
 * index allows merging), the cipher also on the order. Plain text is not recoverable from either.
 */
export function pddPhoneCipher(plain: string, orderSn: string): string {
  const index = b64(`idx:phone:${plain}`, 9).replace(/[+/=]/g, 'A');
  return `$${index}$${b64(`enc:${orderSn}:${plain}`, 32)}$2$$`;
}

export function pddTextCipher(plain: string, orderSn: string, kind: string): string {
  const index = b64(`idx:${kind}:${plain}`, 12);
  return `~${b64(`enc:${orderSn}:${kind}:${plain}`, 32)}~${index}~2~~`;
}

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length === 0 ? '' : chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskPhone(mobile: string): string {
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '*'.repeat(mobile.length);
}

export function maskAddress(address: string): string {
  const chars = [...address];
  return chars.slice(0, Math.min(3, chars.length)).join('') + '****';
}
