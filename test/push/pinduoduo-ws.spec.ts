import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { leaseName, PddMessageSupervisor } from '../../src/orders/push/pdd-message.supervisor.js';
import { PushLeases } from '../../src/orders/push/push-leases.service.js';
import { PDD, startPushEnv, until, type PushEnv } from './push-test-env.js';
import { authAs } from '../support/auth.js';

describe('Pinduoduo message WebSocket', () => {
  let env: PushEnv;
  let seq = 0;
  const rows = () => env.db.getRepository(InboundEventEntity).find({ where: { platform: 'pinduoduo', source: 'pdd_ws' } });
  const newOrderId = () => `260101-0000000${String(++seq).padStart(5, '0')}`;

  beforeAll(async () => {
    env = await startPushEnv(41);
    const supervisor = env.app.get(PddMessageSupervisor);
    await until('socket held', () => supervisor.connectedApps().includes(PDD.clientId));
  });
  afterAll(async () => {
    await env.close();
  });

  it('holds the app lease, so another worker cannot connect the same app', async () => {
    const leases = env.app.get(PushLeases);
    expect(await leases.holderOf(leaseName(PDD.clientId))).toMatch(/:/);
    expect(await leases.acquire(leaseName(PDD.clientId), 'other-worker', 60_000)).toBe(false);
    expect(await leases.acquire('pdd-ws:some-free-app', 'other-worker', 60_000)).toBe(true);
  });

  it('stores a pushed frame, acks it after storage, and ingests the order once', async () => {
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'pinduoduo', shopId: PDD.mallId, orderId });
    env.sb.world.pay('pinduoduo', orderId);
    const stored = await until('processed', async () => {
      const mine = (await rows()).filter((r) => r.payload.includes(orderId) && r.status === 'processed');
      return mine.length === 1 ? mine : undefined;
    });
    expect(stored[0]).toMatchObject({ topic: 'pdd_trade_TradeConfirmed', shopId: env.shops.pinduoduo });
    // Frame ids start above 2^53: the stored id must be the exact digits.
    expect(BigInt(stored[0].eventId) > 2n ** 53n).toBe(true);
    await until('acked', () => env.sb.ctx.pushes.records('pinduoduo').find((p) => p.id === stored[0].eventId)?.acknowledgedAt !== undefined);
    const calls = env.ingest.forOrder(orderId);
    expect(calls).toHaveLength(1);
    expect(calls[0].orders[0].status).toBe('AWAITING_SHIPMENT');
  });

  it('a frame sent twice is stored and processed once', async () => {
    env.sb.ctx.faults.set('pinduoduo', { pushDuplicateRate: 1 });
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'pinduoduo', shopId: PDD.mallId, orderId });
    env.sb.world.pay('pinduoduo', orderId);
    env.sb.ctx.faults.clear('pinduoduo');
    const res = await until('duplicate counted', async () => {
      const r = await fetch(`${env.url}/api/inbound/stats`, { headers: await authAs(env, { roles: ['operator'] }) });
      const body = (await r.json()) as { sources: { platform: string; counts: Record<string, number> }[] };
      const counts = body.sources.find((s) => s.platform === 'pinduoduo')?.counts;
      return counts?.duplicate ? counts : undefined;
    });
    expect(res.duplicate).toBeGreaterThanOrEqual(1);
    await until('processed', async () => (await rows()).some((r) => r.payload.includes(orderId) && r.status === 'processed'));
    expect((await rows()).filter((r) => r.payload.includes(orderId))).toHaveLength(1);
    expect(env.ingest.forOrder(orderId)).toHaveLength(1);
  });
});
