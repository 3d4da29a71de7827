import { SeededRandom } from './random.js';
import type { SbOrder, SbPlatform, SbShop } from './types.js';
import { CARRIERS, newOrderId, newTrackingNo, randomLines, randomReceiver } from './world-defaults.js';
import type { MemoryWorld } from './world.js';

const MIN = 60_000;
const HOUR = 3_600_000;

export interface GeneratorOptions {
  shops: number;
  perMinute: number;
  seed: number;
  /** Shops are spread over these platforms in turn. */
  platforms?: SbPlatform[];
}

/** What happens to a generated order; drawn once per order from the generator's own stream. */
type Fate = 'unpaid' | 'refund' | 'normal' | 'stall' | 'never_collected' | 'signed_not_received' | 'out_of_stock';

const FATES: [Fate, number][] = [
  ['unpaid', 0.12], ['refund', 0.02], ['stall', 0.03], ['never_collected', 0.01],
  ['signed_not_received', 0.01], ['out_of_stock', 0.02], ['normal', 1],
];

/**
 * Seeded load: N shops × M orders per minute, each order given a fate and a lifecycle
 * (pay after minutes, ship after hours, parcels at zone speed). Same seed → same orders, ids and fates.
 */
export class LoadGenerator {
  readonly rng: SeededRandom;
  private shopList: SbShop[] = [];
  private timer?: NodeJS.Timeout;
  private carry = 0;
  private lastTick = 0;
  generated = 0;

  constructor(
    private readonly world: MemoryWorld,
    private readonly schedule: (at: number, fn: () => void) => () => void,
    readonly opts: GeneratorOptions,
  ) {
    this.rng = new SeededRandom(opts.seed);
  }

  /** Create (once) the generator's apps and shops, each mirrored into a Jushuitan shop. */
  ensureShops(): SbShop[] {
    if (this.shopList.length > 0) return this.shopList;
    const platforms = this.opts.platforms ?? ['taobao', 'pinduoduo', 'kuaishou'];
    for (const p of platforms) if (!this.world.app(p, `gen-${p}`)) this.world.addApp({ platform: p, appKey: `gen-${p}`, appSecret: `gen-${p}-secret`, signSecret: `gen-${p}-sign` });
    for (let i = 0; i < this.opts.shops; i++) {
      const platform = platforms[i % platforms.length];
      const shopId = `${9_100_000 + i}`;
      this.shopList.push(this.world.shop(platform, shopId) ?? this.world.addShop({ platform, shopId, appKey: `gen-${platform}`, name: `压测店铺${i + 1}`, erpShopId: `${18_000_000 + i}` }));
    }
    return this.shopList;
  }

  /** `count` orders created at `at`, spread round-robin over the shops. */
  generate(count: number, at: number): SbOrder[] {
    const shops = this.ensureShops();
    const out: SbOrder[] = [];
    for (let i = 0; i < count; i++) {
      const shop = shops[this.generated % shops.length];
      out.push(this.one(shop, at));
      this.generated++;
    }
    return out;
  }

  /** Keep generating at perMinute in sandbox time, checked every `intervalMs` of real time. */
  start(intervalMs = 1000): void {
    this.ensureShops();
    this.lastTick = this.world.clock.now();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  tick(): number {
    const now = this.world.clock.now();
    const due = ((now - this.lastTick) / MIN) * this.opts.perMinute + this.carry;
    const n = Math.floor(due);
    this.carry = due - n;
    this.lastTick = now;
    this.generate(n, now);
    return n;
  }

  private one(shop: SbShop, at: number): SbOrder {
    const r = this.rng;
    const orderId = newOrderId(shop.platform, at, r);
    const order = this.world.addOrder(
      { platform: shop.platform, shopId: shop.shopId, orderId, receiver: randomReceiver(r), lines: randomLines(r, orderId), buyerNick: `买家${r.alnum(6)}`, buyerOpenUid: `AAH${r.alnum(21)}`, oaid: r.alnum(40), createdAt: at },
      at,
    );
    const roll = r.next();
    let acc = 0;
    const fate = (FATES.find(([, p]) => (acc += p) >= roll) ?? FATES[FATES.length - 1])[0];
    if (fate !== 'unpaid') this.lifecycle(order, fate, at);
    return order;
  }

  private lifecycle(order: SbOrder, fate: Fate, at: number): void {
    const r = this.rng;
    const { platform, orderId } = order;
    const payAt = at + r.int(1, 20) * MIN;
    const shipAt = payAt + r.int(2, 30) * HOUR;
    const carrierCode = r.pick(Object.keys(CARRIERS).slice(0, 6));
    const trackingNo = newTrackingNo(carrierCode, r);
    this.schedule(payAt, () => {
      this.world.pay(platform, orderId, payAt);
      if (fate === 'out_of_stock') {
        const erp = this.world.mirrorToErp(platform, orderId, payAt);
        if (erp) this.world.setOutOfStock(erp.oId, true, payAt);
      }
    });
    if (fate === 'refund') {
      const closeAt = payAt + r.int(10, 300) * MIN;
      this.schedule(closeAt, () => this.world.close(platform, orderId, closeAt));
      return;
    }
    if (fate === 'out_of_stock') return;
    const stallAfter = shipAt + r.int(6, 30) * HOUR;
    this.schedule(shipAt, () => {
      if (order.stage !== 'paid') return;
      this.world.ship(platform, orderId, { carrierCode, trackingNo, plan: fate === 'never_collected' ? 'none' : 'auto', signedNotReceived: fate === 'signed_not_received' }, shipAt);
      if (fate === 'stall') this.world.stallTracking(trackingNo, stallAfter);
    });
  }
}
