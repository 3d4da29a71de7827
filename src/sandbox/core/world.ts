import type { ErpOrderQuery, OrderQuery, SandboxClock, SandboxWorld, SbService, WorldEvent } from './contract.js';
import { ErpBook, type ErpOptions } from './erp-book.js';
import { zoneOf } from './geo-data.js';
import { OrderIndex } from './order-index.js';
import { SeededRandom } from './random.js';
import { TokenStore } from './token-store.js';
import { TrackBook } from './track-book.js';
import { planTrack } from './track-planner.js';
import type { SbApp, SbBuyerMessage, SbErpOrder, SbFlag, SbMemoEntry, SbOrder, SbPlatform, SbReceiver, SbReship, SbShipment, SbShop, SbTrackEvent, SbZone } from './types.js';
import { CARRIERS, newOrderId, newTrackingNo, randomLines, randomReceiver } from './world-defaults.js';

const MIN = 60_000;
const DAY = 86_400_000;

export interface WorldOptions extends Partial<ErpOptions> {
  clock: SandboxClock;
  schedule(atMs: number, fn: () => void): () => void;
  seed?: number;
  /** Unpaid orders close this long after creation. Taobao 3 d (documented); others [UNVERIFIED], configurable. */
  autoCloseMs?: Partial<Record<SbPlatform, number>>;
  /** Delivered → finished (buyer confirms or the platform auto-confirms). [UNVERIFIED] default 7 d. */
  finishAfterMs?: number;
}

export const DEFAULT_AUTO_CLOSE_MS: Record<SbPlatform, number> = { taobao: 3 * DAY, kuaishou: 30 * MIN, pinduoduo: DAY, jushuitan: 3 * DAY };

export interface ShipInput {
  carrierCode: string;
  trackingNo?: string;
  sendType?: 'online' | 'offline';
  /** 'auto' plans scans at zone speed; 'none' leaves the parcel silent (never collected, vanished, explicit scans). */
  plan?: 'auto' | 'none';
  signedNotReceived?: boolean;
}

type NewOrder = Partial<SbOrder> & Pick<SbOrder, 'platform' | 'shopId'>;

/** The sandbox's single source of truth: apps, shops, orders, parcels, ERP copies, messages. */
export class MemoryWorld implements SandboxWorld {
  readonly clock: SandboxClock;
  readonly rng: SeededRandom;
  readonly erp: ErpBook;
  readonly tracks: TrackBook;
  readonly tokens: TokenStore;
  private readonly index = new OrderIndex();
  private readonly appsByKey = new Map<string, SbApp>();
  private readonly shopsByKey = new Map<string, SbShop>();
  private readonly messages: SbBuyerMessage[] = [];
  private readonly listeners = new Set<(ev: WorldEvent) => void>();
  private readonly autoCloseMs: Record<SbPlatform, number>;
  private readonly finishAfterMs: number;
  private readonly closeTimers = new Map<SbOrder, () => void>();

  constructor(private readonly opts: WorldOptions) {
    this.clock = opts.clock;
    this.rng = new SeededRandom(opts.seed ?? 1);
    this.autoCloseMs = { ...DEFAULT_AUTO_CLOSE_MS, ...(opts.autoCloseMs ?? {}) };
    this.finishAfterMs = opts.finishAfterMs ?? 7 * DAY;
    this.tokens = new TokenStore(this.clock, () => this.rng.next());
    const emit = (ev: WorldEvent): void => this.emit(ev);
    this.tracks = new TrackBook({
      schedule: opts.schedule,
      emit,
      onEvent: (o, at) => o.order && this.index.touch(o.order, Math.max(o.order.modifiedAt, at)),
      onSigned: (o, at) => o.order && this.deliver(o.order.platform, o.order.orderId, at),
    });
    this.erp = new ErpBook(
      { schedule: opts.schedule, emit, now: () => this.clock.now(), shipReplacement: (e, at) => this.shipReplacement(e, at) },
      { auditDelayMs: opts.auditDelayMs ?? 10 * MIN, fConfirmDelayMs: opts.fConfirmDelayMs ?? 5 * MIN, reshipShipDelayMs: opts.reshipShipDelayMs ?? 30 * MIN },
    );
  }

  // ---- apps, shops, tokens

  addApp(app: SbApp): SbApp {
    this.appsByKey.set(`${app.platform}|${app.appKey}`, app);
    return app;
  }

