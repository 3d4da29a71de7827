import { Table, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, date, dropColumnsInPlace, id, int, nullable, str, type InPlaceColumn } from './support/columns.js';

/** Each task change is a compare-and-set on `version`; whose turn is next per shop and role is a row. */
const TASK_COLUMNS: InPlaceColumn[] = [['version', 'integer NOT NULL DEFAULT 0']];

export class TaskWorkflow1763800010100 implements MigrationInterface {
  name = 'TaskWorkflow1763800010100';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'tasks', TASK_COLUMNS);
    await qr.createTable(
      new Table({
        name: 'task_rotations',
        columns: [id(), int('shop_id'), str('role', 16), int('last_user_id', nullable), int('turns'), date('updated_at')],
        uniques: [new TableUnique({ name: 'uq_task_rotations_shop_role', columnNames: ['shop_id', 'role'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('task_rotations');
    await dropColumnsInPlace(qr, 'tasks', TASK_COLUMNS);
  }
}
