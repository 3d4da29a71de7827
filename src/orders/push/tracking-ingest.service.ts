import { Injectable } from '@nestjs/common';
import type { TrackingPushUpdate } from '../../platforms/ports/tracking.port.js';
import { TrackSchedule } from '../track-schedule.js';
import { TrackingService, type TrackingApplied } from '../tracking.service.js';

/**
 * A pushed carrier-tracking update onto every shipment with that waybill, through the one tracking
 * writer; the push also tells tracking when to worry next (a silence deadline, or renewing a watch
 * the service gave up).
 */
@Injectable()
export class TrackingIngest {
  constructor(
    private readonly tracking: TrackingService,
    private readonly schedule: TrackSchedule,
  ) {}

  /** Null when no shipment of ours carries this waybill. */
  apply(push: TrackingPushUpdate): Promise<TrackingApplied | null> {
    return this.tracking.apply({
      target: { trackingNo: push.result.trackingNo },
      result: push.result,
      source: 'kd100',
      via: 'push',
      bookkeeping: (s) => this.schedule.afterPush(s, push),
    });
  }
}
