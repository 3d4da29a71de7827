import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/** Every pushed event, stored raw once (unique per platform event id) before anything acts on it. */
@Entity('inbound_events')
@Unique('uq_inbound_events_platform_event', ['platform', 'eventId'])
@Index('ix_inbound_events_status', ['status', 'receivedAt'])
export class InboundEventEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 16 })
  platform: string;
  /** tmc | pdd_ws | ks_push | kd100 | poll */
  @Column({ type: 'varchar', length: 24 })
  source: string;
  @Column({ type: 'varchar', length: 128 })
  eventId: string;
  @Column({ type: 'integer', nullable: true })
  shopId: number | null;
  @Column({ type: 'varchar', length: 64 })
  topic: string;
  @Column({ type: 'text' })
  payload: string;
  /** received | processed | rejected | failed */
  @Column({ type: 'varchar', length: 16 })
  status: string;
  @Column({ type: 'varchar', length: 512, nullable: true })
  error: string | null;
  @DateColumn()
  receivedAt: Date;
  @DateColumn({ nullable: true })
  processedAt: Date | null;
}
