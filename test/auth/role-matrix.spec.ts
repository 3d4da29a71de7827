/**
 * The role matrix (issue 5, "done when" 5): every route the app registers is called as each role and
 * without a token; it must refuse exactly the roles it does not declare. Routes added later are found
 * through the route inventory, so they are covered without being listed here; the routes listed in
 * POLICY must also keep the access decided for them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROLES, type Role } from '../../src/auth/roles.decorator.js';
import { RouteInventory, type RouteEntry } from '../../src/auth/route-inventory.js';
import { TasksService } from '../../src/tasks/tasks.service.js';
import { ApiClient } from '../shops/shops-test-support.js';
import { authAs } from '../support/auth.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-env.js';
import { makeOrder, makeShop, RECEIVER } from '../tasks/tasks-support.js';

const EVERYONE: Role[] = [...ROLES];
const STEER: Role[] = ['lead', 'operator'];

/** Who may call what, as decided; `public` needs no token. */
const POLICY: Record<string, Role[] | 'public'> = {
  'GET health': 'public',
  'GET health/live': 'public',
  'GET api/oauth/:platform/callback': 'public',
  'POST webhooks/kuaishou/:appKey': 'public',
  'POST webhooks/kuaidi100': 'public',
  'GET api/me': EVERYONE,
  'PUT api/me/duty': EVERYONE,
  'POST api/users': ['operator'],
  'GET api/users': ['operator'],
  'GET api/users/:id': ['operator'],
  'PATCH api/users/:id': ['operator'],
  'POST api/users/:id/token': ['operator'],
  'POST api/users/:id/disable': ['operator'],
  'POST api/users/:id/enable': ['operator'],
  'GET api/shops': EVERYONE,
  'GET api/shops/:id': EVERYONE,
  'POST api/shops': ['operator'],
  'POST api/shops/:id/pause': ['operator'],
  'POST api/shops/:id/resume': ['operator'],
  'DELETE api/shops/:id': ['operator'],
  'PUT api/shops/:id/credentials': ['operator'],
  'GET api/shops/:id/oauth/authorize-url': ['operator'],
  'GET api/shops/:id/health': ['operator', 'lead'],
  'GET api/inbound/stats': ['operator', 'lead'],
  'GET api/tasks': EVERYONE,
  'GET api/tasks/:id': EVERYONE,
  'POST api/tasks/:id/claim': EVERYONE,
  'POST api/tasks/:id/complete': EVERYONE,
  'POST api/tasks/:id/escalate': EVERYONE,
  'POST api/tasks/:id/contact': EVERYONE,
  'POST api/tasks/:id/compensate': EVERYONE,
  'POST api/tasks/:id/reassign': STEER,
  'POST api/tasks/:id/cancel': STEER,
  'GET api/orders': EVERYONE,
  'GET api/orders/:id': EVERYONE,
  'GET api/orders/:id/rules': EVERYONE,
  'POST api/orders/:id/remarks': ['pre_sale', 'in_sale', 'after_sale', 'lead'],
  'POST api/reships': ['after_sale', 'in_sale', 'lead'],
  'GET api/reships': ['after_sale', 'in_sale', 'lead', 'operator', 'warehouse'],
  'GET api/reships/:id': ['after_sale', 'in_sale', 'lead', 'operator', 'warehouse'],
  'POST api/reships/:id/confirm': ['after_sale', 'in_sale', 'lead'],
  'GET api/reports/reships': ['operator', 'lead', 'after_sale'],
  'GET api/shops/:id/settings': STEER,
  'PATCH api/shops/:id/settings': STEER,
  'GET api/shops/:id/unpaid-stats': ['operator', 'lead', 'pre_sale'],
  'GET api/reroutes': ['warehouse', 'in_sale', 'after_sale', 'lead', 'operator'],
  'POST api/reroutes/:id/ack': ['warehouse', 'lead'],
};

/** What each role sees of a receiver: true = as stored, false = masked (README, "Buyer data by role"). */
const SEES: Record<Role, { name: boolean; mobile: boolean; address: boolean }> = {
  operator: { name: false, mobile: false, address: false },
  pre_sale: { name: false, mobile: false, address: false },
  in_sale: { name: true, mobile: true, address: true },
  after_sale: { name: true, mobile: true, address: true },
  auditor: { name: true, mobile: true, address: true },
  warehouse: { name: true, mobile: false, address: true },
  lead: { name: true, mobile: true, address: true },
};

