import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addColumnsInPlace, dropColumnsInPlace, type InPlaceColumn } from './support/columns.js';

const COLUMNS: InPlaceColumn[] = [
  ['erp_account_id', 'integer NULL'],
  ['oauth_nonce', 'varchar(64) NULL'],
  ['auth_error', 'varchar(512) NULL'],
];

/**
 * Shops: the Jushuitan account row a marketplace shop lands in, the pending OAuth nonce (single use),
 * and the last auth problem. The account link is checked in code: deleting an account row refuses while
 * shops still land in it, which a database constraint could not say in a readable way.
 * In place, so shop_credentials rows survive on SQLite.
 */
export class ShopAccounts1763800005000 implements MigrationInterface {
  name = 'ShopAccounts1763800005000';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'shops', COLUMNS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await dropColumnsInPlace(qr, 'shops', COLUMNS);
  }
}
