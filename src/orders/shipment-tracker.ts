import { Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { AppConfig } from '../config/config.schema.js';
import { PlatformError } from '../platforms/errors.js';
import type { Shipment, TrackingResult } from '../platforms/ports/canonical.types.js';
import type { TrackingQuery } from '../platforms/ports/tracking.port.js';
import { PlatformCall, RateLimitedWait } from './platform-call.js';
import { Kd100Salts } from './push/kd100-salts.js';
import { ShipmentEntity } from './shipment.entity.js';
import { TrackSchedule } from './track-schedule.js';
import { serviceCarrierCode } from './tracking-carriers.js';
import { FINAL_SHIPMENT_STATES, TrackingService } from './tracking.service.js';

/** What tracking needs of the order a parcel belongs to. */
export interface TrackedOrder {
  platform: string;
  platformOrderId: string;
  /** Receiver mobile as the platform gives it (masked): SF shows scans only to its last four digits. */
  receiverMobile: string | null;
}

/**
 * Reads one due parcel from where its events come from and leaves it with its next due time.
 * The marketplace's trace first, where it has one for the parcel (Taobao online-send, Pinduoduo);
 * otherwise the carrier-tracking service: subscribe once per waybill, then query only when its
 * callbacks went silent, never more often than the service's per-waybill cap.
 */
@Injectable()
export class ShipmentTracker {
  private readonly log = new Logger('tracking');

  constructor(
    private readonly ds: DataSource,
    private readonly tracking: TrackingService,
    private readonly schedule: TrackSchedule,
    private readonly call: PlatformCall,
    private readonly salts: Kd100Salts,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async track(s: ShipmentEntity, order: TrackedOrder): Promise<void> {
    if (FINAL_SHIPMENT_STATES.has(s.state)) return this.book(s.id, { trackDueAt: null });
    try {
      if (s.trackingSource !== 'kd100' && (await this.fromPlatform(s, order))) return;
      await this.fromService(s, order);
    } catch (err) {
      // The parcel stays on the schedule whatever failed: the next read may well succeed.
      this.log.warn({ msg: 'tracking read failed', shipmentId: s.id, err: errorText(err, 300) });
      const wait = err instanceof RateLimitedWait ? err.afterMs : err instanceof PlatformError ? (err.retryAfterMs ?? 0) : 0;
      const next = this.schedule.nextRead();
      await this.book(s.id, { trackDueAt: wait > next.getTime() - this.clock.nowMs() ? this.schedule.later(wait) : next });
    }
  }

  /** True when the marketplace traces this parcel and its trace was applied. */
  private async fromPlatform(s: ShipmentEntity, order: TrackedOrder): Promise<boolean> {
    let result: TrackingResult | null;
    try {
      result = await this.call.run(
        s.shopId,
        (a) => a.marketplace(s.shopId),
        (p) => (p.capabilities.tracking ? p.getTracking(order.platformOrderId, canonical(s)) : Promise.resolve(null)),
      );
    } catch (err) {
      // The platform does not know the waybill (Pinduoduo answers with a parameter error): not its to trace.
      if (!(err instanceof PlatformError) || (err.code !== 'NOT_FOUND' && err.code !== 'INVALID_REQUEST')) throw err;
      result = null;
    }
    if (!result) return false;
    await this.tracking.apply({
      target: { shipmentId: s.id },
      result,
      source: 'platform',
      via: 'poll',
      bookkeeping: () => ({ trackingSource: 'platform', trackDueAt: this.schedule.nextRead() }),
    });
    return true;
  }

  private async fromService(s: ShipmentEntity, order: TrackedOrder): Promise<void> {
    const service = this.config.platforms.tracking;
    const carrierCode = serviceCarrierCode(order.platform, s, service.carriers);
    if (!service.customer || !carrierCode) {
      // Nothing here can follow it; if it stays silent, the stall watch brings it to a person.
      this.log.warn({ msg: 'parcel cannot be tracked', shipmentId: s.id, reason: carrierCode ? 'no tracking-service account' : `unknown carrier ${s.carrierCode || s.carrierName}` });
      return this.book(s.id, { trackingSource: 'kd100', trackDueAt: this.schedule.nextRead() });
    }
    const query: TrackingQuery = { carrierCode, trackingNo: s.trackingNo, phone: phoneHint(carrierCode, order.receiverMobile) };
    if (!s.trackingSubscribedAt && s.trackingSubscriptions < service.subscriptionsPerWaybill) return this.subscribe(s, query);
    const blocked = this.schedule.queryBlockedUntil(s);
    if (blocked) return this.book(s.id, { trackingSource: 'kd100', trackDueAt: blocked });
    return this.query(s, query);
  }

  private async subscribe(s: ShipmentEntity, query: TrackingQuery): Promise<void> {
    const now = this.clock.now();
    // An order shipped in the same parcel as another (merged orders) shares the other's subscription.
    const twin = await this.ds
      .getRepository(ShipmentEntity)
      .findOne({ where: { id: Not(s.id), trackingNo: s.trackingNo, trackingSubscribedAt: Not(IsNull()) }, select: { id: true } });
    if (!twin) {
      try {
        await this.call.adapters.tracking().subscribe({ ...query, callbackUrl: this.salts.callbackUrl(), salt: this.salts.saltFor(s.trackingNo) });
      } catch (err) {
        if (!(err instanceof PlatformError) || (err.code !== 'PERMANENT' && err.code !== 'INVALID_REQUEST')) throw err;
        // The service will not take it (its cap reached, the carrier refused): queries are what is left.
        this.log.warn({ msg: 'subscription refused', shipmentId: s.id, err: errorText(err, 200) });
        return this.book(s.id, { trackingSource: 'kd100', trackingSubscriptions: this.config.platforms.tracking.subscriptionsPerWaybill, trackDueAt: now });
      }
    }
    await this.book(s.id, {
      trackingSource: 'kd100',
      trackingSubscribedAt: now,
      trackingSubscriptions: s.trackingSubscriptions + (twin ? 0 : 1),
      trackDueAt: this.schedule.callbackDeadline(),
    });
  }

  private async query(s: ShipmentEntity, query: TrackingQuery): Promise<void> {
    // Counted before it is sent: a query that fails or dies with the process still spent the cap.
    await this.book(s.id, { trackingSource: 'kd100', trackQueriedAt: this.clock.now(), trackDueAt: this.schedule.nextQuery() });
    let result: TrackingResult;
    try {
      result = await this.call.adapters.tracking().query(query);
    } catch (err) {
      // "No result yet" is an answer: the carrier has not scanned the parcel.
      if (err instanceof PlatformError && err.code === 'NOT_FOUND') return;
      throw err;
    }
    await this.tracking.apply({ target: { shipmentId: s.id }, result, source: 'kd100', via: 'poll' });
  }

  private async book(id: number, patch: Partial<ShipmentEntity>): Promise<void> {
    await this.ds.getRepository(ShipmentEntity).update({ id }, { ...patch, updatedAt: this.clock.now() });
  }
}

function canonical(s: ShipmentEntity): Shipment {
  return { carrierCode: s.carrierCode || null, carrierName: s.carrierName, trackingNo: s.trackingNo, consignedAt: s.consignedAt };
}

/** SF hides its scans unless told the last four digits of the receiver's phone; a masked mobile keeps them. */
function phoneHint(carrierCode: string, mobile: string | null): string | undefined {
  if (carrierCode !== 'shunfeng') return undefined;
  return /(\d{4})$/.exec(mobile ?? '')?.[1];
}
