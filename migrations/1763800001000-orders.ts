import { Table, TableForeignKey, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bool, date, id, int, longText, nullable, str } from './support/columns.js';

/** Canonical orders, shipments and their tracking events. */
export class Orders1763800001000 implements MigrationInterface {
  name = 'Orders1763800001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'orders',
        columns: [
          id(),
          int('shop_id'),
          str('platform', 16),
          str('platform_order_id', 64),
          str('status', 16),
          str('platform_status', 48),
          str('buyer_ref', 128, nullable),
          longText(qr, 'receiver', nullable),
          str('province', 32, nullable),
          int('total_fen'),
          int('post_fee_fen'),
          longText(qr, 'line_items'),
          longText(qr, 'seller_memo', nullable),
          str('seller_flag', 12),
          str('erp_order_id', 64, nullable),
          str('erp_status', 24, nullable),
          date('placed_at', nullable),
          date('paid_at', nullable),
          date('closed_at', nullable),
          date('platform_modified_at', nullable),
          int('version'),
          date('created_at'),
          date('updated_at'),
        ],
        uniques: [
          new TableUnique({ name: 'uq_orders_platform_shop_order', columnNames: ['platform', 'shop_id', 'platform_order_id'] }),
        ],
        indices: [
          new TableIndex({ name: 'ix_orders_shop_status', columnNames: ['shop_id', 'status'] }),
          new TableIndex({ name: 'ix_orders_status_placed', columnNames: ['status', 'placed_at'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['shop_id'], referencedTableName: 'shops', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'shipments',
        columns: [
          id(),
          int('order_id'),
          int('shop_id'),
          str('carrier_code', 32),
          str('carrier_name', 32, nullable),
          str('tracking_no', 64),
          bool('is_reship'),
          date('consigned_at', nullable),
          date('collected_at', nullable),
          date('last_event_at', nullable),
          str('last_event_desc', 255, nullable),
          str('state', 16),
          int('zone', nullable),
          date('watch_due_at', nullable),
          str('stall_flag', 24, nullable),
          date('stalled_at', nullable),
          date('created_at'),
          date('updated_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_shipments_order_waybill', columnNames: ['order_id', 'carrier_code', 'tracking_no'] })],
        indices: [
          new TableIndex({ name: 'ix_shipments_watch_due', columnNames: ['watch_due_at'] }),
          new TableIndex({ name: 'ix_shipments_tracking_no', columnNames: ['tracking_no'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tracking_events',
        columns: [
          id(),
          int('shipment_id'),
          date('event_time'),
          str('state', 8),
          str('action', 32, nullable),
          str('description', 512),
          str('source', 16),
          str('fingerprint', 64),
          date('created_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_tracking_events_fingerprint', columnNames: ['shipment_id', 'fingerprint'] })],
        foreignKeys: [
          new TableForeignKey({ columnNames: ['shipment_id'], referencedTableName: 'shipments', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('tracking_events');
    await qr.dropTable('shipments');
    await qr.dropTable('orders');
  }
}
