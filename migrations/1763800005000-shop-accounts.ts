import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS: [name: string, type: string][] = [
  ['erp_account_id', 'integer'],
  ['oauth_nonce', 'varchar(64)'],
  ['auth_error', 'varchar(512)'],
];

/**
 * Shops: the Jushuitan account row a marketplace shop lands in, the pending OAuth nonce (single use),
 * and the last auth problem. The account link is checked in code: deleting an account row refuses while
 * shops still land in it, which a database constraint could not say in a readable way.
 *
 * Plain ALTER TABLE (same text on MySQL and SQLite ≥ 3.35) instead of the Table API: on SQLite the Table
 * API rebuilds `shops`, and dropping the old table cascades into shop_credentials, losing every
 * sealed credential.
 */
export class ShopAccounts1763800005000 implements MigrationInterface {
  name = 'ShopAccounts1763800005000';

  async up(qr: QueryRunner): Promise<void> {
    for (const [name, type] of COLUMNS) await qr.query(`ALTER TABLE shops ADD COLUMN ${name} ${type} NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const [name] of [...COLUMNS].reverse()) await qr.query(`ALTER TABLE shops DROP COLUMN ${name}`);
  }
}
