/**
 * The load of a fault run and the ledger of what it should cause. Kuaishou orders are placed in the
 * sandbox at a steady rate of events (each placement and each payment is one push to the webhook); a
 * share is paid a second later, the rest stay unpaid and are due one unpaid reminder each. An in-sale
 * agent asks for a ship-date remark on a share of the paid orders as soon as kefu-bridge shows them paid,
 * asking again after a failed answer, as a person would; an after-sale agent files a reship (补发) for an
 * order every few seconds, again until the API accepts it. The ledger remembers every order and what
 * was asked, for the comparison at the end.
 */
import { shanghaiParts } from '../../src/common/shanghai-time.js';
import type { WorldEvent } from '../../src/sandbox/core/contract.js';
import { SeededRandom } from '../../src/sandbox/core/random.js';
import type { SbOrder } from '../../src/sandbox/core/types.js';
import type { FaultWorld } from './fault-world.js';
import { ok, type Api } from './http.js';

export interface Tracked {
  orderId: string;
  pay: boolean;
  wantRemark: boolean;
  probe: boolean;
  /** kefu-bridge's id, once it shows the order paid. */
  kefuId?: number;
  remark: Attempts;
  reship?: Attempts;
  /** First time the agent's ship-date note reached the platform. */
  notedAt?: number;
}

/** Requests a person keeps making until the API accepts one. */
export interface Attempts {
  accepted: boolean;
  tries: number;
  /** Tries answered with 5xx or no answer at all: the request may have been stored anyway. */
  unclear: number;
  retryAt: number;
}

export interface LoadOptions {
  eventsPerS: number;
  paidShare: number;
  remarkShare: number;
  reshipEveryMs: number;
  seed: number;
}

const RETRY_MS = 2000;
const IN_FLIGHT = 8;
const newAttempts = (): Attempts => ({ accepted: false, tries: 0, unclear: 0, retryAt: 0 });

export class Ledger {
  readonly orders = new Map<string, Tracked>();
  readonly shipDate: { month: number; day: number };
  /** The remark body the agent asks for, e.g. 12月7日发货. */
  readonly shipBody: string;

  constructor() {
    this.shipDate = shanghaiParts(Date.now() + 3 * 86_400_000);
    this.shipBody = `${this.shipDate.month}月${this.shipDate.day}日发货`;
  }

  track(order: SbOrder, t: Pick<Tracked, 'pay' | 'wantRemark' | 'probe'>): Tracked {
    const entry: Tracked = { orderId: order.orderId, ...t, remark: newAttempts() };
    this.orders.set(order.orderId, entry);
    return entry;
  }

  all(): Tracked[] {
    return [...this.orders.values()];
  }
}

export class LoadDriver {
  private readonly rng: SeededRandom;
  private readonly toPay: { orderId: string; at: number }[] = [];
  private timers: NodeJS.Timeout[] = [];
  private offTick = false;
  private placing = false;
  private events = 0;
  private eventsStartedAt = 0;
  private inFlight = 0;
  private lastReshipAt = 0;
  private readonly off: () => void;
  agentCalls = { remark: 0, reship: 0, lookups: 0 };

  constructor(
    private readonly w: FaultWorld,
    readonly ledger: Ledger,
    private readonly opts: LoadOptions,
  ) {
    this.rng = new SeededRandom(opts.seed);
    this.off = w.sb.world.on((ev: WorldEvent) => this.onWorld(ev));
  }

  /** Starts the agents; `startPlacing` adds the order load. */
  start(): void {
    this.timers.push(setInterval(() => void this.agentTick(), 500));
    this.timers.push(setInterval(() => this.loadTick(), 50));
  }

  startPlacing(): void {
    this.placing = true;
    this.events = 0;
    this.eventsStartedAt = Date.now();
    this.lastReshipAt = Date.now();
  }

  /** Stops placing orders; payments already planned still happen, the agents go on. */
  stopPlacing(): number {
    this.placing = false;
    return this.events;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.off();
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  }

  get eventsOffered(): number {
    return this.events;
  }

  private onWorld(ev: WorldEvent): void {
    if (ev.kind !== 'order.memo' || !ev.entry.by.startsWith('api:') || !ev.entry.text.includes(this.ledger.shipBody)) return;
    const t = this.ledger.orders.get(ev.order.orderId);
    if (t && t.notedAt === undefined) t.notedAt = Date.now();
  }

