import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, nullable, str } from './support/columns.js';

/**
 * Reroutes the warehouse must act on, asked for by remarks (a new address, another courier). The
 * address itself is not copied here: it stays in the memo line the platform gave, found by its hash.
 */
export class Reroutes1763800014000 implements MigrationInterface {
  name = 'Reroutes1763800014000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'reroutes',
        columns: [
          id(),
          int('shop_id'),
          int('order_id'),
          str('kind', 16),
          str('line_hash', 64),
          str('courier', 32, nullable),
          str('status', 16),
          str('dedupe_key', 191),
          str('requested_by', 64),
          date('created_at'),
          date('acked_at', nullable),
          str('acked_by', 64, nullable),
        ],
        uniques: [new TableUnique({ name: 'uq_reroutes_dedupe', columnNames: ['dedupe_key'] })],
        indices: [new TableIndex({ name: 'ix_reroutes_shop_status', columnNames: ['shop_id', 'status', 'id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('reroutes');
  }
}
