import { LosslessNumber, stringify } from 'lossless-json';
import type { SandboxContext, WorldEvent } from '../../core/contract.js';
import type { SbOrder } from '../../core/types.js';
import type { TaobaoConfig } from './taobao.constants.js';
import { idNumber, topFlag, topStatus } from './taobao-trade.mapper.js';
import { formatTopTime, yuan } from './taobao-time.util.js';

/** One TMC message waiting in an app's queue. */
export interface TmcMessage {
  id: string;
  topic: string;
  /** JSON text, as TMC carries it. */
  content: string;
  pubTime: number;
  userId: string;
  userNick: string;
  appKey: string;
  /** Not handed out before this (delay/reorder faults, redelivery after an unconfirmed consume). */
  availableAt: number;
  deliveries: number;
}

const TRADE_TOPICS: Partial<Record<WorldEvent['kind'], string>> = {
  'order.created': 'taobao_trade_TradeCreate',
  'order.paid': 'taobao_trade_TradeBuyerPay',
  'order.shipped': 'taobao_trade_TradeSellerShip',
  'order.memo': 'taobao_trade_TradeMemoModified',
  'order.closed': 'taobao_trade_TradeClose',
  'order.finished': 'taobao_trade_TradeSuccess',
  'order.address': 'taobao_trade_TradeLogisticsAddressChanged',
};

function tradeContent(order: SbOrder, sellerNick: string, withMemo: boolean): string {
  const body: Record<string, unknown> = {
    buyer_nick: order.buyerNick.slice(0, 1) + '**',
    buyer_open_uid: order.buyerOpenUid,
    oid: idNumber(order.lines[0]?.lineId ?? order.orderId),
    payment: yuan(order.totalFen),
    seller_nick: sellerNick,
    status: topStatus(order.stage),
    tid: idNumber(order.orderId),
    type: 'fixed',
  };
  if (withMemo) {
    body.seller_memo = order.memo;
    body.seller_flag = topFlag(order.flag);
  }
  return stringify(body) ?? '{}';
}

/**
 * Messages per app, served by taobao.tmc.messages.consume. A consumed message stays owed until confirmed:
 * if no confirm arrives within the redelivery delay it is handed out again.
 */
export class TmcQueue {
  private readonly queues = new Map<string, TmcMessage[]>();
  private seq = 0n;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly config: () => TaobaoConfig,
  ) {}

  onEvent(ev: WorldEvent): void {
    const topic = TRADE_TOPICS[ev.kind];
    if (topic && 'order' in ev && ev.order && ev.order.platform === 'taobao') {
      const shopNick = this.ctx.world.shop('taobao', ev.order.shopId)?.name ?? '';
      this.publish(ev.order, topic, tradeContent(ev.order, shopNick, ev.kind === 'order.memo'));
    } else if (ev.kind === 'track.event' && ev.order?.platform === 'taobao' && ev.shipment.sendType === 'online') {
      const content = stringify({
        action: ev.event.action,
        desc: ev.event.context,
        out_sid: ev.shipment.trackingNo,
        tid: idNumber(ev.order.orderId),
        time: formatTopTime(ev.event.time),
        company_name: ev.shipment.carrierName,
      });
      this.publish(ev.order, 'taobao_logistics_LogsticDetailTrace', content ?? '{}');
    }
  }

  private nextId(): string {
    this.seq += 1n;
    // TMC ids are large int64 values; keep them above 2^53 so clients must read them losslessly.
    return (4_200_000_000_000_000_000n + this.seq * 7919n).toString();
  }

  private publish(order: SbOrder, topic: string, content: string): void {
    const shop = this.ctx.world.shop('taobao', order.shopId);
    if (!shop) return;
    const now = this.ctx.world.clock.now();
    const msg: TmcMessage = {
      id: this.nextId(), topic, content, pubTime: now, userId: shop.shopId, userNick: shop.name,
      appKey: shop.appKey, availableAt: now, deliveries: 0,
    };
    const rec = this.ctx.pushes.upsert({ service: 'taobao', id: msg.id, topic, shopId: shop.shopId });
    const f = this.ctx.faults.get('taobao');
    if (f.pushDropRate && this.ctx.random() < f.pushDropRate) {
      rec.dropped += 1;
      return;
    }
    if (f.pushDelayMs) msg.availableAt += f.pushDelayMs;
    if (f.pushReorderRate && this.ctx.random() < f.pushReorderRate) msg.availableAt += this.config().tmcReorderMs;
    const queue = this.queueOf(shop.appKey);
    queue.push(msg);
    if (f.pushDuplicateRate && this.ctx.random() < f.pushDuplicateRate) {
      rec.duplicated += 1;
      queue.push({ ...msg });
    }
  }

  private queueOf(appKey: string): TmcMessage[] {
    let q = this.queues.get(appKey);
    if (!q) this.queues.set(appKey, (q = []));
    return q;
  }

  /** Hand out up to `quantity` due messages, oldest availability first; they come back unless confirmed. */
  consume(appKey: string, quantity: number): TmcMessage[] {
    const now = this.ctx.world.clock.now();
    const due = this.queueOf(appKey)
      .filter((m) => m.availableAt <= now)
      .sort((a, b) => a.availableAt - b.availableAt)
      .slice(0, quantity);
    for (const m of due) {
      m.availableAt = now + this.config().tmcRedeliveryMs;
      m.deliveries += 1;
      this.ctx.pushes.delivered('taobao', m.id);
    }
    return due;
  }

  /** Confirm by id; unknown ids are ignored (already confirmed or never existed). */
  confirm(appKey: string, ids: string[]): number {
    const wanted = new Set(ids);
    const queue = this.queueOf(appKey);
    const kept = queue.filter((m) => !wanted.has(m.id));
    for (const id of wanted) if (queue.some((m) => m.id === id)) this.ctx.pushes.acknowledged('taobao', id);
    this.queues.set(appKey, kept);
    return queue.length - kept.length;
  }

  pending(appKey?: string): TmcMessage[] {
    return appKey ? [...this.queueOf(appKey)] : [...this.queues.values()].flat();
  }
}

/** A message as taobao.tmc.messages.consume renders it. */
export function tmcWire(m: TmcMessage, publisher: string): Record<string, unknown> {
  return {
    topic: m.topic,
    content: m.content,
    id: new LosslessNumber(m.id),
    pub_time: formatTopTime(m.pubTime),
    pub_app_key: publisher,
    user_id: new LosslessNumber(m.userId),
    user_nick: m.userNick,
  };
}