  app(service: SbService, appKey: string): SbApp | undefined {
    return this.appsByKey.get(`${service}|${appKey}`);
  }

  apps(service?: SbService): SbApp[] {
    return [...this.appsByKey.values()].filter((a) => !service || a.platform === service);
  }

  addShop(input: Partial<SbShop> & Pick<SbShop, 'platform' | 'shopId' | 'appKey'>): SbShop {
    const shop: SbShop = { name: `${input.platform}-${input.shopId}`, tokens: [], warehouseProvince: '广东省', ...input };
    this.shopsByKey.set(`${shop.platform}|${shop.shopId}`, shop);
    this.tokens.register(shop);
    return shop;
  }

  shop(platform: SbPlatform, shopId: string): SbShop | undefined {
    return this.shopsByKey.get(`${platform}|${shopId}`);
  }

  shops(platform?: SbPlatform): SbShop[] {
    return [...this.shopsByKey.values()].filter((s) => !platform || s.platform === platform);
  }

  tokenLookup(platform: SbPlatform, accessToken: string): ReturnType<SandboxWorld['tokenLookup']> {
    return this.tokens.lookup(platform, accessToken);
  }

  refreshLookup(platform: SbPlatform, refreshToken: string): ReturnType<SandboxWorld['refreshLookup']> {
    return this.tokens.refreshLookup(platform, refreshToken);
  }

  issueToken(platform: SbPlatform, shopId: string, opts: Parameters<SandboxWorld['issueToken']>[2]): ReturnType<SandboxWorld['issueToken']> {
    return this.tokens.issue(this.requireShop(platform, shopId), opts);
  }

  createAuthCode(platform: SbPlatform, shopId: string): string {
    return this.tokens.createCode(this.requireShop(platform, shopId));
  }

  takeAuthCode(platform: SbPlatform, code: string): SbShop | undefined {
    return this.tokens.takeCode(platform, code);
  }

  expireTokens(platform: SbPlatform, shopId: string): void {
    this.tokens.expireAll(this.requireShop(platform, shopId));
  }

  // ---- marketplace orders

  order(platform: SbPlatform, orderId: string): SbOrder | undefined {
    return this.index.get(platform, orderId);
  }

  orders(q: OrderQuery): SbOrder[] {
    return this.index.query(q);
  }

  get orderCount(): number {
    return this.index.size;
  }

  /** A new order (unpaid unless `stage` says otherwise); unpaid ones close at autoCloseAt. */
  addOrder(input: NewOrder, at = this.clock.now()): SbOrder {
    const createdAt = input.createdAt ?? at;
    const orderId = input.orderId ?? newOrderId(input.platform, createdAt, this.rng);
    const receiver = input.receiver ?? randomReceiver(this.rng);
    const lines = input.lines ?? randomLines(this.rng, orderId);
    const goods = lines.reduce((s, l) => s + l.qty * l.priceFen, 0);
    const order: SbOrder = {
      stage: 'unpaid', createdAt, modifiedAt: createdAt, buyerNick: `买家${this.rng.alnum(6)}`,
      buyerOpenUid: `AAH${this.rng.alnum(21)}`, oaid: this.rng.alnum(40), totalFen: goods, postFeeFen: 0,
      memo: '', flag: 'none', memoHistory: [], ...input, orderId, receiver, lines,
    };
    if (order.stage === 'unpaid') order.autoCloseAt ??= createdAt + this.autoCloseMs[order.platform];
    this.index.add(order);
    this.emit({ kind: 'order.created', order });
    if (order.stage === 'unpaid' && order.autoCloseAt !== undefined) this.armAutoClose(order, order.autoCloseAt);
    if (order.stage === 'paid') this.mirrorToErp(order.platform, order.orderId, order.paidAt ?? createdAt);
    return order;
  }

  pay(platform: SbPlatform, orderId: string, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (order.stage !== 'unpaid') throw new Error(`order ${orderId} is ${order.stage}, cannot pay`);
    this.closeTimers.get(order)?.();
    this.closeTimers.delete(order);
    order.stage = 'paid';
    order.paidAt = at;
    this.index.touch(order, at);
    this.emit({ kind: 'order.paid', order });
    this.mirrorToErp(platform, orderId, at);
    return order;
  }

