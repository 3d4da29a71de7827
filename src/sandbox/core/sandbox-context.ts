import { CallLog } from './call-log.js';
import { SandboxClockImpl } from './clock.js';
import type { SandboxContext } from './contract.js';
import { FaultBook } from './fault-book.js';
import { PushLog } from './push-log.js';
import { SeededRandom } from './random.js';
import { TokenBucketLimiter } from './rate-limiter.js';
import { VirtualScheduler } from './scheduler.js';
import { MemoryWorld, type WorldOptions } from './world.js';

export interface CoreParts {
  ctx: SandboxContext;
  world: MemoryWorld;
  clock: SandboxClockImpl;
  scheduler: VirtualScheduler;
  faults: FaultBook;
  calls: CallLog;
  pushes: PushLog;
  setBaseUrl(url: string): void;
}

export type CoreOptions = Omit<WorldOptions, 'clock' | 'schedule'> & { seed?: number; startAt?: number };

/**
 * Wire the core pieces. The fault dice use their own seeded stream so switching faults on does not
 * change which orders, ids and parcels a seed generates.
 */
export function createCore(opts: CoreOptions = {}): CoreParts {
  const seed = opts.seed ?? 1;
  const clock = new SandboxClockImpl(opts.startAt);
  const scheduler = new VirtualScheduler(clock);
  const schedule = (at: number, fn: () => void): (() => void) => scheduler.schedule(at, fn);
  const world = new MemoryWorld({ ...opts, clock, schedule, seed });
  const dice = new SeededRandom(seed ^ 0x5bd1e995);
  const random = (): number => dice.next();
  const faults = new FaultBook(clock, random);
  const calls = new CallLog(clock);
  const pushes = new PushLog(clock);
  let baseUrl = 'http://127.0.0.1:0';
  const ctx: SandboxContext = {
    world,
    faults,
    limiter: new TokenBucketLimiter(clock),
    calls,
    pushes,
    random,
    baseUrl: () => baseUrl,
    schedule,
    faultFor: (service) => faults.decide(service),
  };
  return { ctx, world, clock, scheduler, faults, calls, pushes, setBaseUrl: (u) => (baseUrl = u) };
}
