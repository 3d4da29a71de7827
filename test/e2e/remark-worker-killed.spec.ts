/**
 * Exactly once under a crash (rules.md §2, idempotent remarks): the worker writing a remark is SIGKILLed
 * while its memo write is on the wire; a new worker takes the action up once its lease lapses, reads the
 * memo again, finds the line and writes nothing more. The sandbox counts the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Bull from 'bull';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { KEFU_QUEUE } from '../../src/jobs/bull-job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
import { RemarkEntity } from '../../src/remarks/remark.entity.js';
import { startAftersaleEnv, type AftersaleEnv } from '../aftersale/support/aftersale-env.js';
import type { ApiClient } from '../shops/shops-test-support.js';
import { eventually } from '../support/eventually.js';
import { startService, waitForLine, type ServiceProcess } from '../support/processes.js';
import { backend } from '../support/test-env.js';

/** Every Taobao call takes this long in the sandbox, so the kill lands while the memo write is in flight. */
const LATENCY_MS = 1500;

describe(`a remark whose worker is killed mid-write is written once (${backend.label})`, () => {
  let env: AftersaleEnv;
  let agent: ApiClient;
  let workerEnv: Record<string, string | undefined>;
  const workers: ServiceProcess[] = [];

  beforeAll(async () => {
    // This process only takes requests; the remark is written by worker processes. They keep real
    // time, so the sandbox runs on real time too (leases and staleness compare times across processes).
    env = await startAftersaleEnv({ seed: 35, env: { KEFU_ROLE: 'api' }, sandbox: { startAt: Date.now() } });
    agent = await env.as({ roles: ['in_sale'], agentId: 'kf11' });
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
    workerEnv = { ...env.t.backend.env, KEFU_SANDBOX_URL: env.sb.url, KEFU_CONFIG_FILE: overrideFile, LOG_LEVEL: 'info' };
    workers.push(startService(workerEnv, ['--role=worker']));
    await waitForLine(workers[0], 'kefu-bridge started');
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    if (env && env.t.backend.env.REDIS_URL) {
      const queue = new Bull(KEFU_QUEUE, env.t.backend.env.REDIS_URL, { prefix: env.t.config.queue.prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await env?.close();
  });

  it('the memo carries the line once, written once, and the action is done once', async () => {
    const o = await env.paidOrder('taobao');
    const reads = () => env.sb.ctx.calls.calls({ platform: 'taobao', method: 'taobao.trade.fullinfo.get' }).length;
    const readsBefore = reads();
    env.sb.ctx.faults.set('taobao', { latencyMs: LATENCY_MS });
    const res = await agent.post(`/api/orders/${o.id}/remarks`, { kind: 'ship_date', month: 12, day: 1, targets: ['marketplace'] });
    expect(res.status).toBe(201);
    const actionId = (res.body as { actions: { id: number }[] }).actions[0].id;

    // The writer reads the memo twice (merge, then the re-check) and then writes: kill it mid-write.
    await eventually(() => expect(reads() - readsBefore).toBeGreaterThanOrEqual(2), 30_000, 10);
    await new Promise((r) => setTimeout(r, LATENCY_MS / 2));
    expect(await workers[0].stop('SIGKILL')).toBe('SIGKILL');
    const restarted = startService(workerEnv, ['--role=worker']);
    workers.push(restarted);
    await waitForLine(restarted, 'kefu-bridge started');

    await eventually(async () => expect((await env.ds.getRepository(ActionEntity).findOneByOrFail({ id: actionId })).status).toBe('done'), 40_000);
    env.sb.ctx.faults.set('taobao', {});
    const sb = env.sb.world.order('taobao', o.platformOrderId)!;
    const date = (res.body as { date: string }).date;
    expect(sb.memo.split('\n').filter((l) => l.startsWith('12月1日发货,kf11,'))).toEqual([`12月1日发货,kf11,${date}`]);
    expect(sb.memoHistory.filter((h) => h.by.startsWith('api:'))).toHaveLength(1);
    const action = await env.ds.getRepository(ActionEntity).findOneByOrFail({ id: actionId });
    expect(action.attempts).toBeGreaterThanOrEqual(2);
    expect(action.result).toMatchObject({ status: 'written', present: true });
    expect(await env.ds.getRepository(RemarkEntity).countBy({ orderId: o.id, status: 'written' })).toBe(1);
  }, 90000);
});
