/** Round-robin is fair across processes: two app instances on one database share one rotation. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TasksService } from '../../src/tasks/tasks.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-env.js';
import { makeShop, person, type Person } from './tasks-support.js';

describe(`task rotation across processes (${backend.label})`, () => {
  let one: TestApp;
  let two: TestApp;
  let shop: number;
  let agents: Person[];

  beforeAll(async () => {
    one = await startTestApp({ env: { KEFU_SCHEDULER: 'off' } });
    two = await startTestApp({ backend: one.backend, env: { KEFU_SCHEDULER: 'off' } });
    shop = await makeShop(one.app, 'rotation-1');
    agents = [];
    for (const agentId of ['kf11', 'kf12', 'kf13']) agents.push(await person(one, { name: agentId, roles: ['after_sale'], agentId }));
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  const openOn = async (t: TestApp, n: number) =>
    (await t.app.get(TasksService).open({ shopId: shop, type: 'after_sale_follow_up', role: 'after_sale', reason: `follow-up ${n}` })).task.assignee;

  it('continues the turn where the other process left it', async () => {
    const seen: (string | null)[] = [];
    for (let i = 0; i < 6; i++) seen.push(await openOn(i % 2 === 0 ? one : two, i));
    expect(seen).toEqual([...agents, ...agents].map((p) => String(p.id)));
  });

  it('gives each person the same number of tasks when tasks are opened at once', async () => {
    // SQLite serves one process (several processes need MySQL): there, concurrency is within one app.
    // Two apps in this test process cannot write SQLite at once: better-sqlite3 waits for a lock
    // synchronously, blocking the very event loop the other app needs to commit.
    const other = backend.mysqlUrl ? two : one;
    const assigned = await Promise.all(Array.from({ length: 12 }, (_, i) => openOn(i % 2 === 0 ? one : other, 100 + i)));
    const perAgent = agents.map((p) => assigned.filter((x) => x === String(p.id)).length);
    expect(perAgent).toEqual([4, 4, 4]);
  });
});
