import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { beijing, SHOP_ID, startTaobaoSandbox, type TopTestClient } from './top-test-client.js';

const TID = '3912345678901234567';
const TID_UNPAID = '3912345678901234999';
const FIELDS = 'tid,status,modified,seller_memo,seller_flag,receiver_name,receiver_mobile,receiver_state,receiver_address,created,receiver_phone,payment,post_fee,orders';

describe('Taobao trades, memo, trace and SMS over HTTP', () => {
  let c: TopTestClient;
  let t0: number;
  beforeAll(async () => {
    c = await startTaobaoSandbox();
    t0 = c.sb.clock.now();
    const receiver = { province: '浙江省', city: '杭州市', district: '西湖区', name: '张三', mobile: '13812340000', address: '文三路100号' };
    c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: TID, receiver, createdAt: t0 - 3_600_000 }, t0 - 3_600_000);
    c.sb.world.pay('taobao', TID, t0 - 1_800_000);
    c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: TID_UNPAID, receiver }, t0 - 600_000);
    for (let i = 0; i < 5; i++) c.sb.world.addOrder({ platform: 'taobao', shopId: SHOP_ID, orderId: `39100000000000000${i}0` }, t0 - 7_200_000);
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const inc = (extra: Record<string, string> = {}): Promise<Record<string, any>> => // eslint-disable-line @typescript-eslint/no-explicit-any
    c.call('taobao.trades.sold.increment.get', {
      fields: 'tid,status,modified', start_modified: beijing(t0 - 3_000_000), end_modified: beijing(t0), ...extra,
    });

  it('lists only trades modified in the window, newest first, unpaid ones included', async () => {
    const r = (await inc()).trades_sold_increment_get_response;
    const tids = (r.trades.trade as { tid: string }[]).map((t) => String(t.tid));
    expect(tids).toEqual([TID_UNPAID, TID]);
    expect(r.total_results).toBe(2);
    expect(c.lastText).toContain(`"tid":${TID}`);
    const unpaid = (await inc({ status: 'WAIT_BUYER_PAY' })).trades_sold_increment_get_response;
    expect(unpaid.trades.trade.map((t: { tid: string }) => String(t.tid))).toEqual([TID_UNPAID]);
  });

  it('pages with use_has_next and omits total_results', async () => {
    const first = (await inc({ page_size: '1', use_has_next: 'true' })).trades_sold_increment_get_response;
    expect(first.has_next).toBe(true);
    expect(first.total_results).toBeUndefined();
    const second = (await inc({ page_size: '1', page_no: '2', use_has_next: 'true' })).trades_sold_increment_get_response;
    expect(second.has_next).toBe(false);
    expect(String(second.trades.trade[0].tid)).toBe(TID);
  });

  it('refuses a window over one day and a page size over 100', async () => {
    const wide = await inc({ start_modified: beijing(t0 - 25 * 3_600_000) });
    expect(wide.error_response).toMatchObject({ code: 15, sub_code: 'isv.invalid-parameter' });
    expect((await inc({ page_size: '101' })).error_response).toMatchObject({ code: 41, sub_code: 'isv.invalid-parameter' });
  });

  it('returns full info with masked receiver, plain province and an OAID', async () => {
    const r = await c.call('taobao.trade.fullinfo.get', { tid: TID, fields: FIELDS, include_oaid: 'true' });
    const trade = r.trade_fullinfo_get_response.trade;
    expect(trade).toMatchObject({ status: 'WAIT_SELLER_SEND_GOODS', receiver_name: '张*', receiver_mobile: '138****0000', receiver_state: '浙江省' });
    expect(trade.receiver_address).not.toContain('100');
    expect(typeof trade.oaid).toBe('string');
    expect(trade.payment).toMatch(/^\d+\.\d{2}$/);
    expect(c.lastText).not.toContain('13812340000');
    const missing = await c.call('taobao.trade.fullinfo.get', { tid: '3999999999999999999', fields: 'tid' });
    expect(missing.error_response.code).toBe(15);
  });

  it('overwrites the memo, keeps it on a flag-only update, clears it on reset, and refuses add over an existing memo', async () => {
    const up = await c.call('taobao.trade.memo.update', { tid: TID, memo: '【客服】催发货', flag: '1' });
    expect(String(up.trade_memo_update_response.trade.tid)).toBe(TID);
    expect(c.sb.world.order('taobao', TID)).toMatchObject({ memo: '【客服】催发货', flag: 'red' });
    await c.call('taobao.trade.memo.update', { tid: TID, flag: '3' });
    expect(c.sb.world.order('taobao', TID)).toMatchObject({ memo: '【客服】催发货', flag: 'green' });
    const add = await c.call('taobao.trade.memo.add', { tid: TID, memo: 'x' });
    expect(add.error_response.code).toBe(15);
    const tooLong = await c.call('taobao.trade.memo.update', { tid: TID, memo: '备'.repeat(334) });
    expect(tooLong.error_response.code).toBe(41);
    await c.call('taobao.trade.memo.update', { tid: TID, reset: 'true' });
    expect(c.sb.world.order('taobao', TID)?.memo).toBe('');
    expect((await c.call('taobao.trade.memo.add', { tid: TID, memo: '首条' })).trade_memo_add_response).toBeDefined();
    const info = await c.call('taobao.trade.fullinfo.get', { tid: TID, fields: 'seller_memo,seller_flag' });
    expect(info.trade_fullinfo_get_response.trade).toEqual({ seller_memo: '首条', seller_flag: 0 });
    expect(c.sb.world.order('taobao', TID)?.memoHistory.at(-1)?.by).toBe('api:12345678');
  });

  it('traces online waybills and shows offline ones as signed right away', async () => {
    c.sb.world.ship('taobao', TID, { carrierCode: 'zhongtong', sendType: 'online' });
    c.sb.clock.advance(30 * 3_600_000);
    const online = (await c.call('taobao.logistics.trace.search', { tid: TID })).logistics_trace_search_response;
    expect(online.company_name).toBeTruthy();
    expect(online.trace_list.transit_step_info.length).toBeGreaterThan(0);
    expect(online.trace_list.transit_step_info[0]).toHaveProperty('action');
    const other = '39100000000000000' + '00';
    c.sb.world.pay('taobao', other);
    c.sb.world.ship('taobao', other, { carrierCode: 'yunda', sendType: 'offline', plan: 'none' });
    const offline = (await c.call('taobao.logistics.trace.search', { tid: other })).logistics_trace_search_response;
    expect(offline.status).toBe('对方已签收');
    expect(offline.trace_list.transit_step_info).toEqual([]);
  });

  it('sends an OAID SMS only with the order’s own OAID', async () => {
    const info = await c.call('taobao.trade.fullinfo.get', { tid: TID_UNPAID, fields: FIELDS, include_oaid: 'true' });
    const oaid = String(info.trade_fullinfo_get_response.trade.oaid);
    const bad = await c.call('taobao.jst.sms.oaid.message.send', { order_id: TID_UNPAID, oaid: 'nope', template_code: 'SMS_1', params: '{}' });
    expect(bad.error_response.code).toBe(15);
    const ok = await c.call('taobao.jst.sms.oaid.message.send', { order_id: TID_UNPAID, oaid, template_code: 'SMS_1', params: '{"n":"1"}' });
    expect(ok.jst_sms_oaid_message_send_response.result.success).toBe(true);
    expect(c.sb.world.buyerMessages()).toEqual([expect.objectContaining({ orderId: TID_UNPAID, to: oaid, template: 'SMS_1', platform: 'taobao' })]);
  });
});
