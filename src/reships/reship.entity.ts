import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';

/**
 * proposed: a rule suggested it and an agent has not confirmed it yet; confirmed: waiting for the ERP
 * filing; filed: the ERP has the replacement order, its tracking number is awaited; shipped: the
 * tracking number is known and the remark and buyer message are on their way; failed: the ERP refused.
 */
export type ReshipStatus = 'proposed' | 'confirmed' | 'filed' | 'shipped' | 'failed';

export interface ReshipLineItem {
  skuId: string;
  qty: number;
  name?: string;
}

/** A replacement shipment (补发, rules.md §5): at most one per order and reason. */
@Entity('reships')
@Unique('uq_reships_order_reason', ['orderId', 'reason'])
@Index('ix_reships_track_due', ['trackDueAt'])
@Index('ix_reships_shop_created', ['shopId', 'createdAt'])
export class ReshipEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'varchar', length: 32 })
  reason: string;
  /** courier | warehouse | merchant | buyer — who pays for it in the monthly claims (追责). */
  @Column({ type: 'varchar', length: 16 })
  responsibleParty: string;
  @JsonColumn()
  lines: ReshipLineItem[];
  @Column({ type: 'varchar', length: 16 })
  status: ReshipStatus;
  /** agent | rule */
  @Column({ type: 'varchar', length: 8 })
  source: string;
  @Column({ type: 'varchar', length: 64 })
  requestedBy: string;
  @Column({ type: 'varchar', length: 64, nullable: true })
  confirmedBy: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true })
  note: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true })
  erpAfterSaleId: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true })
  carrierCode: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true })
  carrierName: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true })
  trackingNo: string | null;
  @Column({ type: 'varchar', length: 512, nullable: true })
  lastError: string | null;
  /** When to ask the ERP for the replacement's tracking number next; null once known. */
  @DateColumn({ nullable: true })
  trackDueAt: Date | null;
  @DateColumn({ nullable: true })
  confirmedAt: Date | null;
  @DateColumn({ nullable: true })
  filedAt: Date | null;
  @DateColumn({ nullable: true })
  shippedAt: Date | null;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
