import { Injectable, Logger } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ActionsService } from '../actions/actions.service.js';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { dateParam } from '../database/columns.js';
import type { MarketplaceCapabilities } from '../platforms/ports/marketplace.port.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import { ShopDirectory } from '../shops/shop-directory.js';
import type { ShopSettings } from '../shops/shop-settings.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { OrderSnapshotLoader } from './order-snapshot.loader.js';
import { OutboxDecisionSink } from './outbox-decision.sink.js';
import type { Rule } from './rule.js';
import { defaultRules, type EngineSettings } from './rule-catalog.js';
import { RuleEngine, type TraceEntry } from './rule-engine.js';
import { RuleEvaluationEntity } from './rule-evaluation.entity.js';

/** A rule that fired without saying when to look again is looked at again after this long. */
const RECHECK_AFTER_FIRE_MS = 3_600_000;
const MARKETPLACES = new Set(['taobao', 'pinduoduo', 'kuaishou']);
/** rule_evaluations columns an evaluation replaces; a firing also replaces the last-fired ones. */
const EVALUATION_COLUMNS = ['shop_id', 'order_version', 'fired', 'reason', 'decisions', 'dry_run', 'error', 'next_check_at', 'evaluated_at'];
const LAST_FIRED_COLUMNS = ['last_fired_at', 'last_fired_reason', 'last_fired_decisions', 'last_fired_dry_run'];

/** One order's evaluation, waiting to be recorded with the others of its batch. */
interface Evaluated {
  orderId: number;
  shopId: number;
  version: number;
  entries: TraceEntry[];
}

export interface EvaluateOptions {
  /** Evaluate and answer, performing nothing (on top of the shop's own switches). */
  dryRun?: boolean;
  /** Settings to try instead of the shop's (implies dry run and no record). */
  settings?: ShopSettings;
}

/**
 * Evaluates every rule on one order: reads the order, runs the engine with a sink bound to the
 * transaction, records the trace and when to look next, all in one commit; then enqueues the actions
 * it staged.
 */
@Injectable()
export class RulesService {
  private readonly log = new Logger('rules');
  private readonly rules: Rule<EngineSettings>[] = defaultRules();

  constructor(
    private readonly ds: DataSource,
    private readonly actions: ActionsService,
    private readonly tasks: TasksService,
    private readonly settings: ShopSettingsService,
    private readonly snapshots: OrderSnapshotLoader,
    private readonly adapters: ShopAdapters,
    private readonly directory: ShopDirectory,
    private readonly clock: Clock,
  ) {}

  get ruleNames(): string[] {
    return this.rules.map((r) => r.name);
  }

  async evaluate(orderId: number, opts: EvaluateOptions = {}): Promise<TraceEntry[]> {
    return (await this.run([orderId], opts)).get(orderId) ?? [];
  }

  /**
   * Evaluates and records several orders in one transaction: their snapshots are read together, their
   * traces written together. Answers each order's trace (orders that do not exist are left out).
   */
  async evaluateMany(orderIds: number[]): Promise<Map<number, TraceEntry[]>> {
    return this.run(orderIds, {}, true);
  }

  /**
   * `skipLocked`: on MySQL, orders another process is evaluating right now (their rows locked) are left
   * to it; the others stay locked until this commits. SQLite has one writer and needs no lock.
   */
  private async run(orderIds: number[], opts: EvaluateOptions, skipLocked = false): Promise<Map<number, TraceEntry[]>> {
    const record = !opts.settings;
    const now = this.clock.now();
    // Read before the transaction: the shop directory and the adapters may ask the database themselves.
    const heads = await this.ds.getRepository(OrderEntity).find({ where: { id: In(orderIds) }, select: { id: true, shopId: true, platform: true } });
    if (heads.length === 0) return new Map();
    const directory = await this.directory.current();
    const shops = [...new Set(heads.map((h) => h.shopId))].flatMap((id) => directory.byId(id) ?? []);
    const capabilities = await this.capabilitiesByShop(heads);
    let staged: number[] = [];
    const traces = await this.ds.transaction(async (m) => {
      const out = new Map<number, TraceEntry[]>();
      const ids = skipLocked ? await this.lockFree(m, heads.map((h) => h.id)) : heads.map((h) => h.id);
      const loaded = await this.snapshots.loadMany(m, ids, shops);
      const sink = new OutboxDecisionSink(m, this.actions, this.tasks, now);
      const engine = new RuleEngine<EngineSettings>(this.rules, sink);
      const evaluated: Evaluated[] = [];
      for (const [orderId, snap] of loaded) {
        const shop = opts.settings ?? snap.settings;
        const switches = { dryRun: shop.dryRun || Boolean(opts.dryRun) || !record, rules: shop.rules };
        const entries = await engine.run({ order: snap.order, settings: { shop, capabilities: capabilities.get(snap.shop.id) ?? null }, now, buyer: snap.buyer }, switches);
        evaluated.push({ orderId, shopId: snap.shop.id, version: snap.order.version ?? 0, entries });
        out.set(orderId, entries);
      }
      if (record) await this.record(m, evaluated, now);
      staged = sink.staged;
      return out;
    });
    for (const id of staged) await this.actions.enqueue(id);
    for (const [orderId, trace] of traces) for (const e of trace) if (e.error) this.log.warn({ msg: 'rule failed', orderId, rule: e.rule, error: e.error });
    return traces;
  }

