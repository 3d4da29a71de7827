import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';
import type { PlatformName } from '../shops/shop.entity.js';

/** closed = before payment (timeout, cancel); refunded = closed after payment; unknown = a status we cannot map. */
export type OrderStatus = 'unpaid' | 'paid' | 'shipped' | 'delivered' | 'finished' | 'closed' | 'refunded' | 'unknown';

/** One marketplace order in the canonical model. Ids stay strings: platforms' exceed 2^53. */
@Entity('orders')
@Unique('uq_orders_platform_shop_order', ['platform', 'shopId', 'platformOrderId'])
@Index('ix_orders_shop_status', ['shopId', 'status'])
@Index('ix_orders_status_placed', ['status', 'placedAt'])
@Index('ix_orders_rules_due', ['rulesDueAt'])
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'varchar', length: 16 })
  platform: PlatformName;
  @Column({ type: 'varchar', length: 64 })
  platformOrderId: string;
  @Column({ type: 'varchar', length: 16 })
  status: OrderStatus;
  @Column({ type: 'varchar', length: 48 })
  platformStatus: string;
  /** Buyer reference as the platform gives it (open uid / OAID), for per-buyer caps. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  buyerRef: string | null;
  /** Receiver exactly as the platform gives it: masked, ciphertext or OAID; never decrypted. */
  @JsonColumn({ nullable: true })
  receiver: Record<string, unknown> | null;
  @Column({ type: 'varchar', length: 32, nullable: true })
  province: string | null;
  @Column({ type: 'integer' })
  totalFen: number;
  @Column({ type: 'integer' })
  postFeeFen: number;
  @JsonColumn()
  lineItems: unknown[];
  @Column({ type: 'text', nullable: true })
  sellerMemo: string | null;
  @Column({ type: 'varchar', length: 12 })
  sellerFlag: string;
  @Column({ type: 'varchar', length: 64, nullable: true })
  erpOrderId: string | null;
  @Column({ type: 'varchar', length: 24, nullable: true })
  erpStatus: string | null;
  /** ErpStage: WAIT_AUDIT still takes remarks directly; AUDITED and later do not. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  erpStage: string | null;
  /** The ERP's own modified time: the ERP copy is monotonic on its own clock. */
  @DateColumn({ nullable: true })
  erpModifiedAt: Date | null;
  /** The ERP's question type (缺货, …) while the ERP holds the order as a question; null otherwise. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  erpQuestion: string | null;
  @Column({ type: 'integer', nullable: true })
  paymentFen: number | null;
  @Column({ type: 'text', nullable: true })
  buyerMessage: string | null;
  @Column({ type: 'boolean', default: false })
  refunding: boolean;
  @DateColumn({ nullable: true })
  placedAt: Date | null;
  @DateColumn({ nullable: true })
  paidAt: Date | null;
  @DateColumn({ nullable: true })
  closedAt: Date | null;
  /** The platform's own modified time: upserts never move it backwards. */
  @DateColumn({ nullable: true })
  platformModifiedAt: Date | null;
  @Column({ type: 'integer' })
  version: number;
  /** When the rules must next look at this order (a change, or a rule's next check); null when none will. */
  @DateColumn({ nullable: true })
  rulesDueAt: Date | null;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
