import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UserEntity } from '../../src/auth/user.entity.js';
import { DataSource } from 'typeorm';
import { ApiClient, messages } from '../shops/shops-test-support.js';
import { authAs } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-env.js';

describe(`users, tokens and the auth guard (${backend.label})`, () => {
  let t: TestApp;
  let op: ApiClient;
  const as = (token: string) => new ApiClient(t.url!, { Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ env: { KEFU_SCHEDULER: 'off' } });
    op = new ApiClient(t.url!, await authAs(t, { roles: ['operator'], name: 'first operator' }));
  });
  afterAll(async () => t?.close());

  it('creates a user whose token works once shown, and stores only its hash', async () => {
    const made = await op.post('/api/users', { name: '李娜', roles: ['in_sale', 'after_sale'], agentId: 'kf07', shopIds: [3] });
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ name: '李娜', agentId: 'kf07', roles: ['in_sale', 'after_sale'], onDuty: ['in_sale', 'after_sale'], shopIds: [3], disabled: false });
    const token = made.body.token as string;
    expect(token).toMatch(/^kfb_[A-Za-z0-9_-]{43}$/);
    const me = await as(token).get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.agentId).toBe('kf07');
    const rows: unknown[] = await t.app.get(DataSource).query('SELECT * FROM users');
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(t.logs.join('\n')).not.toContain(token);
    const row = await t.app.get(DataSource).getRepository(UserEntity).findOneByOrFail({ agentId: 'kf07' });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    for (const r of [await op.get('/api/users'), await op.get(`/api/users/${made.body.user.id}`), me]) {
      expect(r.text).not.toContain(token);
      expect(r.text).not.toContain(row.tokenHash);
    }
  });

  it('answers 401 without a token or with a bad one, never repeating the token', async () => {
    const none = await new ApiClient(t.url!).get('/api/shops');
    expect(none.status).toBe(401);
    expect(messages(none)).toContain('bearer token is required');
    const forged = `kfb_${'A'.repeat(43)}`;
    for (const header of [`Bearer ${forged}`, 'Bearer not-a-token', `Basic ${forged}`]) {
      const r = await new ApiClient(t.url!, { Authorization: header }).get('/api/shops');
      expect(r.status).toBe(401);
      expect(r.text).not.toContain(forged);
      expect(r.text).not.toContain('not-a-token');
    }
    expect((await new ApiClient(t.url!).get('/health/live')).status).toBe(200);
  });

  it('answers 403 to a role the endpoint is not for, naming the roles it is for', async () => {
    const agent = new ApiClient(t.url!, await authAs(t, { roles: ['pre_sale'] }));
    const r = await agent.post('/api/users', { name: 'x', roles: ['operator'] });
    expect(r.status).toBe(403);
    expect(messages(r)).toContain('operator');
    expect((await agent.get('/api/inbound/stats')).status).toBe(403);
    expect((await agent.get('/api/shops')).status).toBe(200);
  });

  it('rejects bad user input naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ roles: ['operator'] }, 'name'],
      [{ name: 'n', roles: [] }, 'roles'],
      [{ name: 'n', roles: ['boss'] }, 'roles'],
      [{ name: 'n', roles: ['in_sale'], agentId: 'kf 01' }, 'agentId'],
      [{ name: 'n', roles: ['in_sale'], shopIds: ['one'] }, 'shopIds'],
      [{ name: 'n', roles: ['in_sale'], onDuty: ['warehouse'] }, 'onDuty'],
    ];
    for (const [body, fieldName] of cases) {
      const r = await op.post('/api/users', body);
      expect(r.status).toBe(400);
      expect(messages(r)).toContain(fieldName);
    }
    await op.post('/api/users', { name: 'a', roles: ['in_sale'], agentId: 'kf30' });
    const dup = await op.post('/api/users', { name: 'b', roles: ['in_sale'], agentId: 'kf30' });
    expect(dup.status).toBe(409);
    expect(messages(dup)).toContain('kf30');
    expect((await op.get('/api/users/abc')).status).toBe(400);
    expect((await op.get('/api/users/99999')).status).toBe(404);
  });

  it('rotates a token (the old one stops working) and disables and enables a user', async () => {
    const made = await op.post('/api/users', { name: '周强', roles: ['warehouse'] });
    const id = made.body.user.id as number;
    const rotated = await op.post(`/api/users/${id}/token`);
    expect(rotated.status).toBe(200);
    expect((await as(made.body.token).get('/api/me')).status).toBe(401);
    expect((await as(rotated.body.token).get('/api/me')).status).toBe(200);
    expect((await op.post(`/api/users/${id}/disable`)).body.disabled).toBe(true);
    expect((await as(rotated.body.token).get('/api/me')).status).toBe(401);
    await op.post(`/api/users/${id}/enable`);
    expect((await as(rotated.body.token).get('/api/me')).status).toBe(200);
  });

  it('updates roles, duty and shops; people put themselves on and off duty for their own roles only', async () => {
    const made = await op.post('/api/users', { name: '陈静', roles: ['pre_sale', 'in_sale'], agentId: 'kf11' });
    const id = made.body.user.id as number;
    const upd = await op.send('PATCH', `/api/users/${id}`, { roles: ['in_sale', 'auditor'], shopIds: [1, 2] });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ roles: ['in_sale', 'auditor'], onDuty: ['in_sale'], shopIds: [1, 2] });
    const self = as(made.body.token);
    expect((await self.put('/api/me/duty', { onDuty: ['auditor'] })).body.onDuty).toEqual(['auditor']);
    const stray = await self.put('/api/me/duty', { onDuty: ['lead'] });
    expect(stray.status).toBe(400);
    expect(messages(stray)).toContain('onDuty');
    expect((await op.send('PATCH', `/api/users/${id}`, { shopIds: null })).body.shopIds).toBeNull();
  });

  it('keeps one enabled operator, and lets only an operator of every shop manage users', async () => {
    const list = (await op.get('/api/users')).body as { id: number; roles: string[]; disabled: boolean }[];
    const operators = list.filter((u) => u.roles.includes('operator') && !u.disabled);
    expect(operators).toHaveLength(1);
    const last = await op.post(`/api/users/${operators[0].id}/disable`);
    expect(last.status).toBe(409);
    expect((await op.send('PATCH', `/api/users/${operators[0].id}`, { roles: ['lead'] })).status).toBe(409);
    const scoped = new ApiClient(t.url!, await authAs(t, { roles: ['operator'], shopIds: [1] }));
    const r = await scoped.post('/api/users', { name: 'x', roles: ['operator'] });
    expect(r.status).toBe(403);
    expect(messages(r)).toContain('every shop');
  });

  it('shows shop-scoped users only their shops', async () => {
    const a = await op.post('/api/shops', { platform: 'taobao', platformShopId: 'scope-a', name: 'A' });
    const b = await op.post('/api/shops', { platform: 'taobao', platformShopId: 'scope-b', name: 'B' });
    const agent = new ApiClient(t.url!, await authAs(t, { roles: ['in_sale'], shopIds: [a.body.id] }));
    expect(((await agent.get('/api/shops')).body as { id: number }[]).map((s) => s.id)).toEqual([a.body.id]);
    expect((await agent.get(`/api/shops/${a.body.id}`)).status).toBe(200);
    const other = await agent.get(`/api/shops/${b.body.id}`);
    expect(other.status).toBe(403);
    const scopedOp = new ApiClient(t.url!, await authAs(t, { roles: ['operator'], shopIds: [a.body.id] }));
    expect((await scopedOp.post(`/api/shops/${b.body.id}/pause`)).status).toBe(403);
    expect((await scopedOp.post(`/api/shops/${a.body.id}/pause`)).status).toBe(200);
  });
});
