import type { TrackingResult } from './canonical.types.js';

export interface TrackingQuery {
  /** Carrier code as the tracking service spells it (Kuaidi100: lower case, e.g. `zhongtong`). */
  carrierCode: string;
  trackingNo: string;
  /** Receiver phone; some carriers (SF) require it. */
  phone?: string;
}

export interface TrackingSubscription extends TrackingQuery {
  callbackUrl: string;
  /** Secret echoed back in the push signature. */
  salt: string;
}

export interface TrackingPort {
  query(query: TrackingQuery): Promise<TrackingResult>;
  subscribe(subscription: TrackingSubscription): Promise<void>;
}
