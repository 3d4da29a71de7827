import type { TasksConfig } from '../config/config.schema.js';

/**
 * Minutes until a task of `type` is due, from a shop's effective task settings: its
 * `slaMinutes[type]`, else the configured one (where the shop's own value is not a positive number),
 * else its default, else the configured default.
 */
export function slaMinutes(type: string, tasks: TasksConfig, configured: TasksConfig = tasks): number {
  for (const v of [tasks.slaMinutes[type], configured.slaMinutes[type], tasks.slaMinutes.default, configured.slaMinutes.default]) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  }
  return 240;
}
