import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { OrderEvents } from '../orders/order-events.js';
import type { OrderChanged } from '../orders/order-ingest.js';
import { OrderEntity } from '../orders/order.entity.js';
import { RulesService } from './rules.service.js';

export interface EvaluatePayload {
  orderId: number;
}

/** A scan job reads at most this many pages of due orders; the next tick takes the rest. */
const MAX_SCAN_PAGES = 20;

/**
 * When rules run: on every committed order change, and when an order's next check comes. A change
 * marks the order due at once (so a lost job is found by the next scan) and enqueues its evaluation;
 * the scan reads due orders by the ix_orders_rules_due index, never the open orders as a whole.
 */
@Injectable()
export class RulesProcessor implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly events: OrderEvents,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((e) => this.onChanged(e));
    this.queue.register<EvaluatePayload>(JOBS.rulesEvaluate, async (p) => void (await this.rules.evaluate(p.orderId)));
    this.queue.register(JOBS.rulesScan, async () => void (await this.scan()));
  }

  async onChanged(e: OrderChanged): Promise<void> {
    const now = this.clock.now();
    await this.ds
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ rulesDueAt: now })
      .where('id = :id AND (rules_due_at IS NULL OR rules_due_at > :now)', { id: e.orderId, now })
      .execute();
    // One evaluation per stored version: a duplicated event collapses into the waiting job.
    await this.queue.add(JOBS.rulesEvaluate, { orderId: e.orderId }, { jobId: `rules:${e.orderId}:v${e.version}` });
  }

  /** Enqueues an evaluation for every order whose next check has come; returns how many. */
  async scan(): Promise<number> {
    const now = this.clock.now();
    const batch = this.config.rules.scanBatch;
    let after: { dueAt: Date; id: number } | null = null;
    let total = 0;
    for (let page = 0; page < MAX_SCAN_PAGES; page++) {
      const qb = this.ds
        .getRepository(OrderEntity)
        .createQueryBuilder('o')
        .select(['o.id', 'o.rulesDueAt'])
        .where('o.rules_due_at <= :now', { now });
      // Keyset paging along the index: stable while evaluations move rows out of the range.
      if (after) qb.andWhere('(o.rules_due_at > :d OR (o.rules_due_at = :d AND o.id > :id))', { d: after.dueAt, id: after.id });
      const rows = await qb.orderBy('o.rules_due_at', 'ASC').addOrderBy('o.id', 'ASC').limit(batch).getMany();
      for (const r of rows) {
        await this.queue.add(JOBS.rulesEvaluate, { orderId: r.id }, { jobId: `rules:${r.id}:due:${r.rulesDueAt!.getTime()}` });
      }
      total += rows.length;
      if (rows.length < batch) break;
      const last = rows[rows.length - 1];
      after = { dueAt: last.rulesDueAt!, id: last.id };
    }
    return total;
  }
}
