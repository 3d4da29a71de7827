import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionExecutors } from '../actions/action-executors.js';
import type { ActionEntity } from '../actions/action.entity.js';
import { ActionsService, DeferAction } from '../actions/actions.service.js';
import { ShopRuleSettings, type ShopRules } from '../aftersale/shop-rule-settings.js';
import { Clock } from '../common/clock.js';
import type { MessagePurpose } from '../config/config.schema.js';
import { PermanentJobError } from '../jobs/job-queue.js';
import { OrderIngest } from '../orders/order-ingest.js';
import { OrderEntity } from '../orders/order.entity.js';
import { PlatformError } from '../platforms/errors.js';
import { OrderStatus } from '../platforms/ports/canonical.types.js';
import type { MarketplacePort } from '../platforms/ports/marketplace.port.js';
import { RemindersService } from '../reminders/reminders.service.js';
import type { ReminderEntity } from '../reminders/reminder.entity.js';
import { quietHoursEnd } from '../rules/calendar.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import { TasksService } from '../tasks/tasks.service.js';
import { BUYER_MESSAGE_ACTION, renderMessage, type BuyerMessagePayload } from './buyer-message.action.js';

type Outcome = Record<string, unknown>;
const HOUR = 3_600_000;
/** Transport failures after which a request may still have reached the platform. */
const IN_DOUBT = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ERR_NETWORK', 'NETWORK']);

/** What each rule's buyer message is for, when a decision carries no purpose of its own. */
const PURPOSE_OF_RULE: Record<string, MessagePurpose> = { 'unpaid.chase': 'unpaid_reminder', 'logistics.stall': 'stall_notice' };

/** The payload as staged here or by the rules' decision sink (which keeps the order on the action row). */
function payloadOf(action: ActionEntity): BuyerMessagePayload {
  const p = action.payload as Partial<BuyerMessagePayload> & { rule?: string };
  const orderId = p.orderId ?? action.orderId;
  const purpose = p.purpose ?? (p.rule ? PURPOSE_OF_RULE[p.rule] : undefined);
  if (!orderId || !purpose || typeof p.template !== 'string') throw new PermanentJobError('buyer.message needs an order, a purpose and a template');
  return { orderId, purpose, template: p.template, params: p.params ?? {} };
}

function mayHaveBeenSent(err: unknown): boolean {
  if (!(err instanceof PlatformError)) return true;
  return err.httpStatus === undefined && IN_DOUBT.has(err.rawCode);
}

/**
 * Executes `buyer.message`: Taobao SMS by OAID, Kuaishou SMS, or — where the platform has no buyer
 * channel (Pinduoduo) or the order carries no address for it — an agent task with the text to send.
 *
 * Everything is checked again at send time, because the action may run long after the decision: an
 * unpaid reminder is re-read from the platform (paid or closed since → nothing sent), the buyer's
 * daily cap is counted, and quiet hours hold the message until they end (unless the order closes
 * first). SMS cannot be queried back, so a send cut off mid-call is never repeated: the action's
 * checkpoint, committed before the call, makes a re-run record it as uncertain instead.
 */
@Injectable()
export class BuyerMessageExecutor implements OnModuleInit {
  private readonly log = new Logger('buyer-message');

  constructor(
    private readonly executors: ActionExecutors,
    private readonly actions: ActionsService,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly adapters: ShopAdapters,
    private readonly settings: ShopRuleSettings,
    private readonly reminders: RemindersService,
    private readonly tasks: TasksService,
    private readonly ingest: OrderIngest,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.executors.register(BUYER_MESSAGE_ACTION, (a) => this.run(a));
  }

