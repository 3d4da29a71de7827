import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createDecipheriv } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_KEY, type KsTestClient, PUSH_KEY, SHOP_ID, startKuaishouSandbox } from './ks-test-client.js';

interface Received {
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  msg: any;
  contentType: string;
}

/** The receiver's side: Base64 → AES-CBC with a zero IV and the app's key → JSON. */
function decrypt(body: string): string {
  const key = Buffer.from(PUSH_KEY, 'base64');
  const d = createDecipheriv('aes-128-cbc', key, Buffer.alloc(16));
  return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!cond()) throw new Error(`gave up waiting for ${what}`);
}

describe('Kuaishou HTTPS push', () => {
  let c: KsTestClient;
  let receiver: Server;
  let got: Received[] = [];
  let answer: 'ok' | 'wrong' | 'slow' = 'ok';
  let seq = 0;
  const events = (name: string) => got.filter((r) => r.msg.event === name);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (ch: Buffer) => chunks.push(ch));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        got.push({ raw, msg: JSON.parse(decrypt(raw)), contentType: String(req.headers['content-type']) });
        const reply = () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(answer === 'wrong' ? '{"result":0}' : '{"result":1}');
        };
        if (answer === 'slow') setTimeout(reply, 3500).unref();
        else reply();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    c = await startKuaishouSandbox();
  });
  afterAll(async () => {
    await c.sb.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });
  beforeEach(() => {
    got = [];
    answer = 'ok';
    c.sb.ctx.faults.clear('kuaishou');
  });

  const newOrder = (): string => {
    const orderId = `26200000000000${String(++seq).padStart(2, '0')}`;
    c.sb.world.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId });
    return orderId;
  };

  it('sends {"test":true} when the push URL is saved', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ks/push`;
    const r = await c.control('POST', '/kuaishou/push/config', { appKey: APP_KEY, pushUrl: url });
    expect(r.status).toBe(200);
    await waitFor(() => got.length === 1, 'test message');
    expect(got[0].msg).toEqual({ test: true });
    expect(got[0].contentType).toContain('text/plain');
  });

  it('delivers order events encrypted with the documented fields and records the ack', async () => {
    const oid = newOrder();
    await waitFor(() => events('kwaishop_order_addOrder').length === 1, 'addOrder');
    expect(String(events('kwaishop_order_addOrder')[0].msg.bizId)).toBe(oid);
    c.sb.world.pay('kuaishou', oid);
    await waitFor(() => events('kwaishop_order_paySuccess').length === 1, 'paySuccess');
    const pay = events('kwaishop_order_paySuccess')[0];
    expect(pay.raw).not.toContain(oid);
    expect(pay.msg).toMatchObject({ appKey: APP_KEY, bizId: Number(oid), userId: Number(SHOP_ID), test: false });
    expect(typeof pay.msg.eventId).toBe('string');
    expect(JSON.parse(pay.msg.info)).toMatchObject({ oid: Number(oid), status: 30 });
    const add = JSON.parse(events('kwaishop_order_addOrder')[0].msg.info);
    expect(Object.keys(add).sort()).toEqual(['buyerOpenId', 'createTime', 'customizedInfo', 'oid', 'openId', 'sellerId']);
    await waitFor(() => c.sb.ctx.pushes.records('kuaishou').find((p) => p.id === pay.msg.eventId)?.acknowledgedAt !== undefined, 'ack');
  });

  it('retries a push the receiver did not acknowledge, 5 then 10 minutes later', async () => {
    answer = 'wrong';
    newOrder();
    await waitFor(() => got.length === 1, 'first attempt');
    const id = got[0].msg.eventId;
    const mine = () => got.filter((g) => g.msg.eventId === id);
    const record = () => c.sb.ctx.pushes.records('kuaishou').find((p) => p.id === id)!;
    // The retry is timed from when the platform read the wrong answer: let it read it before time moves.
    await waitFor(() => record().unansweredAt.length === 1, 'the wrong answer to be read');
    c.sb.clock.advance(4 * 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(mine()).toHaveLength(1);
    c.sb.clock.advance(60_000);
    await waitFor(() => mine().length === 2, 'retry after 5 min');
    await waitFor(() => record().unansweredAt.length === 2, 'the second wrong answer to be read');
    answer = 'ok';
    c.sb.clock.advance(10 * 60_000);
    await waitFor(() => mine().length === 3, 'retry after 10 more min');
    await waitFor(() => c.sb.ctx.pushes.records('kuaishou').find((p) => p.id === id)?.acknowledgedAt !== undefined, 'ack');
    c.sb.clock.advance(120 * 60_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(mine()).toHaveLength(3);
  });

  it('treats an answer slower than 3 s as a failure and retries', async () => {
    answer = 'slow';
    newOrder();
    await waitFor(() => got.length === 1, 'first attempt');
    const id = got[0].msg.eventId;
    await new Promise((r) => setTimeout(r, 3300));
    answer = 'ok';
    c.sb.clock.advance(5 * 60_000);
    await waitFor(() => got.filter((g) => g.msg.eventId === id).length === 2, 'retry');
    await waitFor(() => c.sb.ctx.pushes.records('kuaishou').find((p) => p.id === id)?.acknowledgedAt !== undefined, 'ack');
  });

  it('drops, duplicates and reorders on demand', async () => {
    c.sb.ctx.faults.set('kuaishou', { pushDropRate: 1 });
    newOrder();
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toHaveLength(0);
    expect(c.sb.ctx.pushes.records('kuaishou').some((p) => p.dropped === 1)).toBe(true);

    c.sb.ctx.faults.set('kuaishou', { pushDuplicateRate: 1 });
    newOrder();
    await waitFor(() => got.length === 2, 'duplicate');
    expect(got[0].msg.eventId).toBe(got[1].msg.eventId);

    got = [];
    c.sb.ctx.faults.set('kuaishou', { pushReorderRate: 1 });
    const first = newOrder();
    await new Promise((r) => setTimeout(r, 50));
    c.sb.ctx.faults.clear('kuaishou');
    const second = newOrder();
    const ours = () => got.filter((g) => [first, second].includes(String(g.msg.bizId)));
    await waitFor(() => ours().length === 2, 'both after reorder');
    expect(ours().map((g) => String(g.msg.bizId))).toEqual([second, first]);
  });
});
