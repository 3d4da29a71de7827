import type { RateLimiter, RateRule } from './rate-limiter.port.js';

export interface GateRule {
  /** e.g. `taobao:app:<appKey>` or `pinduoduo:shop:<mallId>:pdd.order.information.get`. */
  key: string;
  rule: RateRule;
  /** Only applies to this API; all calls when absent. */
  api?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until every rule that applies to the call has a slot. */
export class RateGate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly rules: GateRule[],
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  async pass(api: string): Promise<void> {
    for (const r of this.rules) {
      if (r.api && r.api !== api) continue;
      for (;;) {
        const decision = await this.limiter.tryAcquire(r.key, r.rule);
        if (decision.allowed) break;
        await this.wait(decision.retryAfterMs);
      }
    }
  }
}
