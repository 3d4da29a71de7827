import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { isUniqueViolation } from '../../common/errors.js';
import { TrackingState, type TrackingEvent, type TrackingResult } from '../../platforms/ports/canonical.types.js';
import { ShipmentEntity } from '../shipment.entity.js';
import { TrackingEventEntity } from '../tracking-event.entity.js';

/** Canonical tracking states to the shipment's own vocabulary; absent ones leave the state alone. */
const SHIPMENT_STATE: Partial<Record<TrackingState, string>> = {
  [TrackingState.COLLECTED]: 'collected',
  [TrackingState.IN_TRANSIT]: 'in_transit',
  [TrackingState.CUSTOMS]: 'in_transit',
  [TrackingState.REDIRECTED]: 'in_transit',
  [TrackingState.DELIVERING]: 'delivering',
  [TrackingState.SIGNED]: 'signed',
  [TrackingState.PROBLEM]: 'problem',
  [TrackingState.REJECTED]: 'problem',
  [TrackingState.RETURNING]: 'returned',
  [TrackingState.RETURN_SIGNED]: 'returned',
};

export interface TrackingApplied {
  shipmentIds: number[];
  shopId: number;
  added: number;
}

/** Same time and text from a push and a poll are one event. */
export function trackingFingerprint(e: TrackingEvent): string {
  return createHash('sha256').update(`${e.time.toISOString()}|${e.description}`).digest('hex');
}

/**
 * Writes pushed carrier-tracking results onto the shipments with that waybill: new events once each
 * (fingerprint unique per shipment), and the shipment's latest event and state moved only forwards.
 */
@Injectable()
export class TrackingIngest {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Null when no shipment of ours carries this waybill. */
  async apply(result: TrackingResult, source: string): Promise<TrackingApplied | null> {
    if (!result.trackingNo) return null;
    return this.db.transaction(async (m) => {
      const shipments = await m.find(ShipmentEntity, { where: { trackingNo: result.trackingNo } });
      if (shipments.length === 0) return null;
      let added = 0;
      for (const s of shipments) added += await this.applyTo(m, s, result, source);
      return { shipmentIds: shipments.map((s) => s.id), shopId: shipments[0].shopId, added };
    });
  }

  private async applyTo(m: EntityManager, s: ShipmentEntity, result: TrackingResult, source: string): Promise<number> {
    let added = 0;
    for (const e of result.events) if (await this.insertEvent(m, s.id, e, source)) added += 1;
    const newest = result.events[0];
    const patch: Partial<ShipmentEntity> = {};
    if (newest && (!s.lastEventAt || newest.time > s.lastEventAt)) {
      patch.lastEventAt = newest.time;
      patch.lastEventDesc = newest.description.slice(0, 255);
      const state = SHIPMENT_STATE[result.state];
      if (state) patch.state = state;
    }
    const oldest = result.events[result.events.length - 1];
    if (!s.collectedAt && oldest) patch.collectedAt = oldest.time;
    if (Object.keys(patch).length === 0) return added;
    await m.update(ShipmentEntity, { id: s.id }, { ...patch, updatedAt: this.clock.now() });
    return added;
  }

  private async insertEvent(m: EntityManager, shipmentId: number, e: TrackingEvent, source: string): Promise<boolean> {
    const fingerprint = trackingFingerprint(e);
    const exists = await m.findOne(TrackingEventEntity, { where: { shipmentId, fingerprint } });
    if (exists) return false;
    try {
      await m.insert(TrackingEventEntity, {
        shipmentId,
        eventTime: e.time,
        state: e.state ?? TrackingState.UNKNOWN,
        action: null,
        description: e.description.slice(0, 512),
        source,
        fingerprint,
        createdAt: this.clock.now(),
      });
      return true;
    } catch (err) {
      // Inside a transaction a failed insert may poison it on some drivers, so the read above comes first.
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
