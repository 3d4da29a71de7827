import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isDeadlock } from '../../common/errors.js';
import { AppConfig } from '../../config/config.schema.js';
import { dateParam } from '../../database/columns.js';
import type { CanonicalOrder } from '../../platforms/ports/canonical.types.js';
import { ShopAdapters } from '../../shops/shop-adapters.js';
import { ShopDirectory, type ShopSnapshot } from '../../shops/shop-directory.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { OrderIngest } from '../order-ingest.js';
import { InboundCounters, type InboundOutcome } from './inbound-counters.service.js';
import type { InboundPayload } from './inbound-events.service.js';

/** What a drain did to one row: settled (processed, rejected, or claimed by another process), or its fetch failed. */
export type RowOutcome = { kind: 'done' } | { kind: 'failed'; error: unknown };

/** What a row turns into, decided before anything is written. */
type Plan =
  | { row: InboundEventEntity; kind: 'fetch'; shopId: number; orderId: string }
  | { row: InboundEventEntity; kind: 'no_order'; shopId: number }
  | { row: InboundEventEntity; kind: 'reject'; outcome: InboundOutcome; message: string };

/** One status write of the claim: rows that end the same way. */
interface ClaimGroup {
  ids: number[];
  status: 'processed' | 'rejected';
  shopId: number | null;
  error: string | null;
}

const DONE: RowOutcome = { kind: 'done' };
const DEADLOCK_RETRIES = 3;
/** Rows whose fetch failed here and that only their own job retries; beyond this the oldest are forgotten. */
const MAX_COOLING = 500;

/**
 * Processes a batch of stored order events of one platform and source: a job's own row and the oldest
 * other rows still `received`. Orders are fetched again from the platform (pushes may be stale or
 * reordered), concurrently within `orders.pushFetchConcurrency`; then one transaction claims every row
 * still `received` (locked on MySQL, so two processes never both claim one; SQLite has one writer) and
 * ingests the claimed rows' orders, one ingest per shop. Rows another process claimed first are left to
 * it and their orders dropped. A row whose fetch failed stays `received` for its own job to retry, and
 * is not taken along by later batches of this process (its job's backoff stands).
 */
