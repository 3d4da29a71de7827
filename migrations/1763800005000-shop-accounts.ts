import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Shops: the Jushuitan account row a marketplace shop lands in, the pending OAuth nonce (single use),
 * and the last auth problem. The account link is checked in code: deleting an account row refuses while
 * shops still land in it, which a database constraint could not say in a readable way.
 */
export class ShopAccounts1763800005000 implements MigrationInterface {
  name = 'ShopAccounts1763800005000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('shops', [
      new TableColumn({ name: 'erp_account_id', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'oauth_nonce', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'auth_error', type: 'varchar', length: '512', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumns('shops', ['erp_account_id', 'oauth_nonce', 'auth_error']);
  }
}
