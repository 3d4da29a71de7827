import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, longText, nullable, str } from './support/columns.js';

/** The actions outbox and the scheduler's per-period claims. */
export class ActionsAndTicks1763800004000 implements MigrationInterface {
  name = 'ActionsAndTicks1763800004000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'actions',
        columns: [
          id(),
          str('idempotency_key', 191, { isUnique: true }),
          str('type', 48),
          int('shop_id', nullable),
          int('order_id', nullable),
          longText(qr, 'payload'),
          str('status', 16),
          int('attempts'),
          str('last_error', 1024, nullable),
          longText(qr, 'result', nullable),
          date('lease_until', nullable),
          date('created_at'),
          date('updated_at'),
          date('done_at', nullable),
        ],
        indices: [new TableIndex({ name: 'ix_actions_status_updated', columnNames: ['status', 'updated_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'schedule_ticks',
        columns: [id(), str('name', 64), str('period', 32), str('claimed_by', 96), date('claimed_at'), int('runs'), date('ran_at', nullable)],
        uniques: [new TableUnique({ name: 'uq_schedule_ticks_name_period', columnNames: ['name', 'period'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('schedule_ticks');
    await qr.dropTable('actions');
  }
}
