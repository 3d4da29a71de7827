/**
 * Storing pushed events: events that arrive while a write is under way are stored together (one insert,
 * one queue round trip), and each caller still learns whether its event was new, with its own row.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { In } from 'typeorm';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { JOBS } from '../../src/jobs/job-names.js';
import {
  InboundEventsService,
  type InboundGroupJob,
  type InboundPayload,
} from '../../src/orders/push/inbound-events.service.js';
import { backend } from '../support/test-env.js';
import { KS, startPushEnv, type PushEnv } from './push-test-env.js';

describe(`storing pushed events in groups (${backend.label})`, () => {
  let env: PushEnv;
  let inbound: InboundEventsService;
  let seq = 0;
  const payload = (orderId: string): InboundPayload => ({ shopRefs: [KS.shopId], orderId, content: { oid: orderId } });
  const eventId = () => `store-${Date.now()}-${++seq}`;

  beforeAll(async () => {
    env = await startPushEnv(43);
    inbound = env.app.get(InboundEventsService);
  });
  afterAll(async () => {
    await env.close();
  });

  it('a burst is stored whole: every event once, with its own id, payload and job', async () => {
    const before = await env.db.getRepository(InboundEventEntity).count();
    const earlier = eventId();
    await inbound.store('kuaishou', 'ks_push', earlier, 'kwaishop_order_paySuccess', payload('2640000000900000'));
    const ids = Array.from({ length: 40 }, () => eventId());
    // The burst: new events, one of them twice, and a redelivery of one stored before.
    const burst = [...ids, ids[7], earlier];
    const add = jest.spyOn(env.app.get(JobQueue), 'add');
    const results = await Promise.all(
      burst.map((id, i) =>
        inbound.store(
          'kuaishou',
          'ks_push',
          id,
          'kwaishop_order_paySuccess',
          payload(`26400000009${String(i).padStart(5, '0')}`),
        ),
      ),
    );

    // Stored in groups, each group with one job naming its rows.
    const groups = add.mock.calls
      .filter((c) => c[0] === JOBS.inboundGroup)
      .map((c) => (c[1] as InboundGroupJob).inboundIds);
    add.mockRestore();
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.length).toBeLessThan(ids.length / 2);
    expect(results.map((r) => r.duplicate)).toEqual([...ids.map(() => false), true, true]);
    const rows = await env.db.getRepository(InboundEventEntity).find({ where: { eventId: In([...ids, earlier]) } });
    expect(rows).toHaveLength(ids.length + 1);
    expect(await env.db.getRepository(InboundEventEntity).count()).toBe(before + ids.length + 1);
    const byEvent = new Map(rows.map((r) => [r.eventId, r]));
    for (const [i, id] of ids.entries()) {
      const row = byEvent.get(id)!;
      expect(results[i].event.id).toBe(row.id);
      expect(JSON.parse(row.payload)).toEqual(payload(`26400000009${String(i).padStart(5, '0')}`));
    }
    // The repeats name the rows stored first.
    expect(results[ids.length].event.id).toBe(byEvent.get(ids[7])!.id);
    expect(results[ids.length + 1].event.id).toBe(byEvent.get(earlier)!.id);
    // Every event of the burst that was new is named by exactly one group's job; nothing else is.
    expect(groups.flat().sort((x, y) => x - y)).toEqual(ids.map((id) => byEvent.get(id)!.id).sort((x, y) => x - y));
  });
});