  /**
   * The latest evaluation per order and rule, and the next time each order must be looked at (if it did
   * not change meanwhile). One upsert per kind of row for all orders: a rule that fired also replaces its
   * last-fired columns, one that did not keeps them.
   */
  private async record(m: EntityManager, evaluated: Evaluated[], now: Date): Promise<void> {
    const fired: Partial<RuleEvaluationEntity>[] = [];
    const quiet: Partial<RuleEvaluationEntity>[] = [];
    const nextChecks: { orderId: number; version: number; next: Date | null }[] = [];
    for (const { orderId, shopId, version, entries } of evaluated) {
      let next: Date | null = null;
      for (const e of entries) {
        const nextCheckAt = e.nextCheckAt ?? (e.fired ? new Date(now.getTime() + RECHECK_AFTER_FIRE_MS) : null);
        if (nextCheckAt && (!next || nextCheckAt < next)) next = nextCheckAt;
        const reason = e.reason.slice(0, 512);
        const row = {
          orderId,
          shopId,
          rule: e.rule,
          orderVersion: version,
          fired: e.fired,
          reason,
          decisions: e.decisions,
          dryRun: e.dryRun,
          error: e.error ? errorText(e.error, 500) : null,
          nextCheckAt,
          evaluatedAt: now,
        };
        if (e.fired) fired.push({ ...row, lastFiredAt: now, lastFiredReason: reason, lastFiredDecisions: e.decisions, lastFiredDryRun: e.dryRun });
        else quiet.push({ ...row, lastFiredAt: null, lastFiredReason: null, lastFiredDecisions: null, lastFiredDryRun: null });
      }
      nextChecks.push({ orderId, version, next });
    }
    await this.upsertEvaluations(m, fired, [...EVALUATION_COLUMNS, ...LAST_FIRED_COLUMNS]);
    await this.upsertEvaluations(m, quiet, EVALUATION_COLUMNS);
    await this.setNextChecks(m, nextChecks);
  }

  /**
   * Each order's next check, in one statement. A change that arrived while this ran set the order due
   * again and bumped its version: that order is left as the change set it.
   */
  private async setNextChecks(m: EntityManager, checks: { orderId: number; version: number; next: Date | null }[]): Promise<void> {
    if (checks.length === 0) return;
    const params: Record<string, unknown> = {};
    const cases: string[] = [];
    const where: string[] = [];
    checks.forEach((c, i) => {
      Object.assign(params, { [`o${i}`]: c.orderId, [`v${i}`]: c.version, [`n${i}`]: c.next && dateParam(m.connection, c.next) });
      cases.push(`WHEN :o${i} THEN :n${i}`);
      where.push(`(id = :o${i} AND version = :v${i})`);
    });
    await m
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ rulesDueAt: () => `CASE id ${cases.join(' ')} END` })
      // The id list first, so MySQL locks these rows by primary key and no range beyond them.
      .where('id IN (:...ids)', { ids: checks.map((c) => c.orderId) })
      .andWhere(`(${where.join(' OR ')})`)
      .setParameters({ ...params, ids: checks.map((c) => c.orderId) })
      .execute();
  }

  private async upsertEvaluations(m: EntityManager, rows: Partial<RuleEvaluationEntity>[], overwrite: string[]): Promise<void> {
    if (rows.length === 0) return;
    await m
      .createQueryBuilder()
      .insert()
      .into(RuleEvaluationEntity)
      .values(rows)
      .orUpdate(overwrite, ['order_id', 'rule'])
      .updateEntity(false)
      .execute();
  }

  private async lockFree(m: EntityManager, ids: number[]): Promise<number[]> {
    if (m.connection.options.type !== 'mysql' || ids.length === 0) return ids;
    const rows: { id: number }[] = await m.query('SELECT id FROM orders WHERE id IN (?) ORDER BY id FOR UPDATE SKIP LOCKED', [ids]);
    return rows.map((r) => Number(r.id));
  }

  /** What each marketplace shop's adapter can do; a shop whose adapter cannot be built gets none. */
  private async capabilitiesByShop(heads: Pick<OrderEntity, 'shopId' | 'platform'>[]): Promise<Map<number, MarketplaceCapabilities>> {
    const out = new Map<number, MarketplaceCapabilities>();
    for (const shopId of new Set(heads.filter((h) => MARKETPLACES.has(h.platform)).map((h) => h.shopId))) {
      try {
        out.set(shopId, (await this.adapters.marketplace(shopId)).capabilities);
      } catch {
        // paused, not connected, needs re-authorisation: the rules assume the least
      }
    }
    return out;
  }
}
