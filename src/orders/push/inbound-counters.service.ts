import { Injectable } from '@nestjs/common';
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

/** Shared, durable counters of what the push endpoints and consumers saw, by platform and source. */
@Injectable()
export class InboundCounters {
  constructor(
    @InjectRepository(InboundCounterEntity) private readonly repo: Repository<InboundCounterEntity>,
    private readonly clock: Clock,
  ) {}

  /** An atomic `count + 1` update, creating the row on first use (a racing creator just updates). */
  async bump(platform: string, source: string, outcome: InboundOutcome): Promise<void> {
    if (await this.increment(platform, source, outcome)) return;
    try {
      await this.repo.insert({ platform, source, outcome, count: 1, updatedAt: this.clock.now() });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.increment(platform, source, outcome);
    }
  }

  async stats(): Promise<InboundStatsRow[]> {
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

  private async increment(platform: string, source: string, outcome: string): Promise<boolean> {
    const res = await this.repo
      .createQueryBuilder()
      .update(InboundCounterEntity)
      .set({ count: () => 'count + 1', updatedAt: this.clock.now() })
      .where('platform = :platform AND source = :source AND outcome = :outcome', { platform, source, outcome })
      .execute();
    return (res.affected ?? 0) > 0;
  }
}
