/**
 * Stalled-logistics scan over 1,000,000 open shipments on MariaDB.
 *
 *   npm run bench:stall-scan            (DATABASE_URL, default mysql://root@127.0.0.1:3306/kefu_bench)
 *
 * Shows two things: the scan over 1% due parcels completes well under a second, and its cost follows
 * the due count, not the open count — the same due count is scanned with 200,000 and with 1,000,000
 * open parcels, and different due fractions are scanned over the same 1,000,000.
 * Each scan reads the due rows by index and evaluates the stall rule on each (no writes).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../src/config/config.loader.js';
import { createDataSource } from '../src/database/data-source.factory.js';
import { runMigrationsLocked } from '../src/database/migration-runner.js';
import { LogisticsStallRule, type StallSettings } from '../src/rules/logistics-stall.rule.js';
import type { OrderSnapshot } from '../src/rules/rule.js';
import { dueShipments, type DueShipmentRow } from '../src/rules/stall-scan.query.js';

const HOUR = 3_600_000;
const SPAN_H = 100; // watch_due_at spread uniformly over 100 hours
const RUNS = 5;

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/kefu_bench';
  const db = new URL(url);
  const admin = await createConnection({ uri: `${db.protocol}//${db.username}${db.password ? ':' + db.password : ''}@${db.host}/` });
  await admin.query(`DROP DATABASE IF EXISTS \`${db.pathname.slice(1)}\``);
  await admin.query(`CREATE DATABASE \`${db.pathname.slice(1)}\` CHARACTER SET utf8mb4`);
  await admin.end();
  const config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url, KEFU_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') } });
  const ds = await createDataSource(config.database).initialize();
  await runMigrationsLocked(ds);
  const settings: StallSettings = {
    thresholdsHours: config.logistics.thresholdsHours,
    escalateAfterHours: config.logistics.escalateAfterHours,
    promotions: [],
    botId: config.remarks.botId,
    buyerMessage: null,
    fakeShipAfterHours: 72,
  };
  const t0 = Date.parse('2026-12-02T06:00:00Z');
  const log = (s: string) => process.stderr.write(s + '\n');

  const at = new Date();
  await ds.query('INSERT INTO shops (id, platform, platform_shop_id, name, status, warehouse, created_at, updated_at) VALUES (1,?,?,?,?,?,?,?)', ['kuaishou', '2200010001', '基准店', 'active', 'default', at, at]);
  log('inserting 200,000 shipments …');
  await insertShipments(ds, 0, 200_000, t0);
  // Same due count (10,000) at both sizes: the first 10,000 rows are spread over the first hour.
  const smallOpen = await measure(ds, new Date(t0 + HOUR), settings);
  log('inserting 800,000 more …');
  await insertShipments(ds, 200_000, 1_000_000, t0 + HOUR);
  const largeOpen = await measure(ds, new Date(t0 + HOUR), settings);
  const byDue = [];
  for (const pct of [0.1, 1, 10]) byDue.push({ duePercent: pct, ...(await measure(ds, new Date(t0 + hoursForDue(pct) * HOUR), settings)) });
  const explain: unknown = await ds.query('EXPLAIN SELECT id FROM shipments WHERE watch_due_at <= ? ORDER BY watch_due_at, id LIMIT 1000', [new Date(t0 + HOUR)]);
  await ds.query(`DROP DATABASE \`${db.pathname.slice(1)}\``);
  await ds.destroy();

  const result = {
    bench: 'stall-scan',
    database: 'MariaDB (DATABASE_URL)',
    sameDueDifferentOpen: { open200k: smallOpen, open1M: largeOpen, ratio1MOver200k: +(largeOpen.medianMs / smallOpen.medianMs).toFixed(2) },
    sameOpenDifferentDue: byDue,
    explain,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    commit: safe(() => execSync('git rev-parse --short HEAD').toString().trim()),
    at: new Date().toISOString(),
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/stall-scan.json', JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

/**
 * Due rows at t0 + h hours: 2,000 per hour from the first 200,000 (spread over 100 h from t0) plus
 * 8,000 per hour after the first hour from the other 800,000 (spread over 100 h from t0 + 1 h).
 */
