import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { APP_KEY, beijing, DAY, ERP_SHOP, type JstTestClient, startJstSandbox, TB_SHOP } from './jst-test-client.js';

const receiver = { province: '浙江省', city: '杭州市', district: '余杭区', name: '张三', mobile: '13812340000', address: '文一西路969号' };
const SO = ['3900000000000000101', '3900000000000000102', '3900000000000000103'];

describe('Jushuitan orders, remarks, labels, 异常 and address over HTTP', () => {
  let c: JstTestClient;
  let t0: number;
  const erp = (so: string) => c.sb.world.erpOrderBySoId(ERP_SHOP, so)!;

  beforeAll(async () => {
    c = await startJstSandbox();
    t0 = c.sb.clock.now();
    for (const so of SO) {
      c.sb.world.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: so, receiver });
      c.sb.world.pay('taobao', so);
    }
  });
  afterAll(async () => {
    await c.sb.close();
  });
  beforeEach(() => c.sb.ctx.limiter.reset());

  const query = (biz: Record<string, unknown>) => c.call('/open/orders/single/query', biz);

  it('returns orders with the ERP fields and the receiver as the marketplace gave it (masked)', async () => {
    const r = await query({ so_ids: [SO[0]] });
    const o = r.json.data.orders[0];
    expect(o).toMatchObject({ so_id: SO[0], status: 'WaitConfirm', receiver_state: '浙江省', receiver_name: '张*', receiver_mobile: '138****0000', l_id: '', type: '普通订单' });
    expect(r.text).toContain(`"o_id":${erp(SO[0]).oId}`);
    expect(r.text).toContain(`"shop_id":${ERP_SHOP}`);
    expect(r.text).not.toContain('13812340000');
    expect(o.modified).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(r.json.data).toMatchObject({ page_index: 1, has_next: false, data_count: 1, page_count: 1 });
  });

  it('refuses an over-wide window, a half window, a page over 100, too many so_ids and no criteria', async () => {
    const wide = await query({ modified_begin: beijing(t0 - 8 * DAY), modified_end: beijing(t0) });
    expect(wide.json.code).not.toBe(0);
    expect(wide.json.msg).toContain('7天');
    expect((await query({ modified_begin: beijing(t0 - DAY) })).json.code).not.toBe(0);
    expect((await query({ so_ids: [SO[0]], page_size: 101 })).json.code).not.toBe(0);
    expect((await query({ so_ids: Array.from({ length: 21 }, (_, i) => String(i)) })).json.code).not.toBe(0);
    expect((await query({})).json.code).not.toBe(0);
  });

  it('pages a modified window and walks start_ts in rowversion order', async () => {
    const win = { modified_begin: beijing(t0 - DAY), modified_end: beijing(t0 + 60_000), page_size: 2 };
    const p1 = (await query({ ...win, page_index: 1 })).json.data;
    const p2 = (await query({ ...win, page_index: 2 })).json.data;
    expect(p1).toMatchObject({ has_next: true, data_count: 3, page_count: 2 });
    expect(p2.has_next).toBe(false);
    expect([...p1.orders, ...p2.orders].map((o: { so_id: string }) => o.so_id).sort()).toEqual([...SO].sort());
    const ts = Math.max(...p1.orders.map((o: { ts: number }) => o.ts));
    const after = (await query({ start_ts: ts })).json.data.orders;
    expect(after.every((o: { ts: number }) => o.ts >= ts)).toBe(true);
  });

  it('overwrites the remark by o_id, appends on is_append, and saves by so_id', async () => {
    const oId = erp(SO[0]).oId;
    expect((await c.call('/open/jushuitan/order/remark/upload', { o_id: Number(oId), remark: '第一版' })).json.code).toBe(0);
    expect((await c.call('/open/jushuitan/order/remark/upload', { o_id: Number(oId), remark: '第二版' })).json.code).toBe(0);
    expect(erp(SO[0]).remark).toBe('第二版');
    await c.call('/open/jushuitan/order/remark/upload', { o_id: Number(oId), remark: '追加', is_append: true });
    expect(erp(SO[0]).remark).toBe('第二版\n追加');
    expect((await c.call('/open/webapi/orderapi/modifyorder/saveremark', { so_id: SO[1], remark: '按线上单号' })).json.code).toBe(0);
    expect(erp(SO[1]).remark).toBe('按线上单号');
    expect((await c.call('/open/jushuitan/order/remark/upload', { o_id: Number(oId), remark: 'x'.repeat(501) })).json.code).not.toBe(0);
    expect(erp(SO[0]).remarkHistory.at(-1)?.by).toBe(`api:${APP_KEY}`);
  });

  it('adds and removes labels', async () => {
    const oId = Number(erp(SO[0]).oId);
    expect((await c.call('/open/jushuitan/order/label/upload', { o_id: oId, labels: ['改地址', '加急'], action_type: 1 })).json.code).toBe(0);
    await c.call('/open/jushuitan/order/label/upload', { shop_id: Number(ERP_SHOP), so_id: SO[0], labels: ['加急'], action_type: 2 });
    expect(erp(SO[0]).labels).toEqual(['改地址']);
    expect((await query({ so_ids: [SO[0]] })).json.data.orders[0].labels).toBe('改地址');
    expect((await c.call('/open/jushuitan/order/label/upload', { o_id: oId, labels: ['a', 'a'], action_type: 1 })).json.code).not.toBe(0);
    expect((await c.call('/open/jushuitan/order/label/upload', { o_id: oId, labels: ['超过十个字符的标签名字'], action_type: 1 })).json.code).not.toBe(0);
  });

  it('turns an order into 异常 with type and description', async () => {
    const r = await c.call('/open/webapi/orderapi/questionorder/questions', { so_ids: [SO[2]], question_type: '地址变更', question_desc: '买家改地址' });
    expect(r.json.data.datas[0]).toMatchObject({ so_id: SO[2], issuccess: true });
    const o = (await query({ so_ids: [SO[2]] })).json.data.orders[0];
    expect(o).toMatchObject({ status: 'Question', question_type: '地址变更', question_desc: '买家改地址' });
    expect((await c.call('/open/webapi/orderapi/questionorder/questions', { so_ids: [SO[2]] })).json.code).not.toBe(0);
  });

  it('updates the address until the order is sent, then refuses', async () => {
    const oId = Number(erp(SO[1]).oId);
    const change = { o_id: oId, receiver_name: '李四', receiver_mobile: '13900001111', receiver_address: '文二路1号', receiver_state: '浙江省', receiver_city: '杭州市', receiver_district: '西湖区' };
    expect((await c.call('/open/webapi/orderapi/modifyorder/modifyaddress', change)).json.code).toBe(0);
    expect(erp(SO[1]).receiver).toMatchObject({ name: '李四', address: '文二路1号', district: '西湖区' });
    expect((await query({ so_ids: [SO[1]] })).json.data.orders[0].receiver_name).toBe('李四');
    c.sb.world.ship('taobao', SO[1], { carrierCode: 'zhongtong' });
    expect(erp(SO[1]).status).toBe('Sent');
    const refused = await c.call('/open/webapi/orderapi/modifyorder/modifyaddress', { ...change, receiver_name: '王五' });
    expect(refused.json.code).not.toBe(0);
    expect(erp(SO[1]).receiver.name).toBe('李四');
  });
});
