/**
 * One contract, two drivers: the in-process queue always, bull when REDIS_URL is set
 * (CI runs the suite both ways).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import Bull from 'bull';
import { BullJobQueue } from '../../src/jobs/bull-job-queue.js';
import { JobQueue, PermanentJobError, type JobContext } from '../../src/jobs/job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
import { MemoryJobQueue } from '../../src/jobs/memory-job-queue.js';
import { eventually } from '../support/eventually.js';

const defaults = { attempts: 3, backoffMs: 20, keepFailed: 100 };

const drivers: [string, () => Promise<{ q: JobQueue; dispose: () => Promise<void> }>][] = [
  ['memory', async () => ({ q: new MemoryJobQueue(defaults), dispose: async () => undefined })],
];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  drivers.push([
    'bull',
    async () => {
      const prefix = `kefu_contract_${randomBytes(4).toString('hex')}`;
      const queue = new Bull('kefu', url, { prefix, settings: { lockDuration: 2000, stalledInterval: 1000 } });
      return {
        q: new BullJobQueue(queue, defaults),
        dispose: async () => {
          const cleaner = new Bull('kefu', url, { prefix });
          await cleaner.obliterate({ force: true });
          await cleaner.close();
        },
      };
    },
  ]);
}

describe.each(drivers)('JobQueue contract (%s)', (_name, make) => {
  let q: JobQueue;
  let dispose: () => Promise<void>;
  const setup = async () => ({ q, dispose } = await make());
  afterEach(async () => {
    await q.close();
    await dispose();
  });

  it('runs a named job with its payload', async () => {
    await setup();
    const seen: unknown[] = [];
    q.register<{ tid: string }>('demo.echo', async (p) => void seen.push(p));
    await q.add('demo.echo', { tid: '3920487712345678901' });
    await q.start(2);
    await eventually(() => expect(seen).toEqual([{ tid: '3920487712345678901' }]));
  });

  it('collapses duplicates by job id', async () => {
    await setup();
    let runs = 0;
    q.register('demo.count', async () => void runs++);
    const a = await q.add('demo.count', {}, { jobId: 'poll:taobao:1' });
    const b = await q.add('demo.count', {}, { jobId: 'poll:taobao:1' });
    expect([a.added, b.added]).toEqual([true, false]);
    await q.start(2);
    await eventually(() => expect(runs).toBe(1));
    // A completed job frees its id.
    expect((await q.add('demo.count', {}, { jobId: 'poll:taobao:1' })).added).toBe(true);
    await eventually(() => expect(runs).toBe(2));
  });

  it('adds many jobs at once, each with its payload and options; an existing id collapses', async () => {
    await setup();
    const seen: number[] = [];
    q.register<{ n: number }>('demo.many', async (p) => void seen.push(p.n));
    await q.add('demo.many', { n: 0 }, { jobId: 'many:0' });
    await q.addMany<{ n: number }>(
      'demo.many',
      [0, 1, 2, 3].map((n) => ({ payload: { n }, opts: { jobId: `many:${n}` } })),
    );
    expect((await q.counts()).waiting).toBe(4);
    expect(await q.exists('many:3')).toBe(true);
    await q.start(2);
    await eventually(() => expect([...seen].sort()).toEqual([0, 1, 2, 3]));
  });

  it('runs waiting jobs by the priority of their name: actions, then pushes, then the rest, each in the order added', async () => {
    await setup();
    const ran: string[] = [];
    for (const name of [JOBS.rulesEvaluate, JOBS.inboundGroup, JOBS.actionExecute]) q.register<{ n: number }>(name, async (p) => void ran.push(`${name}#${p.n}`));
    await q.add(JOBS.rulesEvaluate, { n: 1 });
    await q.add(JOBS.inboundGroup, { n: 1 });
    await q.add(JOBS.actionExecute, { n: 1 });
    await q.add(JOBS.rulesEvaluate, { n: 2 });
    await q.addMany<{ n: number }>(JOBS.inboundGroup, [{ payload: { n: 2 } }, { payload: { n: 3 } }]);
    await q.add(JOBS.actionExecute, { n: 2 });
    await q.start(1);
    await eventually(() => expect(ran).toHaveLength(7));
    expect(ran).toEqual([
      `${JOBS.actionExecute}#1`,
      `${JOBS.actionExecute}#2`,
      `${JOBS.inboundGroup}#1`,
      `${JOBS.inboundGroup}#2`,
      `${JOBS.inboundGroup}#3`,
      `${JOBS.rulesEvaluate}#1`,
      `${JOBS.rulesEvaluate}#2`,
    ]);
  });

  it('holds a delayed job until its time', async () => {
    await setup();
    let ranAt = 0;
    q.register('demo.later', async () => void (ranAt = Date.now()));
    await q.start(1);
    const addedAt = Date.now();
    await q.add('demo.later', {}, { delayMs: 400, jobId: 'later' });
    expect((await q.counts()).delayed).toBe(1);
    await eventually(() => expect(ranAt).toBeGreaterThan(0));
    expect(ranAt - addedAt).toBeGreaterThanOrEqual(380);
  });

  it('retries with growing back-off, then succeeds', async () => {
    await setup();
    const attempts: JobContext[] = [];
    q.register('demo.flaky', async (_p, ctx) => {
      attempts.push(ctx);
      if (ctx.attempt < 3) throw new Error('platform busy');
    });
    await q.add('demo.flaky', {}, { attempts: 3, backoffMs: 50 });
    await q.start(1);
    await eventually(() => expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]));
    expect(attempts[0].maxAttempts).toBe(3);
    expect(await q.failed()).toEqual([]);
  });

  it('fails a permanent error at once and keeps it with its error', async () => {
    await setup();
    let runs = 0;
    q.register('demo.bad', async () => {
      runs++;
      throw new PermanentJobError('order 42 does not exist on the platform');
    });
    await q.add('demo.bad', { order: 42 }, { jobId: 'bad-1', attempts: 5 });
    await q.start(1);
    await eventually(async () => expect(await q.failed()).toHaveLength(1));
    const [failed] = await q.failed();
    expect(failed).toMatchObject({
      id: 'bad-1',
      name: 'demo.bad',
      payload: { order: 42 },
      error: 'order 42 does not exist on the platform',
    });
    expect(runs).toBe(1);
    // A kept failed job still owns its id.
    expect((await q.add('demo.bad', {}, { jobId: 'bad-1' })).added).toBe(false);
  });

  it('fails after the last attempt', async () => {
    await setup();
    q.register('demo.down', async () => {
      throw new Error('503 from gateway');
    });
    await q.add('demo.down', {}, { attempts: 2, backoffMs: 10, jobId: 'down-1' });
    await q.start(1);
    await eventually(async () =>
      expect((await q.failed()).map((f) => [f.id, f.error, f.attempts])).toEqual([['down-1', '503 from gateway', 2]]),
    );
  });

  it('lets an active job finish on close', async () => {
    await setup();
    let finished = false;
    let started = false;
    q.register('demo.slow', async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await q.add('demo.slow', {});
    await q.start(1);
    await eventually(() => expect(started).toBe(true));
    await q.close();
    expect(finished).toBe(true);
    ({ q } = await make()); // afterEach closes a fresh one
  });
});
