/** TOP speaks Beijing wall-clock time (GMT+8, no DST) as `yyyy-MM-dd HH:mm:ss`. */
const BEIJING_OFFSET_MS = 8 * 3600_000;
const TOP_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function formatTopTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch ms for a TOP time string, or undefined when it is malformed or not a real calendar time. */
export function parseTopTime(text: string): number | undefined {
  const m = TOP_TIME.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  return formatTopTime(ms) === text.trim() ? ms : undefined;
}

/** Money in fen rendered the TOP way: a yuan string with two decimals ("12.30"). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
