/**
 * An api-only kefu-bridge in the test process and worker child processes on the same backend, against
 * an in-process sandbox on real time (leases and staleness compare times across processes). A test
 * slows one platform down, waits until a worker has a platform call on the wire, SIGKILLs it, and
 * lets a new worker take the action up once its lease lapses; the sandbox counts what arrived.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import Bull from 'bull';
import { ActionEntity } from '../../../src/actions/action.entity.js';
import { KEFU_QUEUE } from '../../../src/jobs/bull-job-queue.js';
import { JOBS } from '../../../src/jobs/job-names.js';
import type { SbService } from '../../../src/sandbox/core/contract.js';
import type { SandboxOptions } from '../../../src/sandbox/server.js';
import { ShopSettingsService } from '../../../src/shops/shop-settings.service.js';
import { startAftersaleEnv, type AftersaleEnv, type Mp } from '../../aftersale/support/aftersale-env.js';
import { eventually } from '../../support/eventually.js';
import { startService, waitForLine, type ServiceProcess } from '../../support/processes.js';

/** Every call to a slowed platform takes this long, so a kill lands while the call is in flight. */
export const LATENCY_MS = 1500;

export interface KilledWorkerEnv {
  env: AftersaleEnv;
  /** Platform calls of this service that the sandbox answered (it records a call once it is done). */
  calls(service: SbService, method: string): number;
  /** Every call to `service` takes LATENCY_MS until the next kill. */
  slow(service: SbService): void;
  /**
   * Waits until `started` says the call is on the wire, lets half the latency pass, SIGKILLs the worker,
   * lifts the latency (the killed call still completes in the sandbox) and starts another worker.
   */
  killMidCall(started: () => Promise<boolean> | boolean): Promise<void>;
  /** Waits until a worker has completed the action. */
  done(actionId: number): Promise<ActionEntity>;
  close(): Promise<void>;
}

export async function startKilledWorkerEnv(opts: { seed: number; sandbox?: SandboxOptions }): Promise<KilledWorkerEnv> {
  const env = await startAftersaleEnv({ seed: opts.seed, env: { KEFU_ROLE: 'api' }, sandbox: { ...opts.sandbox, startAt: Date.now() } });
  const workers: ServiceProcess[] = [];
  const close = async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    if (env.t.backend.env.REDIS_URL) {
      const queue = new Bull(KEFU_QUEUE, env.t.backend.env.REDIS_URL, { prefix: env.t.config.queue.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await env.close();
  };
  try {
    // Buyer messages wait out quiet hours by the workers' real clock: none here, whenever the test runs.
    const settings = env.t.app.get(ShopSettingsService);
    for (const mp of ['taobao', 'kuaishou'] satisfies Mp[]) await settings.patch(env.shops[mp], { unpaid: { quietHours: { start: '00:00', end: '00:00' } } });
    const overrideFile = join(env.t.backend.dataDir, 'worker.yaml');
    writeFileSync(
      overrideFile,
      [
        'scheduler:',
        '  ticks:',
        `    - { name: ${JOBS.actionsSweep}, everyMs: 500, job: ${JOBS.actionsSweep} }`,
        'actions: { staleAfterMs: 1500, leaseMs: 2500 }',
        'jobs: { lockMs: 2000, stalledCheckMs: 1000, backoffMs: 200 }',
      ].join('\n'),
    );
    const workerEnv = { ...env.t.backend.env, KEFU_SANDBOX_URL: env.sb.url, KEFU_CONFIG_FILE: overrideFile, LOG_LEVEL: 'info' };
    const startWorker = async () => {
      const w = startService(workerEnv, ['--role=worker']);
      workers.push(w);
      await waitForLine(w, 'kefu-bridge started');
    };
    await startWorker();
    const action = (id: number) => env.ds.getRepository(ActionEntity).findOneByOrFail({ id });
    return {
      env,
      close,
      calls: (service, method) => env.sb.ctx.calls.calls({ platform: service, method }).length,
      slow: (service) => env.sb.ctx.faults.set(service, { latencyMs: LATENCY_MS }),
      async killMidCall(started) {
        await eventually(async () => expect(await started()).toBe(true), 30_000, 10);
        await new Promise((r) => setTimeout(r, LATENCY_MS / 2));
        expect(await workers.at(-1)!.stop('SIGKILL')).toBe('SIGKILL');
        env.sb.ctx.faults.clear();
        await startWorker();
      },
      async done(actionId) {
        await eventually(async () => expect((await action(actionId)).status).toBe('done'), 40_000);
        return action(actionId);
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
