import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';

export type TaskStatus = 'open' | 'claimed' | 'done' | 'escalated' | 'cancelled';
export type TaskRole = 'pre_sale' | 'in_sale' | 'after_sale' | 'auditor' | 'warehouse' | 'operator' | 'lead';

export interface TaskHistoryEntry {
  at: string;
  by: string;
  event: string;
  note?: string;
}

@Entity('tasks')
@Index('ix_tasks_status_due', ['status', 'dueAt'])
@Index('ix_tasks_assignee_status', ['assignee', 'status'])
export class TaskEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'integer', nullable: true })
  orderId: number | null;
  @Column({ type: 'varchar', length: 32 })
  type: string;
  @Column({ type: 'varchar', length: 16 })
  role: TaskRole;
  @Column({ type: 'varchar', length: 512 })
  reason: string;
  @Column({ type: 'integer' })
  priority: number;
  @Column({ type: 'varchar', length: 64, nullable: true })
  assignee: string | null;
  @Column({ type: 'varchar', length: 16 })
  status: TaskStatus;
  @DateColumn()
  dueAt: Date;
  @Column({ type: 'varchar', length: 255, nullable: true })
  outcome: string | null;
  /** One open task per cause: a rule that fires again finds its task instead of making another. */
  @Column({ type: 'varchar', length: 191, nullable: true, unique: true })
  dedupeKey: string | null;
  @JsonColumn()
  history: TaskHistoryEntry[];
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
