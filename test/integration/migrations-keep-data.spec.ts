/**
 * Upgrading and reverting keeps existing rows: later migrations alter tables in place, so SQLite
 * never rebuilds a parent table and cascades its children away.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { createDataSource } from '../../src/database/data-source.factory.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

const FIRST_SCHEMA = 5; // migrations of the first schema; the rest alter it

describe(`migrations keep data (${backend.label})`, () => {
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

  async function step(direction: 'up' | 'down', migrations: (new () => MigrationInterface)[]): Promise<void> {
    const qr = ds.createQueryRunner();
    try {
      for (const M of migrations) await new M()[direction](qr);
    } finally {
      await qr.release();
    }
  }

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['shops', 'shop_credentials', 'orders', 'shipments', 'tracking_events', 'sync_states', 'tasks']) {
      const [row]: { n: number | string }[] = await ds.query(`SELECT COUNT(*) AS n FROM ${t}`);
      out[t] = Number(row.n);
    }
    return out;
  };

  it('upgrades and reverts later migrations without losing rows', async () => {
    await step('up', MIGRATIONS.slice(0, FIRST_SCHEMA));
    const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
    await ds.query('INSERT INTO shops (id, platform, platform_shop_id, name, status, warehouse, created_at, updated_at) VALUES (1,?,?,?,?,?,?,?)', ['taobao', '22', '店', 'active', 'default', now, now]);
    await ds.query('INSERT INTO shop_credentials (shop_id, key_id, ciphertext, updated_at) VALUES (1,?,?,?)', ['k1', 'c2VhbGVk', now]);
    await ds.query(
      'INSERT INTO orders (id, shop_id, platform, platform_order_id, status, platform_status, total_fen, post_fee_fen, line_items, seller_flag, version, created_at, updated_at) VALUES (1,1,?,?,?,?,0,0,?,?,1,?,?)',
      ['taobao', '3920487712345678901', 'shipped', 'WAIT_BUYER_CONFIRM_GOODS', '[]', 'none', now, now],
    );
    await ds.query('INSERT INTO shipments (id, order_id, shop_id, carrier_code, tracking_no, is_reship, state, created_at, updated_at) VALUES (1,1,1,?,?,0,?,?,?)', ['zhongtong', '7800', 'in_transit', now, now]);
    await ds.query('INSERT INTO tracking_events (shipment_id, event_time, state, description, source, fingerprint, created_at) VALUES (1,?,?,?,?,?,?)', [now, '1', '揽收', 'kd100', 'f1', now]);
    await ds.query('INSERT INTO sync_states (shop_id, resource, failure_count, updated_at) VALUES (1,?,0,?)', ['orders', now]);
    await ds.query('INSERT INTO tasks (shop_id, order_id, type, role, reason, priority, status, due_at, history, created_at, updated_at) VALUES (1,1,?,?,?,0,?,?,?,?,?)', [
      'chase_logistics',
      'in_sale',
      '物流超时',
      'open',
      now,
      '[]',
      now,
      now,
    ]);
    const before = await counts();
    expect(Object.values(before).every((n) => n === 1)).toBe(true);

    await step('up', MIGRATIONS.slice(FIRST_SCHEMA));
    expect(await counts()).toEqual(before);
    await step('down', MIGRATIONS.slice(FIRST_SCHEMA).reverse());
    expect(await counts()).toEqual(before);
  });
});
