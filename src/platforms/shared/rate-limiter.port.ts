export interface RateRule {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  /** How long to wait before the next attempt can succeed; 0 when allowed. */
  retryAfterMs: number;
}

/** Limits per app and per shop; the Redis implementation shares them across processes. */
export interface RateLimiter {
  tryAcquire(key: string, rule: RateRule): Promise<RateDecision>;
}
