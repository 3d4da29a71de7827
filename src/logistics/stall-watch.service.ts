import { Inject, Injectable, Logger, Optional, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ShopRuleSettings, stallSettings } from '../aftersale/shop-rule-settings.js';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { OrderEvents } from '../orders/order-events.js';
import type { OrderChanged } from '../orders/order-ingest.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { LogisticsStallRule, type StallVerdict } from '../rules/logistics-stall.rule.js';
import { OrderRulesRunner } from '../rules/order-rules-runner.js';
import { dueShipments } from '../rules/stall-scan.query.js';
import { TasksService } from '../tasks/tasks.service.js';

/** A scan job reads at most this many pages; the next tick takes the rest. */
const MAX_PAGES = 20;
const HOUR = 3_600_000;
/** Order changes that can move a parcel's stall check: a new waybill (also on a new order), new tracking events. */
const PARCEL_CHANGES = new Set(['shipment', 'tracking']);

export interface ScanResult {
  shipments: number;
  orders: number;
}

/**
 * The stalled-logistics watch (rules.md §4) keeps each parcel's `watch_due_at`: when its stall check
 * is next due — the zone threshold after its last event, the not-collected threshold after
 * consignment, the escalation after a chase — and nothing once it is signed or returned. The scan
 * reads only parcels whose time has come (ix_shipments_watch_due), so its cost follows the due
 * parcels, not the open ones; each order found is evaluated by the rules engine.
 *
 * A stall is flagged once, on the last event it was detected on (`stall_ref_at`); a later tracking
 * event clears the flag and closes the chase task with that outcome.
 */
@Injectable()
export class StallWatch implements OnModuleInit {
  private readonly log = new Logger('stall-watch');
  private readonly rule = new LogisticsStallRule();

  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly events: OrderEvents,
    private readonly settings: ShopRuleSettings,
    private readonly tasks: TasksService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Optional() private readonly rules?: OrderRulesRunner,
  ) {}

  onModuleInit(): void {
    this.queue.register(JOBS.stallScan, async () => void (await this.scan()));
    this.events.subscribe((es) => this.onOrderChanged(es));
  }

  async scan(): Promise<ScanResult> {
    const now = this.clock.now();
    const orders = new Set<number>();
    let shipments = 0;
    let after: { dueAt: Date; id: number } | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await dueShipments(this.ds, now, after, this.config.logistics.scanBatch);
      shipments += rows.length;
      for (const r of rows) orders.add(Number(r.order_id));
      if (rows.length < this.config.logistics.scanBatch) break;
      const last = rows[rows.length - 1];
      after = { dueAt: asDate(last.watch_due_at), id: Number(last.id) };
    }
    for (const orderId of orders) {
      try {
        await this.check(orderId);
      } catch (err) {
        this.log.warn({ msg: 'stall check failed', orderId, err: errorText(err, 300) });
      }
    }
    return { shipments, orders: orders.size };
  }

  /** Brings the order's stall flags up to date, then lets the engine decide what to do about them. */
  async check(orderId: number): Promise<StallVerdict[]> {
    const verdicts = await this.refresh(orderId);
    if (this.rules) await this.rules.evaluate(orderId);
    else this.log.warn({ msg: 'no rules engine bound: stall found but not acted on', orderId });
    return verdicts;
  }

  /**
   * Flags new stalls (once per last event), clears stalls a new event ended, and sets each parcel's
   * next check. Safe to run any number of times.
   */
  async refresh(orderId: number): Promise<StallVerdict[]> {
    const repo = this.ds.getRepository(ShipmentEntity);
    const parcels = await repo.find({ where: { orderId }, order: { id: 'ASC' } });
    if (!parcels.length) return [];
    const rules = await this.settings.forShop(parcels[0].shopId);
    const now = this.clock.now();
    const escalateMs = rules.logistics.escalateAfterHours * HOUR;
    const verdicts = this.rule.verdicts(parcels, stallSettings(rules), now);
    const byId = new Map(verdicts.map((v) => [v.shipmentId, v]));
    for (const p of parcels) {
      const v = byId.get(p.id);
      const patch: Partial<ShipmentEntity> = {};
      const endsStall = p.stallRefAt && (!v?.stalled || v.refAt.getTime() !== new Date(p.stallRefAt).getTime());
      if (endsStall) {
        await this.tasks.resolve(`chase-task:${p.id}:${new Date(p.stallRefAt!).getTime()}`, v ? '物流已更新,自动关闭' : '包裹已签收或退回,自动关闭');
        Object.assign(patch, { stallFlag: null, stalledAt: null, stallRefAt: null });
      }
      if (v?.stalled) {
        const same = !endsStall && p.stallRefAt !== null;
        const stalledAt = same ? new Date(p.stalledAt!) : now;
        if (!same) Object.assign(patch, { stalledAt: now, stallRefAt: v.refAt });
        if (p.stallFlag !== v.cause) patch.stallFlag = v.cause;
        // Next look: when the chase is old enough to escalate; after that, only a new event (or nothing).
        const escalateAt = stalledAt.getTime() + escalateMs + 1;
        patch.watchDueAt = escalateAt > now.getTime() ? new Date(escalateAt) : null;
      } else {
        patch.watchDueAt = v?.nextCheckAt ?? null;
      }
      if (changed(p, patch)) await repo.update({ id: p.id }, { ...patch, updatedAt: now });
    }
    return verdicts;
  }

  private async onOrderChanged(events: readonly OrderChanged[]): Promise<void> {
    for (const e of events) if (e.changes.some((c) => PARCEL_CHANGES.has(c))) await this.refresh(e.orderId);
  }
}

function changed(p: ShipmentEntity, patch: Partial<ShipmentEntity>): boolean {
  const norm = (k: string, x: unknown) => (x instanceof Date ? x.getTime() : typeof x === 'string' && k.endsWith('At') ? new Date(x).getTime() : x);
  return Object.entries(patch).some(([k, v]) => norm(k, p[k as keyof ShipmentEntity]) !== norm(k, v));
}

function asDate(v: Date | string): Date {
  return v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`);
}
