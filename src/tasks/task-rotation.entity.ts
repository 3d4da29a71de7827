import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { Role } from '../auth/roles.decorator.js';
import { DateColumn } from '../database/columns.js';

/** Whose turn it is for a shop and role: kept in the database so every process shares one rotation. */
@Entity('task_rotations')
@Unique('uq_task_rotations_shop_role', ['shopId', 'role'])
export class TaskRotationEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'varchar', length: 16 })
  role: Role;
  /** The user who got the last task; the next goes to the on-duty user after them (by id). */
  @Column({ type: 'integer', nullable: true })
  lastUserId: number | null;
  /** Assignments made; the row is locked by bumping it, which orders concurrent assignments. */
  @Column({ type: 'integer' })
  turns: number;
  @DateColumn()
  updatedAt: Date;
}
