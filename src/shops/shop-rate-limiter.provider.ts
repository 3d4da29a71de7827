import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/config.schema.js';
import { MemoryRateLimiter } from '../platforms/shared/memory.rate-limiter.js';
import type { RateLimiter } from '../platforms/shared/rate-limiter.port.js';
import { RedisRateLimiter } from '../platforms/shared/redis.rate-limiter.js';

/**
 * The limiter every adapter shares: Redis-backed when a Redis is configured, so per-app and per-shop
 * limits hold across all workers; in-memory for the single-process default.
 */
@Injectable()
export class ShopRateLimiter implements OnApplicationShutdown {
  readonly limiter: RateLimiter;
  private readonly redis: Redis | undefined;

  constructor(config: AppConfig) {
    if (config.queue.redisUrl) {
      this.redis = new Redis(config.queue.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
      this.limiter = new RedisRateLimiter(this.redis, `${config.queue.prefix}:rl:`);
    } else {
      this.limiter = new MemoryRateLimiter();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
