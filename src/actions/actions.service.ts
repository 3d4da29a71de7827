import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, type EntityManager, type Repository } from 'typeorm';
import { seeCommitted } from '../database/transactions.js';
import { Clock } from '../common/clock.js';
import { errorText, isUniqueViolation } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue, PermanentJobError, type JobContext } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { PlatformError } from '../platforms/errors.js';
import { ActionEntity } from './action.entity.js';
import { ActionExecutors } from './action-executors.js';

export interface ActionRequest {
  type: string;
  /** Same key, same action: a repeated request returns the first one. */
  idempotencyKey: string;
  shopId?: number | null;
  orderId?: number | null;
  payload: Record<string, unknown>;
}

/**
 * Thrown by an executor whose action must not run before a given time (a reminder that falls in
 * quiet hours): the action waits, pending, until then. It is not a failure and uses no retry.
 */
export class DeferAction extends Error {
  constructor(
    readonly until: Date,
    reason: string,
  ) {
    super(reason);
    this.name = 'DeferAction';
  }
}

/** Marks an executor failure that retrying cannot fix. */
export function isPermanent(err: unknown): boolean {
  return err instanceof PermanentJobError || (err as { permanent?: boolean })?.permanent === true;
}

/**
 * The actions outbox: store first, then execute by a job. Every side effect on a platform goes
 * through here, which is what lets kefu-bridge promise "nothing lost, nothing twice".
 */
@Injectable()
export class ActionsService implements OnModuleInit {
  private readonly log = new Logger('actions');

  constructor(
    @InjectRepository(ActionEntity) private readonly repo: Repository<ActionEntity>,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly executors: ActionExecutors,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register<{ actionId: number }>(JOBS.actionExecute, (p, ctx) => this.execute(p.actionId, ctx));
    this.queue.register(JOBS.actionsSweep, async () => void (await this.sweep()));
  }

  /** Stores the action (or finds the one with the same key) and enqueues its execution. */
  async request(req: ActionRequest): Promise<{ action: ActionEntity; created: boolean }> {
    const result = await this.stage(this.repo.manager, req);
    if (result.action.status === 'pending') await this.enqueue(result.action.id);
    return result;
  }

