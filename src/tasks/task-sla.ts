import type { TasksConfig } from '../config/config.schema.js';

/**
 * Minutes until a task of `type` is due: the shop's own `settings.tasks.slaMinutes[type]` when set,
 * else the configured `tasks.slaMinutes[type]`, else the configured default.
 */
export function slaMinutes(type: string, config: TasksConfig, shopSettings: Record<string, unknown> | null | undefined): number {
  const shopSla = (shopSettings?.tasks as { slaMinutes?: Record<string, unknown> } | undefined)?.slaMinutes;
  for (const v of [shopSla?.[type], config.slaMinutes[type], shopSla?.default, config.slaMinutes.default]) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return 240;
}
