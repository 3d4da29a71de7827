import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { bounded } from '../common/bounded.js';
import { GroupCommit } from '../common/group-commit.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { dateParam } from '../database/columns.js';
import { DrainGate } from '../jobs/drain-gate.js';
import { OrderEvents } from '../orders/order-events.js';
import type { OrderChanged } from '../orders/order-ingest.js';
import { OrderEntity } from '../orders/order.entity.js';
import { RulesService } from './rules.service.js';

export interface EvaluatePayload {
  orderId: number;
  /** The stored version that asked for this evaluation (absent for the due scan's jobs). */
  version?: number;
}

/**
 * What a batch did for one order it took: the order's version when the batch picked it (the evaluation
 * saw that version or a later one), or the error that failed the whole batch.
 */
interface BatchOutcome {
  version?: number;
  error?: Error;
}

interface DueOrder {
  id: number;
  version: number;
}

/** Raw rows may carry numbers as strings (mysql2 BIGINT). */
const dueOrder = (r: DueOrder): DueOrder => ({ id: Number(r.id), version: Number(r.version) });

/** Orders remembered in `evaluatedHere`: about the changes of a busy hour. */
const MAX_EVALUATED_HERE = 50_000;

/** A scan job reads at most this many pages of due orders; the next tick takes the rest. */
const MAX_SCAN_PAGES = 20;

/**
 * When rules run: on every committed order change, and when an order's next check comes. A change
 * marks the order due at once (the ingest does it in the write that made the change; other sources here),
 * so a lost job is found by the next scan, and enqueues its evaluation;
 * the scan reads due orders by the ix_orders_rules_due index, never the open orders as a whole.
 */
@Injectable()
export class RulesProcessor implements OnModuleInit {
  /** One evaluation batch at a time in this process. */
  private readonly gate = new DrainGate<BatchOutcome>();
  /** Order id → the version a batch of this process evaluated last: a job for that version or an older one has nothing to do. */
  private readonly evaluatedHere = new Map<number, number>();

  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly events: OrderEvents,
    private readonly rules: RulesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((es) => this.onChanged(es));
    this.queue.register<EvaluatePayload>(JOBS.rulesEvaluate, (p) => this.evaluateDue(p.orderId, p.version));
    this.queue.register(JOBS.rulesScan, async () => void (await this.scan()));
  }

  /** The evaluation jobs of a burst of changes (a batch's ingest) go to the queue together. */
  private readonly jobs = new GroupCommit<OrderChanged, void>(500, async (changes) => {
    await this.queue.addMany<EvaluatePayload>(
      JOBS.rulesEvaluate,
      changes.map((e) => ({ payload: { orderId: e.orderId, version: e.version }, opts: { jobId: `rules:${e.orderId}:v${e.version}` } })),
    );
    return changes.map(() => ({ status: 'fulfilled', value: undefined }));
  });

  async onChanged(events: readonly OrderChanged[]): Promise<void> {
    for (const e of events) if (!e.dueMarked) await this.markDue(e.orderId);
    // One evaluation per stored version: a duplicated event collapses into the waiting job.
    await Promise.all(events.map((e) => this.jobs.submit(e)));
  }

  /**
   * The evaluation job of one order. Evaluations run in batches, one at a time in this process: the
   * job's order goes with up to `rules.evaluateBatch - 1` other due orders. A job whose order is in the
   * batch running waits for it; one whose order is not waits and then runs the next. An order no longer
   * due was evaluated since its job was queued (by a batch, or an earlier job) and needs nothing; one
   * that another process is evaluating at that moment is left to it (and to the due scan, should it fail).
   * A batch that picked the order before `version` was stored did not see it: the job goes again.
   */
  async evaluateDue(orderId: number, version?: number): Promise<void> {
    if (version !== undefined && (this.evaluatedHere.get(orderId) ?? -1) >= version) return;
    for (;;) {
      const outcome = await this.gate.outcomeFor('rules', orderId, () => this.runBatch(orderId), () => this.isDue(orderId));
      if (outcome?.error) throw outcome.error;
      if (!outcome || version === undefined || (outcome.version ?? 0) >= version) return;
    }
  }

  /** Evaluates the order (if still due) with others due; an outcome for every order it took. */
  private async runBatch(orderId: number): Promise<ReadonlyMap<number, BatchOutcome>> {
    let picked: DueOrder[] = [];
    try {
      picked = await this.dueWith(orderId);
      if (picked.length) await this.rules.evaluateMany(picked.map((o) => o.id));
      for (const o of picked) {
        this.evaluatedHere.delete(o.id);
        bounded(this.evaluatedHere, MAX_EVALUATED_HERE).set(o.id, o.version);
      }
      return new Map(picked.map((o) => [o.id, { version: o.version }]));
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return new Map([orderId, ...picked.map((o) => o.id)].map((id) => [id, { error }]));
    }
  }

  private async isDue(orderId: number): Promise<boolean> {
    return (await this.dueWith(orderId, 1)).length > 0;
  }

  /** The order if it is due, then the oldest other due orders, up to `limit` in all, with their versions. */
  private async dueWith(orderId: number, limit = this.config.rules.evaluateBatch): Promise<DueOrder[]> {
    const now = dateParam(this.ds, this.clock.now());
    const repo = this.ds.getRepository(OrderEntity);
    const own = await repo
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .addSelect('o.version', 'version')
      .where('o.id = :orderId AND o.rules_due_at <= :now', { orderId, now })
      .getRawOne<DueOrder>();
    if (!own) return [];
    if (limit <= 1) return [dueOrder(own)];
    const others = await repo
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .addSelect('o.version', 'version')
      .where('o.rules_due_at <= :now AND o.id <> :orderId', { now, orderId })
      .orderBy('o.rules_due_at', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit - 1)
      .getRawMany<DueOrder>();
    return [dueOrder(own), ...others.map(dueOrder)];
  }

  private async markDue(orderId: number): Promise<void> {
    const now = this.clock.now();
    await this.ds
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ rulesDueAt: now })
      .where('id = :id AND (rules_due_at IS NULL OR rules_due_at > :now)', { id: orderId, now })
      .execute();
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