function hoursForDue(percent: number): number {
  const target = (percent / 100) * 1_000_000;
  return target <= 2000 ? target / 2000 : (target + 8000) / 10_000;
}

/** Rows: 100 shipments per order; watch_due_at spread uniformly over SPAN_H hours from `from`. */
async function insertShipments(ds: Awaited<ReturnType<typeof createDataSource>>, start: number, end: number, dueFrom: number): Promise<void> {
  const now = new Date();
  const count = end - start;
  for (let i = start; i < end; i += 5000) {
    const orderIds: unknown[][] = [];
    for (let o = i; o < Math.min(i + 5000, end); o += 100) orderIds.push([1, 'kuaishou', `26112200${String(o / 100).padStart(8, '0')}`, 'shipped', '40', 0, 0, '[]', 'none', 1, now, now]);
    await ds.query(
      `INSERT INTO orders (shop_id, platform, platform_order_id, status, platform_status, total_fen, post_fee_fen, line_items, seller_flag, version, created_at, updated_at) VALUES ${orderIds.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      orderIds.flat(),
    );
    const firstOrder: { id: number }[] = await ds.query('SELECT MIN(id) AS id FROM orders WHERE platform_order_id >= ?', [orderIds[0][2]]);
    const rows: unknown[][] = [];
    for (let k = i; k < Math.min(i + 5000, end); k++) {
      const due = new Date(dueFrom + ((k - start) / count) * SPAN_H * HOUR);
      const lastEvent = new Date(due.getTime() - 24 * HOUR);
      rows.push([Number(firstOrder[0].id) + Math.floor((k - i) / 100), 1, 'zhongtong', `78${String(k).padStart(11, '0')}`, false, lastEvent, lastEvent, '【广州市】已发出', 'in_transit', 1, due, now, now]);
    }
    await ds.query(
      `INSERT INTO shipments (order_id, shop_id, carrier_code, tracking_no, is_reship, consigned_at, last_event_at, last_event_desc, state, zone, watch_due_at, created_at, updated_at) VALUES ${rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`,
      rows.flat(),
    );
  }
}

async function measure(ds: Awaited<ReturnType<typeof createDataSource>>, now: Date, settings: StallSettings) {
  const rule = new LogisticsStallRule();
  const times: number[] = [];
  let due = 0;
  let stalled = 0;
  for (let r = 0; r < RUNS; r++) {
    const started = process.hrtime.bigint();
    due = 0;
    stalled = 0;
    let after: { dueAt: Date; id: number } | null = null;
    for (;;) {
      const page: DueShipmentRow[] = await dueShipments(ds, now, after, 5000);
      for (const row of page) if (rule.evaluate({ order: snapshot(row), settings, now }).fired) stalled++;
      due += page.length;
      if (page.length < 5000) break;
      const last = page[page.length - 1];
      after = { dueAt: new Date(last.watch_due_at), id: last.id };
    }
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { due, stalled, medianMs: +times[Math.floor(RUNS / 2)].toFixed(1), runsMs: times.map((t) => +t.toFixed(1)) };
}

function snapshot(row: DueShipmentRow): OrderSnapshot {
  const d = (v: Date | string | null) => (v === null ? null : new Date(v));
  return {
    orderId: row.order_id, shopId: row.shop_id, platform: 'kuaishou', platformOrderId: '', status: 'shipped', placedAt: null, paidAt: null,
    province: null, sellerMemo: null, sellerFlag: 'none', erpStatus: null, buyerRef: null, reminders: [],
    shipments: [{ id: row.id, carrierCode: row.carrier_code, trackingNo: row.tracking_no, consignedAt: d(row.consigned_at), lastEventAt: d(row.last_event_at), lastEventDesc: row.last_event_desc, state: row.state, zone: row.zone, stallFlag: row.stall_flag, stalledAt: d(row.stalled_at) }],
  };
}

function safe(f: () => string): string {
  try {
    return f();
  } catch {
    return 'unknown';
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
