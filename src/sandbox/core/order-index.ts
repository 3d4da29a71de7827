import type { OrderQuery } from './contract.js';
import type { SbOrder, SbPlatform } from './types.js';

const BUCKET_MS = 60_000;

interface ShopIndex {
  /** minute bucket of modifiedAt → orders last modified in that minute */
  buckets: Map<number, Set<SbOrder>>;
  all: Set<SbOrder>;
}

/**
 * Orders by id, and per shop by the minute they were last modified, so an incremental list over a
 * 30-minute window touches 30 buckets instead of every order of a busy generated shop.
 */
export class OrderIndex {
  private readonly byId = new Map<string, SbOrder>();
  private readonly shops = new Map<string, ShopIndex>();

  get(platform: SbPlatform, orderId: string): SbOrder | undefined {
    return this.byId.get(`${platform}|${orderId}`);
  }

  get size(): number {
    return this.byId.size;
  }

  add(order: SbOrder): void {
    const key = `${order.platform}|${order.orderId}`;
    if (this.byId.has(key)) throw new Error(`order ${order.platform} ${order.orderId} already exists`);
    this.byId.set(key, order);
    const shop = this.shop(order.platform, order.shopId);
    shop.all.add(order);
    this.bucketOf(shop, order.modifiedAt).add(order);
  }

  /** Move an order to its new modified time; the only way modifiedAt may change. */
  touch(order: SbOrder, modifiedAt: number): void {
    const shop = this.shop(order.platform, order.shopId);
    const oldKey = Math.floor(order.modifiedAt / BUCKET_MS);
    const set = shop.buckets.get(oldKey);
    set?.delete(order);
    if (set && set.size === 0) shop.buckets.delete(oldKey);
    order.modifiedAt = modifiedAt;
    this.bucketOf(shop, modifiedAt).add(order);
  }

  query(q: OrderQuery): SbOrder[] {
    const shops = q.shopId
      ? [this.shops.get(`${q.platform}|${q.shopId}`)].filter((s): s is ShopIndex => s !== undefined)
      : [...this.shops.entries()].filter(([k]) => k.startsWith(`${q.platform}|`)).map(([, s]) => s);
    const out: SbOrder[] = [];
    for (const shop of shops) for (const o of this.candidates(shop, q)) if (matches(o, q)) out.push(o);
    return out.sort((a, b) => b.modifiedAt - a.modifiedAt || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  }

  private *candidates(shop: ShopIndex, q: OrderQuery): Iterable<SbOrder> {
    if (q.modifiedFrom === undefined && q.modifiedTo === undefined) {
      yield* shop.all;
      return;
    }
    const from = Math.floor((q.modifiedFrom ?? 0) / BUCKET_MS);
    const to = Math.floor((q.modifiedTo ?? Number.MAX_SAFE_INTEGER) / BUCKET_MS);
    if (to - from + 1 > shop.buckets.size) {
      for (const [k, set] of shop.buckets) if (k >= from && k <= to) yield* set;
      return;
    }
    for (let k = from; k <= to; k++) {
      const set = shop.buckets.get(k);
      if (set) yield* set;
    }
  }

  private shop(platform: SbPlatform, shopId: string): ShopIndex {
    const key = `${platform}|${shopId}`;
    let s = this.shops.get(key);
    if (!s) {
      s = { buckets: new Map(), all: new Set() };
      this.shops.set(key, s);
    }
    return s;
  }

  private bucketOf(shop: ShopIndex, modifiedAt: number): Set<SbOrder> {
    const k = Math.floor(modifiedAt / BUCKET_MS);
    let set = shop.buckets.get(k);
    if (!set) {
      set = new Set();
      shop.buckets.set(k, set);
    }
    return set;
  }
}

function matches(o: SbOrder, q: OrderQuery): boolean {
  if (q.modifiedFrom !== undefined && o.modifiedAt < q.modifiedFrom) return false;
  if (q.modifiedTo !== undefined && o.modifiedAt > q.modifiedTo) return false;
  if (q.createdFrom !== undefined && o.createdAt < q.createdFrom) return false;
  if (q.createdTo !== undefined && o.createdAt > q.createdTo) return false;
  if (q.stages && !q.stages.includes(o.stage)) return false;
  return true;
}