  ship(platform: SbPlatform, orderId: string, input: ShipInput, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (order.stage !== 'paid' && order.stage !== 'shipped') throw new Error(`order ${orderId} is ${order.stage}, cannot ship`);
    const shop = this.requireShop(platform, order.shopId);
    const shipment = this.newShipment(input, at);
    order.shipment = shipment;
    order.stage = 'shipped';
    this.index.touch(order, at);
    this.tracks.register(shipment, { order });
    if ((input.plan ?? 'auto') === 'auto') this.tracks.addEvents(shipment.trackingNo, this.plan(shop.warehouseProvince, order.receiver, shipment, input.signedNotReceived));
    const erp = shop.erpShopId ? this.erp.bySoId(shop.erpShopId, orderId) : undefined;
    if (erp) {
      this.tracks.attachErp(shipment.trackingNo, erp);
      this.erp.shipped(erp, shipment, at);
    }
    this.emit({ kind: 'order.shipped', order });
    return order;
  }

  /** An explicit scan (scenario steps collect/transit/deliver). */
  addTrackEvent(trackingNo: string, ev: SbTrackEvent): void {
    this.tracks.addEvents(trackingNo, [ev]);
  }

  stallTracking(trackingNo: string, after: number): void {
    this.tracks.stall(trackingNo, after);
  }

  deliver(platform: SbPlatform, orderId: string, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (order.stage !== 'shipped') return order;
    order.stage = 'delivered';
    this.index.touch(order, Math.max(order.modifiedAt, at));
    this.emit({ kind: 'order.delivered', order });
    const finishAt = at + this.finishAfterMs;
    this.opts.schedule(finishAt, () => this.finish(platform, orderId, finishAt));
    return order;
  }

  finish(platform: SbPlatform, orderId: string, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (order.stage !== 'delivered' && order.stage !== 'shipped') return order;
    order.stage = 'finished';
    this.index.touch(order, Math.max(order.modifiedAt, at));
    this.emit({ kind: 'order.finished', order });
    return order;
  }

  /** Closed unpaid (timeout / cancel) or, once paid, closed by refund. */
  close(platform: SbPlatform, orderId: string, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (order.stage.startsWith('closed') || order.stage === 'finished') return order;
    order.stage = order.stage === 'unpaid' ? 'closed_unpaid' : 'closed_refunded';
    order.closedAt = at;
    this.closeTimers.get(order)?.();
    this.closeTimers.delete(order);
    this.index.touch(order, Math.max(order.modifiedAt, at));
    this.emit({ kind: 'order.closed', order });
    const erp = this.erpFor(order);
    if (erp) this.erp.cancelled(erp, at);
    return order;
  }

  writeMemo(platform: SbPlatform, orderId: string, change: { text: string; flag?: SbFlag; by: string; op: SbMemoEntry['op'] }, at = this.clock.now()): SbOrder {
    const order = this.requireOrder(platform, orderId);
    if (change.op === 'reset') order.memo = '';
    else if (change.op === 'append') order.memo = order.memo ? `${order.memo}\n${change.text}` : change.text;
    else if (change.text !== '' || change.op === 'add') order.memo = change.text;
    if (change.flag !== undefined) order.flag = change.flag;
    const entry: SbMemoEntry = { time: at, by: change.by, text: change.op === 'append' ? change.text : order.memo, flag: order.flag, op: change.op };
    order.memoHistory.push(entry);
    this.index.touch(order, Math.max(order.modifiedAt, at));
    this.emit({ kind: 'order.memo', order, entry });
    return order;
  }

  setReceiver(platform: SbPlatform, orderId: string, receiver: Partial<SbReceiver>): SbOrder {
    const order = this.requireOrder(platform, orderId);
    order.receiver = { ...order.receiver, ...receiver };
    this.index.touch(order, this.clock.now());
    this.emit({ kind: 'order.address', order });
    return order;
  }

  // ---- ERP

  mirrorToErp(platform: SbPlatform, orderId: string, at = this.clock.now()): SbErpOrder | undefined {
    const order = this.requireOrder(platform, orderId);
    const shop = this.requireShop(platform, order.shopId);
    return shop.erpShopId ? this.erp.mirror(order, shop.erpShopId, at) : undefined;
  }

  auditErp(oId: string, at = this.clock.now()): SbErpOrder {
    return this.erp.audit(oId, at);
  }

  setOutOfStock(oId: string, outOfStock = true, at = this.clock.now()): SbErpOrder {
    return this.erp.setOutOfStock(oId, outOfStock, at);
  }

