import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { isUniqueViolation } from '../common/errors.js';
import { dateParam } from '../database/columns.js';
import type { OrderChanged } from '../orders/order-ingest.js';
import { OrderEvents } from '../orders/order-events.js';
import { OrderEntity } from '../orders/order.entity.js';
import type { BuyerFacts } from '../rules/rule.js';
import { ReminderEntity, type ReminderStatus } from './reminder.entity.js';

const DAY = 86_400_000;

/** The buyer as the platform names them: Taobao OAID / open uid, else the receiver mobile ciphertext. */
export function buyerKeyOf(order: Pick<OrderEntity, 'buyerRef' | 'receiver'>): string | null {
  const mobile = order.receiver?.mobile;
  return order.buyerRef ?? (typeof mobile === 'string' && mobile ? mobile.slice(0, 191) : null);
}

export interface UnpaidStats {
  shopId: number;
  from: string;
  to: string;
  reminders: number;
  /** Reminders sent by SMS vs turned into agent tasks. */
  byChannel: Record<string, number>;
  /** Orders reminded, and how many of them were paid after a reminder. */
  ordersReminded: number;
  ordersPaid: number;
  conversionRate: number | null;
  medianMinutesToPayment: number | null;
}

/**
 * Reminders sent for unpaid orders (静默订单催付): what the per-order and per-buyer caps count, and
 * the conversion — each reminder learns when (and whether) its order was paid afterwards.
 */
@Injectable()
export class RemindersService implements OnModuleInit {
  constructor(
    @InjectRepository(ReminderEntity) private readonly repo: Repository<ReminderEntity>,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly events: OrderEvents,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((es) => this.onOrderChanged(es));
  }

  /**
   * What the unpaid-chase rule needs about each order: its own reminders, and its buyer's caps. Read
   * through `m` when the caller is inside a transaction: a second pooled connection taken while one is
   * held can wait forever under load. Two statements, however many orders.
   */
  async factsOf(
    orders: OrderEntity[],
    doNotChase: (shopId: number) => string[],
    m: EntityManager = this.repo.manager,
  ): Promise<Map<number, { buyer: BuyerFacts; reminders: Date[] }>> {
    const out = new Map<number, { buyer: BuyerFacts; reminders: Date[] }>();
    if (orders.length === 0) return out;
    const own = await m.find(ReminderEntity, { where: { orderId: In(orders.map((o) => o.id)) }, order: { seq: 'ASC' } });
    const keys = new Map(orders.map((o) => [o.id, buyerKeyOf(o)]));
    const recent = await this.recentByBuyer(orders.filter((o) => keys.get(o.id)).map((o) => ({ shopId: o.shopId, buyerRef: keys.get(o.id)! })), m);
    for (const o of orders) {
      const key = keys.get(o.id) ?? null;
      out.set(o.id, {
        reminders: own.filter((r) => r.orderId === o.id).map((r) => r.sentAt),
        buyer: { remindersLast24h: key ? (recent.get(`${o.shopId}|${key}`) ?? 0) : 0, doNotChase: key !== null && doNotChase(o.shopId).includes(key) },
      });
    }
    return out;
  }

  /** One order's reminders and its buyer's caps (see factsOf). */
  async facts(order: OrderEntity, doNotChase: string[], m: EntityManager = this.repo.manager): Promise<{ buyer: BuyerFacts; reminders: Date[] }> {
    return (await this.factsOf([order], () => doNotChase, m)).get(order.id)!;
  }

