/**
 * Figure 3's denominator: a plain script that upserts the same canonical order rows into the orders
 * table of the same MariaDB, in batches of 500 with INSERT … ON DUPLICATE KEY UPDATE — no queue, no
 * platform call, no rules. Each pushed event of the load becomes the order's row as that event left it
 * (a new order unpaid, a payment paid), mapped through the Kuaishou wire format and orderFields just as
 * kefu-bridge maps what the platform returns.
 */
import { stringify } from 'lossless-json';
import { loadConfig } from '../src/config/config.loader.js';
import { createDataSource } from '../src/database/data-source.factory.js';
import { runMigrationsLocked } from '../src/database/migration-runner.js';
import { orderFields } from '../src/orders/order-row.mapper.js';
import { OrderEntity } from '../src/orders/order.entity.js';
import { mapKsOrder } from '../src/platforms/kuaishou/kuaishou.mapper.js';
import { parseLosslessJson } from '../src/platforms/shared/lossless-json.util.js';
import { kuaishouOrder } from '../src/sandbox/platforms/kuaishou/kuaishou-order.mapper.js';
import type { RunningSandbox } from '../src/sandbox/server.js';
import { dropDatabase, freshDatabase } from './bench-env.js';
import type { LoadEvent } from './ingest-phase.js';

const BATCH = 500;

export interface CeilingFigures {
  rows: number;
  wallMs: number;
  rowsPerS: number;
}

export async function runCeiling(sb: RunningSandbox, load: LoadEvent[], databaseUrl: string): Promise<CeilingFigures> {
  const url = databaseUrl.replace(/\/[^/?]*(\?|$)/, '/kefu_bench_ceiling$1');
  await freshDatabase(url);
  const config = loadConfig({ env: { NODE_ENV: 'test', DATABASE_URL: url, KEFU_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') } });
  const ds = await createDataSource(config.database).initialize();
  try {
    await runMigrationsLocked(ds);
    const at = new Date();
    await ds.query('INSERT INTO shops (id, platform, platform_shop_id, name, status, warehouse, created_at, updated_at) VALUES (1,?,?,?,?,?,?,?)', ['kuaishou', 'ceiling', '基准店', 'active', 'default', at, at]);
    const rows = load.map((e) => rowOf(sb, e));
    const meta = ds.getMetadata(OrderEntity);
    const props = Object.keys(rows[0]);
    const columns = props.map((p) => meta.findColumnWithPropertyName(p)!);
    const names = columns.map((c) => `\`${c.databaseName}\``);
    const updates = names.filter((n) => !['`shop_id`', '`platform`', '`platform_order_id`', '`created_at`'].includes(n)).map((n) => `${n} = VALUES(${n})`);
    const tuple = `(${props.map(() => '?').join(',')})`;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const values = batch.flatMap((r) => columns.map((c) => (c.type === 'simple-json' ? JSON.stringify(r[c.propertyName]) : r[c.propertyName])));
      await ds.query(`INSERT INTO orders (${names.join(',')}) VALUES ${batch.map(() => tuple).join(',')} ON DUPLICATE KEY UPDATE ${updates.join(', ')}`, values);
    }
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { rows: rows.length, wallMs: Math.round(wallMs), rowsPerS: Math.round((rows.length * 1000) / wallMs) };
  } finally {
    await ds.destroy();
    await dropDatabase(url);
  }
}

/** The order's canonical row as the event left it: a creation shows the order before its payment. */
function rowOf(sb: RunningSandbox, e: LoadEvent): Record<string, unknown> {
  const now = sb.world.order('kuaishou', e.orderId)!;
  const order = e.kind === 'created' ? { ...now, stage: 'unpaid' as const, paidAt: undefined, modifiedAt: now.createdAt } : now;
  const wire = parseLosslessJson(stringify(kuaishouOrder(order, sb.world.shop('kuaishou', order.shopId)))!);
  const at = new Date();
  return { ...orderFields(mapKsOrder(wire)), shopId: 1, platform: 'kuaishou', platformOrderId: e.orderId, version: 1, createdAt: at, updatedAt: at };
}
