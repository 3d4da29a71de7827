import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ApiClient, messages } from './shops-test-support.js';
import { authAs } from '../support/auth.js';

describe('shops REST API', () => {
  let t: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { KEFU_SCHEDULER: 'off' } });
    api = new ApiClient(t.url!, await authAs(t, { roles: ['operator'] }));
  });
  afterAll(async () => t?.close());

  it('creates a Jushuitan account and a marketplace shop landing in it, lists and shows them', async () => {
    const acct = await api.post('/api/shops', { platform: 'jushuitan', platformShopId: 'co-1', name: '聚水潭主账号' });
    expect(acct.status).toBe(201);
    expect(acct.body).toMatchObject({ platform: 'jushuitan', status: 'active', warehouse: 'default', hasCredentials: false });
    const shop = await api.post('/api/shops', { platform: 'pinduoduo', platformShopId: 'mall-1', name: '拼多多店', erpAccountId: acct.body.id, erpShopId: '10001' });
    expect(shop.status).toBe(201);
    expect(shop.body).toMatchObject({ erpAccountId: acct.body.id, erpShopId: '10001' });
    const list = await api.get('/api/shops');
    expect(list.body.map((s: { platformShopId: string }) => s.platformShopId)).toEqual(['co-1', 'mall-1']);
    const one = await api.get(`/api/shops/${shop.body.id}`);
    expect(one.body.name).toBe('拼多多店');
    expect((await api.get('/api/shops/99999')).status).toBe(404);
    expect(messages(await api.get('/api/shops/abc'))).toContain('id');
  });

  it('rejects bad input with messages naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ platformShopId: 'x', name: 'n' }, 'platform'],
      [{ platform: 'jd', platformShopId: 'x', name: 'n' }, 'platform'],
      [{ platform: 'taobao', name: 'n' }, 'platformShopId'],
      [{ platform: 'taobao', platformShopId: 'x', name: '' }, 'name'],
      [{ platform: 'taobao', platformShopId: 'x', name: 'n', erpAccountId: 'one' }, 'erpAccountId'],
      [{ platform: 'taobao', platformShopId: 'x', name: 'n', warehouse: 'nowhere' }, 'warehouse'],
    ];
    for (const [body, fieldName] of cases) {
      const r = await api.post('/api/shops', body);
      expect(r.status).toBe(400);
      expect(messages(r)).toContain(fieldName);
    }
    const tb = await api.post('/api/shops', { platform: 'taobao', platformShopId: 'tb-1', name: '淘宝店' });
    const notAccount = await api.post('/api/shops', { platform: 'kuaishou', platformShopId: 'ks-x', name: 'k', erpAccountId: tb.body.id });
    expect(notAccount.status).toBe(400);
    expect(messages(notAccount)).toContain('erpAccountId');
    const dup = await api.post('/api/shops', { platform: 'taobao', platformShopId: 'tb-1', name: 'again' });
    expect(dup.status).toBe(409);
  });

  it('validates entered keys and never shows them back', async () => {
    const ks = await api.post('/api/shops', { platform: 'kuaishou', platformShopId: 'ks-1', name: '快手店' });
    const noSign = await api.put(`/api/shops/${ks.body.id}/credentials`, { appKey: 'ks-app', appSecret: 'ks-app-secret-value' });
    expect(noSign.status).toBe(400);
    expect(messages(noSign)).toContain('signSecret');
    const badExpiry = await api.put(`/api/shops/${ks.body.id}/credentials`, { appKey: 'a', appSecret: 'b', signSecret: 'c', expiresIn: -5 });
    expect(messages(badExpiry)).toContain('expiresIn');
    const ok = await api.put(`/api/shops/${ks.body.id}/credentials`, {
      appKey: 'ks-app',
      appSecret: 'ks-app-secret-value',
      signSecret: 'ks-sign-secret-value',
      accessToken: 'ks-access-token-value',
      expiresIn: 3600,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.hasCredentials).toBe(true);
    expect(ok.body.accessExpiresAt).not.toBeNull();
    for (const secret of ['ks-app-secret-value', 'ks-sign-secret-value', 'ks-access-token-value']) {
      expect(ok.text).not.toContain(secret);
      expect((await api.get('/api/shops')).text).not.toContain(secret);
    }
  });

  it('pauses and resumes a shop', async () => {
    const s = await api.post('/api/shops', { platform: 'taobao', platformShopId: 'tb-pause', name: 'p' });
    expect((await api.post(`/api/shops/${s.body.id}/pause`)).body.status).toBe('paused');
    expect((await api.get(`/api/shops/${s.body.id}`)).body.status).toBe('paused');
    expect((await api.post(`/api/shops/${s.body.id}/resume`)).body.status).toBe('active');
  });

  it('deletes a shop, but not an ERP account that shops still land in', async () => {
    const acct = await api.post('/api/shops', { platform: 'jushuitan', platformShopId: 'co-del', name: 'a' });
    const shop = await api.post('/api/shops', { platform: 'kuaishou', platformShopId: 'ks-del', name: 'k', erpAccountId: acct.body.id });
    await api.put(`/api/shops/${shop.body.id}/credentials`, { appKey: 'k', appSecret: 's', signSecret: 'x' });
    expect((await api.del(`/api/shops/${acct.body.id}`)).status).toBe(409);
    expect((await api.del(`/api/shops/${shop.body.id}`)).status).toBe(204);
    expect((await api.get(`/api/shops/${shop.body.id}`)).status).toBe(404);
    expect((await api.del(`/api/shops/${acct.body.id}`)).status).toBe(204);
  });

  it('reports health from sync states and the token expiry', async () => {
    const shop = await api.post('/api/shops', { platform: 'pinduoduo', platformShopId: 'mall-h', name: 'h' });
    await api.put(`/api/shops/${shop.body.id}/credentials`, { appKey: 'p', appSecret: 's', accessToken: 'tok-h', expiresIn: 7200 });
    const h = await api.get(`/api/shops/${shop.body.id}/health`);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ shopId: shop.body.id, status: 'active', resources: [], lastError: null, apiCallsToday: 0 });
    expect(h.body.token.expiresInSeconds).toBeGreaterThan(7000);
    expect(h.text).not.toContain('tok-h');
  });
});
