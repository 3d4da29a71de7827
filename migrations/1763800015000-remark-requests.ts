import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, longText, nullable, str } from './support/columns.js';

/**
 * Remarks agents ask for through the API. A new address the buyer gave in chat is plain text: it is
 * kept sealed (AES-256-GCM under the master key, bound to its order), never in the clear.
 */
export class RemarkRequests1763800015000 implements MigrationInterface {
  name = 'RemarkRequests1763800015000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'remark_requests',
        columns: [
          id(),
          int('shop_id'),
          int('order_id'),
          str('kind', 24),
          str('agent_id', 64),
          str('date', 10),
          str('targets', 32),
          str('flag', 16, nullable),
          longText(qr, 'fields', nullable),
          str('sealed_key_id', 32, nullable),
          longText(qr, 'sealed', nullable),
          int('created_by'),
          date('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_remark_requests_order', columnNames: ['order_id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('remark_requests');
  }
}
