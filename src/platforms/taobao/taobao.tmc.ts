import type { PlatformEvent, PlatformEventKind } from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { idString, optionalString, text, parseLosslessJson } from '../shared/lossless-json.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';
import type { TaobaoClient } from './taobao.client.js';

/** TMC trade topics (§1.6) to canonical event kinds. */
export const TMC_TOPIC_KIND: Readonly<Record<string, PlatformEventKind>> = {
  taobao_trade_TradeCreate: 'order.created',
  taobao_trade_TradeAlipayCreate: 'order.created',
  taobao_trade_TradeBuyerPay: 'order.paid',
  taobao_trade_TradeBuyerStepPay: 'order.paid',
  taobao_trade_TradeSellerShip: 'order.shipped',
  taobao_trade_TradePartlySellerShip: 'order.shipped',
  taobao_trade_TradeMemoModified: 'order.memo',
  taobao_trade_TradeLogisticsAddressChanged: 'order.address',
  taobao_trade_TradeChanged: 'order.changed',
  taobao_trade_TradeModifyFee: 'order.changed',
  taobao_trade_TradeSuccess: 'order.completed',
  taobao_trade_TradeClose: 'order.closed',
  taobao_trade_TradeCloseAndModifyDetailOrder: 'order.closed',
  taobao_logistics_LogsticDetailTrace: 'logistics',
};

function kindOf(topic: string): PlatformEventKind {
  return TMC_TOPIC_KIND[topic] ?? (topic.startsWith('taobao_refund_') ? 'refund' : 'other');
}

/** One `tmc_message` from `taobao.tmc.messages.consume`; content is a JSON string with a big-int tid. */
export function mapTmcMessage(wire: unknown): PlatformEvent {
  const m = asRecord(wire);
  const topic = text(m.topic);
  const content = typeof m.content === 'string' && m.content ? asRecord(parseLosslessJson(m.content)) : asRecord(m.content);
  return {
    platform: 'taobao',
    eventId: idString(m.id),
    kind: kindOf(topic),
    topic,
    orderId: optionalString(idString(content.tid)),
    shopRef: optionalString(idString(m.user_id)) ?? optionalString(m.user_nick),
    occurredAt: parsePlatformTime(m.pub_time),
    content,
  };
}

/**
 * Pull side of TMC. Confirm only after the events are stored: unconfirmed messages come back
 * later, which is the redelivery we want when processing fails.
 */
export class TaobaoTmcPuller {
  constructor(
    private readonly client: TaobaoClient,
    private readonly groupName = 'default',
  ) {}

  async consume(quantity = 100): Promise<PlatformEvent[]> {
    // The API accepts 10–200 per pull.
    const res = await this.client.call(
      'taobao.tmc.messages.consume',
      { quantity: Math.min(200, Math.max(10, quantity)), group_name: this.groupName },
      false,
    );
    const raw = res.messages;
    const list = Array.isArray(raw) ? raw : asArray(asRecord(raw).tmc_message);
    return list.map(mapTmcMessage);
  }

  async confirm(eventIds: string[]): Promise<void> {
    for (let i = 0; i < eventIds.length; i += 200) {
      const batch = eventIds.slice(i, i + 200);
      await this.client.call(
        'taobao.tmc.messages.confirm',
        { group_name: this.groupName, s_message_ids: batch.join(',') },
        false,
      );
    }
  }
}
