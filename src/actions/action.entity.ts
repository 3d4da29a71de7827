import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';

export type ActionStatus = 'pending' | 'running' | 'done' | 'failed';

/**
 * The outbox: every side effect on a platform is stored here first, under a unique idempotency key,
 * and then executed by a job. A crash or a lost job leaves the row pending; the sweeper finds it.
 */
@Entity('actions')
@Index('ix_actions_status_updated', ['status', 'updatedAt'])
export class ActionEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 191, unique: true })
  idempotencyKey: string;
  @Column({ type: 'varchar', length: 48 })
  type: string;
  @Column({ type: 'integer', nullable: true })
  shopId: number | null;
  @Column({ type: 'integer', nullable: true })
  orderId: number | null;
  @JsonColumn()
  payload: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16 })
  status: ActionStatus;
  @Column({ type: 'integer' })
  attempts: number;
  @Column({ type: 'varchar', length: 1024, nullable: true })
  lastError: string | null;
  @JsonColumn({ nullable: true })
  result: Record<string, unknown> | null;
  /** While running, no other execution may take the action before this time. */
  @DateColumn({ nullable: true })
  leaseUntil: Date | null;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
  @DateColumn({ nullable: true })
  doneAt: Date | null;
}
