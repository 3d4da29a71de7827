/**
 * Pushed order events are processed in batches: one job takes its event and the oldest other waiting
 * events of the platform, fetches each order once and records them in one transaction with one ingest
 * per shop. A failed fetch fails only its own event's job; two processes draining the same events claim
 * each event once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { In } from 'typeorm';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { JOBS } from '../../src/jobs/job-names.js';
import type { JobContext } from '../../src/jobs/job-queue.js';
import { InboundCounters } from '../../src/orders/push/inbound-counters.service.js';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { orderFields } from '../../src/orders/order-row.mapper.js';
import { InboundProcessor } from '../../src/orders/push/inbound-processor.service.js';
import { backend } from '../support/test-env.js';
import { KS, KS2, startPushEnv, type IngestCall, type PushEnv } from './push-test-env.js';

const jobCtx = (id: number, attempt = 1): JobContext => ({
  id: `inbound:${id}`,
  name: JOBS.inboundProcess,
  attempt,
  maxAttempts: 5,
});

describe(`batched processing of pushed events (${backend.label})`, () => {
  let env: PushEnv;
  let seq = 0;
  let received = Date.now();
  let fetches: string[] = [];

  const repo = () => env.db.getRepository(InboundEventEntity);
  const processor = (e: PushEnv = env) => e.app.get(InboundProcessor);
  const byIds = async (ids: number[]) => new Map((await repo().find({ where: { id: In(ids) } })).map((r) => [r.id, r]));
  /** Ingest calls made from here on, by whichever environment. */
  const callsSince = (e: PushEnv, from: number): IngestCall[] => e.ingest.calls.slice(from);
  const ordersIn = (calls: IngestCall[]) => calls.flatMap((c) => c.orders.map((o) => o.orderId));

  /** An order in the sandbox, in one of the two Kuaishou shops. */
  const order = (shopRef: string = KS.shopId): string => {
    const orderId = `26400000000${String(++seq).padStart(5, '0')}`;
    env.sb.world.addOrder({ platform: 'kuaishou', shopId: shopRef, orderId });
    return orderId;
  };

  /** A stored Kuaishou push, as the webhook leaves it, without its job: the tests run the jobs. */
  const stored = async (orderId: string | null, shopRef: string = KS.shopId, changedAt?: number): Promise<number> => {
    const row = repo().create({
      platform: 'kuaishou',
      source: 'ks_push',
      eventId: `batch-${++seq}`,
      shopId: null,
      topic: 'kwaishop_order_paySuccess',
      payload: JSON.stringify({ shopRefs: [shopRef], orderId, changedAt, content: {} }),
      status: 'received',
      error: null,
      receivedAt: new Date(++received),
      processedAt: null,
    });
    await repo().insert(row);
    return row.id;
  };

  beforeAll(async () => {
    env = await startPushEnv(41);
  });
  afterAll(async () => {
    await env.close();
  });
  beforeEach(() => {
    fetches = [];
    env.beforeFetch = (_shopId, orderId) => void fetches.push(orderId);
  });

  it('one job drains its event and the oldest waiting ones, up to orders.pushBatch, into one ingest per shop', async () => {
    const batch = env.config.orders.pushBatch;
    const shopOf = (i: number) => (i % 3 === 0 ? KS2.shopId : KS.shopId);
    const orders = Array.from({ length: batch + 5 }, (_, i) => order(shopOf(i)));
    const ids: number[] = [];
    for (const [i, o] of orders.entries()) ids.push(await stored(o, shopOf(i)));
    const idOfShop = (i: number) => (shopOf(i) === KS2.shopId ? env.shops.kuaishou2 : env.shops.kuaishou);
    const from = env.ingest.calls.length;

    // The newest event's job: its own event goes first, then the oldest others.
    await processor().process(ids[ids.length - 1], jobCtx(ids[ids.length - 1]));

    const calls = callsSince(env, from);
    expect(calls.map((c) => c.shopId).sort()).toEqual([env.shops.kuaishou, env.shops.kuaishou2].sort());
    expect(calls.every((c) => c.source === 'push')).toBe(true);
    const taken = [...orders.slice(0, batch - 1), orders[orders.length - 1]];
    expect(ordersIn(calls).sort()).toEqual([...taken].sort());
    for (const c of calls) expect(c.orders.every((o) => idOfShop(orders.indexOf(o.orderId)) === c.shopId)).toBe(true);
    expect(fetches.sort()).toEqual([...taken].sort());
    const rows = await byIds(ids);
    const left = ids.filter((id) => rows.get(id)?.status === 'received');
    expect(left).toEqual(ids.slice(batch - 1, ids.length - 1));
    expect(
      ids.filter((id, i) => rows.get(id)?.status === 'processed' && rows.get(id)?.shopId === idOfShop(i)),
    ).toHaveLength(batch);

    // The jobs of drained events find them settled and return at once.
    await processor().process(ids[0], jobCtx(ids[0]));
    expect(callsSince(env, from)).toHaveLength(calls.length);
    // The first left-over event's job takes the rest.
    await processor().process(left[0], jobCtx(left[0]));
    expect(ordersIn(callsSince(env, from + calls.length)).sort()).toEqual(
      orders.slice(batch - 1, orders.length - 1).sort(),
    );
    expect([...(await byIds(ids)).values()].every((r) => r.status === 'processed')).toBe(true);
  });

  it('fetches an order once for all its events, and settles rejections and events without an order in the same batch', async () => {
    const counters = env.app.get(InboundCounters);
    const unknownBefore = (await counters.stats()).find((s) => s.source === 'ks_push')?.counts.unknown_shop ?? 0;
    const o1 = order();
    const o2 = order();
    const ids = [
      await stored(o1),
      await stored(o1),
      await stored(o2),
      await stored('990001', 'no-such-shop'),
      await stored(null),
    ];
    const from = env.ingest.calls.length;

    await processor().process(ids[0], jobCtx(ids[0]));

    expect(fetches.sort()).toEqual([o1, o2].sort());
    const calls = callsSince(env, from);
    expect(calls).toHaveLength(1);
    expect(ordersIn(calls).sort()).toEqual([o1, o2].sort());
    const rows = await byIds(ids);
    expect(ids.map((id) => rows.get(id)?.status)).toEqual([
      'processed',
      'processed',
      'processed',
      'rejected',
      'processed',
    ]);
    expect(rows.get(ids[3])?.error).toMatch(/unknown kuaishou shop no-such-shop/);
    expect(rows.get(ids[4])).toMatchObject({ error: 'no order in event', shopId: env.shops.kuaishou });
    expect((await counters.stats()).find((s) => s.source === 'ks_push')?.counts.unknown_shop).toBe(unknownBefore + 1);
  });

  /** Sandbox calls of one Kuaishou method since `before`. */
  const callsOf = (before: Record<string, number>, method: string): number =>
    Object.entries(env.sb.ctx.calls.counts())
      .filter(([key]) => key.split('|')[1] === method)
      .reduce((n, [key, v]) => n + v - (before[key] ?? 0), 0);
  const changedAt = (orderId: string): number => env.sb.world.order('kuaishou', orderId)!.modifiedAt;

  it("where the pushes say when their orders changed, a shop's orders are read by one list call; what it does not show, by detail", async () => {
    const min = env.config.orders.pushListMin;
    const listed = Array.from({ length: min + 2 }, () => order());
    // Paid well after its push: the list's window around the pushes' times no longer shows it.
    const later = order();
    const pushedAt = changedAt(later);
    env.sb.clock.advance(env.config.orders.pushListMarginMs + 60_000);
    env.sb.world.pay('kuaishou', later);
    const ids = [...listed.map((o) => stored(o, KS.shopId, changedAt(o))), stored(later, KS.shopId, pushedAt)];
    const rowIds = await Promise.all(ids);
    const before = env.sb.ctx.calls.counts();
    const from = env.ingest.calls.length;

    await processor().process(rowIds[0], jobCtx(rowIds[0]));

    expect(callsOf(before, 'open.order.cursor.list')).toBe(1);
    expect(fetches).toEqual([later]);
    const ingested = callsSince(env, from).flatMap((c) => c.orders);
    // The batch's orders, and whatever else of the shop changed within the list's window (stored too).
    expect(ingested.map((o) => o.orderId)).toEqual(expect.arrayContaining([...listed, later]));
    const margin = env.config.orders.pushListMarginMs;
    for (const o of ingested.filter((x) => ![...listed, later].includes(x.orderId))) {
      expect(changedAt(o.orderId)).toBeGreaterThanOrEqual(changedAt(listed[0]) - margin);
    }
    expect(ingested.find((o) => o.orderId === later)?.status).toBe('AWAITING_SHIPMENT');
    expect([...(await byIds(rowIds)).values()].every((r) => r.status === 'processed')).toBe(true);

    // A push about an order already stored as new as the push says: nothing is read, the event is settled.
    // (This environment's ingest only records; the order is stored here as the real one would store it.)
    const first = ingested.find((o) => o.orderId === listed[0])!;
    const repoOrders = env.db.getRepository(OrderEntity);
    await repoOrders.save(
      repoOrders.create({
        ...orderFields(first),
        shopId: env.shops.kuaishou,
        platform: 'kuaishou',
        platformOrderId: first.orderId,
        erpOrderId: null,
        erpStatus: null,
        erpStage: null,
        erpModifiedAt: null,
        erpQuestion: null,
        version: 1,
        rulesDueAt: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      }),
    );
    const again = await stored(listed[0], KS.shopId, changedAt(listed[0]));
    const beforeAgain = env.sb.ctx.calls.counts();
    fetches = [];
    await processor().process(again, jobCtx(again));
    expect(callsOf(beforeAgain, 'open.order.cursor.list') + callsOf(beforeAgain, 'open.order.detail')).toBe(0);
    expect((await byIds([again])).get(again)?.status).toBe('processed');
  });

  it('fewer orders of a shop than orders.pushListMin, or pushes without a change time, are read by detail calls', async () => {
    const few = Array.from({ length: env.config.orders.pushListMin - 1 }, () => order());
    const untimed = Array.from({ length: env.config.orders.pushListMin }, () => order(KS2.shopId));
    const ids = [
      ...(await Promise.all(few.map((o) => stored(o, KS.shopId, changedAt(o))))),
      ...(await Promise.all(untimed.map((o) => stored(o, KS2.shopId)))),
    ];
    const before = env.sb.ctx.calls.counts();

    await processor().process(ids[0], jobCtx(ids[0]));

    expect(callsOf(before, 'open.order.cursor.list')).toBe(0);
    expect(fetches.sort()).toEqual([...few, ...untimed].sort());
    expect([...(await byIds(ids)).values()].every((r) => r.status === 'processed')).toBe(true);
  });

  it('a failed fetch fails only its own job: the others are processed, and its retry settles it alone', async () => {
    const [o1, o2, o3] = [order(), order(), order()];
    const [a, b, c] = [await stored(o1), await stored(o2), await stored(o3)];
    const from = env.ingest.calls.length;
    env.beforeFetch = (_shopId, orderId) => {
      fetches.push(orderId);
      if (orderId === o2) throw new Error('kuaishou answered 503');
    };

    // Both jobs at once: b's waits for the drain a's started (or the other way round), and only b's fails.
    const [ra, rb] = await Promise.allSettled([processor().process(a, jobCtx(a)), processor().process(b, jobCtx(b))]);
    expect(ra.status).toBe('fulfilled');
    expect(rb.status).toBe('rejected');
    expect(String((rb as PromiseRejectedResult).reason)).toMatch(/503/);
    expect(fetches.filter((o) => o === o2)).toHaveLength(1);
    let rows = await byIds([a, b, c]);
    expect([a, b, c].map((id) => rows.get(id)?.status)).toEqual(['processed', 'received', 'processed']);
    expect(ordersIn(callsSince(env, from)).sort()).toEqual([o1, o3].sort());

    // A later batch of this process leaves b to its own job's retry (and its backoff).
    const o4 = order();
    const d = await stored(o4);
    await processor().process(d, jobCtx(d));
    expect((await byIds([b])).get(b)?.status).toBe('received');
    expect(fetches.filter((o) => o === o2)).toHaveLength(1);

    env.beforeFetch = (_shopId, orderId) => void fetches.push(orderId);
    const retryFrom = env.ingest.calls.length;
    await processor().process(b, jobCtx(b, 2));
    rows = await byIds([b]);
    expect(rows.get(b)).toMatchObject({ status: 'processed', shopId: env.shops.kuaishou });
    expect(ordersIn(callsSince(env, retryFrom))).toEqual([o2]);
  });

  it('the job of events stored together drains them; one whose fetch failed, or a tracking callback, is handed to a job of its own', async () => {
    const [o1, o2, o3] = [order(), order(), order()];
    const ids = [await stored(o1), await stored(o2), await stored(o3)];
    const callback = repo().create({
      platform: 'kuaidi100', source: 'kd100', eventId: `kd-${++seq}`, shopId: null, topic: 'poll',
      payload: '{}', status: 'received', error: null, receivedAt: new Date(++received), processedAt: null,
    });
    await repo().insert(callback);
    env.beforeFetch = (_shopId, orderId) => {
      fetches.push(orderId);
      if (orderId === o2) throw new Error('kuaishou answered 503');
    };
    const queue = env.app.get(JobQueue);
    // Recorded, not queued: the test runs the jobs itself.
    const handed = jest.spyOn(queue, 'addMany').mockResolvedValue(undefined);

    await processor().processGroup([...ids, callback.id]);

    const rows = await byIds(ids);
    expect(ids.map((id) => rows.get(id)?.status)).toEqual(['processed', 'received', 'processed']);
    const own = handed.mock.calls.filter((c) => c[0] === JOBS.inboundProcess).flatMap((c) => c[1]);
    handed.mockRestore();
    // The failed one after the queue's backoff: that job retries it and marks it failed on its last attempt.
    // The callback at once: it takes the one-row path.
    expect(own).toEqual([
      { payload: { inboundId: ids[1] }, opts: { jobId: `inbound:${ids[1]}`, delayMs: env.config.jobs.backoffMs } },
      { payload: { inboundId: callback.id }, opts: { jobId: `inbound:${callback.id}`, delayMs: 0 } },
    ]);
    await repo().delete({ id: callback.id });
    env.beforeFetch = (_shopId, orderId) => void fetches.push(orderId);
    await processor().process(ids[1], jobCtx(ids[1], 2));
    expect((await byIds([ids[1]])).get(ids[1])?.status).toBe('processed');
  });

  it('on its last attempt an event whose fetch keeps failing is marked failed, and only that one', async () => {
    const [o1, o2] = [order(), order()];
    const [a, b] = [await stored(o1), await stored(o2)];
    env.beforeFetch = (_shopId, orderId) => {
      if (orderId === o2) throw new Error('kuaishou timed out');
    };
    await expect(processor().process(b, jobCtx(b, 5))).rejects.toThrow(/timed out/);
    const rows = await byIds([a, b]);
    expect(rows.get(a)?.status).toBe('processed');
    expect(rows.get(b)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/timed out/) as unknown as string,
    });
  });

  it('an order that cannot be stored fails only its own event: the rest of the batch is recorded', async () => {
    const [o1, o2, o3] = [order(), order(), order()];
    const [a, b, c] = [await stored(o1), await stored(o2), await stored(o3)];
    const from = env.ingest.calls.length;
    env.ingest.refuse = (o) => o.orderId === o2;
    try {
      await processor().process(a, jobCtx(a));
      await expect(processor().process(b, jobCtx(b))).rejects.toThrow(/cannot be stored/);
    } finally {
      env.ingest.refuse = undefined;
    }
    const rows = await byIds([a, b, c]);
    expect([a, b, c].map((id) => rows.get(id)?.status)).toEqual(['processed', 'received', 'processed']);
    expect(ordersIn(callsSince(env, from)).sort()).toEqual([o1, o3].sort());
    await processor().process(b, jobCtx(b, 2));
    expect((await byIds([b])).get(b)?.status).toBe('processed');
  });

  describe('two processes on one database', () => {
    let second: PushEnv;

    beforeAll(async () => {
      second = await startPushEnv(41, { joining: env });
    });
    afterAll(async () => {
      await second.close();
    });

    it('rows the other process claimed while this one fetched are skipped, their orders dropped', async () => {
      const orders = [order(), order(KS2.shopId), order(), order()];
      const ids: number[] = [];
      for (const o of orders) ids.push(await stored(o, o === orders[1] ? KS2.shopId : KS.shopId));
      const [fromFirst, fromSecond] = [env.ingest.calls.length, second.ingest.calls.length];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started = 0;
      env.beforeFetch = async () => {
        started++;
        await held;
      };

      // This process fetches; meanwhile the other drains the same rows and commits first.
      const first = processor().process(ids[0], jobCtx(ids[0]));
      for (let i = 0; i < 200 && started === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(started).toBeGreaterThan(0);
      await processor(second).process(ids[0], jobCtx(ids[0]));
      release();
      await first;

      expect(ordersIn(callsSince(second, fromSecond)).sort()).toEqual([...orders].sort());
      expect(callsSince(env, fromFirst)).toHaveLength(0);
      expect([...(await byIds(ids)).values()].every((r) => r.status === 'processed')).toBe(true);
    });

    // Row locks are MySQL's: SQLite has one writer, and two apps in this test process cannot write it at
    // the same time (better-sqlite3 waits for the lock synchronously, blocking the other app's event loop).
    // The test before covers two processes one after the other on both backends.
    const onMysql = backend.mysqlUrl ? it : () => undefined;
    onMysql('on MySQL, both processes running every job at once claim each row exactly once', async () => {
      const orders = Array.from({ length: 40 }, (_, i) => order(i % 2 ? KS2.shopId : KS.shopId));
      const ids: number[] = [];
      for (const [i, o] of orders.entries()) ids.push(await stored(o, i % 2 ? KS2.shopId : KS.shopId));
      const [fromFirst, fromSecond] = [env.ingest.calls.length, second.ingest.calls.length];

      await Promise.all(
        ids.flatMap((id) => [processor().process(id, jobCtx(id)), processor(second).process(id, jobCtx(id))]),
      );

      const ingested = [...ordersIn(callsSince(env, fromFirst)), ...ordersIn(callsSince(second, fromSecond))];
      expect(ingested.sort()).toEqual([...orders].sort());
      expect([...(await byIds(ids)).values()].every((r) => r.status === 'processed')).toBe(true);
    });
  });
});