  erpOrder(oId: string): SbErpOrder | undefined {
    return this.erp.get(oId);
  }

  erpOrderBySoId(erpShopId: string, soId: string): SbErpOrder | undefined {
    return this.erp.bySoId(erpShopId, soId);
  }

  erpOrders(q: ErpOrderQuery): SbErpOrder[] {
    return this.erp.query(q);
  }

  writeErpRemark(oId: string, text: string, by: string): SbErpOrder {
    return this.erp.writeRemark(oId, text, by);
  }

  setErpLabels(oId: string, add: string[], remove: string[]): SbErpOrder {
    return this.erp.setLabels(oId, add, remove);
  }

  setErpQuestion(oId: string, questionType: string, desc: string): SbErpOrder {
    return this.erp.setQuestion(oId, questionType, desc);
  }

  setErpReceiver(oId: string, receiver: Partial<SbReceiver>, by: string): SbErpOrder {
    return this.erp.setReceiver(oId, receiver, by);
  }

  createReship(input: Parameters<SandboxWorld['createReship']>[0]): SbReship {
    return this.erp.createReship(input);
  }

  reships(): SbReship[] {
    return this.erp.reships();
  }

  // ---- parcels, geography, messages, events

  shipmentByTracking(trackingNo: string): ReturnType<SandboxWorld['shipmentByTracking']> {
    return this.tracks.lookup(trackingNo);
  }

  zoneOf(warehouseProvince: string, destProvince: string): SbZone {
    return zoneOf(warehouseProvince, destProvince);
  }

  recordBuyerMessage(msg: Omit<SbBuyerMessage, 'time'>): SbBuyerMessage {
    const m = { ...msg, time: this.clock.now() };
    this.messages.push(m);
    return m;
  }

  buyerMessages(): SbBuyerMessage[] {
    return [...this.messages];
  }

  on(listener: (ev: WorldEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(ev: WorldEvent): void {
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (err) {
        console.error('sandbox: world listener failed', err);
      }
    }
  }

  private armAutoClose(order: SbOrder, at: number): void {
    this.closeTimers.set(order, this.opts.schedule(at, () => {
      if (order.stage === 'unpaid') this.close(order.platform, order.orderId, at);
    }));
  }

  private newShipment(input: ShipInput, at: number): SbShipment {
    const carrierCode = input.carrierCode.toLowerCase();
    return {
      carrierCode, carrierName: CARRIERS[carrierCode] ?? carrierCode, trackingNo: input.trackingNo ?? newTrackingNo(carrierCode, this.rng),
      consignedAt: at, events: [], pending: [], sendType: input.sendType ?? 'online',
    };
  }

  private plan(warehouse: string, dest: SbReceiver, shipment: SbShipment, signedNotReceived?: boolean): SbTrackEvent[] {
    const originCity = warehouse.startsWith('广东') ? '深圳市' : `${warehouse.replace(/(省|市|自治区)$/, '')}`;
    return planTrack({ consignedAt: shipment.consignedAt, zone: zoneOf(warehouse, dest.province), originCity, dest, carrierName: shipment.carrierName, rand: () => this.rng.next(), signedNotReceived });
  }

  private shipReplacement(erp: SbErpOrder, at: number): SbShipment {
    const shipment = this.newShipment({ carrierCode: 'zhongtong' }, at);
    this.tracks.register(shipment, { erpOrder: erp });
    const shop = this.shops().find((s) => s.erpShopId === erp.erpShopId);
    this.tracks.addEvents(shipment.trackingNo, this.plan(shop?.warehouseProvince ?? '广东省', erp.receiver, shipment));
    return shipment;
  }

  private erpFor(order: SbOrder): SbErpOrder | undefined {
    const shop = this.shop(order.platform, order.shopId);
    return shop?.erpShopId ? this.erp.bySoId(shop.erpShopId, order.orderId) : undefined;
  }

  private requireShop(platform: SbPlatform, shopId: string): SbShop {
    const s = this.shop(platform, shopId);
    if (!s) throw new Error(`unknown ${platform} shop ${shopId}`);
    return s;
  }

  private requireOrder(platform: SbPlatform, orderId: string): SbOrder {
    const o = this.order(platform, orderId);
    if (!o) throw new Error(`unknown ${platform} order ${orderId}`);
    return o;
  }
}
