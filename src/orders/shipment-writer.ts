import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import type { Shipment } from '../platforms/ports/canonical.types.js';
import { ShipmentEntity } from './shipment.entity.js';
import { zoneOf } from './zone.util.js';

export interface OrderShipments {
  orderId: number;
  province: string | null;
  shipments: Shipment[];
}

const CHUNK = 500;
const HOUR = 3_600_000;

const key = (carrier: string | null, no: string) => `${carrier ?? ''}|${no}`;

/** Adds the waybills an order shows that are not stored yet; existing shipments are left to tracking. */
@Injectable()
export class ShipmentWriter {
  constructor(
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Returns the order ids that gained a shipment. */
  async sync(m: EntityManager, shopId: number, warehouse: string, items: OrderShipments[]): Promise<Set<number>> {
    const withShipments = items.filter((i) => i.shipments.length > 0);
    const gained = new Set<number>();
    if (withShipments.length === 0) return gained;
    const known = new Set<string>();
    const ids = withShipments.map((i) => i.orderId);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await m.find(ShipmentEntity, { where: { orderId: In(ids.slice(i, i + CHUNK)) }, select: { orderId: true, carrierCode: true, trackingNo: true } });
      for (const r of rows) known.add(`${r.orderId}#${key(r.carrierCode, r.trackingNo)}`);
    }
    const now = this.clock.now();
    const fresh: Partial<ShipmentEntity>[] = [];
    for (const item of withShipments) {
      const zone = zoneOf(this.config.logistics, warehouse, item.province);
      for (const s of item.shipments) {
        const k = `${item.orderId}#${key(s.carrierCode ?? '', s.trackingNo)}`;
        if (known.has(k)) continue;
        known.add(k);
        gained.add(item.orderId);
        fresh.push(this.row(shopId, item.orderId, s, zone, now));
      }
    }
    for (let i = 0; i < fresh.length; i += 200) {
      await m.createQueryBuilder().insert().into(ShipmentEntity).values(fresh.slice(i, i + 200)).orIgnore().execute();
    }
    return gained;
  }

  private row(shopId: number, orderId: number, s: Shipment, zone: number | null, now: Date): Partial<ShipmentEntity> {
    const consigned = s.consignedAt ?? now;
    return {
      orderId,
      shopId,
      carrierCode: (s.carrierCode ?? '').slice(0, 32),
      carrierName: s.carrierName?.slice(0, 32) ?? null,
      trackingNo: s.trackingNo.slice(0, 64),
      isReship: false,
      consignedAt: s.consignedAt,
      collectedAt: null,
      lastEventAt: null,
      lastEventDesc: null,
      state: 'none',
      zone,
      // Not collected within the threshold is the first stall the watch looks for (rules.md §4.3).
      watchDueAt: new Date(consigned.getTime() + this.config.logistics.thresholdsHours.notCollected * HOUR),
      stallFlag: null,
      stalledAt: null,
      trackingSource: null,
      trackingSubscribedAt: null,
      trackDueAt: now,
      createdAt: now,
      updatedAt: now,
    };
  }
}
