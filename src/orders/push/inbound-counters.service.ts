import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isUniqueViolation } from '../../common/errors.js';
import { InboundCounterEntity } from './inbound-counter.entity.js';

export type InboundOutcome =
  | 'received'
  | 'duplicate'
  | 'bad_signature'
  | 'bad_body'
  | 'unknown_shop'
  | 'inactive_shop'
  | 'unknown_waybill'
  | 'unknown_app';

export interface InboundStatsRow {
  platform: string;
  source: string;
  counts: Record<string, number>;
}

/** How often the counts gathered in memory are added to the shared rows. */
const FLUSH_EVERY_MS = 1_000;

/**
 * Shared counters of what the push endpoints and consumers saw, by platform and source. A push only
 * adds one in memory; the sums go to the database once a second (and before stats are read, and at
 * shutdown), so a busy endpoint writes a handful of rows a second instead of one per push. A process
 * killed outright loses at most its last second of counts, never a push.
 */
@Injectable()
export class InboundCounters implements OnModuleInit, OnModuleDestroy {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @InjectRepository(InboundCounterEntity) private readonly repo: Repository<InboundCounterEntity>,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  bump(platform: string, source: string, outcome: InboundOutcome): Promise<void> {
    const key = `${platform}|${source}|${outcome}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return Promise.resolve();
  }

  async stats(): Promise<InboundStatsRow[]> {
    await this.flush();
    const rows = await this.repo.find({ order: { platform: 'ASC', source: 'ASC', outcome: 'ASC' } });
    const out = new Map<string, InboundStatsRow>();
    for (const r of rows) {
      const key = `${r.platform}|${r.source}`;
      const row = out.get(key) ?? { platform: r.platform, source: r.source, counts: {} };
      row.counts[r.outcome] = r.count;
      out.set(key, row);
    }
    return [...out.values()];
  }

  /** Adds what was counted since the last flush; one flush at a time, a failed one is retried next time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(async () => {
      const batch = this.pending;
      if (batch.size === 0) return;
      this.pending = new Map();
      const left = new Map(batch);
      try {
        for (const [key, n] of batch) {
          const [platform, source, outcome] = key.split('|');
          await this.add(platform, source, outcome, n);
          left.delete(key);
        }
      } catch (err) {
        for (const [key, n] of left) this.pending.set(key, (this.pending.get(key) ?? 0) + n);
        throw err;
      }
    });
    return this.flushing;
  }

  /** An atomic `count + n` update, creating the row on first use (a racing creator just updates). */
  private async add(platform: string, source: string, outcome: string, n: number): Promise<void> {
    if (await this.increment(platform, source, outcome, n)) return;
    try {
      await this.repo.insert({ platform, source, outcome, count: n, updatedAt: this.clock.now() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.increment(platform, source, outcome, n);
    }
  }

  private async increment(platform: string, source: string, outcome: string, n: number): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(InboundCounterEntity)
      .set({ count: () => `count + ${Math.trunc(n)}`, updatedAt: this.clock.now() })
      .where('platform = :platform AND source = :source AND outcome = :outcome', { platform, source, outcome })
      .execute();
    return (res.affected ?? 0) > 0;
  }
}
