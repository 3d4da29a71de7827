import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { ActionExecutors } from '../../src/actions/action-executors.js';
import { ActionsService } from '../../src/actions/actions.service.js';
import { ManualClock } from '../../src/common/clock.js';
import { JobQueue, PermanentJobError } from '../../src/jobs/job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
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
