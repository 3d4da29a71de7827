import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';
import type { RemarkFields } from './remark-kinds.js';

/** A remark an agent asked for. An address change's fields are sealed (`sealed`); others are plain. */
@Entity('remark_requests')
@Index('ix_remark_requests_order', ['orderId'])
export class RemarkRequestEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'varchar', length: 24 })
  kind: string;
  @Column({ type: 'varchar', length: 64 })
  agentId: string;
  /** Shanghai date written in the line. */
  @Column({ type: 'varchar', length: 10 })
  date: string;
  /** Comma-separated: marketplace, erp. */
  @Column({ type: 'varchar', length: 32 })
  targets: string;
  @Column({ type: 'varchar', length: 16, nullable: true })
  flag: string | null;
  @JsonColumn({ nullable: true })
  fields: RemarkFields | null;
  @Column({ type: 'varchar', length: 32, nullable: true })
  sealedKeyId: string | null;
  @Column({ type: 'text', nullable: true })
  sealed: string | null;
  @Column({ type: 'integer' })
  createdBy: number;
  @DateColumn()
  createdAt: Date;
}
