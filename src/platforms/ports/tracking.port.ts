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

/** `already_subscribed`: the service still watches this waybill for us, so nothing new was made. */
export type SubscribeOutcome = 'subscribed' | 'already_subscribed';

/** A pushed tracking update, decoded. */
export interface TrackingPushUpdate {
  /** The service's own status word (Kuaidi100: polling | shutdown | abort | updateall). */
  status: string;
  result: TrackingResult;
  /** Set when the service stopped watching the waybill: subscribe again after this long. */
  resubscribeAfterMs: number | null;
}

export interface TrackingPort {
  query(query: TrackingQuery): Promise<TrackingResult>;
  subscribe(subscription: TrackingSubscription): Promise<SubscribeOutcome>;
}
