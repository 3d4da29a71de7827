import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { ACTION_TYPES, type FlagSetPayload, type RemarkWritePayload } from '../../src/actions/action-types.js';
import { shanghaiDate } from '../../src/common/shanghai-time.js';
import type { OrderEntity } from '../../src/orders/order.entity.js';
import { RemarkEntity } from '../../src/remarks/remark.entity.js';
import { RerouteEntity } from '../../src/reroutes/reroute.entity.js';
import type { RemarkFields } from '../../src/remarks/remark-kinds.js';
import type { SbCall, SbOrder } from '../../src/sandbox/core/types.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import { backend } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { RuleEvaluationEntity } from '../../src/rules/rule-evaluation.entity.js';
import { UserEntity } from '../../src/auth/user.entity.js';
import { startAftersaleEnv, type AftersaleEnv, type Mp } from '../aftersale/support/aftersale-env.js';

const shopOf = (p: Mp) => FIXTURES.find((f) => f.platform === p)!.shopId;
const ERP_SHOP = FIXTURES.find((f) => f.platform === 'taobao')!.erpShopId!;
const COURIER: RemarkFields = { kind: 'courier_request', courier: '顺丰', service: '特快', payment: '寄付' };

/**
 * The remark writer against the sandbox over HTTP (rules.md §2): each platform's memo semantics, human
 * text kept, idempotent lines, the length limit, and the ERP's audit rule.
 */
