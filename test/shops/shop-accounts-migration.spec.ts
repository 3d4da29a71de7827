import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { ShopAccounts1763800005000 } from '../../migrations/1763800005000-shop-accounts.js';
import { dataSourceOptions } from '../../src/database/data-source.factory.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

describe(`shop accounts migration on existing data (${backend.label})`, () => {
  let tb: TestBackend;
  let ds: DataSource;

  beforeAll(async () => {
    tb = await freshBackend();
  });
  afterAll(async () => {
    await ds?.destroy();
    await tb.dispose();
  });

  it('adds the account columns without losing shops or their sealed credentials, and reverts', async () => {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(ShopAccounts1763800005000));
    const old = await new DataSource({ ...dataSourceOptions(tb.config.database), migrations: before }).initialize();
    await old.runMigrations({ transaction: 'each' });
    await old.query(
      "INSERT INTO shops (platform, platform_shop_id, name, status, warehouse, created_at, updated_at) VALUES ('kuaishou', 's1', 'n', 'active', 'default', '2026-11-01 00:00:00.000', '2026-11-01 00:00:00.000')",
    );
    await old.query("INSERT INTO shop_credentials (shop_id, key_id, ciphertext, updated_at) VALUES (1, 'k1', 'sealed', '2026-11-01 00:00:00.000')");
    await old.destroy();

    ds = await new DataSource({ ...dataSourceOptions(tb.config.database), migrations: [...before, ShopAccounts1763800005000] }).initialize();
    await ds.runMigrations({ transaction: 'each' });
    const [shop] = await ds.query<Record<string, unknown>[]>('SELECT * FROM shops');
    expect(shop).toMatchObject({ platform_shop_id: 's1', erp_account_id: null, oauth_nonce: null, auth_error: null });
    expect(await ds.query('SELECT key_id, ciphertext FROM shop_credentials')).toEqual([{ key_id: 'k1', ciphertext: 'sealed' }]);
    await ds.undoLastMigration({ transaction: 'each' });
    const reverted = await ds.query<Record<string, unknown>[]>('SELECT * FROM shops');
    expect(Object.keys(reverted[0])).not.toContain('erp_account_id');
    expect(await ds.query('SELECT key_id FROM shop_credentials')).toEqual([{ key_id: 'k1' }]);
  });
});
