import { stringify } from 'lossless-json';
import type { SandboxContext, WorldEvent } from '../../core/contract.js';
import type { SbApp, SbOrder, SbShop } from '../../core/types.js';
import { KS_TIMES } from './kuaishou.constants.js';
import { idNumber, kuaishouStatus, sellerOpenId } from './kuaishou-order.mapper.js';
import { encryptKuaishouPush } from './kuaishou-push.cipher.js';
import { isAck, postPush } from './kuaishou-push.sender.js';

/** World events that Kuaishou announces, by its event names (消息服务说明). */
const EVENT_NAMES: Partial<Record<WorldEvent['kind'], string>> = {
  'order.created': 'kwaishop_order_addOrder',
  'order.paid': 'kwaishop_order_paySuccess',
  'order.shipped': 'kwaishop_order_delivering',
  'order.delivered': 'kwaishop_order_deliverySuccess',
  'order.finished': 'kwaishop_order_orderSuccess',
  'order.closed': 'kwaishop_order_orderFail',
};

interface PushMessage {
  eventId: string;
  event: string;
  shopId?: string;
  app: SbApp;
  plaintext: string;
}

/**
 * Turns world events into encrypted HTTPS pushes to the app's pushUrl. A push counts as delivered only
 * when the receiver answers HTTP 200 `{"result":1}` within 3 s; otherwise it is retried 5 times at 5,
 * 10, 20, 30 and 60 minutes of sandbox time. Drop / duplicate / reorder / delay faults apply here.
 */
export class KuaishouPushDispatcher {
  private seq = 0;
  private held: PushMessage[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe?: () => void;

  constructor(private readonly ctx: SandboxContext) {}

  start(): void {
    this.unsubscribe ??= this.ctx.world.on((ev) => this.onEvent(ev));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /** The `{"test":true}` message the platform sends when a push URL is saved. */
  sendTest(app: SbApp): void {
    const eventId = this.nextEventId();
    this.dispatch({ eventId, event: 'test', app, plaintext: '{"test":true}' });
  }

  private onEvent(ev: WorldEvent): void {
    const event = EVENT_NAMES[ev.kind];
    if (!event || !('order' in ev) || !ev.order || ev.order.platform !== 'kuaishou') return;
    const shop = this.ctx.world.shop('kuaishou', ev.order.shopId);
    const app = shop ? this.ctx.world.app('kuaishou', shop.appKey) : undefined;
    if (!shop || !app?.pushUrl || !app.pushAesKey) return;
    const eventId = this.nextEventId();
    const plaintext = this.message(eventId, event, ev.order, shop, app);
    this.dispatch({ eventId, event, shopId: shop.shopId, app, plaintext });
  }

  /** Unique per push and stable across its retries: receivers dedupe on it. */
  private nextEventId(): string {
    this.seq += 1;
    return `${this.ctx.world.clock.now()}${String(this.seq).padStart(6, '0')}`;
  }

  private message(eventId: string, event: string, order: SbOrder, shop: SbShop, app: SbApp): string {
    const now = this.ctx.world.clock.now();
    const openId = sellerOpenId(shop);
    const info =
      event === 'kwaishop_order_addOrder'
        ? { oid: idNumber(order.orderId), sellerId: idNumber(shop.shopId), createTime: order.createdAt, openId, buyerOpenId: order.buyerOpenUid, customizedInfo: '' }
        : { oid: idNumber(order.orderId), sellerId: idNumber(shop.shopId), status: kuaishouStatus(order.stage), updateTime: order.modifiedAt };
    const body = {
      eventId,
      bizId: idNumber(order.orderId),
      userId: idNumber(shop.shopId),
      openId,
      appKey: app.appKey,
      event,
      info: stringify(info) ?? '{}',
      createTime: now,
      test: false,
    };
    return stringify(body) ?? '{}';
  }

  /** Applies the push faults, then hands the message to delivery (now, later, or after the next one). */
  private dispatch(msg: PushMessage): void {
    const rec = this.ctx.pushes.upsert({ service: 'kuaishou', id: msg.eventId, topic: msg.event, shopId: msg.shopId });
    const faults = this.ctx.faults.get('kuaishou');
    if (this.ctx.random() < (faults.pushDropRate ?? 0)) {
      rec.dropped += 1;
      return;
    }
    const copies = this.ctx.random() < (faults.pushDuplicateRate ?? 0) ? 2 : 1;
    rec.duplicated += copies - 1;
    if (this.ctx.random() < (faults.pushReorderRate ?? 0)) {
      this.held.push(msg);
      this.ctx.schedule(this.ctx.world.clock.now() + 60_000, () => this.releaseHeld());
      return;
    }
    const delay = faults.pushDelayMs ?? 0;
    const go = (): void => {
      for (let i = 0; i < copies; i++) this.track(this.attempt(msg, 0));
      this.releaseHeld();
    };
    if (delay > 0) this.ctx.schedule(this.ctx.world.clock.now() + delay, go);
    else go();
  }

  /** Held-back pushes go out after a later one, which is what a reordering looks like to the receiver. */
  private releaseHeld(): void {
    const held = this.held;
    this.held = [];
    for (const msg of held) this.track(this.attempt(msg, 0));
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(msg: PushMessage, retriesDone: number): Promise<void> {
    if (!msg.app.pushUrl || !msg.app.pushAesKey) return;
    const body = encryptKuaishouPush(msg.plaintext, msg.app.pushAesKey);
    this.ctx.pushes.delivered('kuaishou', msg.eventId);
    const reply = await postPush(msg.app.pushUrl, body, KS_TIMES.pushAckTimeoutMs);
    if (isAck(reply)) {
      this.ctx.pushes.acknowledged('kuaishou', msg.eventId);
      return;
    }
    this.ctx.pushes.unanswered('kuaishou', msg.eventId);
    const delay = KS_TIMES.pushRetryDelaysMs[retriesDone];
    if (delay === undefined) return;
    this.ctx.schedule(this.ctx.world.clock.now() + delay, () => this.track(this.attempt(msg, retriesDone + 1)));
  }
}
