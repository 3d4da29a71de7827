import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, date, dropColumnsInPlace, id, int, longText, nullable, str, type InPlaceColumn } from './support/columns.js';

/** The tracking event a stall was detected on: a later event ends that stall (rules.md §4). */
const SHIPMENTS: InPlaceColumn[] = [['stall_ref_at', 'datetime(3) NULL']];

/**
 * Unpaid-order reminders (one row per reminder, for per-buyer caps and conversion) and replacement
 * shipments (at most one per order and reason, with the party responsible for the monthly claims).
 */
export class Aftersale1763800013000 implements MigrationInterface {
  name = 'Aftersale1763800013000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'reminders',
        columns: [
          id(),
          int('shop_id'),
          int('order_id'),
          int('seq'),
          str('buyer_ref', 191, nullable),
          int('action_id', nullable),
          str('channel', 16),
          str('status', 16),
          date('sent_at'),
          date('paid_at', nullable),
          int('minutes_to_payment', nullable),
          date('created_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_reminders_order_seq', columnNames: ['order_id', 'seq'] })],
        indices: [
          new TableIndex({ name: 'ix_reminders_buyer_sent', columnNames: ['shop_id', 'buyer_ref', 'sent_at'] }),
          new TableIndex({ name: 'ix_reminders_shop_sent', columnNames: ['shop_id', 'sent_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'reships',
        columns: [
          id(),
          int('shop_id'),
          int('order_id'),
          str('reason', 32),
          str('responsible_party', 16),
          longText(qr, 'lines'),
          str('status', 16),
          str('source', 8),
          str('requested_by', 64),
          str('confirmed_by', 64, nullable),
          str('note', 255, nullable),
          str('erp_after_sale_id', 64, nullable),
          str('carrier_code', 32, nullable),
          str('carrier_name', 32, nullable),
          str('tracking_no', 64, nullable),
          str('last_error', 512, nullable),
          date('track_due_at', nullable),
          date('confirmed_at', nullable),
          date('filed_at', nullable),
          date('shipped_at', nullable),
          date('created_at'),
          date('updated_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_reships_order_reason', columnNames: ['order_id', 'reason'] })],
        indices: [
          new TableIndex({ name: 'ix_reships_track_due', columnNames: ['track_due_at'] }),
          new TableIndex({ name: 'ix_reships_shop_created', columnNames: ['shop_id', 'created_at'] }),
        ],
      }),
    );
    await addColumnsInPlace(qr, 'shipments', SHIPMENTS);
  }

  async down(qr: QueryRunner): Promise<void> {
    await dropColumnsInPlace(qr, 'shipments', SHIPMENTS);
    await qr.dropTable('reships');
    await qr.dropTable('reminders');
  }
}
