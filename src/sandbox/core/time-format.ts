const BEIJING_OFFSET_MS = 8 * 3600_000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (GMT+8), whatever the host's time zone. */
export function formatBeijing(ms: number): string {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** Parse `yyyy-MM-dd HH:mm:ss` as Beijing time; NaN when malformed. */
export function parseBeijing(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
}

/** `yyMMdd` of a Beijing date (Pinduoduo order_sn prefix). */
export function beijingYyMmDd(ms: number): string {
  return formatBeijing(ms).slice(2, 10).replace(/-/g, '');
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** Durations like `30m`, `26h`, `3d`, `1h30m`, `500ms`; a signed form (`-26h`, `+30m`, `0`) for offsets. */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return text;
  const t = text.trim();
  if (t === '0' || t === '+0' || t === '-0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/.exec(t);
  if (!m) return NaN;
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(part[1]) * UNITS[part[2]];
  return m[1] === '-' ? -total : total;
}
