/**
 * Two worker processes on one database (and one Redis, when configured): scheduled ticks run
 * exactly once per period, and an action whose worker is SIGKILLed mid-run completes exactly once
 * after the worker restarts. With Redis the killed job is retaken when its bull lock lapses; on the
 * embedded default the outbox sweeper re-enqueues it once its lease lapses.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Bull from 'bull';
import { DataSource } from 'typeorm';
import { ActionsService } from '../../src/actions/actions.service.js';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { PROBE_ACTION } from '../../src/diagnostics/diagnostics.module.js';
import { KEFU_QUEUE } from '../../src/jobs/bull-job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
import { eventually } from '../support/eventually.js';
import { startService, waitForLine, type ServiceProcess } from '../support/processes.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const TICK_MS = 1000;

describe(`two worker processes (${backend.label})`, () => {
  let tb: TestBackend;
  let env: Record<string, string | undefined>;
  const workers: ServiceProcess[] = [];
  let callback: Server;
  let callbackUrl = '';
  const reports: { key: string; phase: string; pid: number }[] = [];

  beforeAll(async () => {
    tb = await freshBackend();
    const overrideFile = join(tb.dataDir, 'override.yaml');
    writeFileSync(
      overrideFile,
      [
        'scheduler:',
        '  ticks:',
        `    - { name: ${JOBS.heartbeat}, everyMs: ${TICK_MS}, job: ${JOBS.heartbeat} }`,
        `    - { name: ${JOBS.actionsSweep}, everyMs: 500, job: ${JOBS.actionsSweep} }`,
        'actions: { staleAfterMs: 1500, leaseMs: 2500 }',
        'jobs: { lockMs: 2000, stalledCheckMs: 1000, backoffMs: 200 }',
      ].join('\n'),
    );
    env = { ...tb.env, KEFU_CONFIG_FILE: overrideFile, KEFU_DIAGNOSTICS: 'on', LOG_LEVEL: 'info' };
    callback = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        reports.push(JSON.parse(body) as { key: string; phase: string; pid: number });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(callback.address() as { port: number }).port}/probe`;
    // Apply the schema before the workers race for it (they would wait on the migration lock anyway).
    const setup = await startTestApp({ backend: tb, env: { ...env, KEFU_ROLE: 'api' } });
    await setup.close();
    for (let i = 0; i < 2; i++) workers.push(startService(env, ['--role=worker']));
    await Promise.all(workers.map((w) => waitForLine(w, 'kefu-bridge started')));
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await new Promise<void>((r) => callback.close(() => r()));
    if (tb.env.REDIS_URL) {
      const queue = new Bull(KEFU_QUEUE, tb.env.REDIS_URL, { prefix: tb.config.queue.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await tb.dispose();
  });

  it('runs each scheduled tick exactly once per period across both workers', async () => {
    const ds = await new DataSource({ ...(await dataSourceOf(tb)) }).initialize();
    try {
      await eventually(async () => {
        const rows: { period: string; runs: number }[] = await ds.query('SELECT period, runs FROM schedule_ticks WHERE name = ? AND runs > 0', [JOBS.heartbeat]);
        expect(rows.length).toBeGreaterThanOrEqual(4);
      }, 20000);
      const rows: { period: string; runs: number; claimed_by: string }[] = await ds.query('SELECT period, runs, claimed_by FROM schedule_ticks WHERE name = ? ORDER BY period', [JOBS.heartbeat]);
      const settled = rows.slice(0, -1); // the newest period may still be running
      expect(settled.every((r) => Number(r.runs) === 1)).toBe(true);
      expect(new Set(rows.map((r) => r.period)).size).toBe(rows.length);
      // Both processes were firing: claims came from both pids over the run.
      const claimers = new Set(rows.map((r) => r.claimed_by.split(':').pop()));
      expect([...claimers].every((pid) => workers.some((w) => String(w.pid) === pid))).toBe(true);
    } finally {
      await ds.destroy();
    }
  }, 40000);

  it('completes an action exactly once after its worker is killed mid-run and restarted', async () => {
    const producer = await startTestApp({ backend: tb, env: { ...env, KEFU_ROLE: 'api' } });
    // The producer stays up until the end: closing a test app clears its queue on Redis, and the job
    // must still be there for a worker to take it (and to take it again after the kill).
    try {
      await killMidRun(producer);
    } finally {
      await producer.close();
    }
  }, 60000);

  async function killMidRun(producer: TestApp): Promise<void> {
    const { action } = await producer.app.get(ActionsService).request({
      type: PROBE_ACTION,
      idempotencyKey: 'probe:kill-mid-run',
      payload: { callbackUrl, holdMs: 3000 },
    });

    await eventually(() => expect(reports.some((r) => r.phase === 'started')).toBe(true), 20000);
    const victim = workers.find((w) => w.pid === reports.find((r) => r.phase === 'started')!.pid)!;
    expect(await victim.stop('SIGKILL')).toBe('SIGKILL');
    const restarted = startService(env, ['--role=worker']);
    workers.push(restarted);
    await waitForLine(restarted, 'kefu-bridge started');

    await eventually(() => expect(reports.filter((r) => r.phase === 'done')).toHaveLength(1), 30000);
    await new Promise((r) => setTimeout(r, 4000)); // long enough for a second, wrong completion to show
    expect(reports.filter((r) => r.phase === 'done')).toHaveLength(1);
    expect(reports.filter((r) => r.phase === 'started').length).toBeGreaterThanOrEqual(2);
    expect(reports.find((r) => r.phase === 'done')!.pid).not.toBe(victim.pid);

    const ds = await new DataSource(await dataSourceOf(tb)).initialize();
    try {
      const row = await ds.getRepository(ActionEntity).findOneByOrFail({ id: action.id });
      expect(row.status).toBe('done');
      expect(row.attempts).toBeGreaterThanOrEqual(2);
    } finally {
      await ds.destroy();
    }
  }

  it('stops a worker gracefully on SIGTERM', async () => {
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const code = await live[0].stop('SIGTERM');
    expect(code).toBe(0);
  }, 30000);
});

async function dataSourceOf(tb: TestBackend) {
  const { dataSourceOptions } = await import('../../src/database/data-source.factory.js');
  return dataSourceOptions(tb.config.database);
}
