import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActionEntity } from '../../src/actions/action.entity.js';
import { shanghaiDate } from '../../src/common/shanghai-time.js';
import { SecretBox } from '../../src/common/crypto/secret-box.js';
import { RemarkRequestEntity } from '../../src/remarks/remark-request.entity.js';
import { remarkRequestAad } from '../../src/remarks/remark-requests.service.js';
import { RemarkEntity } from '../../src/remarks/remark.entity.js';
import { rotateMasterKey } from '../../src/shops/master-key.rotation.js';
import { FIXTURES } from '../shops/shops-sandbox-setup.js';
import { messages, type ApiClient } from '../shops/shops-test-support.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';
import { startAftersaleEnv, type AftersaleEnv } from '../aftersale/support/aftersale-env.js';

const ERP_SHOP = FIXTURES.find((f) => f.platform === 'taobao')!.erpShopId!;
const ADDRESS = { province: '江苏省', city: '南京市', district: '鼓楼区', detail: '中山路88号', name: '王五', phone: '13700000000' };

/** Agents ask for standard remarks through the API (rules.md §2); a new address stays sealed at rest. */
describe(`remark requests from agents (${backend.label})`, () => {
  let env: AftersaleEnv;
  let agent: ApiClient;
  let today = '';

  beforeAll(async () => {
    env = await startAftersaleEnv({ seed: 34 });
    agent = await env.as({ roles: ['in_sale'], agentId: 'kf08' });
    today = shanghaiDate(env.clock.now());
  }, 60000);
  afterAll(async () => {
    await env?.close();
  });

  const settledAll = async (ids: number[]) => Promise.all(ids.map((id) => env.settled(id)));

  it('writes a courier request signed by the agent to the memo and the ERP', async () => {
    const o = await env.paidOrder('taobao');
    const res = await agent.post(`/api/orders/${o.id}/remarks`, { kind: 'courier_request', courier: '顺丰', service: '标快', payment: '到付' });
    expect(res.status).toBe(201);
    const body = res.body as { targets: string[]; actions: { id: number }[] };
    expect(body.targets).toEqual(['marketplace', 'erp']);
    expect((await settledAll(body.actions.map((a) => a.id))).map((a) => a.status)).toEqual(['done', 'done']);
    const line = `顺丰 标快 到付,kf08,${today}`;
    expect(env.sb.world.order('taobao', o.platformOrderId)!.memo).toBe(line);
    expect(env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!.remark).toBe(line);
  });

  it('refuses bad input naming the field, and writes nothing for it', async () => {
    const o = await env.paidOrder('taobao');
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'gossip' }, 'kind'],
      [{ kind: 'courier_request', courier: '顺丰', payment: '寄付' }, 'service'],
      [{ kind: 'address_change', address: { ...ADDRESS, phone: '12345' } }, 'address.phone'],
      [{ kind: 'ship_date', month: 13, day: 1 }, 'month'],
      [{ kind: 'other', text: 'x', targets: ['fax'] }, 'targets'],
    ];
    for (const [body, field] of cases) {
      const res = await agent.post(`/api/orders/${o.id}/remarks`, body);
      expect(res.status).toBe(400);
      expect(messages(res)).toContain(field);
    }
    const nobody = await (await env.as({ roles: ['in_sale'] })).post(`/api/orders/${o.id}/remarks`, { kind: 'other', text: '开发票' });
    expect(nobody.status).toBe(400);
    expect(messages(nobody)).toContain('agentId');
    const elsewhere = await (await env.as({ roles: ['in_sale'], agentId: 'kf09', shopIds: [env.shops.kuaishou] })).post(`/api/orders/${o.id}/remarks`, { kind: 'other', text: '开发票' });
    expect(elsewhere.status).toBe(404);
    expect(await env.ds.getRepository(RemarkRequestEntity).countBy({ orderId: o.id })).toBe(0);
    expect(env.sb.world.order('taobao', o.platformOrderId)!.memoHistory).toHaveLength(0);
  });

  it('finds an order by the number a buyer quotes, within the shops a person may see, masked like the order view', async () => {
    const o = await env.paidOrder('taobao');
    const other = await env.paidOrder('kuaishou');
    const line = `修改地址为:广东省 广州市 天河区 体育西路1号 钱七 13500000000,kf08,${today}`;
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: line, by: 'human:kf08', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    type Page = { items: { id: number; platformOrderId: string; sellerMemo: string | null; status: string }[]; total: number; page: number; pageSize: number };

    const found = (await agent.get(`/api/orders?platformOrderId=${o.platformOrderId}`)).body as Page;
    expect(found).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(found.items[0]).toMatchObject({ id: o.id, platformOrderId: o.platformOrderId, status: 'paid', sellerMemo: line });
    const masked = (await (await env.as({ roles: ['operator'] })).get(`/api/orders?platformOrderId=${o.platformOrderId}`)).body as Page;
    expect(masked.items[0].sellerMemo).toBe('修改地址为:****');

    const newestFirst = (await agent.get(`/api/orders?status=paid&pageSize=2`)).body as Page;
    expect(newestFirst.items.map((i) => i.id)).toEqual([other.id, o.id]);
    expect(newestFirst.total).toBeGreaterThanOrEqual(2);

    const kuaishouOnly = await env.as({ roles: ['in_sale'], agentId: 'kf13', shopIds: [env.shops.kuaishou] });
    expect(((await kuaishouOnly.get(`/api/orders?platformOrderId=${o.platformOrderId}`)).body as Page).total).toBe(0);
    expect(((await kuaishouOnly.get('/api/orders?status=paid')).body as Page).items.every((i) => i.id !== o.id)).toBe(true);
    expect((await kuaishouOnly.get(`/api/orders?shopId=${env.shops.taobao}`)).status).toBe(403);

    for (const [query, field] of [['status=lost', 'status'], ['pageSize=500', 'pageSize'], ['platformOrderId=a%20b', 'platformOrderId'], ['shopId=x', 'shopId']]) {
      const res = await agent.get(`/api/orders?${query}`);
      expect(res.status).toBe(400);
      expect(messages(res)).toContain(field);
    }
  });

  it('keeps a new address sealed at rest, writes it to the memo only, and the memo line then updates the ERP and lists the reroute', async () => {
    const o = await env.paidOrder('taobao');
    const res = await agent.post(`/api/orders/${o.id}/remarks`, { kind: 'address_change', address: ADDRESS });
    expect(res.status).toBe(201);
    const body = res.body as { id: number; targets: string[]; fields: { address: typeof ADDRESS }; actions: { id: number }[] };
    expect(body).toMatchObject({ targets: ['marketplace'], fields: { address: ADDRESS } });
    await settledAll(body.actions.map((a) => a.id));
    const line = `修改地址为:江苏省 南京市 鼓楼区 中山路88号 王五 13700000000,kf08,${today}`;
    expect(env.sb.world.order('taobao', o.platformOrderId)!.memo).toBe(line);

    // Nothing we store holds the address in the clear: not the request, its actions, or our remark rows.
    const stored = JSON.stringify([
      await env.ds.getRepository(RemarkRequestEntity).findBy({ orderId: o.id }),
      await env.ds.getRepository(ActionEntity).findBy({ orderId: o.id }),
      await env.ds.getRepository(RemarkEntity).findBy({ orderId: o.id }),
    ]);
    for (const secret of ['13700000000', '中山路88号', '王五']) expect(stored).not.toContain(secret);

    // The memo echo (push or poll) drives the ERP receiver and the warehouse's reroute.
    await env.ingest('taobao', o.platformOrderId);
    const erp = env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!;
    await eventually(() => expect(env.sb.world.erpOrder(erp.oId)!.receiver).toMatchObject({ address: '中山路88号', name: '王五', mobile: '13700000000' }), 10_000);
    const reroutes = (await (await env.as({ roles: ['warehouse'] })).get(`/api/reroutes?shopId=${o.shopId}`)).body as { orderId: number; address: { detail: string } }[];
    expect(reroutes.filter((r) => r.orderId === o.id).map((r) => r.address.detail)).toEqual(['中山路88号']);

    // A pre-sale agent asking for one sees it back masked.
    const pre = await (await env.as({ roles: ['pre_sale'], agentId: 'kf10' })).post(`/api/orders/${o.id}/remarks`, { kind: 'address_change', address: ADDRESS });
    expect(pre.status).toBe(201);
    expect((pre.body as { fields: { address: typeof ADDRESS } }).fields.address).toMatchObject({ province: '江苏省', detail: '****', phone: '137****0000' });
  });

  it('re-seals the addresses under a new master key, and they still open', async () => {
    const old = env.t.config.security.masterKey;
    const rotated = { id: 'rotated', key: randomBytes(32) };
    const next = new SecretBox({ active: rotated, previous: [old] });
    await rotateMasterKey(env.ds, next);
    const rows = await env.ds.getRepository(RemarkRequestEntity).findBy({ kind: 'address_change' });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.sealedKeyId).toBe('rotated');
      expect(JSON.parse(next.open({ keyId: r.sealedKeyId!, ciphertext: r.sealed! }, remarkRequestAad(r.orderId)))).toEqual(ADDRESS);
    }
    // Back under the key the running app holds, so the shops' credentials still open for the tests after this.
    await rotateMasterKey(env.ds, new SecretBox({ active: old, previous: [rotated] }));
  });

  it('writes every kind an agent asks for in the seed\'s format, with the shop\'s flag for the kind, to both the memo and the ERP', async () => {
    const kinds: [Record<string, unknown>, string, string][] = [
      [{ kind: 'product_change', product: '蓝色 XL', sku: 'SKU-1002', quantity: 2 }, `蓝色 XL(SKU-1002),2,kf08,${today}`, 'none'],
      [{ kind: 'courier_request', courier: '中通' }, `中通,kf08,${today}`, 'none'],
      [{ kind: 'ship_date', month: 11, day: 25 }, `11月25日发货,kf08,${today}`, 'none'],
      [{ kind: 'other', text: '发票抬头:某某公司' }, `发票抬头:某某公司,kf08,${today}`, 'none'],
      [{ kind: 'refund_reason', reason: '质量问题退货退款' }, `质量问题退货退款,kf08,${today}`, 'purple'],
    ];
    for (const [body, line, flag] of kinds) {
      const o = await env.paidOrder('taobao');
      const res = await agent.post(`/api/orders/${o.id}/remarks`, body);
      expect(res.status).toBe(201);
      await settledAll((res.body as { actions: { id: number }[] }).actions.map((a) => a.id));
      expect(env.sb.world.order('taobao', o.platformOrderId)).toMatchObject({ memo: line, flag });
      expect(env.sb.world.erpOrderBySoId(ERP_SHOP, o.platformOrderId)!.remark).toBe(line);
    }
  });

  it('shows the order with its decision trace for every rule, the memo\'s address masked for roles that may not see it', async () => {
    const o = await env.paidOrder('taobao');
    const line = `修改地址为:广东省 深圳市 南山区 科技园路9号 赵六 13600000000,kf08,${today}`;
    env.sb.world.writeMemo('taobao', o.platformOrderId, { text: line, by: 'human:kf08', op: 'update' });
    await env.ingest('taobao', o.platformOrderId);
    await eventually(async () => {
      const trace = (await agent.get(`/api/orders/${o.id}/rules`)).body as { rule: string; evaluated: boolean; fired?: boolean; orderVersion?: number }[];
      expect(trace.find((r) => r.rule === 'remarks.memo')).toMatchObject({ evaluated: true, fired: true, orderVersion: 2 });
    }, 10_000);
    const trace = (await agent.get(`/api/orders/${o.id}/rules`)).body as { rule: string; evaluated: boolean; fired?: boolean; reason?: string }[];
    expect(trace.map((r) => r.rule)).toEqual(['unpaid.chase', 'logistics.stall', 'remarks.memo', 'stock.out', 'aftersale.follow_up']);
    expect(trace.every((r) => r.evaluated && typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);
    expect(trace.find((r) => r.rule === 'logistics.stall')).toMatchObject({ fired: false, reason: '没有在途包裹' });

    const seen = (await agent.get(`/api/orders/${o.id}`)).body as { sellerMemo: string; rules: unknown[]; erp: { stage: string | null } };
    expect(seen.sellerMemo).toBe(line);
    expect(seen.rules).toHaveLength(5);
    const operator = await env.as({ roles: ['operator'] });
    const masked = (await operator.get(`/api/orders/${o.id}`)).body as { sellerMemo: string; receiver: Record<string, unknown> };
    expect(masked.sellerMemo).toBe('修改地址为:****');
    expect(JSON.stringify(masked)).not.toContain('13600000000');
    expect((await operator.get('/api/orders/abc')).status).toBe(400);
    expect((await (await env.as({ roles: ['in_sale'], agentId: 'kf12', shopIds: [env.shops.kuaishou] })).get(`/api/orders/${o.id}`)).status).toBe(404);
  });
});
