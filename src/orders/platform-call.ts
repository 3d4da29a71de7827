import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/config.schema.js';
import { decide, PlatformError } from '../platforms/errors.js';
import { ShopAdapters } from '../shops/shop-adapters.js';

/** A rate-limit wait too long to sleep through inside a job: the job ends and comes back later. */
export class RateLimitedWait extends Error {
  constructor(readonly afterMs: number, cause: PlatformError) {
    super(`rate limited, waiting ${afterMs} ms: ${cause.message}`);
    this.name = 'RateLimitedWait';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one platform call for a shop under the one retry policy: rate limits wait (short waits inline),
 * an expired token makes the shop's adapters be rebuilt once, transient errors back off a little.
 */
@Injectable()
export class PlatformCall {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: AppConfig,
  ) {}

  /** Looked up when used: the shops module may be wired anywhere in the application. */
  get adapters(): ShopAdapters {
    return this.moduleRef.get(ShopAdapters, { strict: false });
  }

  async run<P, T>(shopId: number, port: (a: ShopAdapters) => Promise<P>, fn: (p: P) => Promise<T>): Promise<T> {
    let rateAttempts = 0;
    let otherAttempts = 0;
    for (;;) {
      try {
        return await fn(await port(this.adapters));
      } catch (err) {
        if (!(err instanceof PlatformError)) throw err;
        const d = decide(err, err.code === 'RATE_LIMITED' ? ++rateAttempts : ++otherAttempts);
        if (d.kind === 'retry' && err.code === 'RATE_LIMITED') {
          if (d.afterMs > this.config.orders.inlineRateLimitWaitMs) throw new RateLimitedWait(d.afterMs, err);
          await sleep(Math.max(d.afterMs, 50));
        } else if (d.kind === 'retry' && otherAttempts <= 2) {
          await sleep(d.afterMs);
        } else if (d.kind === 'reauthorize' && d.refresh) {
          this.adapters.invalidate(shopId);
        } else {
          throw err;
        }
      }
    }
  }
}
