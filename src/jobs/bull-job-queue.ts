import type { Job, Queue } from 'bull';
import { JOB_PRIORITY } from './job-names.js';
import {
  JobQueue,
  PermanentJobError,
  type AddOptions,
  type AddResult,
  type FailedJob,
  type JobCounts,
  type JobHandler,
} from './job-queue.js';

export const KEFU_QUEUE = 'kefu';

/** The production driver: one bull queue on Redis, shared by every worker process. */
export class BullJobQueue extends JobQueue {
  readonly driver = 'redis' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private started = false;

  constructor(
    private readonly queue: Queue,
    private readonly defaults: { attempts: number; backoffMs: number; keepFailed: number },
  ) {
    super();
  }

  register<P>(name: string, handler: JobHandler<P>): void {
    this.handlers.set(name, handler as JobHandler);
  }

  async add<P>(name: string, payload: P, opts: AddOptions = {}): Promise<AddResult> {
    // bull ignores an add whose jobId exists; tell the caller whether this one was new.
    if (opts.jobId && (await this.exists(opts.jobId))) return { id: opts.jobId, added: false };
    const job = await this.queue.add(name, payload, this.jobOptions(opts, name));
    return { id: String(job.id), added: true };
  }

  async addMany<P>(name: string, jobs: { payload: P; opts?: AddOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue.addBulk(jobs.map((j) => ({ name, data: j.payload, opts: this.jobOptions(j.opts ?? {}, name) })));
  }

  private jobOptions(opts: AddOptions, name: string) {
    return {
      jobId: opts.jobId,
      // bull puts a job with a priority ahead of every job without one (priority 0), as JOB_PRIORITY means.
      priority: JOB_PRIORITY[name],
      delay: opts.delayMs,
      attempts: opts.attempts ?? this.defaults.attempts,
      backoff: { type: 'exponential', delay: opts.backoffMs ?? this.defaults.backoffMs },
      removeOnComplete: true,
      removeOnFail: this.defaults.keepFailed,
    };
  }

  async start(concurrency: number): Promise<void> {
    if (this.started) return;
    this.started = true;
    // '*' takes every job name; dispatch happens here so handlers can be registered by any module.
    void this.queue.process('*', concurrency, (job: Job) => this.dispatch(job));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  async failed(): Promise<FailedJob[]> {
    const jobs = await this.queue.getFailed();
    return jobs.map((j) => ({
      id: String(j.id),
      name: j.name,
      payload: j.data,
      error: j.failedReason ?? '',
      attempts: j.attemptsMade,
      failedAt: new Date(j.finishedOn ?? j.timestamp),
    }));
  }

  async counts(): Promise<JobCounts> {
    const c = await this.queue.getJobCounts();
    return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
  }

  async exists(jobId: string): Promise<boolean> {
    return (await this.queue.getJob(jobId)) !== null;
  }

  async remove(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job && !(await job.isActive())) await job.remove();
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.queue.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  private async dispatch(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name);
    const maxAttempts = job.opts.attempts ?? 1;
    try {
      if (!handler) throw new PermanentJobError(`no handler for job "${job.name}"`);
      await handler(job.data, { id: String(job.id), name: job.name, attempt: job.attemptsMade + 1, maxAttempts });
    } catch (err) {
      if (err instanceof PermanentJobError) await job.discard();
      throw err;
    }
  }
}
