import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/** address: ship elsewhere; courier: ship with another courier; ship_date: hold until the day asked for. */
export type RerouteKind = 'address' | 'courier' | 'ship_date';
export type RerouteStatus = 'open' | 'acked';

/** A reroute a remark asked the warehouse for; the new address stays in the memo line (`lineHash`). */
@Entity('reroutes')
@Index('ix_reroutes_shop_status', ['shopId', 'status', 'id'])
export class RerouteEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'varchar', length: 16 })
  kind: RerouteKind;
  @Column({ type: 'varchar', length: 64 })
  lineHash: string;
  @Column({ type: 'varchar', length: 32, nullable: true })
  courier: string | null;
  @Column({ type: 'varchar', length: 16 })
  status: RerouteStatus;
  @Column({ type: 'varchar', length: 191, unique: true })
  dedupeKey: string;
  /** The agent id written in the remark line. */
  @Column({ type: 'varchar', length: 64 })
  requestedBy: string;
  @DateColumn()
  createdAt: Date;
  @DateColumn({ nullable: true })
  ackedAt: Date | null;
  @Column({ type: 'varchar', length: 64, nullable: true })
  ackedBy: string | null;
}
