/**
 * A seeded day of marketplace activity in the sandbox: orders placed through the day, most paid within
 * minutes, many shipped hours later, some memos written by agents in the seller console, a few cancelled
 * or refunded. Every change happens inside the day, so once it ends the platforms hold still and the
 * service can be compared with them.
 */
import { SeededRandom } from '../../../src/sandbox/core/random.js';
import type { SbOrder } from '../../../src/sandbox/core/types.js';
import type { RunningSandbox } from '../../../src/sandbox/server.js';
import type { LiveShop } from './live-env.js';

const MIN = 60_000;
const CARRIERS = ['zhongtong', 'yuantong', 'shentong', 'yunda', 'shunfeng', 'jtexpress'];

export interface DayPlan {
  start: number;
  end: number;
  ordersPerShop: number;
}

export class DayDriver {
  private readonly rng: SeededRandom;
  private memoSeq = 0;
  placed = 0;

  constructor(
    private readonly sb: RunningSandbox,
    private readonly shops: LiveShop[],
    seed: number,
  ) {
    this.rng = new SeededRandom(seed);
  }

  /** Schedules the whole day in the sandbox's virtual time; it happens as the clock is advanced. */
  plan(p: DayPlan): void {
    // Orders stop an hour before the end, so their payment and most follow-ups fall inside the day.
    const placing = p.end - p.start - 60 * MIN;
    for (const shop of this.shops) {
      for (let i = 0; i < p.ordersPerShop; i++) {
        const at = p.start + Math.floor(this.rng.next() * placing);
        this.at(at, p.end, () => this.place(shop, at, p.end));
      }
    }
  }

  /** Each change is stamped with the time it was due, not the later moment the clock jump ran it. */
  private at(when: number, end: number, fn: (when: number) => void): void {
    if (when < end) this.sb.core.scheduler.schedule(when, () => fn(when));
  }

  private place(shop: LiveShop, at: number, end: number): void {
    const world = this.sb.world;
    const order = world.addOrder({ platform: shop.platform, shopId: shop.platformShopId, createdAt: at }, at);
    this.placed++;
    const roll = this.rng.next();
    if (roll < 0.1) {
      // Never paid; half of them cancelled by the buyer later that day.
      if (this.rng.next() < 0.5) this.at(at + this.rng.int(5, 120) * MIN, end, (t) => world.close(order.platform, order.orderId, t));
      return;
    }
    const paidAt = at + this.rng.int(1, 20) * MIN;
    this.at(paidAt, end, () => this.afterPayment(order, paidAt, end));
  }

  private afterPayment(order: SbOrder, paidAt: number, end: number): void {
    const world = this.sb.world;
    world.pay(order.platform, order.orderId, paidAt);
    if (this.rng.next() < 0.12) this.at(paidAt + this.rng.int(5, 180) * MIN, end, (t) => this.memo(order, t));
    if (this.rng.next() < 0.03) {
      this.at(paidAt + this.rng.int(10, 120) * MIN, end, (t) => world.close(order.platform, order.orderId, t));
      return;
    }
    if (this.rng.next() < 0.6) {
      const carrierCode = this.rng.pick(CARRIERS);
      // Parcels stay silent here (their scans are the tracking work's): the waybill is what is compared.
      this.at(paidAt + this.rng.int(30, 600) * MIN, end, (t) => {
        if (order.stage === 'paid') world.ship(order.platform, order.orderId, { carrierCode, plan: 'none' }, t);
      });
    }
  }

  /** An agent writes the memo in the seller console; Kuaishou only ever appends notes. */
  private memo(order: SbOrder, at: number): void {
    if (order.stage.startsWith('closed')) return;
    const text = `客服备注${++this.memoSeq}:${this.rng.pick(['发顺丰', '改地址', '送小礼品', '加急', '开发票'])}`;
    const flag = this.rng.pick(['red', 'yellow', 'green', 'blue'] as const);
    this.sb.world.writeMemo(order.platform, order.orderId, { text, flag, by: 'human:kf01', op: order.platform === 'kuaishou' ? 'append' : 'update' }, at);
  }
}
