import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source.factory.js';
import { revertLastMigration, runMigrationsLocked } from '../../src/database/migration-runner.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

const TABLES = [
  'shops',
  'shop_credentials',
  'orders',
  'shipments',
  'tracking_events',
  'sync_states',
  'inbound_events',
  'remarks',
  'tasks',
  'actions',
  'schedule_ticks',
  'users',
  'task_rotations',
  'reminders',
  'reships',
  'rule_evaluations',
];

async function existingTables(ds: DataSource): Promise<string[]> {
  const qr = ds.createQueryRunner();
  try {
    const found: string[] = [];
    for (const t of TABLES) if (await qr.hasTable(t)) found.push(t);
    return found;
  } finally {
    await qr.release();
  }
}

describe(`migrations (${backend.label})`, () => {
  let tb: TestBackend;
  let ds: DataSource;

  beforeAll(async () => {
    tb = await freshBackend();
    ds = await createDataSource(tb.config.database).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await tb.dispose();
  });

  it('creates every table, and applying again changes nothing', async () => {
    const applied = await runMigrationsLocked(ds);
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(await existingTables(ds)).toEqual(TABLES);
    expect(await runMigrationsLocked(ds)).toEqual([]);
  });

  it('processes starting together apply each migration once', async () => {
    const others = await Promise.all([0, 1].map(() => createDataSource(tb.config.database).initialize()));
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigration(ds);
      const results = await Promise.all(others.map((o) => runMigrationsLocked(o)));
      expect(results.flat()).toHaveLength(MIGRATIONS.length);
      const rows: unknown[] = await ds.query('SELECT * FROM migrations');
      expect(rows).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(others.map((o) => o.destroy()));
    }
  });

  it('keeps 19-digit order ids and Chinese text exact, and enforces the order unique key', async () => {
    // Raw SQL takes the stored form of a DATETIME(3) on both backends.
    const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
    await ds.query(
      'INSERT INTO shops (platform, platform_shop_id, name, status, warehouse, created_at, updated_at) VALUES (?,?,?,?,?,?,?)',
      ['taobao', '2200000001', '旗舰店', 'active', 'default', now, now],
    );
    const [shop]: { id: number }[] = await ds.query("SELECT id FROM shops WHERE platform_shop_id = '2200000001'");
    const insert = () =>
      ds.query(
        `INSERT INTO orders (shop_id, platform, platform_order_id, status, platform_status, total_fen, post_fee_fen, line_items, seller_flag, version, created_at, updated_at)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
        [shop.id, 'taobao', '3920487712345678901', 'paid', 'WAIT_SELLER_SEND_GOODS', 1290, 0, '[]', 'none', 1, now, now],
      );
    await insert();
    await expect(insert()).rejects.toThrow();
    const rows: { platform_order_id: string; name: string }[] = await ds.query(
      'SELECT o.platform_order_id, s.name FROM orders o JOIN shops s ON s.id = o.shop_id',
    );
    expect(rows).toEqual([{ platform_order_id: '3920487712345678901', name: '旗舰店' }]);
  });

  it('reverts every migration with down()', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigration(ds);
    expect(await existingTables(ds)).toEqual([]);
  });
});
