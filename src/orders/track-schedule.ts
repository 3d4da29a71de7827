import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import type { TrackingPushUpdate } from '../platforms/ports/tracking.port.js';
import type { ShipmentEntity } from './shipment.entity.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * When a parcel is next due for tracking. Platform traces are read at a steady cadence; a waybill
 * subscribed with the tracking service waits for its callbacks and is queried only after a silence,
 * never more often than the service's per-waybill cap allows.
 */
@Injectable()
export class TrackSchedule {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The next read of a marketplace trace, and the retry after a failed read. */
  nextRead(): Date {
    return this.later(this.config.orders.trackEveryMinutes * MINUTE);
  }

  /** A subscribed waybill becomes due for a query only when no callback came for this long. */
  callbackDeadline(): Date {
    return this.later(this.config.orders.trackSilenceMinutes * MINUTE);
  }

  /** Spacing queries this far apart keeps every 24 h at or under the allowed number of queries. */
  get queryGapMs(): number {
    return Math.ceil(DAY / this.config.platforms.tracking.queriesPerWaybillPerDay);
  }

  /** When the waybill may be queried again; null when it may be now. */
  queryBlockedUntil(s: Pick<ShipmentEntity, 'trackQueriedAt'>): Date | null {
    if (!s.trackQueriedAt) return null;
    const next = new Date(s.trackQueriedAt).getTime() + this.queryGapMs;
    return next > this.clock.nowMs() ? new Date(next) : null;
  }

  /** After a query: a callback may still come (and moves this on); otherwise ask again, within the cap. */
  nextQuery(): Date {
    return this.later(Math.max(this.config.orders.trackEveryMinutes * MINUTE, this.queryGapMs));
  }

  /** Bookkeeping for a pushed result: the silence deadline moves on, or a stopped watch is renewed later. */
  afterPush(s: ShipmentEntity, push: TrackingPushUpdate): Partial<ShipmentEntity> {
    if (s.trackingSource !== 'kd100') return {};
    if (push.resubscribeAfterMs !== null) return { trackingSubscribedAt: null, trackDueAt: this.later(push.resubscribeAfterMs) };
    return { trackDueAt: this.callbackDeadline() };
  }

  later(ms: number): Date {
    return new Date(this.clock.nowMs() + ms);
  }
}
