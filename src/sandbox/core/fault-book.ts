import type { SandboxClock, SandboxFaultBook, SbService } from './contract.js';
import type { SbFaults } from './types.js';

type Fail = 'timeout' | 'server_error' | 'rate_limited';

/** Faults per service, switched by scenario or control endpoint, and the dice that apply them. */
export class FaultBook implements SandboxFaultBook {
  private readonly faults = new Map<SbService, SbFaults>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly random: () => number,
  ) {}

  get(service: SbService): SbFaults {
    return { ...(this.faults.get(service) ?? {}) };
  }

  set(service: SbService, faults: SbFaults): void {
    this.faults.set(service, { ...faults });
  }

  clear(service?: SbService): void {
    if (service) this.faults.delete(service);
    else this.faults.clear();
  }

  /** Latency is real time (a client's timeout is real time too); the storm window is sandbox time. */
  async decide(service: SbService): Promise<{ fail?: Fail }> {
    const f = this.faults.get(service);
    if (!f) return {};
    if (f.latencyMs && f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    if (f.rateLimitStormUntil !== undefined && this.clock.now() < f.rateLimitStormUntil) return { fail: 'rate_limited' };
    if (f.timeoutRate && this.random() < f.timeoutRate) return { fail: 'timeout' };
    if (f.errorRate && this.random() < f.errorRate) return { fail: 'server_error' };
    return {};
  }
}
