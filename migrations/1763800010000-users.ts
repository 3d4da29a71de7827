import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, date, id, longText, nullable, str } from './support/columns.js';

/** People who use the API, their roles, duty and shop scope, and the hash of their API token. */
export class Users1763800010000 implements MigrationInterface {
  name = 'Users1763800010000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          str('name', 64),
          str('agent_id', 32, { isNullable: true, isUnique: true }),
          longText(qr, 'roles'),
          longText(qr, 'on_duty'),
          longText(qr, 'shop_ids', nullable),
          str('token_hash', 64, { isUnique: true }),
          bool('disabled'),
          date('created_at'),
          date('updated_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('users');
  }
}
