import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/** A standard remark line kefu-bridge wrote (or will write) to a marketplace memo or an ERP remark. */
@Entity('remarks')
@Index('ix_remarks_order', ['orderId'])
export class RemarkEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'integer' })
  shopId: number;
  /** marketplace | erp */
  @Column({ type: 'varchar', length: 16 })
  target: string;
  @Column({ type: 'varchar', length: 24 })
  kind: string;
  @Column({ type: 'varchar', length: 512 })
  line: string;
  @Column({ type: 'varchar', length: 191, unique: true })
  idempotencyKey: string;
  @Column({ type: 'integer', nullable: true })
  actionId: number | null;
  /** pending | written | failed | superseded */
  @Column({ type: 'varchar', length: 16 })
  status: string;
  @DateColumn({ nullable: true })
  writtenAt: Date | null;
  @DateColumn()
  createdAt: Date;
}
