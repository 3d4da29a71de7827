import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DateColumn } from '../../database/columns.js';

/** Who holds a long-lived platform connection (one per app) until when; the holder renews it. */
@Entity('push_leases')
export class PushLeaseEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'varchar', length: 96, unique: true })
  name: string;
  @Column({ type: 'varchar', length: 96 })
  holder: string;
  @DateColumn()
  expiresAt: Date;
  @DateColumn()
  updatedAt: Date;
}
