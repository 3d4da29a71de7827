import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import {
  backoffDelay,
  JobQueue,
  PermanentJobError,
  type AddOptions,
  type AddResult,
  type FailedJob,
  type JobCounts,
  type JobHandler,
} from './job-queue.js';
import { JOB_PRIORITY } from './job-names.js';

const priorityOf = (name: string): number => JOB_PRIORITY[name] ?? Infinity;
/** Every priority a job can have, lowest (first to run) first. */
const TIERS = [...new Set(Object.values(JOB_PRIORITY))].sort((a, b) => a - b).concat(Infinity);

interface MemJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  backoffMs: number;
  attemptsMade: number;
  state: 'waiting' | 'delayed' | 'active' | 'failed';
  timer?: NodeJS.Timeout;
  error?: string;
  failedAt?: Date;
}

/**
 * The embedded driver: jobs live in this process's memory. What a crash loses is recovered from the
 * database (the actions outbox sweeper, the scheduler's next tick), which is what makes it safe.
 */
export class MemoryJobQueue extends JobQueue {
  readonly driver = 'memory' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly jobs = new Map<string, MemJob>();
  /** Waiting jobs by JOB_PRIORITY (Infinity: names without one), tiers lowest first, each in the order they became ready. */
  private readonly ready = new Map<number, MemJob[]>(TIERS.map((p) => [p, []]));
  private readonly running = new Set<Promise<void>>();
  private concurrency = 0;
  private closed = false;
  /**
   * Jobs start in the async context the queue was made in, never in the context of whoever added
   * them: a job enqueued from inside a database transaction's turn (an after-commit hook) must not
   * inherit that turn and run its own transaction on top of the caller's.
   */
  private readonly detached = AsyncLocalStorage.snapshot();

  constructor(private readonly defaults: { attempts: number; backoffMs: number; keepFailed: number }) {
    super();
  }

  register<P>(name: string, handler: JobHandler<P>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  async add<P>(name: string, payload: P, opts: AddOptions = {}): Promise<AddResult> {
    const id = opts.jobId ?? randomUUID();
    if (this.jobs.has(id)) return { id, added: false };
    if (this.closed) throw new Error('job queue is closed');
    const job: MemJob = {
      id,
      name,
      // A copy, as a serialising queue would make: handlers never share objects with producers.
      payload: structuredClone(payload),
      attempts: opts.attempts ?? this.defaults.attempts,
      backoffMs: opts.backoffMs ?? this.defaults.backoffMs,
      attemptsMade: 0,
      state: 'waiting',
    };
    this.jobs.set(id, job);
    this.schedule(job, opts.delayMs ?? 0);
    return { id, added: true };
  }

  async addMany<P>(name: string, jobs: { payload: P; opts?: AddOptions }[]): Promise<void> {
    for (const j of jobs) await this.add(name, j.payload, j.opts);
  }

  async start(concurrency: number): Promise<void> {
    this.concurrency = concurrency;
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.concurrency = 0;
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async failed(): Promise<FailedJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.state === 'failed')
      .map((j) => ({
        id: j.id,
        name: j.name,
        payload: j.payload,
        error: j.error ?? '',
        attempts: j.attemptsMade,
        failedAt: j.failedAt ?? new Date(0),
      }));
  }

  async counts(): Promise<JobCounts> {
    const c: JobCounts = { waiting: 0, active: 0, delayed: 0, failed: 0 };
    for (const j of this.jobs.values()) c[j.state]++;
    return c;
  }

  async exists(jobId: string): Promise<boolean> {
    return this.jobs.has(jobId);
  }

  async remove(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job || job.state === 'active') return;
    if (job.timer) clearTimeout(job.timer);
    const list = this.ready.get(priorityOf(job.name))!;
    const i = list.indexOf(job);
    if (i >= 0) list.splice(i, 1);
    this.jobs.delete(jobId);
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  private schedule(job: MemJob, delayMs: number): void {
    if (delayMs <= 0) return this.makeReady(job);
    job.state = 'delayed';
    job.timer = setTimeout(() => {
      job.timer = undefined;
      this.makeReady(job);
    }, delayMs);
    job.timer.unref();
  }

  private makeReady(job: MemJob): void {
    job.state = 'waiting';
    this.ready.get(priorityOf(job.name))!.push(job);
    this.pump();
  }

  private next(): MemJob | undefined {
    for (const list of this.ready.values()) if (list.length) return list.shift();
    return undefined;
  }

  private pump(): void {
    while (!this.closed && this.running.size < this.concurrency) {
      const job = this.next();
      if (!job) return;
      const run = this.detached(() => this.run(job)).finally(() => {
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(job: MemJob): Promise<void> {
    job.state = 'active';
    job.attemptsMade++;
    const handler = this.handlers.get(job.name);
    try {
      if (!handler) throw new PermanentJobError(`no handler for job "${job.name}"`);
      await handler(job.payload, { id: job.id, name: job.name, attempt: job.attemptsMade, maxAttempts: job.attempts });
      this.jobs.delete(job.id);
    } catch (err) {
      const permanent = err instanceof PermanentJobError;
      if (!permanent && job.attemptsMade < job.attempts && !this.closed) {
        this.schedule(job, backoffDelay(job.backoffMs, job.attemptsMade));
        return;
      }
      this.fail(job, err);
    }
  }

  private fail(job: MemJob, err: unknown): void {
    job.state = 'failed';
    job.error = err instanceof Error ? err.message : String(err);
    job.failedAt = new Date();
    const failed = [...this.jobs.values()].filter((j) => j.state === 'failed');
    for (const old of failed.slice(0, Math.max(0, failed.length - this.defaults.keepFailed))) this.jobs.delete(old.id);
  }
}
