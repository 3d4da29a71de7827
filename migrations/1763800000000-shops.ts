import { Table, TableForeignKey, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, longText, nullable, str } from './support/columns.js';

/** Shops and their sealed credentials. */
export class Shops1763800000000 implements MigrationInterface {
  name = 'Shops1763800000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'shops',
        columns: [
          id(),
          str('platform', 16),
          str('platform_shop_id', 64),
          str('name', 128),
          str('status', 24),
          str('erp_shop_id', 64, nullable),
          str('warehouse', 64),
          longText(qr, 'settings', nullable),
          date('created_at'),
          date('updated_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_shops_platform_shop', columnNames: ['platform', 'platform_shop_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'shop_credentials',
        columns: [
          id(),
          int('shop_id', { isUnique: true }),
          str('key_id', 32),
          longText(qr, 'ciphertext'),
          date('access_expires_at', nullable),
          date('refresh_expires_at', nullable),
          date('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['shop_id'], referencedTableName: 'shops', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('shop_credentials');
    await qr.dropTable('shops');
  }
}