@Injectable()
export class InboundDrain {
  private readonly log = new Logger('inbound');
  private readonly cooling = new Set<number>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly counters: InboundCounters,
    private readonly directory: ShopDirectory,
    @Inject(ShopAdapters) private readonly adapters: ShopAdapters,
    @Inject(OrderIngest) private readonly ingest: OrderIngest,
  ) {}

  /** Drains `own` with its batch; resolves (never rejects) with an outcome for every row it took. */
  async drain(own: InboundEventEntity): Promise<ReadonlyMap<number, RowOutcome>> {
    let rows = [own];
    try {
      rows = await this.take(own);
      const plans = this.plan(rows, await this.directory.current());
      const fetched = await this.fetchAll(plans);
      const unsaved = await this.settle(plans, fetched);
      return this.outcomes(plans, fetched, unsaved);
    } catch (err) {
      return new Map(rows.map((r) => [r.id, { kind: 'failed', error: err }]));
    }
  }

  /** Its fetch failed in a batch of this process, and its own job has settled it since. */
  settled(id: number): void {
    this.cooling.delete(id);
  }

  /** The job's row, then the oldest other `received` rows of its platform and source, up to the batch size. */
  private async take(own: InboundEventEntity): Promise<InboundEventEntity[]> {
    const room = this.config.orders.pushBatch - 1;
    if (room <= 0) return [own];
    const others = await this.db.getRepository(InboundEventEntity).find({
      where: { status: 'received', platform: own.platform, source: own.source, id: Not(own.id) },
      order: { receivedAt: 'ASC', id: 'ASC' },
      take: room + this.cooling.size,
    });
    return [own, ...others.filter((r) => !this.cooling.has(r.id)).slice(0, room)];
  }

  private plan(rows: InboundEventEntity[], shops: ShopSnapshot): Plan[] {
    return rows.map((row): Plan => {
      const payload = JSON.parse(row.payload) as InboundPayload;
      const wanted = payload.shopRefs.filter(Boolean);
      const shop = wanted.map((ref) => shops.byRef(row.platform, ref)).find((s) => s !== undefined);
      if (!shop) return { row, kind: 'reject', outcome: 'unknown_shop', message: `unknown ${row.platform} shop ${wanted.join(' / ') || '(none given)'}` };
      if (shop.status !== 'active') return { row, kind: 'reject', outcome: 'inactive_shop', message: `${row.platform} shop ${shop.platformShopId} is ${shop.status}` };
      if (!payload.orderId) return { row, kind: 'no_order', shopId: shop.id };
      return { row, kind: 'fetch', shopId: shop.id, orderId: payload.orderId };
    });
  }

  /** One fetch per shop and order however many rows name it, a bounded number at a time. */
  private async fetchAll(plans: Plan[]): Promise<Map<string, Fetched>> {
    const wanted = new Map<string, { shopId: number; orderId: string }>();
    for (const p of plans) if (p.kind === 'fetch') wanted.set(orderKey(p.shopId, p.orderId), p);
    const fetched = new Map<string, Fetched>();
    const queue = [...wanted.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, { shopId, orderId }] = next;
        fetched.set(key, await this.fetchOne(shopId, orderId));
      }
    };
    const width = Math.min(this.config.orders.pushFetchConcurrency, queue.length);
    await Promise.all(Array.from({ length: width }, worker));
    return fetched;
  }

  private async fetchOne(shopId: number, orderId: string): Promise<Fetched> {
    try {
      return { order: await (await this.adapters.marketplace(shopId)).getOrder(orderId) };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Commits the batch; returns the rows whose commit failed, with the error. When the batch's transaction
   * fails (an order ingestion cannot store, say), each row is committed alone, so one bad row fails only
   * its own job and never holds back the others.
   */
  private async settle(plans: Plan[], fetched: Map<string, Fetched>): Promise<Map<number, unknown>> {
    try {
      await this.count(await this.commit(plans, fetched));
      return new Map();
    } catch (err) {
      if (plans.length === 1) return new Map([[plans[0].row.id, err]]);
      const unsaved = new Map<number, unknown>();
      for (const p of plans) {
        try {
          await this.count(await this.commit([p], fetched));
        } catch (rowErr) {
          unsaved.set(p.row.id, rowErr);
        }
      }
      return unsaved;
    }
  }

  /**
   * Claims and ingests in one transaction (run again whole when MySQL picks it as a deadlock victim);
   * returns the rejected rows it claimed, for the counters.
   */
  private async commit(plans: Plan[], fetched: Map<string, Fetched>): Promise<Plan[]> {
    const groups = claimGroups(plans, fetched);
    if (groups.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (m) => {
          const claimed = await this.claim(m, groups);
          await this.ingestClaimed(m, plans, fetched, claimed);
          return plans.filter((p) => p.kind === 'reject' && claimed.has(p.row.id));
        });
      } catch (err) {
        if (!isDeadlock(err) || attempt >= DEADLOCK_RETRIES) throw err;
      }
    }
  }

  /** Marks the rows still `received` as each group says; returns the ids it claimed. */
  private async claim(m: EntityManager, groups: ClaimGroup[]): Promise<Set<number>> {
    const now = dateParam(m.connection, this.clock.now());
    const set = 'UPDATE inbound_events SET status = ?, shop_id = ?, error = ?, processed_at = ?';
    if (m.connection.options.type === 'mysql') {
      // Locks the rows first: a second process's claim waits here and then finds them no longer `received`.
      const all = groups.flatMap((g) => g.ids);
      const locked: { id: number }[] = await m.query(`SELECT id FROM inbound_events WHERE id IN (${marks(all)}) AND status = 'received' FOR UPDATE`, all);
      const claimed = new Set(locked.map((r) => Number(r.id)));
      for (const g of groups) {
        const ids = g.ids.filter((id) => claimed.has(id));
        if (ids.length) await m.query(`${set} WHERE id IN (${marks(ids)})`, [g.status, g.shopId, g.error, now, ...ids]);
      }
      return claimed;
    }
    // SQLite: the first write takes the database's one write lock; RETURNING names the rows it changed.
    const claimed = new Set<number>();
    for (const g of groups) {
      const rows: { id: number }[] = await m.query(`${set} WHERE id IN (${marks(g.ids)}) AND status = 'received' RETURNING id`, [g.status, g.shopId, g.error, now, ...g.ids]);
      for (const r of rows) claimed.add(Number(r.id));
    }
    return claimed;
  }

  /** The fetched orders of the claimed rows, one ingest per shop. */
  private async ingestClaimed(m: EntityManager, plans: Plan[], fetched: Map<string, Fetched>, claimed: Set<number>): Promise<void> {
    const byShop = new Map<number, Map<string, CanonicalOrder>>();
    for (const p of plans) {
      if (p.kind !== 'fetch' || !claimed.has(p.row.id)) continue;
      const key = orderKey(p.shopId, p.orderId);
      const got = fetched.get(key);
      if (!got || !('order' in got)) continue;
      const order = got.order;
      const orders = byShop.get(p.shopId) ?? new Map<string, CanonicalOrder>();
      orders.set(key, order);
      byShop.set(p.shopId, orders);
    }
    for (const [shopId, orders] of byShop) await this.ingest.ingest(shopId, [...orders.values()], 'push', m);
  }

  /** Counted once the rejection committed, only by the process that made it. */
  private async count(rejected: Plan[]): Promise<void> {
    for (const p of rejected) {
      if (p.kind !== 'reject') continue;
      try {
        await this.counters.bump(p.row.platform, p.row.source, p.outcome);
      } catch (err) {
        this.log.warn({ msg: 'inbound counter not bumped', inboundId: p.row.id, outcome: p.outcome, error: String(err) });
      }
    }
  }

  /** Failed: its fetch, or its commit. Either way only its own job retries it. */
  private outcomes(plans: Plan[], fetched: Map<string, Fetched>, unsaved: Map<number, unknown>): Map<number, RowOutcome> {
    const out = new Map<number, RowOutcome>();
    for (const p of plans) {
      const got = p.kind === 'fetch' ? fetched.get(orderKey(p.shopId, p.orderId)) : undefined;
      const failure = got && 'error' in got ? { error: got.error } : unsaved.has(p.row.id) ? { error: unsaved.get(p.row.id) } : undefined;
      if (failure) {
        this.cool(p.row.id);
        out.set(p.row.id, { kind: 'failed', error: failure.error });
      } else {
        this.cooling.delete(p.row.id);
        out.set(p.row.id, DONE);
      }
    }
    return out;
  }

  private cool(id: number): void {
    this.cooling.add(id);
    // A Set iterates in insertion order: the first entries are the oldest.
    for (const old of this.cooling) {
      if (this.cooling.size <= MAX_COOLING) break;
      this.cooling.delete(old);
    }
  }
}

