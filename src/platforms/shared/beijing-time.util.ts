/** China has not observed DST since 1991: Asia/Shanghai is a fixed UTC+8. */
const OFFSET_MS = 8 * 3600_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (Taobao timestamps, JST modified times, PDD text times). */
export function formatBeijing(date: Date): string {
  const d = new Date(date.getTime() + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** `yyyy-MM-dd` of the Beijing calendar day. */
export function beijingDate(date: Date): string {
  return formatBeijing(date).slice(0, 10);
}

/** Parses `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-ddTHH:mm:ss`, optional millis) given in Beijing time. */
export function parseBeijing(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) throw new Error(`not a Beijing timestamp: ${text}`);
  const [, y, mo, d, h, mi, s, ms = '0'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
  return new Date(utc - OFFSET_MS);
}

/** Accepts the shapes platforms use for times: Beijing text, epoch seconds or epoch milliseconds. */
export function parsePlatformTime(value: unknown): Date | null {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return null;
  const raw = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    // 10-digit values are seconds, 13-digit values milliseconds.
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  return raw ? parseBeijing(raw) : null;
}

/** Milliseconds until the next Beijing midnight: daily platform quotas reset then. */
export function msUntilBeijingMidnight(now: Date): number {
  const local = now.getTime() + OFFSET_MS;
  const day = 86_400_000;
  return day - (((local % day) + day) % day);
}
