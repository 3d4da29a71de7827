/**
 * Back to normal after a fault: right after the fault ends, a probe order is placed and paid in the
 * sandbox. The service counts as recovered once /health answers 200, the probe is stored as paid and the
 * agent's ship-date note for it is on the platform. Seconds are counted from the end of the fault.
 */
import { sleep } from '../bench-env.js';
import type { FaultWorld } from './fault-world.js';
import { send } from './http.js';
import type { LoadDriver } from './load.js';

export interface Recovery {
  fault: string;
  /** End of the fault → everything back (null: not within the deadline). */
  seconds: number | null;
  healthyAfterS: number | null;
  storedAfterS: number | null;
  notedAfterS: number | null;
}

export async function measureRecovery(w: FaultWorld, load: LoadDriver, fault: string, faultEndedAt: number, deadlineMs = 180_000): Promise<Recovery> {
  const probe = load.placeProbe();
  const since = (t: number | undefined) => (t === undefined ? null : +((t - faultEndedAt) / 1000).toFixed(1));
  let healthyAt: number | undefined;
  let storedAt: number | undefined;
  while (Date.now() - faultEndedAt < deadlineMs) {
    if (healthyAt === undefined && (await send(w.url, { method: 'GET', path: '/health' }, 2000)).status === 200) healthyAt = Date.now();
    if (storedAt === undefined && probe.kefuId !== undefined) storedAt = Date.now();
    if (healthyAt !== undefined && probe.notedAt !== undefined) break;
    await sleep(250);
  }
  const noted = probe.notedAt;
  const all = healthyAt !== undefined && noted !== undefined ? Math.max(healthyAt, noted) : undefined;
  return { fault, seconds: since(all), healthyAfterS: since(healthyAt), storedAfterS: since(storedAt ?? (noted !== undefined ? noted : undefined)), notedAfterS: since(noted) };
}
