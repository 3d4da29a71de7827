import { atShanghaiTime, shanghaiParts } from '../common/shanghai-time.js';

/** A month-day window in the shop's time zone, e.g. 双11 10-20 → 11-13 (inclusive). */
export interface MonthDayWindow {
  name: string;
  start: string;
  end: string;
}

export function activePromotion(windows: MonthDayWindow[], at: Date): MonthDayWindow | undefined {
  const p = shanghaiParts(at);
  const md = `${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return windows.find((w) => (w.start <= w.end ? md >= w.start && md <= w.end : md >= w.start || md <= w.end));
}

/** If `at` falls in quiet hours (e.g. 22:00–08:00, Shanghai), the instant they end; otherwise null. */
export function quietHoursEnd(quiet: { start: string; end: string }, at: Date): Date | null {
  const p = shanghaiParts(at);
  const hm = `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  const wraps = quiet.start > quiet.end;
  const inside = wraps ? hm >= quiet.start || hm < quiet.end : hm >= quiet.start && hm < quiet.end;
  if (!inside) return null;
  const endToday = atShanghaiTime(at, quiet.end);
  return endToday.getTime() > at.getTime() ? endToday : new Date(endToday.getTime() + 24 * 3600_000);
}