  async run(action: ActionEntity): Promise<Outcome> {
    const p = payloadOf(action);
    const order = await this.orders.findOneByOrFail({ id: p.orderId });
    const rules = await this.settings.forShop(order.shopId);
    const reminding = p.purpose === 'unpaid_reminder';
    const already = reminding ? await this.reminders.byAction(action.id) : null;
    if (already && already.status !== 'sending') return { reminder: already.id, status: already.status };
    if (action.result?.sendingAt || already) return this.interrupted(already);

    const port = await this.adapters.marketplace(order.shopId);
    let closesAt: number | null = null;
    if (reminding) {
      const stop = await this.unpaidStop(order, port, rules);
      if (stop) return { skipped: stop };
      closesAt = order.placedAt!.getTime() + rules.unpaid.autoCloseHours * HOUR;
    }
    const now = this.clock.now();
    const quietEnd = quietHoursEnd(rules.unpaid.quietHours, now);
    if (quietEnd && (closesAt === null || quietEnd.getTime() < closesAt)) throw new DeferAction(quietEnd, `quiet hours until ${rules.unpaid.quietHours.end}`);

    const text = renderMessage(p.template, p.params);
    const recipient = this.recipientOf(order);
    const templateCode = rules.buyerMessages.templates[p.purpose]?.[order.platform];
    if (!port.capabilities.buyerMessage || !recipient || !templateCode) return this.toAgent(action, order, p, text, reminding);

    const reminder = reminding ? await this.reminders.begin(order, action.id, 'sms') : null;
    await this.actions.checkpoint(action, { sendingAt: now.toISOString() });
    const signName = order.platform === 'kuaishou' ? rules.buyerMessages.kuaishouSignId : rules.buyerMessages.taobaoSignName;
    let sent;
    try {
      sent = await port.sendBuyerMessage({ orderId: order.platformOrderId, templateCode, params: p.params, recipientRef: recipient, signName });
    } catch (err) {
      // The platform answered with a refusal: nothing went out, so a retry may send. A call that
      // timed out or was cut off may have been delivered: keep the checkpoint (no second SMS).
      if (!mayHaveBeenSent(err)) {
        await this.actions.checkpoint(action, null);
        if (reminder) await this.reminders.discard(reminder);
      }
      throw err;
    }
    if (sent.unsupported) {
      if (reminder) await this.reminders.mark(reminder, 'task', 'task');
      return this.toAgent(action, order, p, text, reminding);
    }
    if (reminder) await this.reminders.mark(reminder, 'sent');
    return { sent: true, channel: 'sms', messageId: sent.messageId, reminder: reminder?.id ?? null };
  }

  /** Why an unpaid reminder must not go out any more, re-read from the platform; null when it may. */
  private async unpaidStop(order: OrderEntity, port: MarketplacePort, rules: ShopRules): Promise<string | null> {
    if (!rules.unpaid.enabled || !port.capabilities.unpaidOrders) return 'unpaid chasing is off for this shop';
    if (order.status !== 'unpaid' || !order.placedAt) return `order is ${order.status}`;
    const fresh = await port.getOrder(order.platformOrderId);
    if (fresh.status !== OrderStatus.UNPAID) {
      // Our copy is behind the platform: bring it up to date so conversion and the rules see it too.
      await this.ingest.ingest(order.shopId, [fresh], 'poll');
      return `order is ${fresh.status} on the platform`;
    }
    const closesAt = order.placedAt.getTime() + rules.unpaid.autoCloseHours * HOUR;
    if (this.clock.nowMs() >= closesAt) return 'order has reached its auto-close time';
    const buyer = (await this.reminders.facts(order, rules.unpaid.doNotChase)).buyer;
    if (buyer.doNotChase) return 'buyer is on the do-not-chase list';
    if (buyer.remindersLast24h >= rules.unpaid.maxRemindersPerBuyerPerDay) return 'buyer already reminded within 24 h';
    return null;
  }

  private recipientOf(order: OrderEntity): string | null {
    const r = order.receiver ?? {};
    const ref = order.platform === 'taobao' ? (r.oaid ?? order.buyerRef) : order.platform === 'kuaishou' ? r.mobile : null;
    return typeof ref === 'string' && ref ? ref : null;
  }

  private async toAgent(action: ActionEntity, order: OrderEntity, p: BuyerMessagePayload, text: string, reminding: boolean): Promise<Outcome> {
    const { task } = await this.tasks.open({
      shopId: order.shopId,
      orderId: order.id,
      type: reminding ? 'unpaid_reminder' : 'buyer_message',
      role: reminding ? 'pre_sale' : 'in_sale',
      reason: `平台无买家消息通道,请人工联系买家:${text}`,
      dedupeKey: `buyer-msg:${action.idempotencyKey}`.slice(0, 191),
    });
    if (reminding) await this.reminders.begin(order, action.id, 'task');
    return { sent: false, channel: 'task', task: task.id };
  }

  private async interrupted(reminder: ReminderEntity | null): Promise<Outcome> {
    if (reminder) await this.reminders.mark(reminder, 'uncertain');
    this.log.warn({ msg: 'a buyer message was interrupted mid-send; not sending it again', reminder: reminder?.id });
    return { sent: null, uncertain: true };
  }
}
