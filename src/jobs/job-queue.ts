/**
 * The one job-queue contract kefu-bridge codes against. Two drivers honour it the same way:
 * bull on Redis (production) and an in-process queue (the embedded default).
 *
 * - named jobs with a payload, dispatched to the handler registered for the name;
 * - a deterministic job id collapses duplicates while a job with that id is waiting, delayed,
 *   active or kept as failed (a completed job frees its id);
 * - delay; attempts with exponential backoff (backoffMs · 2^(n-1));
 * - waiting jobs run by their name's JOB_PRIORITY (lower first, names without one last), in the
 *   order they became ready within a priority;
 * - PermanentJobError fails the job at once, without retries;
 * - failed jobs are kept with their error; close() stops taking work and waits for active jobs.
 */
export interface JobContext {
  id: string;
  name: string;
  /** 1 on the first run */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler<P = unknown> = (payload: P, ctx: JobContext) => Promise<void>;

export interface AddOptions {
  jobId?: string;
  delayMs?: number;
  attempts?: number;
  backoffMs?: number;
}

export interface AddResult {
  id: string;
  /** false when a job with the same id already existed and this one collapsed into it */
  added: boolean;
}

export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  error: string;
  attempts: number;
  failedAt: Date;
}

export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Thrown by a handler when retrying cannot help (bad input, a permanent platform refusal). */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export abstract class JobQueue {
  abstract readonly driver: 'redis' | 'memory';
  abstract register<P>(name: string, handler: JobHandler<P>): void;
  abstract add<P>(name: string, payload: P, opts?: AddOptions): Promise<AddResult>;
  /**
   * Adds several jobs of one name at once (bull: one round trip). A job whose id already exists
   * collapses into it, as with add(), but which did is not reported: use it for fresh ids.
   */
  abstract addMany<P>(name: string, jobs: { payload: P; opts?: AddOptions }[]): Promise<void>;
  /** Start running jobs in this process (worker role). */
  abstract start(concurrency: number): Promise<void>;
  /** Stop taking new jobs, wait for active ones, release connections. */
  abstract close(): Promise<void>;
  abstract failed(): Promise<FailedJob[]>;
  abstract counts(): Promise<JobCounts>;
  /** Whether a job with this id is waiting, delayed, active or failed. */
  abstract exists(jobId: string): Promise<boolean>;
  /** Drops a waiting or delayed job (operators; tests that simulate a lost job). */
  abstract remove(jobId: string): Promise<void>;
  abstract ping(): Promise<boolean>;
}

export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}
