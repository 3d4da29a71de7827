import { Injectable } from '@nestjs/common';
import { IsNull, Not, type EntityManager } from 'typeorm';
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
  shop: ShopEntity;
  settings: ShopSettings;
  buyer: BuyerFacts;
}

/** Reads what the rules look at for one order: the order, its parcels, its reminders, its open tasks, the buyer's caps. */
@Injectable()
export class OrderSnapshotLoader {
  constructor(
    private readonly reminders: RemindersService,
    private readonly settings: ShopSettingsService,
  ) {}

  async load(m: EntityManager, orderId: number): Promise<LoadedOrder | null> {
    const row = await m.findOneBy(OrderEntity, { id: orderId });
    if (!row) return null;
    const shop = await m.findOneByOrFail(ShopEntity, { id: row.shopId });
    const shipments = await m.find(ShipmentEntity, { where: { orderId }, order: { id: 'ASC' } });
    const settings = this.settings.effectiveOf(shop);
    const { reminders, buyer } = await this.reminders.facts(row, settings.unpaid.doNotChase, m);
    const rerouted = await m.find(RerouteEntity, { where: { orderId }, select: { lineHash: true } });
    const tasks = await m.find(TaskEntity, { where: { orderId, dedupeKey: Not(IsNull()) }, select: { id: true, dedupeKey: true, status: true } });
    const order: OrderSnapshot = {
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
      reroutedLines: rerouted.map((r) => r.lineHash),
    };
    return { order, shop, settings, buyer };
  }
}
