import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, dropColumnsInPlace, type InPlaceColumn } from './support/columns.js';
import { bool, date, id, int, longText, nullable, str } from './support/columns.js';

const ORDERS: InPlaceColumn[] = [['rules_due_at', 'datetime(3) NULL']];

/**
 * The rules engine's bookkeeping: when each order's rules must next be evaluated (the scan reads
 * only due orders by ix_orders_rules_due), and the decision trace, one row per order and rule (the
 * latest evaluation and the latest time the rule fired), so the trace stays bounded.
 */
export class RuleEvaluations1763800011000 implements MigrationInterface {
  name = 'RuleEvaluations1763800011000';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'orders', ORDERS);
    await qr.createIndex('orders', new TableIndex({ name: 'ix_orders_rules_due', columnNames: ['rules_due_at'] }));
    await qr.createTable(
      new Table({
        name: 'rule_evaluations',
        columns: [
          id(),
          int('order_id'),
          int('shop_id'),
          str('rule', 48),
          int('order_version'),
          bool('fired'),
          str('reason', 512),
          longText(qr, 'decisions'),
          bool('dry_run'),
          str('error', 512, nullable),
          date('next_check_at', nullable),
          date('evaluated_at'),
          date('last_fired_at', nullable),
          str('last_fired_reason', 512, nullable),
          longText(qr, 'last_fired_decisions', nullable),
          bool('last_fired_dry_run', nullable),
        ],
        uniques: [new TableUnique({ name: 'uq_rule_evaluations_order_rule', columnNames: ['order_id', 'rule'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('rule_evaluations');
    await qr.dropIndex('orders', 'ix_orders_rules_due');
    await dropColumnsInPlace(qr, 'orders', ORDERS);
  }
}
