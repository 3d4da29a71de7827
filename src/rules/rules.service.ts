import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ActionsService } from '../actions/actions.service.js';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import type { MarketplaceCapabilities } from '../platforms/ports/marketplace.port.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import type { ShopSettings } from '../shops/shop-settings.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import type { ShopEntity } from '../shops/shop.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import { OrderSnapshotLoader } from './order-snapshot.loader.js';
import { OutboxDecisionSink, type RequestStagedHook } from './outbox-decision.sink.js';
import type { Rule } from './rule.js';
import { defaultRules, type EngineSettings } from './rule-catalog.js';
import { RuleEngine, type TraceEntry } from './rule-engine.js';
import { RuleEvaluationEntity } from './rule-evaluation.entity.js';

/** A rule that fired without saying when to look again is looked at again after this long. */
const RECHECK_AFTER_FIRE_MS = 3_600_000;
const MARKETPLACES = new Set(['taobao', 'pinduoduo', 'kuaishou']);

export interface EvaluateOptions {
  /** Evaluate and answer, performing nothing (on top of the shop's own switches). */
  dryRun?: boolean;
  /** Settings to try instead of the shop's (implies dry run and no record). */
  settings?: ShopSettings;
}

/**
 * Evaluates every rule on one order: reads the order, runs the engine with a sink bound to the
 * transaction, records the trace and when to look next, all in one commit; then enqueues the actions
 * it staged. Rules that must see more (remark requests, the memo) are added with `use()`.
 */
@Injectable()
export class RulesService {
  private readonly log = new Logger('rules');
  private readonly first: Rule<EngineSettings>[] = [];
  private rules: Rule<EngineSettings>[] = defaultRules();
  private readonly stagedHooks: RequestStagedHook[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly actions: ActionsService,
    private readonly tasks: TasksService,
    private readonly settings: ShopSettingsService,
    private readonly snapshots: OrderSnapshotLoader,
    private readonly adapters: ShopAdapters,
    private readonly clock: Clock,
  ) {}

  /** Adds rules evaluated before the defaults (remark rules: a request lands before anything else). */
  use(rules: Rule<EngineSettings>[], onRequestStaged?: RequestStagedHook): void {
    this.first.push(...rules);
    this.rules = defaultRules(this.first);
    if (onRequestStaged) this.stagedHooks.push(onRequestStaged);
  }

  get ruleNames(): string[] {
    return this.rules.map((r) => r.name);
  }

  async evaluate(orderId: number, opts: EvaluateOptions = {}): Promise<TraceEntry[]> {
    const record = !opts.settings;
    const now = this.clock.now();
    const capabilities = await this.capabilitiesOf(orderId);
    let staged: number[] = [];
    const trace = await this.ds.transaction(async (m) => {
      const loaded = await this.snapshots.load(m, orderId);
      if (!loaded) return [];
      const shop = opts.settings ?? loaded.settings;
      const sink = new OutboxDecisionSink(m, this.actions, this.tasks, now, (mm, id, target, actionId) => this.requestStaged(mm, id, target, actionId));
      const engine = new RuleEngine<EngineSettings>(this.rules, sink);
      const switches = { dryRun: shop.dryRun || Boolean(opts.dryRun) || !record, rules: shop.rules };
      const entries = await engine.run({ order: loaded.order, settings: { shop, capabilities }, now, buyer: loaded.buyer }, switches);
      if (record) await this.record(m, loaded.shop, loaded.order.version ?? 0, orderId, entries, now);
      staged = sink.staged;
      return entries;
    });
    for (const id of staged) await this.actions.enqueue(id);
    for (const e of trace) if (e.error) this.log.warn({ msg: 'rule failed', orderId, rule: e.rule, error: e.error });
    return trace;
  }

  private async requestStaged(m: EntityManager, requestId: number, target: 'marketplace' | 'erp', actionId: number): Promise<void> {
    for (const hook of this.stagedHooks) await hook(m, requestId, target, actionId);
  }

  /** The latest evaluation per rule, and the next time the order must be looked at (if the order did not change meanwhile). */
  private async record(m: EntityManager, shop: ShopEntity, version: number, orderId: number, entries: TraceEntry[], now: Date): Promise<void> {
    const repo = m.getRepository(RuleEvaluationEntity);
    const existing = new Map((await repo.findBy({ orderId })).map((r) => [r.rule, r]));
    let next: Date | null = null;
    for (const e of entries) {
      const nextCheckAt = e.nextCheckAt ?? (e.fired ? new Date(now.getTime() + RECHECK_AFTER_FIRE_MS) : null);
      if (nextCheckAt && (!next || nextCheckAt < next)) next = nextCheckAt;
      const row = {
        orderId,
        shopId: shop.id,
        rule: e.rule,
        orderVersion: version,
        fired: e.fired,
        reason: e.reason.slice(0, 512),
        decisions: e.decisions,
        dryRun: e.dryRun,
        error: e.error ? errorText(e.error, 500) : null,
        nextCheckAt,
        evaluatedAt: now,
        ...(e.fired ? { lastFiredAt: now, lastFiredReason: e.reason.slice(0, 512), lastFiredDecisions: e.decisions, lastFiredDryRun: e.dryRun } : {}),
      };
      const prev = existing.get(e.rule);
      if (prev) await repo.update({ id: prev.id }, row);
      else await repo.insert({ lastFiredAt: null, lastFiredReason: null, lastFiredDecisions: null, lastFiredDryRun: null, ...row });
    }
    // A change that arrived while this ran set the order due again (and bumped its version): leave that.
    await m.update(OrderEntity, { id: orderId, version }, { rulesDueAt: next });
  }

  private async capabilitiesOf(orderId: number): Promise<MarketplaceCapabilities | null> {
    const row = await this.ds.getRepository(OrderEntity).findOne({ where: { id: orderId }, select: { id: true, shopId: true, platform: true } });
    if (!row || !MARKETPLACES.has(row.platform)) return null;
    try {
      return (await this.adapters.marketplace(row.shopId)).capabilities;
    } catch {
      return null;
    }
  }
}
