/**
 * Exactly once under a crash (issue 6): the worker carrying out an action is SIGKILLed while its
 * platform call is on the wire; a new worker takes the action up once its lease lapses. Whatever the
 * killed call did, the sandbox ends up with one unpaid-order SMS, one ERP 补发 (and, once it ships,
 * one 补发单号 remark and one buyer message), and one 已催件 remark for a stalled parcel.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import type { RemarkWritePayload } from '../../src/actions/action-types.js';
import { StallWatch } from '../../src/logistics/stall-watch.service.js';
import { BUYER_MESSAGE_ACTION, type BuyerMessagePayload } from '../../src/messages/buyer-message.action.js';
import type { OrderLine } from '../../src/platforms/ports/canonical.types.js';
import { ReminderEntity } from '../../src/reminders/reminder.entity.js';
import { ReshipEntity } from '../../src/reships/reship.entity.js';
import { ReshipTracker } from '../../src/reships/reship-tracker.js';
import type { SbService } from '../../src/sandbox/core/contract.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import type { ApiClient } from '../shops/shops-test-support.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';
import { startKilledWorkerEnv, type KilledWorkerEnv } from './support/killed-worker-env.js';

const HOUR = 3_600_000;
const RESHIP_SHIP_DELAY_MS = 1000;
const TAOBAO_SHOP = FIXTURES.find((f) => f.platform === 'taobao')!.shopId;

interface Case {
  name: string;
  /** The platform whose call the kill interrupts. */
  slowed: SbService;
  /** Starts the work (with `slowed` already slow): the action carrying the call, and when the call is on the wire. */
  begin(): Promise<{ actionId: number; onTheWire: () => Promise<boolean> | boolean }>;
  /** Once a second worker has completed the action: what the sandbox counted, and what kefu-bridge recorded. */
  check(action: ActionEntity): Promise<void>;
}

