import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, In } from 'typeorm';
import { JobQueue } from '../../src/jobs/job-queue.js';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { PddMessageSupervisor } from '../../src/orders/push/pdd-message.supervisor.js';
import { ShipmentEntity } from '../../src/orders/shipment.entity.js';
import { SyncStateEntity } from '../../src/orders/sync-state.entity.js';
import type { SbOrder } from '../../src/sandbox/core/types.js';
import { SchedulerService } from '../../src/scheduling/scheduler.service.js';
import { eventually } from '../support/eventually.js';
import { DayDriver } from './support/day-driver.js';
import { MARKETPLACES, startLiveEnv, type LiveEnv, type LiveShop, type Mp } from './support/live-env.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Two shops per platform, 1,100 orders each: 2,200 orders per platform over the day. */
const ORDERS_PER_SHOP = 1100;
/**
 * The poll tick of this deployment. It is longer than Pinduoduo's indexing lag (its list shows a change
 * only 3 minutes later), so one interval after the day ends every change is visible to polling.
 */
const POLL_MS = 5 * MIN;
/**
 * Virtual time moves in steps of three intervals, ticking once per step: the pollers catch up over the
 * windows in between, as after a busy spell, and the test spends its time on orders, not on idle ticks.
 */
const STEP_MS = 3 * POLL_MS;
const PUSH_FAULTS = { pushDropRate: 0.2, pushDuplicateRate: 0.1, pushReorderRate: 0.1 };
const STATUS: Record<string, string> = {
  unpaid: 'unpaid', paid: 'paid', shipped: 'shipped', delivered: 'delivered', finished: 'finished', closed_unpaid: 'closed', closed_refunded: 'refunded',
};

/** What each platform's order API shows: Pinduoduo lists only orders that were paid. */
const listed = (o: SbOrder): boolean => o.platform !== 'pinduoduo' || o.paidAt !== undefined;

/**
 * Issue 4, "Done when" 2: a simulated day with lossy, duplicated, reordered pushes through the real app
 * (Taobao TMC pull, Pinduoduo message socket, Kuaishou HTTPS push, pollers on their tick) and a rate-limit
 * storm at midday ends equal to the platforms within one poll interval, with no failure recorded.
 */
