import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../../database/columns.js';

/**
 * How many pushes each platform and source delivered, by outcome. Kept in the database so every
 * process adds to the same numbers and they survive restarts.
 */
@Entity('inbound_counters')
@Unique('uq_inbound_counters_key', ['platform', 'source', 'outcome'])
export class InboundCounterEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 16 })
  platform: string;
  @Column({ type: 'varchar', length: 24 })
  source: string;
  /** received | duplicate | bad_signature | bad_body | unknown_shop | inactive_shop | unknown_waybill */
  @Column({ type: 'varchar', length: 32 })
  outcome: string;
  @Column({ type: 'integer' })
  count: number;
  @DateColumn()
  updatedAt: Date;
}
