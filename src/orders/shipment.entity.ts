import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

@Entity('shipments')
@Unique('uq_shipments_order_waybill', ['orderId', 'carrierCode', 'trackingNo'])
@Index('ix_shipments_watch_due', ['watchDueAt'])
@Index('ix_shipments_tracking_no', ['trackingNo'])
@Index('ix_shipments_track_due', ['trackDueAt'])
@Index('ix_shipments_shop_track_due', ['shopId', 'trackDueAt'])
export class ShipmentEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'varchar', length: 32 })
  carrierCode: string;
  @Column({ type: 'varchar', length: 32, nullable: true })
  carrierName: string | null;
  @Column({ type: 'varchar', length: 64 })
  trackingNo: string;
  @Column({ type: 'boolean' })
  isReship: boolean;
  @DateColumn({ nullable: true })
  consignedAt: Date | null;
  @DateColumn({ nullable: true })
  collectedAt: Date | null;
  @DateColumn({ nullable: true })
  lastEventAt: Date | null;
  @Column({ type: 'varchar', length: 255, nullable: true })
  lastEventDesc: string | null;
  /** none | collected | in_transit | delivering | signed | problem | returned */
  @Column({ type: 'varchar', length: 16 })
  state: string;
  @Column({ type: 'integer', nullable: true })
  zone: number | null;
  /** When the stall watch must next look at this parcel; the scan reads only due rows by this index. */
  @DateColumn({ nullable: true })
  watchDueAt: Date | null;
  @Column({ type: 'varchar', length: 24, nullable: true })
  stallFlag: string | null;
  @DateColumn({ nullable: true })
  stalledAt: Date | null;
  /** The last event (or the consignment) the current stall was detected on; a later one ends the stall. */
  @DateColumn({ nullable: true })
  stallRefAt: Date | null;
  /** Where events come from: the marketplace trace API or the carrier-tracking service. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  trackingSource: string | null;
  /** Set once the waybill is subscribed with the tracking service (it caps subscriptions per waybill). */
  @DateColumn({ nullable: true })
  trackingSubscribedAt: Date | null;
  /** When tracking should next be read for this parcel; null once it is final. */
  @DateColumn({ nullable: true })
  trackDueAt: Date | null;
  /** Subscriptions made for this waybill with the tracking service, which caps them per waybill. */
  @Column({ type: 'integer', default: 0 })
  trackingSubscriptions: number;
  /** Last query of the tracking service for this waybill: queries are spaced to stay under its cap. */
  @DateColumn({ nullable: true })
  trackQueriedAt: Date | null;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