describe(`an action whose worker is killed mid-call happens once (${backend.label})`, () => {
  let k: KilledWorkerEnv;
  let agent: ApiClient;

  beforeAll(async () => {
    k = await startKilledWorkerEnv({ seed: 36, sandbox: { reshipShipDelayMs: RESHIP_SHIP_DELAY_MS } });
    agent = await k.env.as({ roles: ['after_sale'], agentId: 'kf12' });
  }, 60000);
  afterAll(async () => {
    await k?.close();
  });

  const messagesFor = async (platformOrderId: string) => (await k.env.messages()).filter((m) => m.orderId === platformOrderId);
  const actionByKey = (idempotencyKey: string) => k.env.ds.getRepository(ActionEntity).findOneByOrFail({ idempotencyKey });
  const memoLines = (platformOrderId: string, prefix: string) => k.env.sb.world.order('taobao', platformOrderId)!.memo.split('\n').filter((l) => l.startsWith(prefix));
  const memoWrites = (platformOrderId: string) => k.env.sb.world.order('taobao', platformOrderId)!.memoHistory.filter((h) => h.by.startsWith('api:'));

  const unpaidReminder = (): Case => {
    let platformOrderId = '';
    let orderId = 0;
    const reminders = () => k.env.ds.getRepository(ReminderEntity).findBy({ orderId });
    return {
      name: 'an unpaid-order reminder SMS',
      slowed: 'taobao',
      async begin() {
        platformOrderId = k.env.sb.world.addOrder({ platform: 'taobao', shopId: TAOBAO_SHOP }).orderId;
        const order = await k.env.ingest('taobao', platformOrderId);
        orderId = order.id;
        expect(order.status).toBe('unpaid');
        // As the unpaid-chase rule stages its first reminder.
        const payload: BuyerMessagePayload = { orderId, purpose: 'unpaid_reminder', template: '亲,{benefit}', params: { benefit: '今天付款今天发' } };
        const { action } = await k.env.actions.request({ type: BUYER_MESSAGE_ACTION, idempotencyKey: `unpaid:${orderId}:1`, shopId: order.shopId, orderId, payload: { ...payload } });
        // The reminder is recorded as sending just before the SMS call.
        return { actionId: action.id, onTheWire: async () => (await reminders()).some((r) => r.status === 'sending') };
      },
      async check(action) {
        const sms = await messagesFor(platformOrderId);
        expect(sms.map((m) => m.template)).toEqual(['SMS_UNPAID_REMINDER']);
        // The new worker found the send cut off and did not send again: SMS cannot be asked back.
        expect(action.result).toMatchObject({ uncertain: true });
        expect(await reminders()).toMatchObject([{ seq: 1, channel: 'sms', status: 'uncertain', actionId: action.id }]);
      },
    };
  };

  const reship = (): Case => {
    let platformOrderId = '';
    let reshipId = 0;
    const uploads = () => k.calls('jushuitan', '/open/aftersale/upload');
    let uploadsBefore = 0;
    return {
      name: 'a reship (补发) filed in the ERP',
      slowed: 'jushuitan',
      async begin() {
        const order = await k.env.paidOrder('taobao');
        platformOrderId = order.platformOrderId;
        const line = (order.lineItems as OrderLine[])[0];
        uploadsBefore = uploads();
        const res = await agent.post('/api/reships', { orderId: order.id, lines: [{ skuId: line.outerSkuId ?? line.skuId!, qty: 1 }], reason: 'lost', responsibleParty: 'courier' });
        expect(res.status).toBe(201);
        reshipId = res.body.id as number;
        const action = await actionByKey(`reship:${reshipId}:file`);
        // Once claimed, the upload is the execution's first ERP call.
        return { actionId: action.id, onTheWire: async () => (await actionByKey(`reship:${reshipId}:file`)).status === 'running' };
      },
      async check(action) {
        // The killed upload reached the ERP, and the new worker uploaded the same outer id again.
        expect(uploads() - uploadsBefore).toBe(2);
        const filed = (await k.env.reships()).filter((r) => r.soId === platformOrderId);
        expect(filed).toHaveLength(1);
        expect(filed[0].outerAsId).toBe(`kefu-reship-${reshipId}`);
        expect(await k.env.ds.getRepository(ReshipEntity).findOneByOrFail({ id: reshipId })).toMatchObject({ status: 'filed', erpAfterSaleId: filed[0].asId });
        expect(action.result).toMatchObject({ reship: reshipId, erpAfterSaleId: filed[0].asId });

        // The replacement ships; tracking (looked at twice) remarks the order and tells the buyer once.
        k.env.clock.advance(RESHIP_SHIP_DELAY_MS);
        const tracker = k.env.t.app.get(ReshipTracker);
        expect(await tracker.track()).toBe(1);
        expect(await tracker.track()).toBe(0);
        const shipped = await k.env.ds.getRepository(ReshipEntity).findOneByOrFail({ id: reshipId });
        expect(shipped.status).toBe('shipped');
        await k.done((await actionByKey(`reship:${reshipId}:remark`)).id);
        await k.done((await actionByKey(`reship:${reshipId}:message`)).id);
        expect(memoLines(platformOrderId, '补发单号:')).toHaveLength(1);
        expect(memoLines(platformOrderId, '补发单号:')[0]).toContain(`${shipped.carrierName} ${shipped.trackingNo}`);
        expect(memoWrites(platformOrderId)).toHaveLength(1);
        const sms = await messagesFor(platformOrderId);
        expect(sms.map((m) => m.template)).toEqual(['SMS_RESHIP_TRACKING']);
        expect(sms[0].content).toContain(shipped.trackingNo!);
        expect((await k.env.reships()).filter((r) => r.soId === platformOrderId)).toHaveLength(1);
      },
    };
  };

  const chaseRemark = (): Case => {
    let platformOrderId = '';
    let readsBefore = 0;
    // Reading a shipped trade is two calls: the trade, then its waybill.
    const reads = () => k.calls('taobao', 'taobao.logistics.trace.search');
    return {
      name: 'a 已催件 remark for a stalled parcel',
      slowed: 'taobao',
      async begin() {
        // Shipped 26 h ago and never collected: stalled by the real clock the workers keep.
        const placed = k.env.clock.nowMs() - 27 * HOUR;
        const o = k.env.sb.world.addOrder({ platform: 'taobao', shopId: TAOBAO_SHOP }, placed);
        k.env.sb.world.pay('taobao', o.orderId, placed + 60_000);
        k.env.sb.world.ship('taobao', o.orderId, { carrierCode: 'zhongtong', trackingNo: `7300${String(placed).slice(-8)}`, plan: 'none' }, placed + HOUR);
        platformOrderId = o.orderId;
        readsBefore = reads();
        const order = await k.env.ingest('taobao', platformOrderId);
        // Ingesting flags the stall; the watch's check lets the stall rule stage the chase. With a shared
        // queue a worker may evaluate the ingested order at the same time; the check is asked again until
        // the stall is on record, as the watch's own tick would.
        const watch = k.env.t.app.get(StallWatch);
        await eventually(async () => expect(await watch.check(order.id)).toMatchObject([{ stalled: true, cause: 'not_collected' }]), 10_000, 200);
        const action = await k.env.ds.getRepository(ActionEntity).findOneByOrFail({ orderId: order.id, type: 'remark.write' });
        expect(action.idempotencyKey).toMatch(/^chase:/);
        // The ingest read the order once; the writer reads it twice (merge, then the re-check) and then writes the memo.
        return { actionId: action.id, onTheWire: () => reads() - readsBefore >= 3 };
      },
      async check(action) {
        const p = action.payload as unknown as RemarkWritePayload;
        expect(memoLines(platformOrderId, '已催件')).toEqual([`已催件 ${p.agentId} ${p.date}`]);
        expect(memoWrites(platformOrderId)).toHaveLength(1);
        expect(action.result).toMatchObject({ status: 'written', present: true });
      },
    };
  };

  it.each([unpaidReminder(), reship(), chaseRemark()].map((c) => [c.name, c] as const))(
    '%s: the killed call counts, nothing is done twice',
    async (_name, c) => {
      k.slow(c.slowed);
      const { actionId, onTheWire } = await c.begin();
      await k.killMidCall(onTheWire);
      const action = await k.done(actionId);
      expect(action.attempts).toBeGreaterThanOrEqual(2);
      await c.check(action);
    },
    90000,
  );
});
