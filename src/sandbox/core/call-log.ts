import type { SandboxCallLog, SandboxClock, SbService } from './contract.js';
import type { SbCall } from './types.js';

/** Keeps the latest calls (bounded, the generator can make millions) and exact counts of all. */
export class CallLog implements SandboxCallLog {
  private log: SbCall[] = [];
  private readonly tally = new Map<string, number>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly keep = 50_000,
  ) {}

  record(call: Omit<SbCall, 'time'>): void {
    this.log.push({ ...call, time: this.clock.now() });
    if (this.log.length > this.keep * 1.2) this.log = this.log.slice(-this.keep);
    const key = `${call.platform}|${call.method}|${call.shopId ?? ''}|${call.outcome}`;
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
  }

  calls(filter?: { platform?: SbService; method?: string; shopId?: string }): SbCall[] {
    if (!filter) return [...this.log];
    return this.log.filter(
      (c) =>
        (!filter.platform || c.platform === filter.platform) &&
        (!filter.method || c.method === filter.method) &&
        (!filter.shopId || c.shopId === filter.shopId),
    );
  }

  /** Keys are `platform|method|shopId|outcome`. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.tally);
  }

  /** Totals per platform, per platform+method and per platform+shop, for the control endpoint. */
  summary(): { total: number; byPlatform: Record<string, number>; byMethod: Record<string, number>; byShop: Record<string, number>; byOutcome: Record<string, number> } {
    const out = { total: 0, byPlatform: {} as Record<string, number>, byMethod: {} as Record<string, number>, byShop: {} as Record<string, number>, byOutcome: {} as Record<string, number> };
    const add = (m: Record<string, number>, k: string, n: number): void => {
      m[k] = (m[k] ?? 0) + n;
    };
    for (const [key, n] of this.tally) {
      const [platform, method, shopId, outcome] = key.split('|');
      out.total += n;
      add(out.byPlatform, platform, n);
      add(out.byMethod, `${platform} ${method}`, n);
      if (shopId) add(out.byShop, `${platform} ${shopId}`, n);
      add(out.byOutcome, `${platform} ${outcome}`, n);
    }
    return out;
  }

  reset(): void {
    this.log = [];
    this.tally.clear();
  }
}