describe(`remarks written to the memo and the ERP (${backend.label})`, () => {
  let env: AftersaleEnv;
  let serial = 0;
  let today = '';

  beforeAll(async () => {
    env = await startAftersaleEnv({ seed: 33 });
    today = shanghaiDate(env.clock.now());
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  const sbOrder = (o: OrderEntity): SbOrder => env.sb.world.order(o.platform, o.platformOrderId)!;
  const apiWrites = (o: OrderEntity) => sbOrder(o).memoHistory.filter((h) => h.by.startsWith('api:'));

  async function remark(o: OrderEntity, target: 'marketplace' | 'erp', fields: RemarkFields, extra: Partial<RemarkWritePayload> = {}): Promise<ActionEntity> {
    const payload: RemarkWritePayload = { target, agentId: 'kf01', date: today, fields, ...extra };
    const { action } = await env.actions.request({ type: ACTION_TYPES.remarkWrite, idempotencyKey: `test-remark:${++serial}`, shopId: o.shopId, orderId: o.id, payload: { ...payload } });
    return env.settled(action.id);
  }

  it('adds the line under what people wrote on Taobao, with the flag of its kind, and a second request for the same line writes nothing', async () => {
    const o = await env.paidOrder('taobao');
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: '客户要求周末送达', by: 'human:掌柜', op: 'update' });
    const done = await remark(o, 'marketplace', { kind: 'chased' });
    expect(done).toMatchObject({ status: 'done' });
    expect(sbOrder(o).memo).toBe(`客户要求周末送达\n已催件 kf01 ${today}`);
    expect(sbOrder(o).flag).toBe('blue');
    const again = await remark(o, 'marketplace', { kind: 'chased' });
    expect(again.status).toBe('done');
    expect(again.result).toMatchObject({ present: true });
    expect(apiWrites(o)).toHaveLength(1);
    const rows = await env.ds.getRepository(RemarkEntity).findBy({ orderId: o.id });
    expect(rows.map((r) => [r.status, r.line])).toEqual([
      ['written', `已催件 kf01 ${today}`],
      ['written', `已催件 kf01 ${today}`],
    ]);
  });

  it('keeps a memo a person wrote between the read and the write: the merge starts over from their text', async () => {
    const o = await env.paidOrder('taobao');
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: '老客户', by: 'human:掌柜', op: 'update' });
    // The person saves their memo in the seller console right after kefu-bridge's first read of the order.
    const calls = env.sb.ctx.calls as unknown as { record(c: Omit<SbCall, 'time'>): void };
    const record = calls.record.bind(calls);
    let armed = true;
    calls.record = (c) => {
      record(c);
      if (armed && c.method === 'taobao.trade.fullinfo.get' && c.shopId === shopOf('taobao')) {
        armed = false;
        env.sb.world.writeMemo('taobao', o.platformOrderId, { text: '老客户\n送礼物,不要放价格单', by: 'human:掌柜', op: 'update' });
      }
    };
    try {
      expect(await remark(o, 'marketplace', COURIER)).toMatchObject({ status: 'done' });
    } finally {
      calls.record = record;
    }
    expect(armed).toBe(false);
    expect(sbOrder(o).memo).toBe(`老客户\n送礼物,不要放价格单\n顺丰 特快 寄付,kf01,${today}`);
  });

  it('at the memo limit drops its own oldest line first, and when human text alone leaves no room fails into a task without writing', async () => {
    const o = await env.paidOrder('taobao');
    const human = '备'.repeat(310); // 930 bytes of what a person wrote
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: human, by: 'human:掌柜', op: 'update' });
    await remark(o, 'marketplace', { kind: 'other', text: '发票抬头:某某公司' });
    expect(sbOrder(o).memo).toBe(`${human}\n发票抬头:某某公司,kf01,${today}`);
    // The next line does not fit beside both: our older line goes, the human text stays whole.
    await remark(o, 'marketplace', { kind: 'ship_date', month: 11, day: 25 });
    expect(sbOrder(o).memo).toBe(`${human}\n11月25日发货,kf01,${today}`);

    const full = await env.paidOrder('taobao');
    env.sb.world.writeMemo('taobao', full.platformOrderId, { text: '满'.repeat(330), by: 'human:掌柜', op: 'update' });
    const failed = await remark(full, 'marketplace', COURIER);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/does not fit/);
    expect(apiWrites(full)).toHaveLength(0);
    const tasks = await env.tasks({ orderId: full.id, type: 'remark_fix' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0].reason).toContain(`顺丰 特快 寄付,kf01,${today}`);
  });

  it('appends a note on Kuaishou (the platform keeps the old ones) and on Pinduoduo rewrites the whole note, once each', async () => {
    const ks = await env.paidOrder('kuaishou');
    await remark(ks, 'marketplace', COURIER);
    await remark(ks, 'marketplace', COURIER);
    expect(apiWrites(ks).map((h) => [h.op, h.text])).toEqual([['append', `顺丰 特快 寄付,kf01,${today}`]]);

    const pdd = await env.paidOrder('pinduoduo');
    env.sb.world.writeMemo('pinduoduo', pdd.platformOrderId, { text: '拼单老客', by: 'human:客服', op: 'update' });
    await remark(pdd, 'marketplace', { kind: 'refund_reason', reason: '质量问题退货退款' });
    await remark(pdd, 'marketplace', { kind: 'refund_reason', reason: '质量问题退货退款' });
    expect(sbOrder(pdd).memo).toBe(`拼单老客\n质量问题退货退款,kf01,${today}`);
    expect(sbOrder(pdd).flag).toBe('purple');
    expect(apiWrites(pdd)).toHaveLength(1);
  });

  it('appends to the ERP remark while the order awaits audit; once audited, writes nothing and gives the auditor a task', async () => {
    const open = await env.paidOrder('taobao');
    const erpOpen = env.sb.world.erpOrderBySoId(ERP_SHOP, open.platformOrderId)!;
    await remark(open, 'erp', COURIER);
    await remark(open, 'erp', COURIER);
    expect(env.sb.world.erpOrder(erpOpen.oId)!.remark).toBe(`顺丰 特快 寄付,kf01,${today}`);

    const audited = await env.paidOrder('taobao');
    const erpAudited = env.sb.world.erpOrderBySoId(ERP_SHOP, audited.platformOrderId)!;
    env.sb.world.auditErp(erpAudited.oId);
    const done = await remark(audited, 'erp', COURIER);
    expect(done.result).toMatchObject({ status: 'superseded' });
    expect(env.sb.world.erpOrder(erpAudited.oId)!.remark ?? '').toBe('');
    const tasks = await env.tasks({ orderId: audited.id, type: 'auditor_remark' });
    expect(tasks.map((t) => [t.role, t.reason])).toEqual([['auditor', `订单编号:${audited.platformOrderId} 备注信息:顺丰 特快 寄付,kf01,${today}`]]);
  });

  it('sets a flag without touching the memo text, and a flag already set is left alone', async () => {
    const o = await env.paidOrder('taobao');
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: '别动我的备注', by: 'human:掌柜', op: 'update' });
    const payload: FlagSetPayload = { flag: 'green' };
    for (const n of [1, 2]) {
      const { action } = await env.actions.request({ type: ACTION_TYPES.flagSet, idempotencyKey: `test-flag:${serial}:${n}`, shopId: o.shopId, orderId: o.id, payload: { ...payload } });
      expect(await env.settled(action.id)).toMatchObject({ status: 'done' });
    }
    expect(sbOrder(o)).toMatchObject({ memo: '别动我的备注', flag: 'green' });
    expect(apiWrites(o)).toHaveLength(1);
  });

  it('a malformed remark a person wrote in the seller console becomes one fix-it task for its author', async () => {
    await env.as({ roles: ['in_sale'], agentId: 'kf03' });
    const o = await env.paidOrder('taobao');
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: '顺丰,kf03,' + today, by: 'human:kf03', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    await eventually(async () => expect(await env.tasks({ orderId: o.id, type: 'remark_fix' })).toHaveLength(1), 10_000);
    // The same memo seen again (a duplicate event, a poll) opens nothing more.
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: `顺丰,kf03,${today}\n客户周末在家`, by: 'human:kf03', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    await eventually(async () => expect((await env.ds.getRepository(RuleEvaluationEntity).findOneByOrFail({ orderId: o.id, rule: 'remarks.memo' })).orderVersion).toBeGreaterThanOrEqual(3), 10_000);
    const tasks = await env.tasks({ orderId: o.id, type: 'remark_fix' });
    expect(tasks).toHaveLength(1);
    const author = await env.ds.getRepository(UserEntity).findOneByOrFail({ agentId: 'kf03' });
    expect(tasks[0]).toMatchObject({ role: 'in_sale', assignee: String(author.id) });
    expect(tasks[0].reason).toContain(`顺丰,kf03,${today}`);
  });

  it('an address change a person wrote updates the ERP receiver and lists a reroute the warehouse sees and acknowledges', async () => {
    const o = await env.paidOrder('taobao');
    const line = `修改地址为:广东省 深圳市 南山区 科技园路1号 李四 13900000000,kf04,${today}`;
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: `老客户\n${line}`, by: 'human:kf04', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    const erp = env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!;
    await eventually(() => expect(env.sb.world.erpOrder(erp.oId)!.receiver).toMatchObject({ province: '广东省', city: '深圳市', district: '南山区', address: '科技园路1号', name: '李四', mobile: '13900000000' }), 10_000);
    expect(env.sb.world.erpOrder(erp.oId)!.addressHistory.filter((h) => h.by.startsWith('api:'))).toHaveLength(1);

    const warehouse = await env.as({ roles: ['warehouse'] });
    const listed = await warehouse.get(`/api/reroutes?shopId=${o.shopId}`);
    expect(listed.status).toBe(200);
    const mine = (listed.body as { id: number; orderId: number; kind: string; address: Record<string, string> }[]).filter((r) => r.orderId === o.id);
    expect(mine).toHaveLength(1);
    // The warehouse sees where the parcel goes, not how to call the buyer.
    expect(mine[0]).toMatchObject({ kind: 'address', address: { province: '广东省', detail: '科技园路1号', name: '李四', phone: '139****0000' }, erp: { changeable: true } });
    expect((await (await env.as({ roles: ['pre_sale'] })).get('/api/reroutes')).status).toBe(403);
    const bad = await warehouse.post('/api/reroutes/x/ack', {});
    expect(bad.status).toBe(400);
    expect((await warehouse.post(`/api/reroutes/${mine[0].id}/ack`, {})).body).toMatchObject({ status: 'acked' });
    const open = (await warehouse.get(`/api/reroutes?shopId=${o.shopId}`)).body as { orderId: number }[];
    expect(open.filter((r) => r.orderId === o.id)).toHaveLength(0);
    // The same memo seen again lists nothing more and writes the ERP address no second time.
    await env.ingest('taobao', o.platformOrderId);
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: `老客户\n${line}\n周末送`, by: 'human:kf04', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    await eventually(async () => expect((await env.ds.getRepository(RuleEvaluationEntity).findOneByOrFail({ orderId: o.id, rule: 'remarks.memo' })).orderVersion).toBeGreaterThanOrEqual(3), 10_000);
    expect(env.sb.world.erpOrder(erp.oId)!.addressHistory.filter((h) => h.by.startsWith('api:'))).toHaveLength(1);
    expect((await warehouse.get(`/api/reroutes?shopId=${o.shopId}&status=acked`)).body).toEqual([expect.objectContaining({ orderId: o.id })]);
  });

  it('in dry run the memo rule records what it would do and the platforms receive nothing', async () => {
    const patch = await env.api.send('PATCH', `/api/shops/${env.shops.taobao}/settings`, { dryRun: true });
    expect(patch.status).toBe(200);
    try {
      const o = await env.paidOrder('taobao');
      const erpBefore = env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!.remark;
      env.sb.world.writeMemo('taobao', o.platformOrderId, { text: `韵达,kf06,${today}`, by: 'human:kf06', op: 'update' });
      await env.ingest('taobao', o.platformOrderId);
      const evaluations = env.ds.getRepository(RuleEvaluationEntity);
      await eventually(async () => expect((await evaluations.findOneByOrFail({ orderId: o.id, rule: 'remarks.memo' })).orderVersion).toBeGreaterThanOrEqual(2), 10_000);
      const evaluation = await evaluations.findOneByOrFail({ orderId: o.id, rule: 'remarks.memo' });
      expect(evaluation).toMatchObject({ fired: true, dryRun: true });
      expect((evaluation.decisions as { type: string }[]).map((d) => d.type)).toEqual(['write_remark', 'reroute']);
      expect(env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!.remark).toBe(erpBefore);
      expect(await env.ds.getRepository(RerouteEntity).countBy({ orderId: o.id })).toBe(0);
      expect(await env.ds.getRepository(ActionEntity).countBy({ orderId: o.id })).toBe(0);
    } finally {
      await env.api.send('PATCH', `/api/shops/${env.shops.taobao}/settings`, { dryRun: null });
    }
  });
});
