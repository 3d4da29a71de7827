import { createHash } from 'node:crypto';

/**
 * Desensitised receiver data as TOP returns it after the data-security upgrade: names keep their first
 * character, mobiles keep 3+4 digits, addresses keep a short prefix. Plain values never leave the sandbox.
 */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}

export function maskAddress(address: string): string {
  const chars = [...address];
  const keep = Math.min(3, Math.max(1, Math.floor(chars.length / 3)));
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(4, Math.min(8, chars.length - keep)));
}

/** Buyer nick as sellers see it: first character plus stars. */
export function maskNick(nick: string): string {
  const chars = [...nick];
  return chars.length === 0 ? '' : `${chars[0]}**`;
}

/** Stable pseudo-OAID when the world has none (same order, same value). */
export function fallbackOaid(orderId: string): string {
  return createHash('sha256').update(`oaid:${orderId}`).digest('hex').slice(0, 40);
}
