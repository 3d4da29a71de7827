import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { errorText } from '../../common/errors.js';
import { JobQueue, PermanentJobError, type JobContext } from '../../jobs/job-queue.js';
import { JOBS } from '../../jobs/job-names.js';
import { readKd100Push } from '../../platforms/tracking/tracking.push.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { DrainGate } from '../../jobs/drain-gate.js';
import { InboundCounters } from './inbound-counters.service.js';
import { InboundDrain, type RowOutcome } from './inbound-drain.service.js';
import { AppConfig } from '../../config/config.schema.js';
import { inboundJobId, type InboundGroupJob, type InboundPayload, type InboundProcessJob } from './inbound-events.service.js';
import { TrackingIngest } from './tracking-ingest.service.js';

/**
 * Acts on a stored event. A push only says "this order changed": the order is fetched again from the
 * platform (pushes may be stale or reordered) and handed to ingestion, which is monotonic by the
 * platform's modified time. The row leaves `received` exactly once, in the same transaction as the ingest.
 *
 * Order events go in batches (InboundDrain), one drain at a time per platform and source in this process:
 * a job whose row a running drain took waits for that drain's outcome for its row; any other job waits
 * and then drains (its row and the oldest others). Each job ends by what happened to its own row, so a
 * failed fetch retries only that row's job. Kuaidi100 tracking callbacks keep the one-row path.
 */
@Injectable()
export class InboundProcessor implements OnModuleInit {
  private readonly gate = new DrainGate<RowOutcome>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly counters: InboundCounters,
    private readonly tracking: TrackingIngest,
    private readonly clock: Clock,
    private readonly drains: InboundDrain,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register<InboundProcessJob>(JOBS.inboundProcess, (p, ctx) => this.process(p.inboundId, ctx));
    this.queue.register<InboundGroupJob>(JOBS.inboundGroup, (p) => this.processGroup(p.inboundIds));
  }

  /**
   * The job of events stored together: each is drained in turn (most are settled by the first drains).
   * An event whose drain failed, or that takes the one-row path (a tracking callback), is handed to a
   * job of its own, which retries it with the queue's backoff and marks it failed on its last attempt.
   */
  async processGroup(inboundIds: number[]): Promise<void> {
    /** Event id → delay of its own job: none for a tracking callback, the queue's backoff after a failure. */
    const own = new Map<number, number>();
    for (const id of inboundIds) {
      try {
        if (this.drains.settledHere(id)) continue;
        const row = await this.waiting(id);
        if (!row) continue;
        if (row.source === 'kd100') own.set(id, 0);
        else if ((await this.drainFor(row))?.kind === 'failed') own.set(id, this.config.jobs.backoffMs);
      } catch {
        own.set(id, this.config.jobs.backoffMs);
      }
    }
    await this.queue.addMany<InboundProcessJob>(
      JOBS.inboundProcess,
      [...own].map(([inboundId, delayMs]) => ({ payload: { inboundId }, opts: { jobId: inboundJobId(inboundId), delayMs } })),
    );
  }

  async process(inboundId: number, ctx?: JobContext): Promise<void> {
    // Most jobs find their row settled by a batch drained here: no need to read it.
    if (this.drains.settledHere(inboundId)) return;
    const row = await this.waiting(inboundId);
    if (!row) return;
    if (row.source === 'kd100') return this.processTracking(row, ctx);
    const outcome = await this.drainFor(row);
    if (outcome?.kind !== 'failed') return;
    await this.failed(row, outcome.error, ctx);
  }

  /** The outcome for `row` of the drain that took it (a running one, or one started for it). */
  private drainFor(row: InboundEventEntity): Promise<RowOutcome | undefined> {
    let current = row;
    return this.gate.outcomeFor(
      `${row.platform}|${row.source}`,
      row.id,
      () => this.drains.drain(current),
      async () => {
        const fresh = await this.waiting(row.id);
        if (fresh) current = fresh;
        return fresh !== null;
      },
    );
  }

  /** Retried by the queue; on the last attempt (or a permanent error) the row is marked failed. */
  private async failed(row: InboundEventEntity, err: unknown, ctx?: JobContext): Promise<never> {
    const last = !ctx || ctx.attempt >= ctx.maxAttempts || err instanceof PermanentJobError;
    if (last) {
      await this.finish(row.id, 'failed', null, errorText(err, 512));
      this.drains.settled(row.id);
    }
    throw err;
  }

  private async processTracking(row: InboundEventEntity, ctx?: JobContext): Promise<void> {
    try {
      await this.applyTracking(row);
    } catch (err) {
      if (err instanceof UnknownWaybill) return this.rejectWaybill(row, err);
      await this.failed(row, err, ctx);
    }
  }

  private async applyTracking(row: InboundEventEntity): Promise<void> {
    const payload = JSON.parse(row.payload) as InboundPayload;
    const push = readKd100Push(payload.content);
    const applied = await this.tracking.apply(push);
    if (!applied) throw new UnknownWaybill(`no shipment with waybill ${push.result.trackingNo || '(none)'}`);
    await this.finish(row.id, 'processed', applied.shopId, null);
  }

  private async rejectWaybill(row: InboundEventEntity, err: UnknownWaybill): Promise<void> {
    if (await this.finish(row.id, 'rejected', null, err.message))
      await this.counters.bump(row.platform, row.source, 'unknown_waybill');
  }

  /** The row while it is still `received`, else null. */
  private async waiting(id: number): Promise<InboundEventEntity | null> {
    const row = await this.db.getRepository(InboundEventEntity).findOne({ where: { id } });
    return row?.status === 'received' ? row : null;
  }

  /** Moves a `received` row to its final status; false when it had left `received` already. */
  private async finish(id: number, status: string, shopId: number | null, error: string | null): Promise<boolean> {
    const res = await this.db
      .getRepository(InboundEventEntity)
      .update(
        { id, status: 'received' },
        { status, shopId, error: error?.slice(0, 512) ?? null, processedAt: this.clock.now() },
      );
    return (res.affected ?? 0) > 0;
  }
}

/** A tracking callback for a waybill no stored shipment has. */
class UnknownWaybill extends Error {}
