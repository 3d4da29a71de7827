import { Injectable } from '@nestjs/common';
import { In, IsNull, Not, type EntityManager } from 'typeorm';
import { groupBy } from '../common/group-by.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShipmentEntity } from '../orders/shipment.entity.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { RemindersService } from '../reminders/reminders.service.js';
import { RerouteEntity } from '../reroutes/reroute.entity.js';
import type { ShopSettings } from '../shops/shop-settings.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';
import { UNFINISHED } from '../tasks/task-transitions.js';
import { TaskEntity } from '../tasks/task.entity.js';
import type { BuyerFacts, OrderSnapshot } from './rule.js';

export interface LoadedOrder {
  order: OrderSnapshot;
  shop: Readonly<ShopEntity>;
  settings: ShopSettings;
  buyer: BuyerFacts;
}

/**
 * Reads what the rules look at for orders: the order, its parcels, its reminders, its open tasks, the
 * buyer's caps. One statement per kind of row, however many orders.
 */
@Injectable()
export class OrderSnapshotLoader {
  constructor(
    private readonly reminders: RemindersService,
    private readonly settings: ShopSettingsService,
  ) {}

  /** `shop`: the order's shop when the caller has it already (read from the shop directory). */
  async load(m: EntityManager, orderId: number, shop?: Readonly<ShopEntity>): Promise<LoadedOrder | null> {
    return (await this.loadMany(m, [orderId], shop ? [shop] : [])).get(orderId) ?? null;
  }

  /** Orders that do not exist are left out. `known`: shops the caller has already; others are read. */
  async loadMany(m: EntityManager, orderIds: number[], known: readonly Readonly<ShopEntity>[] = []): Promise<Map<number, LoadedOrder>> {
    const out = new Map<number, LoadedOrder>();
    const rows = orderIds.length ? await m.findBy(OrderEntity, { id: In(orderIds) }) : [];
    if (rows.length === 0) return out;
    const ids = rows.map((r) => r.id);
    const shops = new Map(known.map((s) => [s.id, s]));
    const missing = [...new Set(rows.map((r) => r.shopId))].filter((id) => !shops.has(id));
    if (missing.length) for (const s of await m.findBy(ShopEntity, { id: In(missing) })) shops.set(s.id, s);
    const settings = new Map([...shops.values()].map((s) => [s.id, this.settings.effectiveOf(s)]));
    const shipments = groupBy(await m.find(ShipmentEntity, { where: { orderId: In(ids) }, order: { id: 'ASC' } }), (s) => s.orderId);
    const facts = await this.reminders.factsOf(rows, (shopId) => settings.get(shopId)?.unpaid.doNotChase ?? [], m);
    const rerouted = groupBy(await m.find(RerouteEntity, { where: { orderId: In(ids) }, select: { orderId: true, lineHash: true } }), (r) => r.orderId);
    const tasks = groupBy(
      await m.find(TaskEntity, { where: { orderId: In(ids), dedupeKey: Not(IsNull()) }, select: { id: true, orderId: true, dedupeKey: true, status: true } }),
      (t) => t.orderId!,
    );
    for (const row of rows) {
      const shop = shops.get(row.shopId);
      if (!shop) throw new Error(`order ${row.id}: shop ${row.shopId} not found`);
      const { reminders, buyer } = facts.get(row.id)!;
      const order = snapshotOf(row, shipments.get(row.id) ?? [], tasks.get(row.id) ?? [], reminders, (rerouted.get(row.id) ?? []).map((r) => r.lineHash));
      out.set(row.id, { order, shop, settings: settings.get(shop.id)!, buyer });
    }
    return out;
  }
}

function snapshotOf(row: OrderEntity, shipments: ShipmentEntity[], tasks: Pick<TaskEntity, 'dedupeKey' | 'status'>[], reminders: Date[], reroutedLines: string[]): OrderSnapshot {
  return {
    orderId: row.id,
    shopId: row.shopId,
    platform: row.platform,
    platformOrderId: row.platformOrderId,
    status: row.status,
    placedAt: row.placedAt,
    paidAt: row.paidAt,
    province: row.province,
    sellerMemo: row.sellerMemo,
    sellerFlag: row.sellerFlag,
    erpStatus: row.erpStage ?? row.erpStatus,
    buyerRef: row.buyerRef,
    version: row.version,
    refunding: row.refunding,
    erpQuestion: row.erpQuestion,
    amountFen: row.paymentFen ?? row.totalFen,
    tasks: tasks.map((t) => ({ key: t.dedupeKey!, open: UNFINISHED.includes(t.status) })),
    shipments: shipments.map((s) => ({
      id: s.id,
      carrierCode: s.carrierCode,
      trackingNo: s.trackingNo,
      consignedAt: s.consignedAt,
      lastEventAt: s.lastEventAt,
      lastEventDesc: s.lastEventDesc,
      state: s.state,
      zone: s.zone,
      stallFlag: s.stallFlag,
      stalledAt: s.stalledAt,
    })),
    reminders,
    reroutedLines,
  };
}
