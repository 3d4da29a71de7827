import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, dropColumnsInPlace, type InPlaceColumn } from './support/columns.js';

const ORDERS: InPlaceColumn[] = [['erp_question', 'varchar(32) NULL']];
const TASKS_BY_ORDER = 'ix_tasks_order';

/**
 * The ERP's question type (缺货 and the like) on the order's ERP copy, for the out-of-stock task; and
 * an index on tasks by order, so the rules can see an order's open tasks and close them once the
 * order resolves by itself. Added in place, so SQLite keeps the orders' child rows.
 */
export class OutOfStockAndFollowUp1763800016000 implements MigrationInterface {
  name = 'OutOfStockAndFollowUp1763800016000';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'orders', ORDERS);
    await qr.createIndex('tasks', new TableIndex({ name: TASKS_BY_ORDER, columnNames: ['order_id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('tasks', TASKS_BY_ORDER);
    await dropColumnsInPlace(qr, 'orders', ORDERS);
  }
}
