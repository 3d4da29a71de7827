import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { BUYER_MESSAGE_ACTION, type BuyerMessagePayload } from '../../src/messages/buyer-message.action.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { ReminderEntity } from '../../src/reminders/reminder.entity.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import { backend } from '../support/test-env.js';
import { startAftersaleEnv, tomorrowAt, type AftersaleEnv, type Mp } from './support/aftersale-env.js';

const HOUR = 3_600_000;
const shopOf = (p: Mp) => FIXTURES.find((f) => f.platform === p)!.shopId;

describe(`buyer messages and unpaid reminders against the sandbox (${backend.label})`, () => {
  let env: AftersaleEnv;
  let n = 0;

  beforeAll(async () => {
    env = await startAftersaleEnv();
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  const newOrder = (p: Mp, extra: Record<string, unknown> = {}) => env.sb.world.addOrder({ platform: p, shopId: shopOf(p), ...extra });
  const request = async (order: OrderEntity, purpose: BuyerMessagePayload['purpose'], key = `test:${++n}`) => {
    const payload: BuyerMessagePayload = { orderId: order.id, purpose, template: '亲,{benefit}', params: { benefit: '今天付款今天发' } };
    const { action } = await env.actions.request({ type: BUYER_MESSAGE_ACTION, idempotencyKey: key, shopId: order.shopId, orderId: order.id, payload: { ...payload } });
    return action;
  };
  const messagesFor = async (platformOrderId: string) => (await env.messages()).filter((m) => m.orderId === platformOrderId);
  const reminders = (orderId: number) => env.ds.getRepository(ReminderEntity).findBy({ orderId });

  it('reminds an unpaid Taobao order by SMS to its OAID once, however often the action is requested', async () => {
    const sbOrder = newOrder('taobao');
    const order = await env.ingest('taobao', sbOrder.orderId);
    expect(order.status).toBe('unpaid');
    const first = await request(order, 'unpaid_reminder', `unpaid:${order.id}:1`);
    expect((await env.settled(first.id)).status).toBe('done');
    const again = await request(order, 'unpaid_reminder', `unpaid:${order.id}:1`);
    expect(again.id).toBe(first.id);
    await env.actions.execute(first.id, { id: 'again', name: 'x', attempt: 1, maxAttempts: 1 });
    const sent = await messagesFor(sbOrder.orderId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ platform: 'taobao', channel: 'taobao.jst.sms.oaid.message.send', to: order.buyerRef, template: 'SMS_UNPAID_REMINDER' });
    expect(sent[0].content).toContain('今天付款今天发');
    expect(await reminders(order.id)).toMatchObject([{ seq: 1, status: 'sent', channel: 'sms', buyerRef: order.buyerRef }]);

    // Paid after the reminder: the reminder learns it converted, and the shop's stats show it.
    env.sb.world.pay('taobao', sbOrder.orderId, env.clock.nowMs() + 20 * 60_000);
    await env.ingest('taobao', sbOrder.orderId);
    const [r] = await reminders(order.id);
    expect(r.minutesToPayment).toBe(20);
    const stats = await env.api.get(`/api/shops/${env.shops.taobao}/unpaid-stats`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ chasing: { active: true }, ordersPaid: 1, medianMinutesToPayment: 20 });
    expect(stats.body.ordersReminded).toBeGreaterThanOrEqual(1);
  });

  it('sends nothing when the order was paid between scheduling and sending', async () => {
    const sbOrder = newOrder('taobao');
    const order = await env.ingest('taobao', sbOrder.orderId);
    env.sb.world.pay('taobao', sbOrder.orderId);
    const action = await request(order, 'unpaid_reminder');
    const done = await env.settled(action.id);
    expect(done.status).toBe('done');
    expect(done.result).toMatchObject({ skipped: expect.stringContaining('AWAITING_SHIPMENT') });
    expect(await messagesFor(sbOrder.orderId)).toHaveLength(0);
    expect(await reminders(order.id)).toHaveLength(0);
    // The re-check brought our copy up to date.
    expect((await env.ds.getRepository(OrderEntity).findOneByOrFail({ id: order.id })).status).toBe('paid');
  });

  it('holds a reminder due at 23:30 until 08:00', async () => {
    const sbOrder = newOrder('taobao');
    const order = await env.ingest('taobao', sbOrder.orderId);
    env.clock.set(tomorrowAt('23:30'));
    const action = await request(order, 'unpaid_reminder');
    const held = await env.settled(action.id);
    expect(held.status).toBe('pending');
    const eight = new Date(tomorrowAt('08:00').getTime() + 24 * HOUR);
    expect(held.leaseUntil?.toISOString()).toBe(eight.toISOString());
    expect(await env.actions.sweep()).toBe(0);
    expect(await messagesFor(sbOrder.orderId)).toHaveLength(0);
    env.clock.set(eight);
    expect(await env.actions.sweep()).toBeGreaterThanOrEqual(1);
    expect((await env.settled(action.id, false)).status).toBe('done');
    expect(await messagesFor(sbOrder.orderId)).toHaveLength(1);
  });

  it('does not remind the same buyer twice within a day', async () => {
    const first = newOrder('taobao');
    const second = newOrder('taobao', { oaid: first.oaid, buyerOpenUid: first.buyerOpenUid, receiver: first.receiver });
    const a = await env.ingest('taobao', first.orderId);
    const b = await env.ingest('taobao', second.orderId);
    expect(b.buyerRef).toBe(a.buyerRef);
    expect((await env.settled((await request(a, 'unpaid_reminder')).id)).result).toMatchObject({ sent: true });
    const capped = await env.settled((await request(b, 'unpaid_reminder')).id);
    expect(capped.result).toMatchObject({ skipped: 'buyer already reminded within 24 h' });
    expect(await messagesFor(second.orderId)).toHaveLength(0);
    // A day later the buyer may be reminded again.
    env.clock.advance(25 * HOUR);
    expect((await env.settled((await request(b, 'unpaid_reminder')).id)).result).toMatchObject({ sent: true });
    expect(await messagesFor(second.orderId)).toHaveLength(1);
  });

  it('messages a Kuaishou buyer by SMS at the receiver mobile ciphertext, never the plain number', async () => {
    const sbOrder = newOrder('kuaishou');
    env.sb.world.pay('kuaishou', sbOrder.orderId);
    const order = await env.ingest('kuaishou', sbOrder.orderId);
    expect((await env.settled((await request(order, 'stall_notice')).id)).status).toBe('done');
    const [sent, ...more] = await messagesFor(sbOrder.orderId);
    expect(more).toHaveLength(0);
    expect(sent).toMatchObject({ platform: 'kuaishou', channel: 'open.sms.send', template: '1002', to: order.receiver!.mobile });
    expect(sent.to).not.toBe(sbOrder.receiver.mobile);
  });

  it('turns a message into an agent task where the platform has no buyer channel (Pinduoduo)', async () => {
    const sbOrder = newOrder('pinduoduo');
    env.sb.world.pay('pinduoduo', sbOrder.orderId);
    const order = await env.ingest('pinduoduo', sbOrder.orderId);
    // As the rules' decision sink stages it: the order on the action row, the purpose from the rule.
    const { action } = await env.actions.request({
      type: BUYER_MESSAGE_ACTION,
      idempotencyKey: `chase-msg:${order.id}`,
      shopId: order.shopId,
      orderId: order.id,
      payload: { template: '亲,{benefit}', params: { benefit: '今天付款今天发' }, rule: 'logistics.stall' },
    });
    expect((await env.settled(action.id)).result).toMatchObject({ sent: false, channel: 'task' });
    const tasks = await env.tasks({ orderId: order.id });
    expect(tasks).toMatchObject([{ type: 'buyer_message', role: 'in_sale', status: 'open' }]);
    expect(tasks[0].reason).toContain('亲,今天付款今天发');
    expect(await messagesFor(sbOrder.orderId)).toHaveLength(0);
    const stats = await env.api.get(`/api/shops/${env.shops.pinduoduo}/unpaid-stats`);
    expect(stats.body.chasing).toEqual({ active: false, reason: expect.stringContaining('拼多多') });
  });

  it('never sends twice after a crash mid-send: the re-run records the reminder as uncertain', async () => {
    const sbOrder = newOrder('taobao');
    const order = await env.ingest('taobao', sbOrder.orderId);
    // What a worker killed during the SMS call leaves: the reminder and the checkpoint written, the action running.
    const { action } = await env.actions.stage(env.ds.manager, {
      type: BUYER_MESSAGE_ACTION,
      idempotencyKey: `crash:${order.id}`,
      orderId: order.id,
      payload: { orderId: order.id, purpose: 'unpaid_reminder', template: 't', params: {} },
    });
    await env.ds.getRepository(ActionEntity).update({ id: action.id }, { status: 'running', attempts: 1, result: { sendingAt: new Date().toISOString() }, leaseUntil: new Date(env.clock.nowMs() - 1) });
    await env.ds.getRepository(ReminderEntity).insert({ shopId: order.shopId, orderId: order.id, seq: 1, buyerRef: order.buyerRef, actionId: action.id, channel: 'sms', status: 'sending', sentAt: env.clock.now(), paidAt: null, minutesToPayment: null, createdAt: env.clock.now() });
    await env.actions.execute(action.id, { id: 'rerun', name: 'x', attempt: 2, maxAttempts: 5 });
    expect((await env.ds.getRepository(ActionEntity).findOneByOrFail({ id: action.id })).result).toMatchObject({ uncertain: true });
    expect(await messagesFor(sbOrder.orderId)).toHaveLength(0);
    expect(await reminders(order.id)).toMatchObject([{ status: 'uncertain' }]);
  });
});