describe('a simulated day of orders with lossy pushes', () => {
  let env: LiveEnv;
  let db: DataSource;
  let dayEnd = 0;
  const storm = { from: 0, until: 0 };

  const ticks = () => env.t.config.scheduler.ticks.filter((t) => t.name === 'orders.poll' || t.name === 'tmc.consume');

  /** What the scheduler does each interval: claim the tick and enqueue its job; then let the work finish. */
  async function tick(): Promise<void> {
    const scheduler = env.t.app.get(SchedulerService);
    for (const t of ticks()) await scheduler.fire(t);
    await settled();
  }

  /** No job waiting or running and no stored push unprocessed, three checks in a row. */
  async function settled(): Promise<void> {
    const queue = env.t.app.get(JobQueue);
    const giveUp = Date.now() + 120_000;
    for (let quiet = 0; quiet < 3; ) {
      if (Date.now() > giveUp) throw new Error(`work did not settle: ${JSON.stringify(await queue.counts())}`);
      const c = await queue.counts();
      const pending = await db.getRepository(InboundEventEntity).countBy({ status: 'received' });
      quiet = c.waiting + c.active + pending === 0 ? quiet + 1 : 0;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function compare(shop: LiveShop): Promise<void> {
    const expected = env.sb.world.orders({ platform: shop.platform, shopId: shop.platformShopId }).filter(listed);
    const rows = await db.getRepository(OrderEntity).findBy({ shopId: shop.id });
    const ships = await db.getRepository(ShipmentEntity).findBy({ shopId: shop.id });
    const waybills = new Map<number, string[]>();
    for (const s of ships) waybills.set(s.orderId, [...(waybills.get(s.orderId) ?? []), s.trackingNo]);
    const ours = rows.map((r) => ({ id: r.platformOrderId, status: r.status, memo: r.sellerMemo ?? '', waybills: (waybills.get(r.id) ?? []).sort() }));
    const theirs = expected.map((o) => ({ id: o.orderId, status: STATUS[o.stage], memo: o.memo, waybills: o.shipment ? [o.shipment.trackingNo] : [] }));
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(ours.sort(byId)).toEqual(theirs.sort(byId));
    expect(new Set(rows.map((r) => r.platformOrderId)).size).toBe(rows.length);
  }

  beforeAll(async () => {
    env = await startLiveEnv({
      seed: 71,
      startAt: Date.now() - DAY - 10 * MIN,
      shops: MARKETPLACES.flatMap((platform, i) => [
        { platform, platformShopId: String(7_700_000 + i * 10 + 1) },
        { platform, platformShopId: String(7_700_000 + i * 10 + 2) },
      ]),
      // Unpaid orders close only when the day's buyers cancel them, so nothing changes after the day.
      sandbox: { autoCloseMs: { taobao: 30 * DAY, pinduoduo: 30 * DAY, kuaishou: 30 * DAY } },
      overrides: {
        scheduler: {
          ticks: [
            { name: 'orders.poll', everyMs: POLL_MS, job: 'orders.poll' },
            { name: 'tmc.consume', everyMs: POLL_MS, job: 'tmc.consume' },
          ],
        },
        orders: { initialLookbackMs: 3_600_000 },
        jobs: { concurrency: 16 },
        // The rules evaluate every change but perform nothing: the day compares the platforms' orders with
        // ours, and a chase remark kefu-bridge wrote would change them after the last poll.
        rules: { dryRun: true },
      },
    });
    db = env.t.app.get(DataSource);
    for (const p of MARKETPLACES) env.sb.ctx.faults.set(p, PUSH_FAULTS);
    const supervisor = env.t.app.get(PddMessageSupervisor);
    await supervisor.supervise();
    expect(supervisor.connectedApps()).toHaveLength(1);

    const dayStart = env.sb.clock.now();
    dayEnd = dayStart + DAY;
    new DayDriver(env.sb, env.shops, 71).plan({ start: dayStart, end: dayEnd, ordersPerShop: ORDERS_PER_SHOP });
    while (env.sb.clock.now() < dayEnd) {
      env.sb.clock.advance(STEP_MS);
      if (!storm.from && env.sb.clock.now() >= dayStart + DAY / 2) {
        // A rate-limit storm at midday on every platform, hitting the tick's polls and the push refetches.
        storm.from = env.sb.clock.now();
        storm.until = storm.from + 2000;
        for (const p of MARKETPLACES) env.sb.ctx.faults.set(p, { ...PUSH_FAULTS, rateLimitStormUntil: storm.until });
      }
      await tick();
    }
  }, 1_800_000);
  afterAll(async () => {
    await env?.close();
  });

  it('placed at least 2,000 orders per platform across the shops, with pushes dropped, duplicated and reordered', () => {
    for (const p of MARKETPLACES) {
      expect(env.sb.world.orders({ platform: p }).length).toBeGreaterThanOrEqual(2000);
      const pushes = env.sb.ctx.pushes.records(p);
      expect(pushes.filter((r) => r.dropped > 0).length).toBeGreaterThan(pushes.length * 0.1);
      expect(pushes.filter((r) => r.duplicated > 0).length).toBeGreaterThan(0);
    }
  });

  it('one poll interval after the day ends, every shop holds exactly the platform orders: status, memo, waybills', async () => {
    env.sb.clock.advance(POLL_MS);
    await tick();
    await eventually(async () => {
      for (const shop of env.shops) await compare(shop);
    }, 30_000, 250);
  });

  it('got there through the push paths and the pollers together, with duplicates stored once and the storm waited out', async () => {
    for (const p of MARKETPLACES) {
      const refused = env.sb.ctx.calls.calls({ platform: p }).filter((c) => c.time >= storm.from && c.time < storm.until && c.outcome !== 'ok');
      expect(refused.length).toBeGreaterThan(0);
    }
    // A push the sandbox sent as the day ended may still be on the wire when the work first looks settled;
    // it is stored and processed moments later. What must never happen is a push left failed.
    const events = () =>
      db.getRepository(InboundEventEntity).find({
        where: { platform: In([...MARKETPLACES]) },
        select: { id: true, platform: true, status: true, source: true, error: true },
      });
    await eventually(async () => expect((await events()).filter((e) => e.status === 'received')).toEqual([]), 30_000, 250);
    const inbound = await events();
    for (const p of MARKETPLACES) {
      const mine = inbound.filter((e) => e.platform === p);
      expect(mine.filter((e) => e.status === 'processed').length).toBeGreaterThan(1000);
      expect(mine.filter((e) => e.status === 'failed')).toEqual([]);
    }
    const stats = (await env.api('GET', '/api/inbound/stats')).body as { sources: { platform: Mp; counts: Record<string, number> }[] };
    for (const p of MARKETPLACES) expect(stats.sources.find((s) => s.platform === p)?.counts.duplicate ?? 0).toBeGreaterThan(0);
    const states = await db.getRepository(SyncStateEntity).findBy({ resource: 'orders' });
    expect(states).toHaveLength(env.shops.length);
    for (const s of states) {
      expect(s).toMatchObject({ failureCount: 0, lastError: null });
      expect(new Date(s.windowEnd!).getTime()).toBeGreaterThanOrEqual(dayEnd - 3 * MIN);
    }
  });
});
