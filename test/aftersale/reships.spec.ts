import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { shanghaiDate } from '../../src/common/shanghai-time.js';
import type { OrderLine } from '../../src/platforms/ports/canonical.types.js';
import type { OrderEntity } from '../../src/orders/order.entity.js';
import type { SbErpOrder } from '../../src/sandbox/core/types.js';
import { RESHIP_FILE_ACTION } from '../../src/reships/reship.actions.js';
import { ReshipTracker } from '../../src/reships/reship-tracker.js';
import { messages, type ApiClient } from '../shops/shops-test-support.js';
import { backend } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { startAftersaleEnv, type AftersaleEnv } from './support/aftersale-env.js';

const SHIP_DELAY = 60_000;

describe(`replacement shipments (补发) against the sandbox (${backend.label})`, () => {
  let env: AftersaleEnv;

  let agent: ApiClient;
  beforeAll(async () => {
    env = await startAftersaleEnv({ sandbox: { reshipShipDelayMs: SHIP_DELAY } });
    agent = await env.as({ roles: ['after_sale'], agentId: 'kf07' });
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  const firstSku = (o: OrderEntity) => (o.lineItems as OrderLine[])[0].outerSkuId ?? (o.lineItems as OrderLine[])[0].skuId!;
  const fileAction = async (reshipId: number) => env.ds.getRepository(ActionEntity).findOneByOrFail({ idempotencyKey: `reship:${reshipId}:file` });

  it('rejects a reship without lines, with an unknown reason or party, naming the field', async () => {
    const order = await env.paidOrder('taobao');
    const bad = await agent.post('/api/reships', { orderId: order.id, lines: [], reason: 'bored', responsibleParty: 'courier' });
    expect(bad.status).toBe(400);
    expect(messages(bad)).toContain('lines');
    const reason = await agent.post('/api/reships', { orderId: order.id, lines: [{ skuId: 'X', qty: 1 }], reason: 'bored', responsibleParty: 'courier' });
    expect(reason.status).toBe(400);
    expect(messages(reason)).toMatch(/^reason must be one of lost/);
    const party = await agent.post('/api/reships', { orderId: order.id, lines: [{ skuId: 'X', qty: 0 }], reason: 'lost', responsibleParty: 'courier' });
    expect(messages(party)).toContain('lines.0.qty');
    const unknown = await agent.post('/api/reships', { orderId: 999999, lines: [{ skuId: 'X', qty: 1 }], reason: 'lost', responsibleParty: 'nobody' });
    expect(messages(unknown)).toContain('responsibleParty');
    expect(await env.reships()).toHaveLength(0);
  });

  it('files one ERP 补发 per order and reason, then remarks and tells the buyer the new number once it ships', async () => {
    const order = await env.paidOrder('taobao');
    const body = { orderId: order.id, lines: [{ skuId: firstSku(order), qty: 1 }], reason: 'lost', responsibleParty: 'courier' };
    const answers = await Promise.all([1, 2, 3].map(() => agent.post('/api/reships', body)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = new Set(answers.map((a) => a.body.id as number));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.created)).toHaveLength(1);
    const id = [...ids][0];
    expect((await env.settled((await fileAction(id)).id)).status).toBe('done');
    await env.actions.execute((await fileAction(id)).id, { id: 'rerun', name: 'x', attempt: 1, maxAttempts: 1 });

    const filed = await env.reships();
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ outerAsId: `kefu-reship-${id}`, soId: order.platformOrderId });
    const replacement = (await (await fetch(`${env.sb.url}/_sandbox/erp/orders/${filed[0].replacementOId}`)).json()) as SbErpOrder;
    expect(replacement).toMatchObject({ isReship: true, lines: [{ skuId: firstSku(order), qty: 1, priceFen: 0 }] });
    const original = env.sb.world.erpOrders({ soIds: [order.platformOrderId] }).find((e) => !e.isReship)!;
    expect(replacement.receiver).toEqual(original.receiver);
    expect((await agent.get(`/api/reships/${id}`)).body).toMatchObject({ status: 'filed', erpAfterSaleId: filed[0].asId, requestedBy: 'kf07' });

    // Not shipped yet: nothing to say.
    const tracker = env.t.app.get(ReshipTracker);
    expect(await tracker.track()).toBe(0);
    env.clock.advance(Math.max(SHIP_DELAY, 11 * 60_000) + 1000);
    expect(await tracker.track()).toBe(1);
    expect(await tracker.track()).toBe(0);
    const trackingNo = env.sb.world.erpOrder(filed[0].replacementOId)!.shipment!.trackingNo;
    const shipped = (await agent.get(`/api/reships/${id}`)).body;
    expect(shipped).toMatchObject({ status: 'shipped', trackingNo });

    const remark = await env.ds.getRepository(ActionEntity).findOneByOrFail({ idempotencyKey: `reship:${id}:remark` });
    expect(remark).toMatchObject({ type: 'remark.write', payload: { orderId: order.id, target: 'marketplace', fields: { kind: 'reship', courier: shipped.carrierName, trackingNo } } });
    const ra = await env.settled(remark.id);
    expect({ status: ra.status, lastError: ra.lastError }).toEqual({ status: 'done', lastError: null });
    // The memo says so, with the reship flag: 补发单号:<courier> <no>,<bot>,<date>.
    await eventually(() => expect(env.sb.world.order('taobao', order.platformOrderId)!.memo).toMatch(new RegExp(`^补发单号:${shipped.carrierName} ${trackingNo},系统,\\d{4}-\\d{2}-\\d{2}$`)));
    expect(env.sb.world.order('taobao', order.platformOrderId)!.flag).toBe('red');
    await eventually(async () => {
      const sms = (await env.messages()).filter((m) => m.orderId === order.platformOrderId);
      expect(sms).toHaveLength(1);
      expect(sms[0]).toMatchObject({ template: 'SMS_RESHIP_TRACKING' });
      expect(sms[0].content).toContain(trackingNo);
    });
  });

  it('holds a reship a rule proposes until an agent confirms it', async () => {
    const order = await env.paidOrder('taobao');
    const { action } = await env.actions.request({
      type: RESHIP_FILE_ACTION,
      idempotencyKey: `rule-reship:${order.id}`,
      orderId: order.id,
      // As the rules' decision sink stages it: the order on the action row, the rule in the payload.
      payload: { reason: 'damaged', responsibleParty: 'courier', lines: [{ skuId: firstSku(order), qty: 1 }], rule: 'logistics.stall' },
    });
    const done = await env.settled(action.id);
    expect(done.result).toMatchObject({ proposed: expect.any(Number) });
    const id = done.result!.proposed as number;
    expect((await agent.get(`/api/reships/${id}`)).body).toMatchObject({ status: 'proposed', source: 'rule', requestedBy: 'rule:logistics.stall' });
    expect(await env.tasks({ orderId: order.id })).toMatchObject([{ type: 'reship_confirm', role: 'after_sale', status: 'open' }]);
    const before = (await env.reships()).length;
    expect((await env.reships()).some((r) => r.soId === order.platformOrderId)).toBe(false);

    const confirmed = await (await env.as({ roles: ['after_sale'], agentId: 'kf02' })).post(`/api/reships/${id}/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', confirmedBy: 'kf02' });
    await env.settled((await fileAction(id)).id);
    expect((await agent.post(`/api/reships/${id}/confirm`, {})).body.status).toBe('filed');
    expect((await env.reships()).length).toBe(before + 1);
    expect((await agent.post('/api/reships/424242/confirm', {})).status).toBe(404);
  });

  it('reports the month’s reships by responsible party as JSON and CSV', async () => {
    const order = await env.paidOrder('kuaishou');
    const created = await agent.post('/api/reships', { orderId: order.id, lines: [{ skuId: firstSku(order), qty: 2 }], reason: 'wrong', responsibleParty: 'warehouse', note: '错发,颜色不对' });
    await env.settled((await fileAction(created.body.id)).id);
    const month = shanghaiDate(env.clock.now()).slice(0, 7);
    const json = await agent.get(`/api/reports/reships?month=${month}`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ month, total: 3, byResponsibleParty: { courier: 2, warehouse: 1 }, byReason: { lost: 1, damaged: 1, wrong: 1 } });
    expect(json.body.rows.map((r: { platformOrderId: string }) => r.platformOrderId)).toContain(order.platformOrderId);
    const csv = await agent.get(`/api/reports/reships?month=${month}&format=csv`);
    expect(csv.status).toBe(200);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('reshipId,shop,platform,platformOrderId,reason,reasonLabel,responsibleParty,status,carrier,trackingNo,requestedBy,createdAt');
    expect(lines.filter((l) => l.includes(',warehouse,'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('合计 3');
    const other = await agent.get('/api/reports/reships?month=2001-01');
    expect(other.body).toMatchObject({ total: 0, rows: [] });
    expect((await agent.get('/api/reports/reships?month=2026-13')).status).toBe(400);
    // Who may do what: a warehouse user reads reships but files none; without a token, nothing.
    const warehouse = await env.as({ roles: ['warehouse'] });
    expect((await warehouse.get('/api/reships')).status).toBe(200);
    expect((await warehouse.post('/api/reships', { orderId: order.id, lines: [{ skuId: 'X', qty: 1 }], reason: 'lost', responsibleParty: 'courier' })).status).toBe(403);
    expect((await fetch(`${env.t.url}/api/reports/reships?month=${month}`)).status).toBe(401);
    // A shop-scoped agent sees only their shop's reships in the report.
    const scoped = await env.as({ roles: ['after_sale'], shopIds: [env.shops.kuaishou] });
    expect((await scoped.get(`/api/reports/reships?month=${month}`)).body).toMatchObject({ total: 1, byResponsibleParty: { warehouse: 1 } });
  });
});