type Fetched = { order: CanonicalOrder } | { error: unknown };

function orderKey(shopId: number, orderId: string): string {
  return `${shopId}|${orderId}`;
}

function marks(ids: number[]): string {
  return ids.map(() => '?').join(', ');
}

/** The claim's writes: fetched rows processed per shop, rows without an order id, each rejection. */
function claimGroups(plans: Plan[], fetched: Map<string, Fetched>): ClaimGroup[] {
  const groups = new Map<string, ClaimGroup>();
  const add = (key: string, id: number, g: Omit<ClaimGroup, 'ids'>) => {
    const group = groups.get(key) ?? { ...g, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  };
  for (const p of plans) {
    if (p.kind === 'fetch' && 'order' in (fetched.get(orderKey(p.shopId, p.orderId)) ?? {})) {
      add(`p|${p.shopId}`, p.row.id, { status: 'processed', shopId: p.shopId, error: null });
    } else if (p.kind === 'no_order') {
      add(`n|${p.shopId}`, p.row.id, { status: 'processed', shopId: p.shopId, error: 'no order in event' });
    } else if (p.kind === 'reject') {
      add(`r|${p.message}`, p.row.id, { status: 'rejected', shopId: null, error: p.message.slice(0, 512) });
    }
  }
  return [...groups.values()];
}
