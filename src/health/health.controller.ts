import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.decorator.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { SchedulerService } from '../scheduling/scheduler.service.js';

interface Check {
  status: 'ok' | 'down';
  [k: string]: unknown;
}

/** Liveness (the process answers) and readiness (the database and the queue answer). */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly scheduler: SchedulerService,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  async ready(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const [database, queue] = await Promise.all([this.database(), this.queueCheck()]);
    const ok = database.status === 'ok' && queue.status === 'ok';
    res.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'error',
      role: this.config.role,
      uptimeS: Math.round(process.uptime()),
      database,
      queue,
      scheduler: { enabled: this.scheduler.enabled, lastHeartbeatAt: database.status === 'ok' ? await this.scheduler.lastHeartbeat() : null },
    };
  }

  private async database(): Promise<Check> {
    const driver = this.config.database.driver;
    try {
      await this.ds.query('SELECT 1');
      return { status: 'ok', driver };
    } catch (err) {
      return { status: 'down', driver, error: (err as Error).message };
    }
  }

  private async queueCheck(): Promise<Check> {
    const driver = this.queue.driver;
    if (!(await this.queue.ping())) return { status: 'down', driver };
    try {
      return { status: 'ok', driver, counts: await this.queue.counts() };
    } catch (err) {
      return { status: 'down', driver, error: (err as Error).message };
    }
  }
}
