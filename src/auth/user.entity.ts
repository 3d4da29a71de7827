import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';
import type { Role } from './roles.decorator.js';

/** A person who uses the API: an operator, an agent, an auditor, warehouse staff or a lead. */
@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 64 })
  name: string;
  /** The id this person signs remark lines with (`kf01`); unique when present. */
  @Column({ type: 'varchar', length: 32, nullable: true, unique: true })
  agentId: string | null;
  @JsonColumn()
  roles: Role[];
  /** The roles this person is on duty for now: tasks of those roles are assigned to them in turn. */
  @JsonColumn()
  onDuty: Role[];
  /** The shops this person works on; null means every shop. */
  @JsonColumn({ nullable: true })
  shopIds: number[] | null;
  /** SHA-256 (hex) of the API token; the token itself is shown once and never stored. */
  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash: string;
  @Column({ type: 'boolean' })
  disabled: boolean;
  @DateColumn()
  createdAt: Date;
  @DateColumn()
  updatedAt: Date;
}
