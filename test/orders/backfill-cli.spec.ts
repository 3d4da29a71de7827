import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { shanghaiDateTime } from '../../src/common/shanghai-time.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { SyncStateEntity } from '../../src/orders/sync-state.entity.js';
import { startScript, type ServiceProcess } from '../support/processes.js';
import { startLiveEnv, type LiveEnv, type LiveShop } from './support/live-env.js';

const HOUR = 3_600_000;
const DAYS = 3;
const ORDERS = 300;
const STATUS: Record<string, string> = { unpaid: 'unpaid', paid: 'paid', shipped: 'shipped', closed_unpaid: 'closed' };

/** `npm run backfill` as an operator starts it: the built CLI in its own process. */
function backfill(env: LiveEnv, shopId: number, since: string): ServiceProcess {
  const script = ['dist', 'src', 'orders', 'backfill.cli.js'];
  return startScript(script, { ...env.t.backend.env, KEFU_SANDBOX_URL: env.sb.url, LOG_LEVEL: 'warn' }, ['--shop', String(shopId), '--since', since]);
}

async function lineMatching(run: ServiceProcess, re: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 1200; i++) {
    for (const l of run.lines) {
      const m = re.exec(l);
      if (m) return m;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no line matching ${re}:\n${run.lines.join('\n')}`);
}

describe('npm run backfill', () => {
  let env: LiveEnv;
  let db: DataSource;
  let shop: LiveShop;
  let since: string;

  beforeAll(async () => {
    // Rules in dry run: old parcels in the history are stalled, and a chase remark written mid-test would
    // change orders on the platform between the two runs (the detail-call count below must not see that).
    env = await startLiveEnv({ seed: 61, shops: [{ platform: 'taobao', platformShopId: '3360001' }], overrides: { rules: { dryRun: true } } });
    db = env.t.app.get(DataSource);
    shop = env.shop('taobao');
    // Three days of history, older than anything a poll would read: placed, most paid, some shipped.
    const now = env.sb.clock.now();
    const start = now - DAYS * 24 * HOUR;
    since = shanghaiDateTime(start).slice(0, 16);
    for (let i = 0; i < ORDERS; i++) {
      const at = start + 60_000 + Math.floor((i * (DAYS * 24 - 2) * HOUR) / ORDERS);
      const o = env.sb.world.addOrder({ platform: 'taobao', shopId: shop.platformShopId, createdAt: at }, at);
      if (i % 6 === 0) continue;
      env.sb.world.pay('taobao', o.orderId, at + 5 * 60_000);
      if (i % 3 === 0) env.sb.world.ship('taobao', o.orderId, { carrierCode: 'zhongtong', plan: 'none' }, at + HOUR);
    }
    // Slow replies, so the run is surely still going when the signal comes.
    env.sb.ctx.faults.set('taobao', { latencyMs: 15 });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('stops on SIGTERM after a stored window, and a second run finishes the rest without doing it twice', async () => {
    const first = backfill(env, shop.id, since);
    const progressed = await lineMatching(first, /backfill (\d+)% (\d+) windows/);
    expect(Number(progressed[1])).toBeLessThan(100);
    await lineMatching(first, /backfill (2\d|[3-9]\d)% /);
    expect(await first.stop('SIGTERM')).toBe(130);
    const stopped = await lineMatching(first, /interrupted: (\d+) windows, (\d+) orders stored/);
    const firstWindows = Number(stopped[1]);
    const state = await db.getRepository(SyncStateEntity).findOneByOrFail({ shopId: shop.id, resource: 'backfill' });
    expect(new Date(state.windowEnd!).getTime()).toBeLessThan(env.sb.clock.now() - HOUR);
    const partial = await db.getRepository(OrderEntity).countBy({ shopId: shop.id });
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ORDERS);

    const second = backfill(env, shop.id, since);
    expect(await second.exited).toBe(0);
    await lineMatching(second, /resuming an earlier run: stored up to /);
    const done = await lineMatching(second, /done: (\d+) windows, (\d+) orders/);
    // Taobao windows of 30 minutes, each overlapping the last by the configured overlap, over the span (since is
    // given to the minute): the two runs together walk it once, plus at most the window in hand at the stop.
    const { sliceMs, overlapMs } = env.t.config.orders;
    const spanWindows = Math.ceil((DAYS * 24 * HOUR + 60_000) / (sliceMs.taobao - overlapMs));
    expect(firstWindows + Number(done[1])).toBeLessThanOrEqual(spanWindows + 1);
    expect(Number(done[1])).toBeLessThan(spanWindows);

    const rows = await db.getRepository(OrderEntity).findBy({ shopId: shop.id });
    const expected = env.sb.world.orders({ platform: 'taobao', shopId: shop.platformShopId });
    expect(expected).toHaveLength(ORDERS);
    expect(rows).toHaveLength(ORDERS);
    expect(new Set(rows.map((r) => r.platformOrderId)).size).toBe(ORDERS);
    const byId = new Map(rows.map((r) => [r.platformOrderId, r]));
    for (const o of expected) expect({ id: o.orderId, status: byId.get(o.orderId)?.status }).toEqual({ id: o.orderId, status: STATUS[o.stage] });
    // Every order was read in detail exactly once across both runs.
    const after = await db.getRepository(SyncStateEntity).findOneByOrFail({ shopId: shop.id, resource: 'backfill' });
    expect(after.detailCalls).toBe(ORDERS);
  });

  it('refuses a bad --since with a message naming it', async () => {
    const run = backfill(env, shop.id, '1 November');
    expect(await run.exited).toBe(2);
    expect(run.lines.join('\n')).toContain('--since must be a date in Asia/Shanghai');
  });
});
