/**
 * Exactly once under a crash (rules.md §2, idempotent remarks): the worker writing a remark is SIGKILLed
 * while its memo write is on the wire; a new worker takes the action up once its lease lapses, reads the
 * memo again, finds the line and writes nothing more. The sandbox counts the writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RemarkEntity } from '../../src/remarks/remark.entity.js';
import type { ApiClient } from '../shops/shops-test-support.js';
import { backend } from '../support/test-env.js';
import { startKilledWorkerEnv, type KilledWorkerEnv } from './support/killed-worker-env.js';

describe(`a remark whose worker is killed mid-write is written once (${backend.label})`, () => {
  let k: KilledWorkerEnv;
  let agent: ApiClient;

  beforeAll(async () => {
    // This process only takes requests; the remark is written by worker processes.
    k = await startKilledWorkerEnv({ seed: 35 });
    agent = await k.env.as({ roles: ['in_sale'], agentId: 'kf11' });
  }, 60000);

  afterAll(async () => {
    await k?.close();
  });

  it('the memo carries the line once, written once, and the action is done once', async () => {
    const { env } = k;
    const o = await env.paidOrder('taobao');
    const reads = () => k.calls('taobao', 'taobao.trade.fullinfo.get');
    const readsBefore = reads();
    k.slow('taobao');
    const res = await agent.post(`/api/orders/${o.id}/remarks`, { kind: 'ship_date', month: 12, day: 1, targets: ['marketplace'] });
    expect(res.status).toBe(201);
    const actionId = (res.body as { actions: { id: number }[] }).actions[0].id;

    // The writer reads the memo twice (merge, then the re-check) and then writes: kill it mid-write.
    await k.killMidCall(() => reads() - readsBefore >= 2);

    const action = await k.done(actionId);
    const sb = env.sb.world.order('taobao', o.platformOrderId)!;
    const date = (res.body as { date: string }).date;
    expect(sb.memo.split('\n').filter((l) => l.startsWith('12月1日发货,kf11,'))).toEqual([`12月1日发货,kf11,${date}`]);
    expect(sb.memoHistory.filter((h) => h.by.startsWith('api:'))).toHaveLength(1);
    expect(action.attempts).toBeGreaterThanOrEqual(2);
    expect(action.result).toMatchObject({ status: 'written', present: true });
    expect(await env.ds.getRepository(RemarkEntity).countBy({ orderId: o.id, status: 'written' })).toBe(1);
  }, 90000);
});
