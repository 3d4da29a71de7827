import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { ActionExecutors } from '../../src/actions/action-executors.js';
import { ActionsService } from '../../src/actions/actions.service.js';
import { ManualClock } from '../../src/common/clock.js';
import { JobQueue, PermanentJobError } from '../../src/jobs/job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
import { PlatformError } from '../../src/platforms/errors.js';
import { backend } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe(`actions outbox (${backend.label})`, () => {
  let t: TestApp;
  let actions: ActionsService;
  let repo: Repository<ActionEntity>;
  let queue: JobQueue;
  const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
  const performed: string[] = [];
  let failuresLeft = 0;
  /** The platform errors test.platform meets, one per try, before it gets through. */
  const platformTrouble: PlatformError[] = [];
  const trouble = (code: 'RATE_LIMITED' | 'TRANSIENT', retryAfterMs?: number) =>
    new PlatformError({ code, platform: 'kuaishou', rawCode: code === 'RATE_LIMITED' ? '29' : '500', rawMessage: 'busy', retryAfterMs });

  /** The action once a job run after its `after`th try is done with it: done, failed, or pending until a deferral ends. */
  const settled = async (id: number, after = 0) => {
    let row!: ActionEntity;
    await eventually(async () => {
      row = await repo.findOneByOrFail({ id });
      expect(row.attempts > after && (row.status === 'done' || row.status === 'failed' || (row.status === 'pending' && row.leaseUntil !== null))).toBe(true);
    });
    return row;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { KEFU_SCHEDULER: 'off' }, overrides: { jobs: { backoffMs: 20, attempts: 3 } } });
    actions = t.app.get(ActionsService);
    repo = t.app.get(getRepositoryToken(ActionEntity));
    queue = t.app.get(JobQueue);
    const executors = t.app.get(ActionExecutors);
    executors.register('test.record', async (a) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('gateway timeout');
      }
      performed.push(a.idempotencyKey);
      return { ok: true };
    });
    executors.register('test.platform', async (a) => {
      const trouble = platformTrouble.shift();
      if (trouble) throw trouble;
      performed.push(a.idempotencyKey);
      return { ok: true };
    });
    executors.register('test.refused', async () => {
      throw new PermanentJobError('platform says the order is closed');
    });
  });
  afterAll(async () => t.close());

  it('stores, executes once and marks done; a repeated request returns the first action', async () => {
    const first = await actions.request({ type: 'test.record', idempotencyKey: 'remark:1:addr', payload: { line: '修改地址为:…' } });
    const again = await actions.request({ type: 'test.record', idempotencyKey: 'remark:1:addr', payload: { line: 'other' } });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, action: { id: first.action.id } });
    await eventually(async () => expect((await repo.findOneByOrFail({ id: first.action.id })).status).toBe('done'));
    const row = await repo.findOneByOrFail({ id: first.action.id });
    expect(row).toMatchObject({ attempts: 1, result: { ok: true }, payload: { line: '修改地址为:…' } });
    expect(performed.filter((k) => k === 'remark:1:addr')).toHaveLength(1);
  });

  it('retries a transient failure and records the error meanwhile', async () => {
    failuresLeft = 1;
    const { action } = await actions.request({ type: 'test.record', idempotencyKey: 'flaky:1', payload: {} });
    await eventually(async () => expect((await repo.findOneByOrFail({ id: action.id })).status).toBe('done'));
    const row = await repo.findOneByOrFail({ id: action.id });
    expect(row.attempts).toBe(2);
    expect(performed.filter((k) => k === 'flaky:1')).toHaveLength(1);
  });

  it('fails a permanent refusal without retrying, and keeps the reason', async () => {
    const { action } = await actions.request({ type: 'test.refused', idempotencyKey: 'refused:1', payload: {} });
    await eventually(async () => expect((await repo.findOneByOrFail({ id: action.id })).status).toBe('failed'));
    expect(await repo.findOneByOrFail({ id: action.id })).toMatchObject({ attempts: 1, lastError: 'PermanentJobError: platform says the order is closed' });
  });

  it('sweeps an action whose job was lost and performs it exactly once', async () => {
    // Stage without enqueueing: exactly what a crash between commit and enqueue leaves behind.
    const { action } = await actions.stage(repo.manager, { type: 'test.record', idempotencyKey: 'lost:1', payload: {} });
    expect(await queue.exists(`action:${action.id}`)).toBe(false);
    expect(await actions.sweep()).toBe(0); // not stale yet
    clock.advance(t.config.actions.staleAfterMs + 1000);
    expect(await actions.sweep()).toBe(1);
    await eventually(async () => expect((await repo.findOneByOrFail({ id: action.id })).status).toBe('done'));
    expect(await actions.sweep()).toBe(0);
    expect(performed.filter((k) => k === 'lost:1')).toHaveLength(1);
  });

  it('sweeps a stale action even while a job of the same name is still in the queue', async () => {
    const { action } = await actions.stage(repo.manager, { type: 'test.record', idempotencyKey: 'lingering:1', payload: {} });
    // The job that left the row pending has not left the queue yet (it is finishing, or far behind).
    await queue.add(JOBS.actionExecute, { actionId: action.id }, { jobId: `action:${action.id}`, delayMs: 3_600_000 });
    clock.advance(t.config.actions.staleAfterMs + 1000);
    expect(await actions.sweep()).toBe(1);
    await eventually(async () => expect((await repo.findOneByOrFail({ id: action.id })).status).toBe('done'));
    expect(performed.filter((k) => k === 'lingering:1')).toHaveLength(1);
    await queue.remove(`action:${action.id}`);
  });

  it('waits out a rate limit that outlasts its retries, and at once one that states a long wait', async () => {
    // The queue's three tries meet a rate limit each; after the wait, one that states 90 s, then one more.
    platformTrouble.push(...Array.from({ length: 3 }, () => trouble('RATE_LIMITED')), trouble('RATE_LIMITED', 90_000), trouble('RATE_LIMITED'));
    const { action } = await actions.request({ type: 'test.platform', idempotencyKey: 'storm:1', payload: {} });
    let tries = 0;
    for (const expectedWaitMs of [t.config.actions.troubleDeferMs, 90_000]) {
      const row = await settled(action.id, tries);
      tries = row.attempts;
      expect(row).toMatchObject({ status: 'pending', lastError: expect.stringContaining('RATE_LIMITED') });
      const waitMs = row.leaseUntil!.getTime() - clock.nowMs();
      expect(waitMs).toBeGreaterThanOrEqual(expectedWaitMs * 0.8);
      expect(waitMs).toBeLessThanOrEqual(expectedWaitMs * 1.2);
      expect(await actions.sweep()).toBe(0); // not before the wait is over
      clock.advance(waitMs + t.config.actions.staleAfterMs);
      expect(await actions.sweep()).toBe(1);
    }
    expect(tries).toBe(4);
    expect(await settled(action.id, tries)).toMatchObject({ status: 'done', attempts: 6 });
    expect(performed.filter((k) => k === 'storm:1')).toHaveLength(1);
  });

  it('waits after 5xx on its last try instead of failing, until the action is troubleRetryForMs old', async () => {
    platformTrouble.push(...Array.from({ length: 4 }, () => trouble('TRANSIENT')));
    const { action } = await actions.request({ type: 'test.platform', idempotencyKey: 'flaky-platform:1', payload: {} });
    const waiting = await settled(action.id);
    // The queue's three tries met a 5xx each; then the action waits rather than fails.
    expect(waiting).toMatchObject({ status: 'pending', attempts: 3, lastError: expect.stringContaining('TRANSIENT') });
    clock.advance(waiting.leaseUntil!.getTime() - clock.nowMs() + t.config.actions.staleAfterMs);
    expect(await actions.sweep()).toBe(1);
    expect(await settled(action.id, 3)).toMatchObject({ status: 'done', attempts: 5 });
    expect(performed.filter((k) => k === 'flaky-platform:1')).toHaveLength(1);

    // Past troubleRetryForMs the trouble fails the action like any other error.
    platformTrouble.push(...Array.from({ length: 3 }, () => trouble('TRANSIENT')));
    const old = await actions.stage(repo.manager, { type: 'test.platform', idempotencyKey: 'flaky-platform:2', payload: {} });
    await repo.update({ id: old.action.id }, { createdAt: new Date(clock.nowMs() - t.config.actions.troubleRetryForMs) });
    await actions.enqueue(old.action.id);
    expect(await settled(old.action.id)).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringContaining('TRANSIENT') });
    expect(performed.filter((k) => k === 'flaky-platform:2')).toHaveLength(0);
  });

  it('leaves a running action with a live lease alone, and retakes it once the lease lapses', async () => {
    const { action } = await actions.stage(repo.manager, { type: 'test.record', idempotencyKey: 'leased:1', payload: {} });
    // Another process took it and then died: status running, lease still in the future.
    await repo.update({ id: action.id }, { status: 'running', attempts: 1, leaseUntil: new Date(clock.nowMs() + t.config.actions.leaseMs) });
    clock.advance(t.config.actions.staleAfterMs + 1000);
    expect(await actions.sweep()).toBe(0);
    clock.advance(t.config.actions.leaseMs);
    expect(await actions.sweep()).toBe(1);
    await eventually(async () => expect((await repo.findOneByOrFail({ id: action.id })).status).toBe('done'));
    expect(await repo.findOneByOrFail({ id: action.id })).toMatchObject({ attempts: 2 });
    expect(performed.filter((k) => k === 'leased:1')).toHaveLength(1);
  });
});
