import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DateColumn, JsonColumn } from '../database/columns.js';
import type { Decision } from './decisions.js';

/**
 * The decision trace: one row per order and rule, holding the latest evaluation (fired or skipped,
 * and why) and the latest time the rule fired with what it decided. Bounded by construction.
 */
@Entity('rule_evaluations')
@Unique('uq_rule_evaluations_order_rule', ['orderId', 'rule'])
export class RuleEvaluationEntity {
  @PrimaryGeneratedColumn()
  id: number;
  @Column({ type: 'integer' })
  orderId: number;
  @Column({ type: 'integer' })
  shopId: number;
  @Column({ type: 'varchar', length: 48 })
  rule: string;
  /** The order version evaluated. */
  @Column({ type: 'integer' })
  orderVersion: number;
  @Column({ type: 'boolean' })
  fired: boolean;
  @Column({ type: 'varchar', length: 512 })
  reason: string;
  @JsonColumn()
  decisions: Decision[];
  /** The decisions were recorded, not performed. */
  @Column({ type: 'boolean' })
  dryRun: boolean;
  /** Set when the rule threw. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  error: string | null;
  @DateColumn({ nullable: true })
  nextCheckAt: Date | null;
  @DateColumn()
  evaluatedAt: Date;
  @DateColumn({ nullable: true })
  lastFiredAt: Date | null;
  @Column({ type: 'varchar', length: 512, nullable: true })
  lastFiredReason: string | null;
  @JsonColumn({ nullable: true })
  lastFiredDecisions: Decision[] | null;
  @Column({ type: 'boolean', nullable: true })
  lastFiredDryRun: boolean | null;
}
