import { BullModule, getQueueToken } from '@nestjs/bull';
import { Global, Inject, Injectable, Module, type BeforeApplicationShutdown, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../config/config.schema.js';
import { BullJobQueue, KEFU_QUEUE } from './bull-job-queue.js';
import { JobQueue } from './job-queue.js';
import { MemoryJobQueue } from './memory-job-queue.js';

/** Starts processing in worker processes and drains the queue on shutdown. */
@Injectable()
export class JobsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.role !== 'api') await this.queue.start(this.config.jobs.concurrency);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const defaults = { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, keepFailed: config.jobs.keepFailed };
    if (config.queue.driver === 'redis') {
      return {
        module: JobsModule,
        imports: [
          BullModule.forRoot({
            url: config.queue.redisUrl,
            prefix: config.queue.prefix,
            settings: { lockDuration: config.jobs.lockMs, stalledInterval: config.jobs.stalledCheckMs, maxStalledCount: 2 },
          }),
          BullModule.registerQueue({ name: KEFU_QUEUE }),
        ],
        providers: [
          { provide: JobQueue, useFactory: (q: Queue) => new BullJobQueue(q, defaults), inject: [getQueueToken(KEFU_QUEUE)] },
          JobsLifecycle,
        ],
        exports: [JobQueue],
      };
    }
    return {
      module: JobsModule,
      providers: [{ provide: JobQueue, useFactory: () => new MemoryJobQueue(defaults) }, JobsLifecycle],
      exports: [JobQueue],
    };
  }
}
