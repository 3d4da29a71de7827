import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DAY, HOUR, type KsTestClient, SHOP_ID, startKuaishouSandbox } from './ks-test-client.js';

const receiver = { province: '四川省', city: '成都市', district: '武侯区', name: '王小明', mobile: '13912345678', address: '天府大道北段1700号' };
// Above 2^53: must survive the round trip digit for digit.
const BIG = '9007199254740993';
const PAID = '2612345678900001';

describe('Kuaishou orders over HTTP', () => {
  let c: KsTestClient;
  let t0: number;

  beforeAll(async () => {
    c = await startKuaishouSandbox();
    t0 = c.sb.clock.now();
    const w = c.sb.world;
    w.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId: PAID, receiver, totalFen: 12900, postFeeFen: 800 }, t0 - 5 * HOUR);
    w.pay('kuaishou', PAID, t0 - 4 * HOUR);
    w.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId: BIG, receiver }, t0 - 20 * 60_000);
    for (let i = 0; i < 4; i++) w.addOrder({ platform: 'kuaishou', shopId: SHOP_ID, orderId: `26100000000000${i}0` }, t0 - (10 + i) * HOUR);
  });
  afterAll(async () => {
    await c.sb.close();
  });

  const list = (extra: Record<string, unknown> = {}) =>
    c.call('open.order.cursor.list', { orderViewStatus: 1, pageSize: 50, beginTime: t0 - DAY, endTime: t0, cursor: '', ...extra });

  it('refuses bad windows with the documented codes and a page over 50', async () => {
    expect((await list({ beginTime: t0, endTime: t0 - HOUR })).json).toMatchObject({ result: 300003, error_msg: 'ENDTIME MUST AFTER BEGINTIME' });
    expect((await list({ beginTime: t0 - 8 * DAY })).json).toMatchObject({ result: 300004, error_msg: 'SEARCH TIME RANGE EXPAND 7 DAYS' });
    expect((await list({ beginTime: t0 - 91 * DAY, endTime: t0 - 90.5 * DAY })).json).toMatchObject({ result: 300005 });
    expect((await list({ pageSize: 51 })).json.result).toBe(10);
  });

  it('lists unpaid orders as status 10 and filters by orderViewStatus', async () => {
    const unpaid = (await list({ orderViewStatus: 2 })).json.data;
    const ids = unpaid.orderList.map((o: { orderBaseInfo: { status: number } }) => o.orderBaseInfo.status);
    expect(ids.every((s: number) => s === 10)).toBe(true);
    expect(unpaid.orderList).toHaveLength(5);
    const toShip = (await list({ orderViewStatus: 3 })).json.data.orderList;
    expect(toShip).toHaveLength(1);
    expect(toShip[0].orderBaseInfo).toMatchObject({ status: 30, totalFee: 12900, expressFee: 800 });
  });

  it('walks pages with an opaque cursor and ends with "nomore"', async () => {
    const seen: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const r = await list({ pageSize: 2, cursor, sort: 1 });
      expect(r.json.result).toBe(1);
      for (const m of r.text.matchAll(/"oid":(\d+)/g)) seen.push(m[1]);
      cursor = r.json.data.cursor;
      pages++;
    } while (cursor !== 'nomore' && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen[0]).toBe(BIG);
  });

  it('queries by update time (queryType 2) ascending', async () => {
    const r = await list({ queryType: 2, sort: 2, beginTime: t0 - 4.5 * HOUR });
    const oids = [...r.text.matchAll(/"oid":(\d+)/g)].map((m) => m[1]);
    expect(oids).toEqual([PAID, BIG]);
  });

  it('shows detail with ciphertext receiver only, amounts in fen', async () => {
    const r = await c.call('open.order.detail', { oid: PAID });
    expect(r.json.result).toBe(1);
    const addr = r.json.data.orderAddress;
    expect(addr).toMatchObject({ province: '四川省', desensitiseConsignee: '王**', desensitiseMobile: '139****5678' });
    expect(addr.encryptedConsignee).toMatch(/^#.+#.+#\d#$/);
    expect(r.text).not.toContain('王小明');
    expect(r.text).not.toContain('13912345678');
    expect(r.text).not.toContain('天府大道北段1700号');
    expect(r.json.data.orderBaseInfo).toMatchObject({ status: 30, payTime: t0 - 4 * HOUR });
  });

  it('appends notes (never overwrites), newest first, and a flag cannot be cleared', async () => {
    const add = (note: string, flag: number) => c.call('open.seller.order.note.add', { orderId: Number(PAID), note, flag, staffId: 1 });
    expect((await add('客服A: 改地址', 1)).json.result).toBe(1);
    expect((await add('客服B: 已处理', 0)).json.result).toBe(1);
    const notes = (await c.call('open.order.detail', { oid: PAID })).json.data.orderNote.orderNoteInfo;
    expect(notes.map((n: { note: string }) => n.note)).toEqual(['客服B: 已处理', '客服A: 改地址']);
    expect(notes[0].flagTagCode).toBe('red_flag_tag_order');
    const order = c.sb.world.order('kuaishou', PAID);
    expect(order?.memo).toBe('客服A: 改地址\n客服B: 已处理');
    expect(order?.flag).toBe('red');
    expect((await add('x'.repeat(201), 2)).json.result).toBe(10);
    expect((await add('ok', 7)).json.result).toBe(10);
  });

  it('keeps the 30 latest notes in orderNoteInfo', async () => {
    for (let i = 0; i < 31; i++) await c.call('open.seller.order.note.add', { orderId: BIG, note: `n${i}` });
    const notes = (await c.call('open.order.detail', { oid: BIG })).json.data.orderNote.orderNoteInfo;
    expect(notes).toHaveLength(30);
    expect(notes[0].note).toBe('n30');
    expect(notes[0].flagTagCode).toBe('grey_flag_tag_order');
  });

  it('sends an SMS to the ciphertext mobile and records it for the order', async () => {
    const detail = (await c.call('open.order.detail', { oid: BIG })).json.data;
    const r = await c.call('open.sms.send', { signId: 11, templateId: 22, templateParam: '{"name":"x"}', mobile: detail.orderAddress.encryptedMobile });
    expect(r.json.result).toBe(1);
    expect(typeof r.json.messageId).toBe('number');
    const msg = c.sb.world.buyerMessages().find((m) => m.channel === 'open.sms.send');
    expect(msg).toMatchObject({ platform: 'kuaishou', shopId: SHOP_ID, orderId: BIG, template: '22' });
    expect((await c.call('open.sms.send', { signId: 11 })).json.result).toBe(10);
  });
});
