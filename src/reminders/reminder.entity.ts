import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn } from '../database/columns.js';

/**
 * sending: written before the platform call, so a crash mid-call is never followed by a second SMS;
 * sent: the platform took it; task: no buyer channel, an agent reminds instead; uncertain: a crash
 * interrupted the call and the platform offers no way to ask whether it went out.
 */
export type ReminderStatus = 'sending' | 'sent' | 'task' | 'uncertain';

/** One unpaid-order reminder (静默订单催付): the per-buyer caps and the conversion come from these rows. */
@Entity('reminders')
@Unique('uq_reminders_order_seq', ['orderId', 'seq'])
@Index('ix_reminders_buyer_sent', ['shopId', 'buyerRef', 'sentAt'])
@Index('ix_reminders_shop_sent', ['shopId', 'sentAt'])
export class ReminderEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'integer' })
  orderId: number;
  /** 1 for the first reminder of the order, 2 for the second. */
  @Column({ type: 'integer' })
  seq: number;
  /** The buyer as the platform names them (OAID, open uid or mobile ciphertext); never decrypted. */
  @Column({ type: 'varchar', length: 191, nullable: true })
  buyerRef: string | null;
  @Column({ type: 'integer', nullable: true })
  actionId: number | null;
  /** sms | task */
  @Column({ type: 'varchar', length: 16 })
  channel: string;
  @Column({ type: 'varchar', length: 16 })
  status: ReminderStatus;
  @DateColumn()
  sentAt: Date;
  /** Set when the order is paid after the reminder (conversion). */
  @DateColumn({ nullable: true })
  paidAt: Date | null;
  @Column({ type: 'integer', nullable: true })
  minutesToPayment: number | null;
  @DateColumn()
  createdAt: Date;
}