  private loadTick(): void {
    const now = Date.now();
    while (this.toPay.length && this.toPay[0].at <= now) {
      this.w.sb.world.pay('kuaishou', this.toPay.shift()!.orderId);
      this.events++;
    }
    if (!this.placing) return;
    const due = Math.floor(((now - this.eventsStartedAt) * this.opts.eventsPerS) / 1000);
    while (this.events < due) {
      const order = this.w.place();
      const pay = this.rng.next() < this.opts.paidShare;
      this.ledger.track(order, { pay, wantRemark: pay && this.rng.next() < this.opts.remarkShare, probe: false });
      if (pay) this.toPay.push({ orderId: order.orderId, at: now + 1000 });
      this.events++;
    }
    if (now - this.lastReshipAt >= this.opts.reshipEveryMs) {
      const candidate = this.ledger.all().find((t) => t.remark.accepted && !t.reship && !t.probe);
      if (candidate) {
        candidate.reship = newAttempts();
        this.lastReshipAt = now;
      }
    }
  }

  /** Places an order paid at once whose remark the agent asks for: what a recovery probe follows. */
  placeProbe(): Tracked {
    const order = this.w.place();
    const t = this.ledger.track(order, { pay: true, wantRemark: true, probe: true });
    this.w.sb.world.pay('kuaishou', order.orderId);
    return t;
  }

  private async agentTick(): Promise<void> {
    if (this.offTick) return;
    this.offTick = true;
    try {
      await this.lookUpPaid();
      const now = Date.now();
      for (const t of this.ledger.all()) {
        if (this.inFlight >= IN_FLIGHT) break;
        if (t.kefuId !== undefined && t.wantRemark && !t.remark.accepted && t.remark.retryAt <= now) this.request(t.remark, () => this.askRemark(t));
        if (this.inFlight >= IN_FLIGHT) break;
        if (t.reship && !t.reship.accepted && t.reship.retryAt <= now) this.request(t.reship, () => this.fileReship(t));
      }
    } finally {
      this.offTick = false;
    }
  }

  /** Which wanted orders kefu-bridge now shows paid (what the agent sees before asking). */
  private async lookUpPaid(): Promise<void> {
    const waiting = this.ledger.all().filter((t) => t.wantRemark && t.kefuId === undefined).map((t) => t.orderId);
    for (let i = 0; i < waiting.length; i += 500) {
      try {
        this.agentCalls.lookups++;
        const [rows] = await this.w.db.query(`SELECT id, platform_order_id AS pid FROM orders WHERE platform = 'kuaishou' AND status = 'paid' AND platform_order_id IN (?)`, [waiting.slice(i, i + 500)]);
        for (const r of rows as { id: number; pid: string }[]) this.ledger.orders.get(r.pid)!.kefuId = Number(r.id);
      } catch {
        return; // the database is down: look again on the next tick
      }
    }
  }

  private request(a: Attempts, call: () => Promise<number>): void {
    a.tries++;
    a.retryAt = Number.POSITIVE_INFINITY;
    this.inFlight++;
    void call()
      .then((status) => {
        if (status >= 200 && status <= 299) a.accepted = true;
        else {
          if (status === 0 || status >= 500) a.unclear++;
          a.retryAt = Date.now() + RETRY_MS;
        }
      })
      .finally(() => this.inFlight--);
  }

  private async askRemark(t: Tracked): Promise<number> {
    this.agentCalls.remark++;
    const { month, day } = this.ledger.shipDate;
    const res = await this.w.inSale.call('POST', `/api/orders/${t.kefuId}/remarks`, { kind: 'ship_date', month, day, targets: ['marketplace'] });
    return res.status;
  }

  private async fileReship(t: Tracked): Promise<number> {
    this.agentCalls.reship++;
    const agent: Api = this.w.afterSale;
    const order = await agent.call('GET', `/api/orders/${t.kefuId}`);
    if (!ok(order)) return order.status;
    const line = (order.body as { lines?: { skuId?: string; outerSkuId?: string }[] }).lines?.[0];
    const skuId = line?.outerSkuId ?? line?.skuId;
    if (!skuId) return 422;
    const res = await agent.call('POST', '/api/reships', { orderId: t.kefuId, lines: [{ skuId, qty: 1 }], reason: 'lost', responsibleParty: 'courier' });
    return res.status;
  }
}
