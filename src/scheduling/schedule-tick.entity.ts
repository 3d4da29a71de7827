import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/**
 * One row per (tick, period). Whichever process inserts it first owns that period's run; the unique
 * key makes "exactly one scheduler fires per tick" hold across processes on one database.
 */
@Entity('schedule_ticks')
@Unique('uq_schedule_ticks_name_period', ['name', 'period'])
export class ScheduleTickEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 64 })
  name: string;
  @Column({ type: 'varchar', length: 32 })
  period: string;
  @Column({ type: 'varchar', length: 96 })
  claimedBy: string;
  @DateColumn()
  claimedAt: Date;
  /** How many times the tick's job actually ran: more than 1 would be a double run. */
  @Column({ type: 'integer' })
  runs: number;
  @DateColumn({ nullable: true })
  ranAt: Date | null;
}
