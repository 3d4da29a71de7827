import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, date, int, longText, nullable, str } from './support/columns.js';

/**
 * Ingestion needs: the ERP audit stage and its own modified time on orders (the ERP copy is
 * monotonic on its own clock), tracking bookkeeping on shipments, API-call counters on sync states,
 * and tracking event states wide enough for the canonical names.
 */
export class OrdersIngest1763800006000 implements MigrationInterface {
  name = 'OrdersIngest1763800006000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('orders', [
      new TableColumn(str('erp_stage', 16, nullable)),
      new TableColumn(date('erp_modified_at', nullable)),
      new TableColumn(int('payment_fen', nullable)),
      new TableColumn(longText(qr, 'buyer_message', nullable)),
      new TableColumn(bool('refunding', { default: false })),
    ]);
    await qr.addColumns('shipments', [
      new TableColumn(str('tracking_source', 16, nullable)),
      new TableColumn(date('tracking_subscribed_at', nullable)),
      new TableColumn(date('track_due_at', nullable)),
    ]);
    await qr.createIndex('shipments', new TableIndex({ name: 'ix_shipments_track_due', columnNames: ['track_due_at'] }));
    await qr.addColumns('sync_states', [
      new TableColumn(int('list_calls', { default: 0 })),
      new TableColumn(int('detail_calls', { default: 0 })),
    ]);
    await qr.changeColumn('tracking_events', 'state', new TableColumn(str('state', 16)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.changeColumn('tracking_events', 'state', new TableColumn(str('state', 8)));
    await qr.dropColumns('sync_states', ['list_calls', 'detail_calls']);
    await qr.dropIndex('shipments', 'ix_shipments_track_due');
    await qr.dropColumns('shipments', ['tracking_source', 'tracking_subscribed_at', 'track_due_at']);
    await qr.dropColumns('orders', ['erp_stage', 'erp_modified_at', 'payment_fen', 'buyer_message', 'refunding']);
  }
}
