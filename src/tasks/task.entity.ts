import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../auth/roles.decorator.js';
import { DateColumn, JsonColumn } from '../database/columns.js';

/** open → claimed → done; open or claimed → escalated (to a lead) → claimed; anything unfinished → cancelled. */
export type TaskStatus = 'open' | 'claimed' | 'done' | 'escalated' | 'cancelled';
/** The role whose people work the task. */
export type TaskRole = Role;

export interface TaskHistoryEntry {
  at: string;
  /** Who: an agent id, a user's name, or `system`. */
  by: string;
  /** The user who acted, when a person did. */
  userId?: number;
  event: string;
  note?: string;
  /** A compensation step: the amount asked for, and whether it was granted or went to a lead. */
  compensation?: { amountFen: number; granted: boolean };
}

@Entity('tasks')
@Index('ix_tasks_status_due', ['status', 'dueAt'])
@Index('ix_tasks_assignee_status', ['assignee', 'status'])
@Index('ix_tasks_order', ['orderId'])
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
  /** The assigned user's id (users.id, as text); null while the task waits in its role's pool. */
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
  /** Bumped by every change: changes are compare-and-set on it, so concurrent steps never both apply. */
  @Column({ type: 'integer', default: 0 })
  version: number;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
