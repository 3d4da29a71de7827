import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Not, type DataSource, type EntityManager } from 'typeorm';
import { bounded } from '../../common/bounded.js';
import { Clock } from '../../common/clock.js';
import { errorText, isDeadlock } from '../../common/errors.js';
import { groupBy } from '../../common/group-by.js';
import { AppConfig } from '../../config/config.schema.js';
import { dateParam } from '../../database/columns.js';
import type { CanonicalOrder } from '../../platforms/ports/canonical.types.js';
import { ShopAdapters } from '../../shops/shop-adapters.js';
import { ShopDirectory, type ShopSnapshot } from '../../shops/shop-directory.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { OrderIngest } from '../order-ingest.js';
import { storedModifiedTimes } from '../stored-modified.js';
import { InboundCounters, type InboundOutcome } from './inbound-counters.service.js';
import type { InboundPayload } from './inbound-events.service.js';

/** What a drain did to one row: settled (processed, rejected, or claimed by another process), or its fetch failed. */
export type RowOutcome = { kind: 'done' } | { kind: 'failed'; error: unknown };

/** What a row turns into, decided before anything is written. */
type Plan =
  | { row: InboundEventEntity; kind: 'fetch'; shopId: number; orderId: string; changedAt: number | null }
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
/** Settled row ids remembered for their jobs; a job runs soon after its row is stored. */
const MAX_RECENT = 50_000;

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
  /** Rows a drain here settled lately: their own jobs need not read them to learn that. */
  private readonly recent = new Set<number>();

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
      const reads = await this.fetchAll(plans);
      const unsaved = await this.settle(plans, reads);
      return this.outcomes(plans, reads.fetched, unsaved);
    } catch (err) {
      return new Map(rows.map((r) => [r.id, { kind: 'failed', error: err }]));
    }
  }

  /**
   * Whether a drain of this process settled the row (it is no longer `received`, committed: a row another
   * process claimed counts once its claim committed). False says nothing: the row must be read.
   */
  settledHere(id: number): boolean {
    return this.recent.has(id);
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
      if (!shop)
        return {
          row,
          kind: 'reject',
          outcome: 'unknown_shop',
          message: `unknown ${row.platform} shop ${wanted.join(' / ') || '(none given)'}`,
        };
      if (shop.status !== 'active')
        return {
          row,
          kind: 'reject',
          outcome: 'inactive_shop',
          message: `${row.platform} shop ${shop.platformShopId} is ${shop.status}`,
        };
      if (!payload.orderId) return { row, kind: 'no_order', shopId: shop.id };
      const changedAt =
        typeof payload.changedAt === 'number' && Number.isFinite(payload.changedAt) ? payload.changedAt : null;
      return { row, kind: 'fetch', shopId: shop.id, orderId: payload.orderId, changedAt };
    });
  }

  /**
   * Each shop and order once however many rows name it. An order stored at least as new as its pushes
   * say it changed is not read again; a shop's other orders are read by list calls where there are
   * enough of them with change times; the rest, and what a list did not show, by detail calls, a
   * bounded number at a time.
   */
  private async fetchAll(plans: Plan[]): Promise<Reads> {
    const wanted = new Map<string, Wanted>();
    for (const p of plans) {
      if (p.kind !== 'fetch') continue;
      const key = orderKey(p.shopId, p.orderId);
      const w = wanted.get(key) ?? { shopId: p.shopId, orderId: p.orderId, times: [] };
      if (p.changedAt !== null) w.times.push(p.changedAt);
      wanted.set(key, w);
    }
    const reads: Reads = { fetched: await this.alreadyCurrent(wanted), listed: new Map() };
    const byShop = new Map<number, Map<string, Wanted>>();
    for (const [key, w] of wanted) {
      if (w.times.length === 0 || reads.fetched.has(key)) continue;
      const shop = byShop.get(w.shopId) ?? new Map<string, Wanted>();
      byShop.set(w.shopId, shop.set(w.orderId, w));
    }
    const listable = [...byShop].filter(([, ws]) => ws.size >= this.config.orders.pushListMin);
    await Promise.all(listable.map(([shopId, ws]) => this.listShop(shopId, ws, reads)));
    const queue = [...wanted].filter(([key]) => !reads.fetched.has(key));
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [key, { shopId, orderId }] = next;
        reads.fetched.set(key, await this.fetchOne(shopId, orderId));
      }
    };
    const width = Math.min(this.config.orders.pushFetchConcurrency, queue.length);
    await Promise.all(Array.from({ length: width }, worker));
    return reads;
  }

  /** Stored with a platform modified time at or after every change time its pushes gave. */
  private async alreadyCurrent(wanted: Map<string, Wanted>): Promise<Map<string, Fetched>> {
    const byShop = groupBy(
      [...wanted.values()].filter((w) => w.times.length > 0),
      (w) => w.shopId,
    );
    const current = new Map<string, Fetched>();
    for (const [shopId, ws] of byShop) {
      const stored = await storedModifiedTimes(this.db, shopId, ws.map((w) => w.orderId));
      for (const w of ws) if ((stored.get(w.orderId) ?? -1) >= Math.max(...w.times)) current.set(orderKey(shopId, w.orderId), CURRENT);
    }
    return current;
  }

  /**
   * The shop's incremental list by update time from its pushes' first change time (less the margin) to
   * now, oldest first, as many pages as those orders would fill and one more. The wanted orders it shows are read; the others
   * it shows are stored with the batch too, so their own pushes find them current. A failed list leaves
   * the orders to their detail calls.
   */
  private async listShop(shopId: number, wanted: Map<string, Wanted>, reads: Reads): Promise<void> {
    const times = [...wanted.values()].flatMap((w) => w.times);
    const margin = this.config.orders.pushListMarginMs;
    const start = new Date(Math.min(...times) - margin);
    // Up to now: an order changed again since its push (paid after created, say) still shows, oldest first.
    const end = new Date(Math.max(Math.max(...times) + margin, this.clock.now().getTime()));
    const pageSize = this.config.orders.pageSize;
    const maxPages = Math.max(Math.ceil(wanted.size / pageSize) + 1, this.config.orders.pushListMaxPages);
    const others: CanonicalOrder[] = [];
    let missing = wanted.size;
    try {
      const port = await this.adapters.marketplace(shopId);
      let cursor: string | undefined;
      for (let pages = 1; ; pages++) {
        const page = await port.listOrders({ start, end, cursor, pageSize, oldestFirst: true });
        for (const order of page.orders) {
          const key = orderKey(shopId, order.orderId);
          if (!wanted.has(order.orderId)) others.push(order);
          else if (!reads.fetched.has(key)) {
            reads.fetched.set(key, { order });
            missing -= 1;
          }
        }
        if (!page.hasNext || !page.nextCursor || missing === 0 || pages >= maxPages) break;
        cursor = page.nextCursor;
      }
    } catch (err) {
      this.log.debug({
        msg: 'push batch list failed; its orders are read one by one',
        shopId,
        orders: missing,
        error: errorText(err, 200),
      });
    }
    if (others.length > 0) reads.listed.set(shopId, others);
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
  private async settle(plans: Plan[], reads: Reads): Promise<Map<number, unknown>> {
    try {
      await this.count(await this.commit(plans, reads));
      return new Map();
    } catch (err) {
      if (plans.length === 1) return new Map([[plans[0].row.id, err]]);
      const unsaved = new Map<number, unknown>();
      for (const p of plans) {
        try {
          await this.count(await this.commit([p], { fetched: reads.fetched, listed: new Map() }));
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
  private async commit(plans: Plan[], reads: Reads): Promise<Plan[]> {
    const groups = claimGroups(plans, reads.fetched);
    if (groups.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (m) => {
          const claimed = await this.claim(m, groups);
          await this.ingestClaimed(m, plans, reads, claimed);
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
      const locked: { id: number }[] = await m.query(
        `SELECT id FROM inbound_events WHERE id IN (${marks(all)}) AND status = 'received' FOR UPDATE`,
        all,
      );
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
      const rows: { id: number }[] = await m.query(
        `${set} WHERE id IN (${marks(g.ids)}) AND status = 'received' RETURNING id`,
        [g.status, g.shopId, g.error, now, ...g.ids],
      );
      for (const r of rows) claimed.add(Number(r.id));
    }
    return claimed;
  }

  /** The orders read for the claimed rows, and those their shops' lists showed besides: one ingest per shop. */
  private async ingestClaimed(m: EntityManager, plans: Plan[], reads: Reads, claimed: Set<number>): Promise<void> {
    const byShop = new Map<number, Map<string, CanonicalOrder>>();
    const add = (shopId: number, order: CanonicalOrder) => {
      const orders = byShop.get(shopId) ?? new Map<string, CanonicalOrder>();
      byShop.set(shopId, orders.set(order.orderId, order));
    };
    for (const p of plans) {
      if (p.kind !== 'fetch' || !claimed.has(p.row.id)) continue;
      const got = reads.fetched.get(orderKey(p.shopId, p.orderId));
      if (got && 'order' in got) add(p.shopId, got.order);
    }
    for (const [shopId, orders] of reads.listed) for (const order of orders) add(shopId, order);
    for (const [shopId, orders] of byShop) await this.ingest.ingest(shopId, [...orders.values()], 'push', m);
  }

  /** Counted once the rejection committed, only by the process that made it. */
  private async count(rejected: Plan[]): Promise<void> {
    for (const p of rejected) {
      if (p.kind !== 'reject') continue;
      try {
        await this.counters.bump(p.row.platform, p.row.source, p.outcome);
      } catch (err) {
        this.log.warn({
          msg: 'inbound counter not bumped',
          inboundId: p.row.id,
          outcome: p.outcome,
          error: String(err),
        });
      }
    }
  }

  /** Failed: its fetch, or its commit. Either way only its own job retries it. */
  private outcomes(
    plans: Plan[],
    fetched: Map<string, Fetched>,
    unsaved: Map<number, unknown>,
  ): Map<number, RowOutcome> {
    const out = new Map<number, RowOutcome>();
    for (const p of plans) {
      const got = p.kind === 'fetch' ? fetched.get(orderKey(p.shopId, p.orderId)) : undefined;
      const failure =
        got && 'error' in got
          ? { error: got.error }
          : unsaved.has(p.row.id)
            ? { error: unsaved.get(p.row.id) }
            : undefined;
      if (failure) {
        this.cool(p.row.id);
        out.set(p.row.id, { kind: 'failed', error: failure.error });
      } else {
        this.cooling.delete(p.row.id);
        bounded(this.recent, MAX_RECENT).add(p.row.id);
        out.set(p.row.id, DONE);
      }
    }
    return out;
  }

  private cool(id: number): void {
    bounded(this.cooling, MAX_COOLING).add(id);
  }
}

/** A wanted order: read (by detail or list), its read failed, or it was stored current already. */
type Fetched = { order: CanonicalOrder } | { error: unknown } | { current: true };
const CURRENT: Fetched = { current: true };

/** What a batch read: per wanted order, and the other orders a shop's list showed. */
interface Reads {
  fetched: Map<string, Fetched>;
  listed: Map<number, CanonicalOrder[]>;
}

/** One order a batch needs, with the change times its rows' pushes gave. */
interface Wanted {
  shopId: number;
  orderId: string;
  times: number[];
}

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
    const got = p.kind === 'fetch' ? fetched.get(orderKey(p.shopId, p.orderId)) : undefined;
    if (p.kind === 'fetch' && got && !('error' in got)) {
      add(`p|${p.shopId}`, p.row.id, { status: 'processed', shopId: p.shopId, error: null });
    } else if (p.kind === 'no_order') {
      add(`n|${p.shopId}`, p.row.id, { status: 'processed', shopId: p.shopId, error: 'no order in event' });
    } else if (p.kind === 'reject') {
      add(`r|${p.message}`, p.row.id, { status: 'rejected', shopId: null, error: p.message.slice(0, 512) });
    }
  }
  return [...groups.values()];
}
