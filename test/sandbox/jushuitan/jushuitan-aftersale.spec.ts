import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { APP_KEY, ERP_SHOP, type Json, type JstTestClient, startJstSandbox, TB_SHOP } from './jst-test-client.js';

const SO = '3900000000000000201';

describe('Jushuitan aftersale 补发, logistic query and auth over HTTP', () => {
  let c: JstTestClient;
  beforeAll(async () => {
    c = await startJstSandbox();
    c.sb.world.addOrder({ platform: 'taobao', shopId: TB_SHOP, orderId: SO });
    c.sb.world.pay('taobao', SO);
  });
  afterAll(async () => {
    await c.sb.close();
  });
  beforeEach(() => c.sb.ctx.limiter.reset());

  const reship = () =>
    c.call('/open/aftersale/upload', [
      { shop_id: Number(ERP_SHOP), outer_as_id: 'AS-0001', so_id: SO, type: '补发', shop_status: 'WAIT_SELLER_AGREE', good_status: 'BUYER_RECEIVED', question_type: '少件', remark: '漏发一件', total_amount: 0, refund: 0, payment: 0, items: [] },
    ]);
  const logistics = async (): Promise<Json[]> => (await c.call('/open/logistic/query', { so_ids: [SO] })).json.data.orders;

  it('files a 补发 once per outer_as_id', async () => {
    const first = await reship();
    expect(first.json.code).toBe(0);
    const row = first.json.data.datas[0];
    expect(row).toMatchObject({ issuccess: true, outer_as_id: 'AS-0001', so_id: SO });
    const again = (await reship()).json.data.datas[0];
    expect(again.as_id).toBe(row.as_id);
    expect(c.sb.world.reships()).toHaveLength(1);
  });

  it('records other aftersale types and rejects unknown ones and unknown orders', async () => {
    const r = await c.call('/open/aftersale/upload', [
      { shop_id: Number(ERP_SHOP), outer_as_id: 'AS-0002', so_id: SO, type: '仅退款', items: [] },
      { shop_id: Number(ERP_SHOP), outer_as_id: 'AS-0003', so_id: SO, type: '随便', items: [] },
      { shop_id: Number(ERP_SHOP), outer_as_id: 'AS-0004', so_id: '1', type: '补发', items: [] },
    ]);
    expect(r.json.data.datas.map((d: { issuccess: boolean }) => d.issuccess)).toEqual([true, false, false]);
    expect(c.sb.world.reships()).toHaveLength(1);
  });

  it('shows the reship tracking number only after the ERP ships it', async () => {
    const before = await logistics();
    expect(before).toHaveLength(0);
    const listed = (await c.call('/open/orders/single/query', { so_ids: [SO] })).json.data.orders;
    const replacement = listed.find((o: Json) => o.type === '补发订单');
    expect(replacement).toMatchObject({ l_id: '', so_id: SO });
    c.sb.clock.advance(31 * 60_000);
    const after = await logistics();
    expect(after).toHaveLength(1);
    expect(after[0].l_id).toMatch(/^\w+$/);
    expect(after[0].logistics_company).not.toBe('');
    expect(after[0].send_date).toMatch(/^\d{4}-\d{2}-\d{2} /);
    expect(String(after[0].as_id)).toBe(c.sb.world.reships()[0].asId);
    expect(after[0].l_id).toBe(c.sb.world.erpOrder(c.sb.world.reships()[0].replacementOId)?.shipment?.trackingNo);
  });

  const auth = (path: string, p: Record<string, string>) =>
    c.post(path, { app_key: APP_KEY, timestamp: String(Math.floor(c.sb.clock.now() / 1000)), charset: 'utf-8', ...p });

  it('exchanges a code for a token; an ISV app may not refresh (150), a self-developed one may', async () => {
    const code = (await c.control('POST', '/auth/code', { platform: 'jushuitan', shopId: ERP_SHOP })).code as string;
    const token = await auth('/openWeb/auth/accessToken', { grant_type: 'authorization_code', code });
    expect(token.json).toMatchObject({ code: 0, data: { scope: 'all' } });
    expect(token.json.data.expires_in).toBeGreaterThan(0);
    expect((await auth('/openWeb/auth/accessToken', { grant_type: 'authorization_code', code })).json.code).not.toBe(0);
    const refreshToken = token.json.data.refresh_token as string;
    const isv = await auth('/openWeb/auth/refreshToken', { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'all' });
    expect(isv.json).toMatchObject({ code: 150, msg: '服务商应用禁止刷新access_token,需商户重新授权' });
    await c.control('PUT', `/jushuitan/apps/${APP_KEY}`, { kind: 'self' });
    const self = await auth('/openWeb/auth/refreshToken', { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'all' });
    expect(self.json.code).toBe(0);
    const q = await c.call('/open/orders/single/query', { so_ids: [SO] }, { access_token: self.json.data.access_token });
    expect(q.json.code).toBe(0);
    const unsigned = { app_key: APP_KEY, timestamp: String(Math.floor(c.sb.clock.now() / 1000)), charset: 'utf-8', grant_type: 'authorization_code', code: 'x' };
    expect((await c.post('/openWeb/auth/accessToken', unsigned, 'not-the-secret')).json.code).toBe(10);
  });
});
