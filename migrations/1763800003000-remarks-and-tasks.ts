import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { date, id, int, longText, nullable, str } from './support/columns.js';

/** Remarks written and tasks for people. */
export class RemarksAndTasks1763800003000 implements MigrationInterface {
  name = 'RemarksAndTasks1763800003000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'remarks',
        columns: [
          id(),
          int('order_id'),
          int('shop_id'),
          str('target', 16),
          str('kind', 24),
          str('line', 512),
          str('idempotency_key', 191, { isUnique: true }),
          int('action_id', nullable),
          str('status', 16),
          date('written_at', nullable),
          date('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_remarks_order', columnNames: ['order_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tasks',
        columns: [
          id(),
          int('shop_id'),
          int('order_id', nullable),
          str('type', 32),
          str('role', 16),
          str('reason', 512),
          int('priority'),
          str('assignee', 64, nullable),
          str('status', 16),
          date('due_at'),
          str('outcome', 255, nullable),
          str('dedupe_key', 191, { isNullable: true, isUnique: true }),
          longText(qr, 'history'),
          date('created_at'),
          date('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_tasks_status_due', columnNames: ['status', 'due_at'] }),
          new TableIndex({ name: 'ix_tasks_assignee_status', columnNames: ['assignee', 'status'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('tasks');
    await qr.dropTable('remarks');
  }
}