  /** Reminders each of these buyers got from the shop in the last 24 h, keyed `shopId|buyerRef`. */
  private async recentByBuyer(buyers: { shopId: number; buyerRef: string }[], m: EntityManager): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (buyers.length === 0) return counts;
    const since = new Date(this.clock.nowMs() - DAY);
    const rows: { shopId: number; buyerRef: string; n: number | string }[] = await m
      .getRepository(ReminderEntity)
      .createQueryBuilder('r')
      .select('r.shopId', 'shopId')
      .addSelect('r.buyerRef', 'buyerRef')
      .addSelect('COUNT(*)', 'n')
      .where('r.shopId IN (:...shops)', { shops: [...new Set(buyers.map((b) => b.shopId))] })
      .andWhere('r.buyerRef IN (:...refs)', { refs: [...new Set(buyers.map((b) => b.buyerRef))] })
      .andWhere('r.sentAt > :since', { since: dateParam(m.connection, since) })
      .groupBy('r.shopId')
      .addGroupBy('r.buyerRef')
      .getRawMany();
    for (const r of rows) counts.set(`${Number(r.shopId)}|${r.buyerRef}`, Number(r.n));
    return counts;
  }

  byAction(actionId: number): Promise<ReminderEntity | null> {
    return this.repo.findOneBy({ actionId });
  }

  /**
   * Records the reminder before anything is sent, as the next of the order's reminders. Two
   * reminders of one order racing for the same number: the loser throws and its action retries.
   */
  async begin(order: OrderEntity, actionId: number, channel: 'sms' | 'task'): Promise<ReminderEntity> {
    const existing = await this.byAction(actionId);
    if (existing) return existing;
    const seq = (await this.repo.count({ where: { orderId: order.id } })) + 1;
    const now = this.clock.now();
    try {
      return await this.repo.save(
        this.repo.create({ shopId: order.shopId, orderId: order.id, seq, buyerRef: buyerKeyOf(order), actionId, channel, status: channel === 'sms' ? 'sending' : 'task', sentAt: now, paidAt: null, minutesToPayment: null, createdAt: now }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new Error(`reminder ${seq} of order ${order.id} is being recorded by another action`);
      throw err;
    }
  }

  async mark(reminder: ReminderEntity, status: ReminderStatus, channel = reminder.channel): Promise<void> {
    await this.repo.update({ id: reminder.id }, { status, channel });
  }

  /** Forgets a reminder the platform refused, so a retry records it again. */
  async discard(reminder: ReminderEntity): Promise<void> {
    await this.repo.delete({ id: reminder.id, status: 'sending' });
  }

  /** Conversion: an order paid after its reminders marks each of them with how soon it was paid. */
  async recordPayment(orderId: number, paidAt: Date): Promise<number> {
    const open = await this.repo.find({ where: { orderId, paidAt: IsNull(), sentAt: LessThanOrEqual(paidAt) } });
    for (const r of open) {
      const minutes = Math.max(0, Math.round((paidAt.getTime() - r.sentAt.getTime()) / 60_000));
      await this.repo.update({ id: r.id, paidAt: IsNull() }, { paidAt, minutesToPayment: minutes });
    }
    return open.length;
  }

  async stats(shopId: number, from: Date, to: Date): Promise<UnpaidStats> {
    const rows = await this.repo
      .createQueryBuilder('r')
      .where('r.shop_id = :shopId AND r.sent_at >= :from AND r.sent_at <= :to', { shopId, from, to })
      .andWhere("r.status <> 'uncertain'")
      .getMany();
    const byChannel: Record<string, number> = {};
    const orders = new Map<number, number | null>();
    for (const r of rows) {
      byChannel[r.channel] = (byChannel[r.channel] ?? 0) + 1;
      // The first reminder that was followed by payment says how soon the order converted.
      const seen = orders.get(r.orderId);
      if (r.minutesToPayment !== null && (seen === undefined || seen === null || r.minutesToPayment < seen)) orders.set(r.orderId, r.minutesToPayment);
      else if (seen === undefined) orders.set(r.orderId, null);
    }
    const paid = [...orders.values()].filter((m): m is number => m !== null).sort((a, b) => a - b);
    return {
      shopId,
      from: from.toISOString(),
      to: to.toISOString(),
      reminders: rows.length,
      byChannel,
      ordersReminded: orders.size,
      ordersPaid: paid.length,
      conversionRate: orders.size ? Math.round((paid.length / orders.size) * 1000) / 1000 : null,
      medianMinutesToPayment: paid.length ? paid[Math.floor((paid.length - 1) / 2)] : null,
    };
  }

  /** Orders of these changes that were reminded and have been paid since: their reminders learn when. */
  private async onOrderChanged(events: readonly OrderChanged[]): Promise<void> {
    const ids = [...new Set(events.filter((e) => e.changes.some((c) => c === 'status' || c === 'paid_at')).map((e) => e.orderId))];
    if (ids.length === 0) return;
    const reminded = await this.repo.find({ where: { orderId: In(ids), paidAt: IsNull() }, select: { id: true, orderId: true } });
    if (reminded.length === 0) return;
    const orders = await this.orders.find({ where: { id: In([...new Set(reminded.map((r) => r.orderId))]) }, select: { id: true, paidAt: true } });
    for (const order of orders) if (order.paidAt) await this.recordPayment(order.id, new Date(order.paidAt));
  }
}
