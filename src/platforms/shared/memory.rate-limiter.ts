import type { RateDecision, RateLimiter, RateRule } from './rate-limiter.port.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token bucket per key, for a single process (tests, local runs). Capacity = rule.limit. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, rule: RateRule): Promise<RateDecision> {
    const bucketKey = `${key}|${rule.limit}/${rule.windowMs}`;
    const now = this.now();
    const ratePerMs = rule.limit / rule.windowMs;
    const bucket = this.buckets.get(bucketKey) ?? { tokens: rule.limit, updatedAt: now };
    bucket.tokens = Math.min(rule.limit, bucket.tokens + (now - bucket.updatedAt) * ratePerMs);
    bucket.updatedAt = now;
    this.buckets.set(bucketKey, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterMs: 0 };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / ratePerMs) };
  }
}
