import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { AppConfig, type TickConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { ScheduleTickEntity } from './schedule-tick.entity.js';

export interface TickPayload {
  tick: string;
  period: string;
}

/**
 * Fires the configured ticks. A tick only enqueues its job; the job does the work. With several
 * processes on one database, the (tick, period) row that only one of them can insert decides which
 * process fires, and the job id `tick:<name>:<period>` collapses anything that slips through.
 */
@Injectable()
export class SchedulerService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('scheduler');
  private readonly holder = `${hostname()}:${process.pid}`;

  constructor(
    @InjectRepository(ScheduleTickEntity) private readonly ticks: Repository<ScheduleTickEntity>,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly registry: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.scheduler.enabled && this.config.role !== 'api';
  }

  onModuleInit(): void {
    this.queue.register<TickPayload>(JOBS.heartbeat, (p) => this.recordRun(p));
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    for (const tick of this.config.scheduler.ticks) {
      const handle = setInterval(() => void this.fire(tick).catch((err: unknown) => this.log.error({ msg: 'tick failed', tick: tick.name, err })), tick.everyMs);
      this.registry.addInterval(`tick:${tick.name}`, handle);
    }
  }

  onApplicationShutdown(): void {
    for (const name of this.registry.getIntervals()) if (name.startsWith('tick:')) this.registry.deleteInterval(name);
  }

  /** Claims this period of the tick and enqueues its job; false when another process already did. */
  async fire(tick: TickConfig): Promise<boolean> {
    const period = String(Math.floor(this.clock.nowMs() / tick.everyMs));
    try {
      await this.ticks.insert({ name: tick.name, period, claimedBy: this.holder, claimedAt: this.clock.now(), runs: 0, ranAt: null });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
    await this.queue.add<TickPayload>(tick.job, { tick: tick.name, period }, { jobId: `tick:${tick.name}:${period}` });
    return true;
  }

  /** The heartbeat job: proves ticks turn into jobs that run, once per period. */
  async recordRun(p: TickPayload): Promise<void> {
    await this.ticks
      .createQueryBuilder()
      .update(ScheduleTickEntity)
      .set({ runs: () => 'runs + 1', ranAt: this.clock.now() })
      .where('name = :name AND period = :period', { name: p.tick, period: p.period })
      .execute();
  }

  async lastHeartbeat(): Promise<Date | null> {
    const row = await this.ticks.findOne({ where: { name: JOBS.heartbeat }, order: { id: 'DESC' } });
    return row?.ranAt ?? null;
  }
}
