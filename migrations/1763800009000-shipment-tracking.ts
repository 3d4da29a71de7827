import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { addColumnsInPlace, dropColumnsInPlace, type InPlaceColumn } from './support/columns.js';

const SHIPMENTS: InPlaceColumn[] = [
  ['tracking_subscriptions', 'integer NOT NULL DEFAULT 0'],
  ['track_queried_at', 'datetime(3) NULL'],
];
const SHOP_DUE = 'ix_shipments_shop_track_due';

/**
 * Tracking bookkeeping against the carrier-tracking service's caps (subscriptions made, last query of
 * the waybill), and an index for reading one shop's due parcels. Added in place, so SQLite keeps the
 * shipments' tracking events (see addColumnsInPlace).
 */
export class ShipmentTracking1763800009000 implements MigrationInterface {
  name = 'ShipmentTracking1763800009000';

  async up(qr: QueryRunner): Promise<void> {
    await addColumnsInPlace(qr, 'shipments', SHIPMENTS);
    await qr.createIndex('shipments', new TableIndex({ name: SHOP_DUE, columnNames: ['shop_id', 'track_due_at'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('shipments', SHOP_DUE);
    await dropColumnsInPlace(qr, 'shipments', SHIPMENTS);
  }
}
