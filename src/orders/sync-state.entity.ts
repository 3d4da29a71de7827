import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/** Where each shop's polling of each resource stands; advanced in the same transaction as the rows it covers. */
@Entity('sync_states')
@Unique('uq_sync_states_shop_resource', ['shopId', 'resource'])
export class SyncStateEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'varchar', length: 32 })
  resource: string;
  @Column({ type: 'text', nullable: true })
  cursor: string | null;
  @DateColumn({ nullable: true })
  windowStart: Date | null;
  @DateColumn({ nullable: true })
  windowEnd: Date | null;
  @DateColumn({ nullable: true })
  lastSuccessAt: Date | null;
  @Column({ type: 'integer' })
  failureCount: number;
  @Column({ type: 'varchar', length: 512, nullable: true })
  lastError: string | null;
  /** Platform calls spent, for reporting API economy: list pages and per-order detail reads. */
  @Column({ type: 'integer', default: 0 })
  listCalls: number;
  @Column({ type: 'integer', default: 0 })
  detailCalls: number;
  @DateColumn()
  updatedAt: Date;
}
