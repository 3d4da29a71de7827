import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, dropColumnsInPlace, longTextType, type InPlaceColumn } from './support/columns.js';

const ORDERS = (qr: QueryRunner): InPlaceColumn[] => [
  ['erp_stage', 'varchar(16) NULL'],
  ['erp_modified_at', 'datetime(3) NULL'],
  ['payment_fen', 'integer NULL'],
  ['buyer_message', `${longTextType(qr)} NULL`],
  ['refunding', 'boolean NOT NULL DEFAULT 0'],
];
const SHIPMENTS: InPlaceColumn[] = [
  ['tracking_source', 'varchar(16) NULL'],
  ['tracking_subscribed_at', 'datetime(3) NULL'],
  ['track_due_at', 'datetime(3) NULL'],
];
const SYNC_STATES: InPlaceColumn[] = [
  ['list_calls', 'integer NOT NULL DEFAULT 0'],
  ['detail_calls', 'integer NOT NULL DEFAULT 0'],
];

/**
 * Ingestion needs: the ERP audit stage and its own modified time on orders (the ERP copy is
 * monotonic on its own clock), tracking bookkeeping on shipments, API-call counters on sync states,
 * and tracking event states wide enough for the canonical names. Columns are added in place so
 * existing orders, shipments and tracking events survive on SQLite (see addColumnsInPlace).
 */
export class OrdersIngest1763800006000 implements MigrationInterface {
  name = 'OrdersIngest1763800006000';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'orders', ORDERS(qr));
    await addColumnsInPlace(qr, 'shipments', SHIPMENTS);
    await qr.createIndex('shipments', new TableIndex({ name: 'ix_shipments_track_due', columnNames: ['track_due_at'] }));
    await addColumnsInPlace(qr, 'sync_states', SYNC_STATES);
    await widenTrackingState(qr, 16);
  }

  async down(qr: QueryRunner): Promise<void> {
    await widenTrackingState(qr, 8);
    await dropColumnsInPlace(qr, 'sync_states', SYNC_STATES);
    await qr.dropIndex('shipments', 'ix_shipments_track_due');
    await dropColumnsInPlace(qr, 'shipments', SHIPMENTS);
    await dropColumnsInPlace(qr, 'orders', ORDERS(qr));
  }
}

/** SQLite does not enforce varchar lengths, so only MySQL needs the column changed. */
async function widenTrackingState(qr: QueryRunner, length: number): Promise<void> {
  if (qr.connection.options.type === 'mysql') await qr.query(`ALTER TABLE tracking_events MODIFY state varchar(${length}) NOT NULL`);
}