const key = (r: RouteEntry) => `${r.method} ${r.path}`;
// Ids that exist nowhere: an allowed call gets past the guard and then finds nothing (404) or bad input (400).
const concrete = (path: string) => `/${path.replace(/:[A-Za-z0-9_]+/g, '999999')}`;

describe(`role matrix (${backend.label})`, () => {
  let t: TestApp;
  let routes: RouteEntry[];
  const as: Partial<Record<Role, ApiClient>> = {};

  beforeAll(async () => {
    t = await startTestApp({ env: { KEFU_SCHEDULER: 'off' } });
    routes = t.app.get(RouteInventory).routes();
    for (const role of ROLES) as[role] = new ApiClient(t.url!, await authAs(t, { roles: [role], name: `only ${role}` }));
  });
  afterAll(async () => t?.close());

  const call = (client: ApiClient, r: RouteEntry) => client.send(r.method, concrete(r.path), ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined);

  it('finds every route declaring who may call it', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(POLICY).length);
    expect(routes.filter((r) => !r.public && !r.roles?.length).map(key)).toEqual([]);
  });

  it('keeps the decided access of the routes in the policy', () => {
    // A new route states its access here too, so nobody widens or narrows it by accident.
    expect(routes.map(key).filter((k) => !(k in POLICY))).toEqual([]);
    const declared = Object.fromEntries(routes.map((r) => [key(r), r.public ? 'public' : [...(r.roles ?? [])].sort()]));
    for (const [route, access] of Object.entries(POLICY)) {
      expect([route, declared[route]]).toEqual([route, access === 'public' ? 'public' : [...access].sort()]);
    }
  });

  it('answers 401 on every non-public route without a token or with a bad one', async () => {
    const anonymous = new ApiClient(t.url!);
    const forged = new ApiClient(t.url!, { Authorization: `Bearer kfb_${'x'.repeat(43)}` });
    for (const r of routes.filter((x) => !x.public)) {
      expect([key(r), (await call(anonymous, r)).status]).toEqual([key(r), 401]);
      expect([key(r), (await call(forged, r)).status]).toEqual([key(r), 401]);
    }
  });

  it('lets public routes through without a token', async () => {
    const anonymous = new ApiClient(t.url!);
    for (const r of routes.filter((x) => x.public)) {
      expect([key(r), [401, 403].includes((await call(anonymous, r)).status)]).toEqual([key(r), false]);
    }
  });

  it('refuses each role exactly where the route does not declare it', async () => {
    for (const r of routes.filter((x) => !x.public)) {
      for (const role of ROLES) {
        const status = (await call(as[role]!, r)).status;
        const allowed = r.roles!.includes(role);
        const verdict = status === 403 ? 'refused' : status === 401 ? 'unauthenticated' : 'allowed';
        expect([key(r), role, verdict]).toEqual([key(r), role, allowed ? 'allowed' : 'refused']);
      }
    }
  });

  it("masks the order's receiver in task views for the roles that should not see it", async () => {
    const shop = await makeShop(t.app, 'matrix-1');
    const order = await makeOrder(t.app, shop, '3920000000000000777');
    for (const role of ROLES) {
      const { task } = await t.app.get(TasksService).open({ shopId: shop, orderId: order, type: 'matrix', role, reason: 'pii check' });
      const view = await as[role]!.get(`/api/tasks/${task.id}`);
      expect(view.status).toBe(200);
      const seen = view.body.order.receiver as typeof RECEIVER;
      const expected = SEES[role];
      expect([role, 'name', seen.name === RECEIVER.name]).toEqual([role, 'name', expected.name]);
      expect([role, 'mobile', seen.mobile === RECEIVER.mobile]).toEqual([role, 'mobile', expected.mobile]);
      expect([role, 'address', seen.address === RECEIVER.address]).toEqual([role, 'address', expected.address]);
      expect(seen.province).toBe(RECEIVER.province);
      const listed = await as[role]!.get(`/api/tasks?orderId=${order}&type=matrix&role=${role}`);
      expect(listed.body.items[0].order.receiver).toEqual(seen);
      if (!expected.mobile) expect(listed.text).not.toContain(RECEIVER.mobile);
    }
  });
});
