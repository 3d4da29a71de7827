import type { SandboxClock, SandboxRateLimiter } from './contract.js';

type Limit = Parameters<SandboxRateLimiter['take']>[1];

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per key (one per second-rate and one per minute-rate), on the sandbox clock so a
 * test can advance past a ban. An empty bucket bans the key for `banMs`, or until one token is back.
 */
export class TokenBucketLimiter implements SandboxRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly bans = new Map<string, number>();

  constructor(private readonly clock: SandboxClock) {}

  take(key: string, limit: Limit): number {
    const now = this.clock.now();
    const bannedUntil = this.bans.get(key);
    if (bannedUntil !== undefined) {
      if (now < bannedUntil) return bannedUntil - now;
      this.bans.delete(key);
    }
    const windows: [string, number, number][] = [];
    if (limit.perSecond) windows.push([`${key}|s`, limit.perSecond, limit.burst ?? limit.perSecond]);
    if (limit.perMinute) windows.push([`${key}|m`, limit.perMinute / 60, limit.burst ?? limit.perMinute]);
    const refilled = windows.map(([k, rate, cap]) => this.refill(k, rate, cap, now));
    const empty = refilled.findIndex((b) => b.tokens < 1);
    if (empty >= 0) {
      const rate = windows[empty][1];
      const ban = limit.banMs ?? Math.ceil(((1 - refilled[empty].tokens) / rate) * 1000);
      this.bans.set(key, now + ban);
      return Math.max(ban, 1);
    }
    for (const b of refilled) b.tokens -= 1;
    return 0;
  }

  reset(): void {
    this.buckets.clear();
    this.bans.clear();
  }

  private refill(key: string, perSecond: number, capacity: number, now: number): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedAt: now };
      this.buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(capacity, b.tokens + ((now - b.updatedAt) / 1000) * perSecond);
    b.updatedAt = now;
    return b;
  }
}
