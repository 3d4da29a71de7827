import type { Redis } from 'ioredis';
import type { RateDecision, RateLimiter, RateRule } from './rate-limiter.port.js';

/**
 * Fixed window in one round trip: INCR, set the expiry on the first hit, report the remaining TTL.
 * The PTTL guard repairs a key that lost its expiry (e.g. created by a crashed older script).
 */
const FIXED_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

/** Shared across processes through Redis, so per-app and per-shop limits hold for all workers. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Pick<Redis, 'eval'>,
    private readonly prefix = 'kb:rl:',
  ) {}

  async tryAcquire(key: string, rule: RateRule): Promise<RateDecision> {
    const redisKey = `${this.prefix}${key}:${rule.limit}/${rule.windowMs}`;
    const reply = (await this.redis.eval(FIXED_WINDOW, 1, redisKey, String(rule.windowMs))) as [number, number];
    const [count, ttl] = reply;
    return count <= rule.limit ? { allowed: true, retryAfterMs: 0 } : { allowed: false, retryAfterMs: Math.max(1, ttl) };
  }
}