  /**
   * Stores the action inside the caller's transaction without enqueueing it, so the decision and its
   * action commit together; call enqueue() after the commit (or let the sweeper find it).
   */
  async stage(manager: EntityManager, req: ActionRequest): Promise<{ action: ActionEntity; created: boolean }> {
    const repo = manager.getRepository(ActionEntity);
    const existing = await repo.findOneBy({ idempotencyKey: req.idempotencyKey });
    if (existing) return { action: existing, created: false };
    const now = this.clock.now();
    try {
      const action = await repo.save(
        repo.create({ ...req, shopId: req.shopId ?? null, orderId: req.orderId ?? null, status: 'pending', attempts: 0, lastError: null, result: null, leaseUntil: null, createdAt: now, updatedAt: now, doneAt: null }),
      );
      return { action, created: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // The other request committed first: read its action as committed, not from this transaction's snapshot.
      return { action: await repo.findOneOrFail({ where: { idempotencyKey: req.idempotencyKey }, lock: seeCommitted(manager) }), created: false };
    }
  }

  find(idempotencyKey: string): Promise<ActionEntity | null> {
    return this.repo.findOneBy({ idempotencyKey });
  }

  /**
   * Queues the action's execution as job `action:<id>`, or `action:<id>:<variant>` where an earlier job of
   * the plain name may still be in the queue (a sweep, a deferral): the queue drops a job whose id it holds.
   */
  async enqueue(actionId: number, variant?: string, delayMs?: number): Promise<void> {
    const jobId = variant ? `action:${actionId}:${variant}` : `action:${actionId}`;
    await this.queue.add(JOBS.actionExecute, { actionId }, { jobId, delayMs });
  }

  async execute(actionId: number, ctx: JobContext): Promise<void> {
    const action = await this.claim(actionId);
    if (!action) return; // done, failed, or running under a live lease elsewhere
    // The attempt number fences this execution: renewals and the final write only touch the row
    // while it is still ours, so a run that lost its lease can never overwrite its successor.
    const fence = action.attempts;
    const renew = setInterval(() => void this.renewLease(actionId, fence).catch(() => undefined), this.config.actions.leaseMs / 3);
    try {
      const executor = this.executors.get(action.type);
      if (!executor) throw new PermanentJobError(`no executor for action type "${action.type}"`);
      const result = await executor(action);
      await this.finish(actionId, fence, { status: 'done', result: result ?? null, doneAt: this.clock.now(), lastError: null });
    } catch (err) {
      if (err instanceof DeferAction) return await this.defer(actionId, fence, err);
      const wait = this.waitOutTrouble(action, err, ctx);
      if (wait) return await this.defer(actionId, fence, wait);
      const last = isPermanent(err) || ctx.attempt >= ctx.maxAttempts;
      await this.finish(actionId, fence, { status: last ? 'failed' : 'pending', lastError: errorText(err), doneAt: last ? this.clock.now() : null });
      this.log.warn({ msg: 'action failed', actionId, type: action.type, attempt: ctx.attempt, final: last, error: errorText(err, 300) });
      throw isPermanent(err) && !(err instanceof PermanentJobError) ? new PermanentJobError(errorText(err)) : err;
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Records progress inside a running execution (what was done so far), committed at once: a re-run
   * after a crash finds it in `action.result` and can tell a side effect that may already have happened.
   * Only the execution holding the action may write it. `null` clears it.
   */
  async checkpoint(action: ActionEntity, data: Record<string, unknown> | null): Promise<void> {
    await this.repo.update({ id: action.id, status: 'running', attempts: action.attempts }, { result: data as never, updatedAt: this.clock.now() });
  }

  /** Re-enqueues actions whose job was lost (crash, a memory queue that restarted). */
  async sweep(): Promise<number> {
    const now = this.clock.nowMs();
    const stale = await this.repo.find({
      select: { id: true, status: true, leaseUntil: true, updatedAt: true },
      where: { status: In(['pending', 'running']), updatedAt: LessThan(new Date(now - this.config.actions.staleAfterMs)) },
      order: { id: 'ASC' },
      take: 1000,
    });
    let enqueued = 0;
    for (const a of stale) {
      // A running action under a live lease is someone's; a pending one with a lease is deferred until then.
      if (a.leaseUntil && a.leaseUntil.getTime() > now) continue;
      // Not `action:<id>`: the job that left the row as it is may still be in the queue, finishing, and
      // the queue would take this one for it. Named by the row's state, repeated sweeps add it once.
      await this.enqueue(a.id, `swept:${a.updatedAt.getTime()}`);
      enqueued++;
    }
    if (enqueued) this.log.log({ msg: 'sweeper re-enqueued actions', count: enqueued });
    return enqueued;
  }

  /** Takes the action for this execution: pending, or running under a lease that has lapsed. */
  private async claim(actionId: number): Promise<ActionEntity | null> {
    const now = this.clock.now();
    const res = await this.repo
      .createQueryBuilder()
      .update(ActionEntity)
      .set({ status: 'running', attempts: () => 'attempts + 1', leaseUntil: this.leaseFrom(now), updatedAt: now })
      .where('id = :id', { id: actionId })
      .andWhere("(status = 'pending' OR status = 'running') AND (lease_until IS NULL OR lease_until <= :now)", { now })
      .execute();
    return (res.affected ?? 0) > 0 ? this.repo.findOneByOrFail({ id: actionId }) : null;
  }

  /**
   * Platform trouble (a rate limit, a 5xx) passes, so it does not fail an action. The job's own retries
   * come first; once they are spent the action waits `troubleDeferMs` and gets a fresh job. A rate limit
   * that states a wait longer than the queue's backoff is waited out at once: trying sooner only meets it
   * again. Waits stop when the action is `troubleRetryForMs` old; then the failure counts as any other.
   */
  private waitOutTrouble(action: ActionEntity, err: unknown, ctx: JobContext): DeferAction | null {
    if (!(err instanceof PlatformError) || (err.code !== 'RATE_LIMITED' && err.code !== 'TRANSIENT')) return null;
    const stated = err.code === 'RATE_LIMITED' && (err.retryAfterMs ?? 0) > this.config.jobs.backoffMs ? err.retryAfterMs! : 0;
    if (!stated && ctx.attempt < ctx.maxAttempts) return null;
    const { troubleDeferMs, troubleRetryForMs } = this.config.actions;
    const now = this.clock.nowMs();
    if (now - action.createdAt.getTime() >= troubleRetryForMs) return null;
    // Spread out: actions turned back by one storm should not all come back in the same second.
    const waitMs = stated || Math.round(troubleDeferMs * (0.8 + 0.4 * Math.random()));
    return new DeferAction(new Date(now + waitMs), `platform trouble, trying again in ${Math.ceil(waitMs / 1000)} s: ${errorText(err, 300)}`);
  }

  /** Back to pending until `until` (kept in lease_until, which keeps claims and the sweeper off it), then run again. */
  private async defer(actionId: number, fence: number, d: DeferAction): Promise<void> {
    await this.finish(actionId, fence, { status: 'pending', lastError: d.message, doneAt: null, leaseUntil: d.until });
    const delayMs = Math.max(0, d.until.getTime() - this.clock.nowMs());
    await this.enqueue(actionId, `at:${d.until.getTime()}`, delayMs);
  }

  private async renewLease(actionId: number, fence: number): Promise<void> {
    const now = this.clock.now();
    await this.repo.update({ id: actionId, status: 'running', attempts: fence }, { leaseUntil: this.leaseFrom(now), updatedAt: now });
  }

  private leaseFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.actions.leaseMs);
  }

  private async finish(
    actionId: number,
    fence: number,
    fields: Pick<Partial<ActionEntity>, 'status' | 'lastError' | 'doneAt' | 'leaseUntil'> & { result?: Record<string, unknown> | null },
  ): Promise<void> {
    // TypeORM types simple-json columns too narrowly for update(); the value is plain JSON.
    await this.repo.update(
      { id: actionId, status: 'running', attempts: fence },
      { leaseUntil: null, ...fields, result: fields.result as never, updatedAt: this.clock.now() },
    );
  }
}
