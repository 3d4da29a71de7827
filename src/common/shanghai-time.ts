/**
 * Business time is Asia/Shanghai (UTC+8 all year, no daylight saving since 1991), so conversions
 * are a fixed offset: cheaper and more predictable than Intl in hot paths.
 */
const OFFSET_MS = 8 * 3600 * 1000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The wall-clock parts of an instant in Shanghai. */
export function shanghaiParts(at: Date | number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** `yyyy-MM-dd` in Shanghai, as remarks write dates. */
export function shanghaiDate(at: Date | number): string {
  const p = shanghaiParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `yyyy-MM-dd HH:mm:ss` in Shanghai. */
export function shanghaiDateTime(at: Date | number): string {
  const p = shanghaiParts(at);
  return `${shanghaiDate(at)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Parses `yyyy-MM-dd HH:mm:ss` (or `yyyy-MM-dd`) as Shanghai wall-clock time. */
export function parseShanghai(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) throw new Error(`not a Shanghai date-time: "${text}"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - OFFSET_MS);
}

/** The instant at which the given Shanghai wall-clock time (same day as `at`) occurs. */
export function atShanghaiTime(at: Date | number, hhmm: string): Date {
  const p = shanghaiParts(at);
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, h, m) - OFFSET_MS);
}
