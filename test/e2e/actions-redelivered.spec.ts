/**
 * Exactly once under redelivery (issue 6): order events that arrive twice or out of order, a job
 * retried after the platform's gateway answered 5xx, and trackers that look at once. The sandbox
 * counts one unpaid-order SMS and one ERP 补发, then one 补发单号 remark and one buyer message.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { BUYER_MESSAGE_ACTION } from '../../src/messages/buyer-message.action.js';
import type { OrderLine } from '../../src/platforms/ports/canonical.types.js';
import { ReminderEntity } from '../../src/reminders/reminder.entity.js';
import { RESHIP_FILE_ACTION } from '../../src/reships/reship.actions.js';
import { ReshipEntity } from '../../src/reships/reship.entity.js';
import { ReshipTracker } from '../../src/reships/reship-tracker.js';
import { RulesProcessor } from '../../src/rules/rules.processor.js';
import type { SbService } from '../../src/sandbox/core/contract.js';
import { startAftersaleEnv, type AftersaleEnv } from '../aftersale/support/aftersale-env.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';

const MIN = 60_000;
const SHIP_DELAY = 60_000;
const SMS = 'taobao.jst.sms.oaid.message.send';
const UPLOAD = '/open/aftersale/upload';

describe(`actions redelivered, reordered and retried happen once (${backend.label})`, () => {
  let env: AftersaleEnv;

  beforeAll(async () => {
    env = await startAftersaleEnv({ seed: 37, sandbox: { reshipShipDelayMs: SHIP_DELAY }, overrides: { jobs: { backoffMs: 100 } } });
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  /** Calls of one method the sandbox answered, by outcome. */
  const outcomes = (service: SbService, method: string) => env.sb.ctx.calls.calls({ platform: service, method }).map((c) => c.outcome);
  const actionsOf = (orderId: number) => env.ds.getRepository(ActionEntity).find({ where: { orderId }, order: { id: 'ASC' } });

  /**
   * The platform's gateway answers one call to `service` with a 5xx: the first one made once `when()`
   * holds (checked as the call arrives, so it picks the call that follows a step committed in the database).
   */
  function failOnce(service: SbService, when: () => Promise<boolean>): void {
    const ctx = env.sb.ctx;
    const faultFor = ctx.faultFor;
    ctx.faultFor = async (s) => {
      const fault = await faultFor(s);
      if (s !== service || !(await when()) || ctx.faultFor === faultFor) return fault;
      ctx.faultFor = faultFor;
      return { fail: 'server_error' };
    };
  }

  it('an unpaid order: its SMS call fails once with a 5xx, its events come twice and out of order, and the buyer gets one SMS', async () => {
    const sbOrder = env.sb.world.addOrder({ platform: 'taobao', shopId: FIXTURES.find((f) => f.platform === 'taobao')!.shopId }, env.clock.nowMs() - 40 * MIN);
    // The reminder is recorded as sending just before the SMS call: that call meets the 5xx.
    let orderId = 0;
    failOnce('taobao', async () => (await env.ds.getRepository(ReminderEntity).countBy({ orderId, status: 'sending' })) > 0);
    const order = await env.ingest('taobao', sbOrder.orderId);
    orderId = order.id;
    expect(order.status).toBe('unpaid');

    // Ingesting ran the rules: 40 minutes unpaid, the first reminder is due.
    const key = `unpaid:${order.id}:1`;
    await eventually(async () => expect((await actionsOf(order.id)).map((a) => [a.idempotencyKey, a.status])).toEqual([[key, 'done']]), 20_000);
    expect(outcomes('taobao', SMS).filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes('taobao', SMS).filter((o) => o !== 'ok')).toHaveLength(1);
    const [action] = await actionsOf(order.id);
    expect(action).toMatchObject({ type: BUYER_MESSAGE_ACTION, attempts: 2, lastError: null, result: { sent: true, channel: 'sms' } });

    // The same change again, twice at once, and an older version after it; the order polled again twice.
    const processor = env.t.app.get(RulesProcessor);
    const event = { orderId: order.id, shopId: order.shopId, platform: 'taobao', platformOrderId: order.platformOrderId, version: order.version, changes: ['created', 'status'], source: 'push' as const };
    await Promise.all([processor.onChanged([{ ...event, version: order.version + 1 }]), processor.onChanged([event]), processor.onChanged([event])]);
    await Promise.all([env.ingest('taobao', sbOrder.orderId), env.ingest('taobao', sbOrder.orderId)]);
    // Paid 20 minutes after the reminder; the payment is seen by two polls at once and pushed twice.
    env.sb.world.pay('taobao', sbOrder.orderId, env.clock.nowMs() + 20 * MIN);
    const [paid] = await Promise.all([env.ingest('taobao', sbOrder.orderId), env.ingest('taobao', sbOrder.orderId)]);
    const payment = { ...event, version: paid.version, changes: ['status', 'paid_at'] };
    await Promise.all([processor.onChanged([payment]), processor.onChanged([payment])]);
    await eventually(async () => expect((await env.ds.getRepository(ReminderEntity).findBy({ orderId: order.id })).map((r) => r.minutesToPayment)).toEqual([20]));

    await new Promise((r) => setTimeout(r, 500)); // long enough for a second, wrong reminder to show
    expect((await env.messages()).filter((m) => m.orderId === sbOrder.orderId).map((m) => m.template)).toEqual(['SMS_UNPAID_REMINDER']);
    expect(outcomes('taobao', SMS).filter((o) => o === 'ok')).toHaveLength(1);
    expect(await env.ds.getRepository(ReminderEntity).findBy({ orderId: order.id })).toMatchObject([{ seq: 1, status: 'sent', channel: 'sms', actionId: action.id }]);
    expect((await actionsOf(order.id)).filter((a) => a.type === BUYER_MESSAGE_ACTION).map((a) => a.idempotencyKey)).toEqual([key]);
  });

  it('a reship: its ERP upload fails once with a 5xx and the job is retried, two trackers look at once, and each thing happens once', async () => {
    const order = await env.paidOrder('taobao');
    const agent = await env.as({ roles: ['after_sale'], agentId: 'kf13' });
    const line = (order.lineItems as OrderLine[])[0];
    const uploadsBefore = outcomes('jushuitan', UPLOAD).length;
    // Once the filing runs, its first ERP call is the upload: that call meets the 5xx.
    failOnce('jushuitan', async () => (await env.ds.getRepository(ActionEntity).countBy({ type: RESHIP_FILE_ACTION, status: 'running' })) > 0);
    const res = await agent.post('/api/reships', { orderId: order.id, lines: [{ skuId: line.outerSkuId ?? line.skuId!, qty: 1 }], reason: 'lost', responsibleParty: 'courier' });
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    await eventually(async () => expect((await env.actions.find(`reship:${id}:file`))?.status).toBe('done'), 20_000);

    expect(await env.actions.find(`reship:${id}:file`)).toMatchObject({ attempts: 2, lastError: null });
    const uploads = outcomes('jushuitan', UPLOAD).slice(uploadsBefore);
    expect(uploads.filter((o) => o === 'ok')).toHaveLength(1);
    expect(uploads.filter((o) => o !== 'ok')).toHaveLength(1);
    const filed = (await env.reships()).filter((r) => r.soId === order.platformOrderId);
    expect(filed).toHaveLength(1);
    expect(await env.ds.getRepository(ReshipEntity).findOneByOrFail({ id })).toMatchObject({ status: 'filed', erpAfterSaleId: filed[0].asId, lastError: null });

    // The replacement ships; two trackers look at once.
    env.clock.advance(SHIP_DELAY + 1000);
    const tracker = env.t.app.get(ReshipTracker);
    const found = await Promise.all([tracker.track(), tracker.track()]);
    expect(found.reduce((a, b) => a + b, 0)).toBe(1);
    const shipped = await env.ds.getRepository(ReshipEntity).findOneByOrFail({ id });
    for (const suffix of ['remark', 'message']) {
      await eventually(async () => expect((await env.actions.find(`reship:${id}:${suffix}`))?.status).toBe('done'), 20_000);
    }
    const sb = env.sb.world.order('taobao', order.platformOrderId)!;
    expect(sb.memo.split('\n').filter((l) => l.startsWith('补发单号:'))).toHaveLength(1);
    expect(sb.memoHistory.filter((h) => h.by.startsWith('api:'))).toHaveLength(1);
    const sms = (await env.messages()).filter((m) => m.orderId === order.platformOrderId);
    expect(sms.map((m) => m.template)).toEqual(['SMS_RESHIP_TRACKING']);
    expect(sms[0].content).toContain(shipped.trackingNo!);
    expect((await env.reships()).filter((r) => r.soId === order.platformOrderId)).toHaveLength(1);
  });

  // Two evaluations of one order at once (a duplicated event on two workers) stage the same decision. On
  // MySQL the later transaction's reads answer from a snapshot older than the first one's commit. SQLite
  // has one writer, so two transactions never interleave there and the race has no test on it.
  if (backend.mysqlUrl) it('an action staged by two transactions at once: the later one gets the first one’s action', async () => {
    const req = { type: BUYER_MESSAGE_ACTION, idempotencyKey: `race:${env.clock.nowMs()}`, payload: {} };
    let read!: () => void;
    let committed!: () => void;
    const laterRead = new Promise<void>((r) => (read = r));
    const firstCommitted = new Promise<void>((r) => (committed = r));
    const later = env.ds.transaction(async (m) => {
      expect(await m.findOneBy(ActionEntity, { idempotencyKey: req.idempotencyKey })).toBeNull();
      read();
      await firstCommitted;
      return env.actions.stage(m, req);
    });
    await laterRead;
    const first = await env.actions.stage(env.ds.manager, req);
    committed();
    const second = await later;
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, action: { id: first.action.id } });
  });
});
