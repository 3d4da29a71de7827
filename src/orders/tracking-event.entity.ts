import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

@Entity('tracking_events')
@Unique('uq_tracking_events_fingerprint', ['shipmentId', 'fingerprint'])
export class TrackingEventEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shipmentId: number;
  @DateColumn()
  eventTime: Date;
  @Column({ type: 'varchar', length: 16 })
  state: string;
  @Column({ type: 'varchar', length: 32, nullable: true })
  action: string | null;
  @Column({ type: 'varchar', length: 512 })
  description: string;
  @Column({ type: 'varchar', length: 16 })
  source: string;
  /** Hash of time + description: the same event from poll and push is stored once. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;
  @DateColumn()
  createdAt: Date;
}
