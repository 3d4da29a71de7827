import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/common/clock.js';
import { TasksService } from '../../src/tasks/tasks.service.js';
import { messages } from '../shops/shops-test-support.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-env.js';
import { makeOrder, makeShop, person, type Person } from './tasks-support.js';

const START = Date.parse('2026-11-22T02:00:00Z'); // 10:00 in Shanghai

describe(`tasks API (${backend.label})`, () => {
  const clock = new ManualClock(START);
  let t: TestApp;
  let tasks: TasksService;
  let shop: number;
  let otherShop: number;
  let a: Person, b: Person, c: Person, offDuty: Person, elsewhere: Person, lead: Person, warehouse: Person, op: Person;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { KEFU_SCHEDULER: 'off' } });
    tasks = t.app.get(TasksService);
    shop = await makeShop(t.app, 'tasks-1', { tasks: { slaMinutes: { chase_logistics: 30 } } });
    otherShop = await makeShop(t.app, 'tasks-2');
    op = await person(t, { name: '运营', roles: ['operator'] });
    a = await person(t, { name: 'A', roles: ['in_sale'], agentId: 'kf01' });
    b = await person(t, { name: 'B', roles: ['in_sale', 'after_sale'], agentId: 'kf02', onDuty: ['in_sale'] });
    offDuty = await person(t, { name: 'Off', roles: ['in_sale'], agentId: 'kf03', onDuty: [] });
    c = await person(t, { name: 'C', roles: ['in_sale'], agentId: 'kf04' });
    elsewhere = await person(t, { name: 'Elsewhere', roles: ['in_sale'], agentId: 'kf05', shopIds: [otherShop] });
    lead = await person(t, { name: '组长', roles: ['lead'], agentId: 'kf99' });
    warehouse = await person(t, { name: '仓库', roles: ['warehouse'] });
  });
  afterAll(async () => t?.close());

  const open = async (type: string, extra: Partial<Parameters<TasksService['open']>[0]> = {}) =>
    (await tasks.open({ shopId: shop, type, role: 'in_sale', reason: `${type} reason`, ...extra })).task;

  it('assigns new tasks in turn among the people on duty for the role and shop, and leaves them in the pool when nobody is', async () => {
    const assignees: (string | null)[] = [];
    for (let i = 0; i < 6; i++) assignees.push((await open('rr')).assignee);
    expect(assignees).toEqual([a, b, c, a, b, c].map((p) => String(p.id)));
    const pool = await open('rr-none', { role: 'auditor' });
    expect(pool.assignee).toBeNull();
    expect(pool.history.map((h) => h.event)).toEqual(['opened']);
  });

  it('gives a fix-it task to the agent named, and due times follow the shop SLA, else the configured one', async () => {
    const fix = await open('remark_fix', { assignToAgentId: 'kf03' });
    expect(fix.assignee).toBe(String(offDuty.id));
    const chase = await open('chase_logistics');
    expect(chase.dueAt.getTime()).toBe(START + 30 * 60_000);
    const elsewhereChase = (await tasks.open({ shopId: otherShop, type: 'chase_logistics', role: 'in_sale', reason: 'r' })).task;
    expect(elsewhereChase.dueAt.getTime()).toBe(START + t.config.tasks.slaMinutes.chase_logistics * 60_000);
    // The other shop's rotation is its own, and includes its shop-scoped agent.
    const more = [elsewhereChase.assignee];
    for (let i = 0; i < 3; i++) more.push((await tasks.open({ shopId: otherShop, type: 'rr-other', role: 'in_sale', reason: 'r' })).task.assignee);
    expect(more).toEqual([a, b, c, elsewhere].map((p) => String(p.id)));
  });

  it('claims and completes with an outcome, refusing steps that are not legal now with 409 and the reason', async () => {
    const task = await open('life');
    const holder = [a, b, c].find((p) => String(p.id) === task.assignee)!;
    const other = [a, b, c].find((p) => p !== holder)!;
    const stolen = await other.api.post(`/api/tasks/${task.id}/claim`);
    expect(stolen.status).toBe(409);
    expect(messages(stolen)).toContain('assigned to someone else');
    const claimed = await holder.api.post(`/api/tasks/${task.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', assignee: { id: holder.id } });
    expect((await other.api.post(`/api/tasks/${task.id}/complete`, { outcome: 'x' })).status).toBe(403);
    const noOutcome = await holder.api.post(`/api/tasks/${task.id}/complete`, {});
    expect(noOutcome.status).toBe(400);
    expect(messages(noOutcome)).toContain('outcome');
    const done = await holder.api.post(`/api/tasks/${task.id}/complete`, { outcome: '已联系买家，改为明天发货' });
    expect(done.body).toMatchObject({ status: 'done', outcome: '已联系买家，改为明天发货' });
    expect(done.body.history.map((h: { event: string }) => h.event)).toEqual(['opened', 'assigned', 'claim', 'complete']);
    expect(done.body.history[2]).toMatchObject({ by: holder === a ? 'kf01' : holder === b ? 'kf02' : 'kf04', userId: holder.id });
    const again = await holder.api.post(`/api/tasks/${task.id}/complete`, { outcome: 'again' });
    expect(again.status).toBe(409);
    expect(messages(again)).toContain(`task ${task.id} is done`);
    expect((await holder.api.post(`/api/tasks/${task.id}/escalate`, { reason: 'r' })).status).toBe(409);
    expect((await holder.api.post('/api/tasks/999999/claim')).status).toBe(404);
  });

  it('lets only one of two simultaneous claims on a pool task win', async () => {
    const task = await open('race', { role: 'after_sale' });
    expect(task.assignee).toBeNull();
    const both = await Promise.all([b.api.post(`/api/tasks/${task.id}/claim`), lead.api.post(`/api/tasks/${task.id}/claim`)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const shown = await lead.api.get(`/api/tasks/${task.id}`);
    expect(shown.body.history.filter((h: { event: string }) => h.event === 'claim')).toHaveLength(1);
  });

  it('lets either a completion or an escalation happen, never both, when they arrive together', async () => {
    const task = await open('race-2');
    const holder = [a, b, c].find((p) => String(p.id) === task.assignee)!;
    await holder.api.post(`/api/tasks/${task.id}/claim`);
    const [done, esc] = await Promise.all([
      holder.api.post(`/api/tasks/${task.id}/complete`, { outcome: '已处理' }),
      holder.api.post(`/api/tasks/${task.id}/escalate`, { reason: '需要组长' }),
    ]);
    expect([done.status, esc.status].sort()).toEqual([200, 409]);
    const shown = (await lead.api.get(`/api/tasks/${task.id}`)).body;
    expect(shown.status).toBe(done.status === 200 ? 'done' : 'escalated');
    expect(shown.history.filter((h: { event: string }) => h.event === 'complete' || h.event === 'escalate')).toHaveLength(1);
    // The loser is told what the task now is, having read it afresh.
    expect(messages(done.status === 409 ? done : esc)).toContain(`task ${task.id} is ${shown.status}`);
  });

  it('escalates to the lead on duty, who alone may claim it, and reassigns only to someone who holds the role', async () => {
    const task = await open('esc');
    const holder = [a, b, c].find((p) => String(p.id) === task.assignee)!;
    const esc = await holder.api.post(`/api/tasks/${task.id}/escalate`, { reason: '赔付超过10元，需要组长' });
    expect(esc.body).toMatchObject({ status: 'escalated', assignee: { id: lead.id }, priority: 1 });
    expect(esc.body.history.at(-1)).toMatchObject({ event: 'escalate', note: '赔付超过10元，需要组长' });
    expect((await holder.api.post(`/api/tasks/${task.id}/claim`)).status).toBe(403);
    expect((await holder.api.post(`/api/tasks/${task.id}/reassign`, { userId: a.id })).status).toBe(403);
    const toWarehouse = await lead.api.post(`/api/tasks/${task.id}/reassign`, { userId: warehouse.id });
    expect(toWarehouse.status).toBe(400);
    expect(messages(toWarehouse)).toContain('userId');
    const back = await lead.api.post(`/api/tasks/${task.id}/claim`);
    expect(back.body).toMatchObject({ status: 'claimed', assignee: { id: lead.id } });
    const handed = await lead.api.post(`/api/tasks/${task.id}/reassign`, { userId: c.id });
    expect(handed.body).toMatchObject({ status: 'open', assignee: { id: c.id } });
    expect((await c.api.post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const cancelled = await op.api.post(`/api/tasks/${task.id}/cancel`, { reason: '重复任务' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', outcome: '重复任务' });
  });

  it('raises the priority of a task whose buyer gets in touch again, and lists urgent tasks first', async () => {
    const t1 = await open('contact-1');
    const t2 = await open('contact-2');
    const r = await lead.api.post(`/api/tasks/${t2.id}/contact`, { note: '买家第二次来问物流' });
    expect(r.body.priority).toBe(1);
    expect(r.body.history.at(-1)).toMatchObject({ event: 'contact', note: '买家第二次来问物流' });
    const list = await lead.api.get('/api/tasks?type=contact-2');
    expect(list.body.items[0].priority).toBe(1);
    const both = (await lead.api.get('/api/tasks?status=open&pageSize=200')).body.items.map((x: { id: number }) => x.id);
    expect(both.indexOf(t2.id)).toBeLessThan(both.indexOf(t1.id));
  });

  it('filters by shop, type, status, role, assignee and overdue, pages, and shows each person only what they may see', async () => {
    const mine = (await a.api.get('/api/tasks?assignee=me&pageSize=200')).body;
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((x: { assignee: { id: number } }) => x.assignee.id === a.id)).toBe(true);
    const pool = (await lead.api.get('/api/tasks?assignee=none&role=auditor')).body;
    expect(pool.items.map((x: { type: string }) => x.type)).toEqual(['rr-none']);
    const paged = (await lead.api.get('/api/tasks?type=rr&pageSize=4&page=2')).body;
    expect(paged).toMatchObject({ total: 6, page: 2, pageSize: 4 });
    expect(paged.items).toHaveLength(2);
    expect((await lead.api.get(`/api/tasks?shopId=${otherShop}`)).body.items.every((x: { shopId: number }) => x.shopId === otherShop)).toBe(true);
    expect((await elsewhere.api.get('/api/tasks?pageSize=200')).body.items.every((x: { shopId: number }) => x.shopId === otherShop)).toBe(true);
    expect((await warehouse.api.get('/api/tasks')).body.total).toBe(0);
    const forbidden = await warehouse.api.get(`/api/tasks/${(await open('hidden')).id}`);
    expect(forbidden.status).toBe(403);

    expect((await lead.api.get('/api/tasks?overdue=true')).body.total).toBe(0);
    clock.advance(31 * 60_000);
    const overdue = (await lead.api.get('/api/tasks?overdue=true&pageSize=200')).body;
    expect(overdue.items.map((x: { type: string }) => x.type)).toEqual(['chase_logistics']);
    expect(overdue.items[0].overdue).toBe(true);
    clock.set(START);

    for (const [q, fieldName] of [
      ['status=bogus', 'status'],
      ['overdue=maybe', 'overdue'],
      ['pageSize=0', 'pageSize'],
      ['assignee=kf01', 'assignee'],
      ['role=boss', 'role'],
    ]) {
      const r = await lead.api.get(`/api/tasks?${q}`);
      expect(r.status).toBe(400);
      expect(messages(r)).toContain(fieldName);
    }
  });

  it('closes tasks whose order resolved by itself, by dedupe key or by order and type', async () => {
    const order = await makeOrder(t.app, shop, '3920000000000000001');
    const unpaid = await open('unpaid_reminder', { orderId: order, dedupeKey: `unpaid:${order}` });
    const chase = await open('chase_logistics', { orderId: order });
    const done = await tasks.resolve(`unpaid:${order}`, '买家已付款');
    expect(done.map((x) => x.id)).toEqual([unpaid.id]);
    expect(done[0]).toMatchObject({ status: 'done', outcome: '买家已付款' });
    expect(done[0].history.at(-1)).toMatchObject({ by: 'system', event: 'resolve' });
    expect(await tasks.resolve(`unpaid:${order}`, 'again')).toEqual([]);
    const moved = await tasks.resolve({ orderId: order, type: 'chase_logistics' }, '物流已更新');
    expect(moved.map((x) => x.id)).toEqual([chase.id]);
    const shown = await lead.api.get(`/api/tasks/${chase.id}`);
    expect(shown.body).toMatchObject({ status: 'done', outcome: '物流已更新' });
    expect((await lead.api.post(`/api/tasks/${chase.id}/claim`)).status).toBe(409);
  });
});
