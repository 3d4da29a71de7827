import type { OrdersSyncConfig } from '../config/config.schema.js';

export type PollResource = 'taobao' | 'pinduoduo' | 'kuaishou' | 'erp';

export interface PollWindow {
  start: Date;
  end: Date;
}

const DAY = 86_400_000;

/** Documented maximum spans (platforms.md §8); configuration can only make windows shorter. */
export const MAX_SPAN_MS: Record<PollResource, number> = {
  taobao: DAY,
  pinduoduo: 30 * 60_000,
  kuaishou: 7 * DAY,
  erp: 7 * DAY,
};

/**
 * The next window after `lastEnd` (or from the initial lookback), overlapping the previous one and
 * capped by the platform's span. For Pinduoduo `now` is the platform's own time (pdd.time.get): its
 * window must end that long before it. Null when there is nothing new to read yet.
 */
export function nextWindow(resource: PollResource, lastEnd: Date | null, now: Date, cfg: OrdersSyncConfig, limit?: Date): PollWindow | null {
  const horizon = Math.min(resource === 'pinduoduo' ? now.getTime() - cfg.pddLagMs : now.getTime(), limit?.getTime() ?? Infinity);
  const start = lastEnd ? lastEnd.getTime() - cfg.overlapMs : now.getTime() - cfg.initialLookbackMs;
  const span = Math.min(cfg.sliceMs[resource] ?? MAX_SPAN_MS[resource], MAX_SPAN_MS[resource]);
  const end = Math.min(start + span, horizon);
  if (end <= start || (lastEnd && end <= lastEnd.getTime())) return null;
  return { start: new Date(start), end: new Date(end) };
}
