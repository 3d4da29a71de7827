import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { KS, startPushEnv, until, type PushEnv } from './push-test-env.js';
import { authAs } from '../support/auth.js';

function encrypt(plain: string, base64Key: string): string {
  const c = createCipheriv('aes-128-cbc', Buffer.from(base64Key, 'base64'), Buffer.alloc(16));
  return Buffer.concat([c.update(plain, 'utf8'), c.final()]).toString('base64');
}

async function post(env: PushEnv, body: string, appKey = KS.appKey): Promise<{ status: number; text: string }> {
  const res = await fetch(`${env.url}/webhooks/kuaishou/${appKey}`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
  return { status: res.status, text: await res.text() };
}

async function stats(env: PushEnv): Promise<Record<string, number>> {
  const res = await fetch(`${env.url}/api/inbound/stats`, { headers: await authAs(env, { roles: ['operator'] }) });
  const body = (await res.json()) as { sources: { platform: string; source: string; counts: Record<string, number> }[] };
  return body.sources.find((s) => s.platform === 'kuaishou' && s.source === 'ks_push')?.counts ?? {};
}

describe('Kuaishou HTTPS push', () => {
  let env: PushEnv;
  let seq = 0;
  const rows = () => env.db.getRepository(InboundEventEntity).find({ where: { platform: 'kuaishou' } });
  const newOrderId = () => `2630000000000${String(++seq).padStart(3, '0')}`;

  beforeAll(async () => {
    env = await startPushEnv(21);
    env.sb.world.app('kuaishou', KS.appKey)!.pushUrl = `${env.url}/webhooks/kuaishou/${KS.appKey}`;
  });
  afterAll(async () => {
    await env.close();
  });

  it('answers the console test message with result 1 and stores nothing', async () => {
    const r = await post(env, encrypt('{"test":true}', KS.pushKey));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ result: 1 });
    expect(await rows()).toHaveLength(0);
  });

  it('stores a sandbox push, acknowledges it, and ingests the order as the platform now reports it, once', async () => {
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'kuaishou', shopId: KS.shopId, orderId });
    env.sb.world.pay('kuaishou', orderId);
    const stored = await until('two processed events', async () => {
      const mine = (await rows()).filter((r) => r.status === 'processed' && r.payload.includes(orderId));
      return mine.length === 2 ? mine : undefined;
    });
    expect(stored.every((r) => r.shopId === env.shops.kuaishou)).toBe(true);
    expect(stored.map((r) => r.topic).sort()).toEqual(['kwaishop_order_addOrder', 'kwaishop_order_paySuccess']);
    // Both events may go in one batch, which fetches the order once: at most one ingest per event.
    const calls = env.ingest.forOrder(orderId);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.every((c) => c.source === 'push' && c.shopId === env.shops.kuaishou)).toBe(true);
    // Whatever the push said, ingestion got the current state: paid.
    expect(calls.flatMap((c) => c.orders.filter((o) => o.orderId === orderId).map((o) => o.status))).toContain('AWAITING_SHIPMENT');
    await until('acknowledged', () => env.sb.ctx.pushes.records('kuaishou').filter((p) => p.acknowledgedAt !== undefined).length >= 2);
  });

  it('stores and processes a duplicated push once', async () => {
    env.sb.ctx.faults.set('kuaishou', { pushDuplicateRate: 1 });
    const before = (await stats(env)).duplicate ?? 0;
    const orderId = newOrderId();
    env.sb.world.addOrder({ platform: 'kuaishou', shopId: KS.shopId, orderId });
    await until('duplicate counted', async () => ((await stats(env)).duplicate ?? 0) > before);
    const mine = await until('processed', async () => {
      const r = (await rows()).filter((x) => x.payload.includes(orderId));
      return r.length === 1 && r[0].status === 'processed' ? r : undefined;
    });
    expect(mine).toHaveLength(1);
    expect(env.ingest.forOrder(orderId)).toHaveLength(1);
    env.sb.ctx.faults.clear('kuaishou');
  });

  it('refuses a body encrypted with another key, and a truncated one, with 400, counting them', async () => {
    const before = await stats(env);
    const plain = JSON.stringify({ eventId: 'forged-1', event: 'kwaishop_order_paySuccess', bizId: 1, userId: Number(KS.shopId), info: '{"oid":1}' });
    const wrongKey = await post(env, encrypt(plain, randomBytes(16).toString('base64')));
    expect(wrongKey.status).toBe(400);
    expect(JSON.parse(wrongKey.text).error).toMatch(/does not decrypt/);
    const good = encrypt(plain, KS.pushKey);
    const truncated = await post(env, good.slice(0, good.length - 24));
    expect(truncated.status).toBe(400);
    const unknownApp = await post(env, good, 'ks-unknown-app');
    expect(unknownApp.status).toBe(400);
    expect(JSON.parse(unknownApp.text).error).toMatch(/unknown Kuaishou app/);
    const after = await stats(env);
    expect((after.bad_body ?? 0) - (before.bad_body ?? 0)).toBe(2);
    expect((after.unknown_app ?? 0) - (before.unknown_app ?? 0)).toBe(1);
    expect((await rows()).some((r) => r.eventId === 'forged-1')).toBe(false);
  });

  it('answers a body over 1 MB with 413 naming the body, declared or streamed, and keeps serving', async () => {
    const url = `${env.url}/webhooks/kuaishou/${KS.appKey}`;
    const big = 'A'.repeat(2 * 1024 * 1024);
    const declared = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: big });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { message: string }).message).toMatch(/^body: /);
    // Chunked, with no length given: read to the end and then refused, so the answer still arrives.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(big.slice(0, 600 * 1024)));
        c.close();
      },
    });
    const streamed = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: stream, duplex: 'half' });
    expect(streamed.status).toBe(413);
    const r = await post(env, encrypt('{"eventId":"after-big","event":"kwaishop_or', KS.pushKey));
    expect(r.status).toBe(400);
  });

  it('refuses a well-encrypted message whose event name is not text, storing nothing', async () => {
    const r = await post(env, encrypt(JSON.stringify({ eventId: 'typed-1', event: 7, info: 12 }), KS.pushKey));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).error).toMatch(/no eventId or event/);
    expect((await rows()).some((x) => x.eventId === 'typed-1')).toBe(false);
  });

  it('truncated JSON inside a correctly encrypted body is refused', async () => {
    const r = await post(env, encrypt('{"eventId":"cut-1","event":"kwaishop_or', KS.pushKey));
    expect(r.status).toBe(400);
    expect((await rows()).some((x) => x.eventId === 'cut-1')).toBe(false);
  });

  it('rejects an event for a shop we do not serve, counted, without ingesting', async () => {
    const before = (await stats(env)).unknown_shop ?? 0;
    const plain = JSON.stringify({ eventId: 'stranger-1', event: 'kwaishop_order_paySuccess', bizId: 99, userId: 777, openId: 'f19-stranger', info: '{"oid":99,"sellerId":777}' });
    const r = await post(env, encrypt(plain, KS.pushKey));
    expect(r.status).toBe(200);
    const row = await until('rejected', async () => {
      const x = await env.db.getRepository(InboundEventEntity).findOneBy({ platform: 'kuaishou', eventId: 'stranger-1' });
      return x?.status === 'rejected' ? x : undefined;
    });
    expect(row.error).toMatch(/unknown kuaishou shop/);
    expect((await stats(env)).unknown_shop).toBe(before + 1);
    expect(env.ingest.forOrder('99')).toHaveLength(0);
  });
});
