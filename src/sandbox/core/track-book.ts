import type { WorldEvent } from './contract.js';
import type { SbErpOrder, SbOrder, SbShipment, SbTrackEvent } from './types.js';

interface Owner {
  shipment: SbShipment;
  order?: SbOrder;
  erpOrder?: SbErpOrder;
  cancel?: () => void;
}

export interface TrackHooks {
  schedule(atMs: number, fn: () => void): () => void;
  emit(ev: WorldEvent): void;
  /** A parcel was scanned as signed at `at`. */
  onSigned(owner: { order?: SbOrder; erpOrder?: SbErpOrder }, at: number): void;
  onEvent(owner: { order?: SbOrder; erpOrder?: SbErpOrder }, at: number): void;
}

/**
 * Every shipment by tracking number. Future scans wait in `pending` and one scheduled task per
 * shipment moves them to `events` when their time comes, so thousands of parcels cost one heap entry each.
 */
export class TrackBook {
  private readonly byNo = new Map<string, Owner>();

  constructor(private readonly hooks: TrackHooks) {}

  register(shipment: SbShipment, owner: { order?: SbOrder; erpOrder?: SbErpOrder }): void {
    const existing = this.byNo.get(shipment.trackingNo);
    if (existing && existing.shipment === shipment) {
      Object.assign(existing, owner);
      return;
    }
    this.byNo.set(shipment.trackingNo, { shipment, ...owner });
    this.reschedule(shipment.trackingNo);
  }

  /** The marketplace order and its ERP copy share one parcel. */
  attachErp(trackingNo: string, erpOrder: SbErpOrder): void {
    const o = this.byNo.get(trackingNo);
    if (o) o.erpOrder = erpOrder;
  }

  lookup(trackingNo: string): { shipment: SbShipment; order?: SbOrder; erpOrder?: SbErpOrder } | undefined {
    const o = this.byNo.get(trackingNo);
    return o ? { shipment: o.shipment, order: o.order, erpOrder: o.erpOrder } : undefined;
  }

  addEvents(trackingNo: string, events: SbTrackEvent[]): void {
    const o = this.require(trackingNo);
    o.shipment.pending.push(...events);
    o.shipment.pending.sort((a, b) => a.time - b.time);
    this.reschedule(trackingNo);
  }

  /** The parcel stops moving: every scan after `after` never happens. */
  stall(trackingNo: string, after: number): void {
    const o = this.require(trackingNo);
    o.shipment.pending = o.shipment.pending.filter((e) => e.time <= after);
    this.reschedule(trackingNo);
  }

  private require(trackingNo: string): Owner {
    const o = this.byNo.get(trackingNo);
    if (!o) throw new Error(`unknown tracking number ${trackingNo}`);
    return o;
  }

  private reschedule(trackingNo: string): void {
    const o = this.byNo.get(trackingNo);
    if (!o) return;
    o.cancel?.();
    o.cancel = undefined;
    const next = o.shipment.pending[0];
    if (!next) return;
    o.cancel = this.hooks.schedule(next.time, () => this.applyUpTo(o, next.time));
  }

  private applyUpTo(o: Owner, upTo: number): void {
    o.cancel = undefined;
    const s = o.shipment;
    while (s.pending.length > 0 && s.pending[0].time <= upTo) {
      const ev = s.pending.shift() as SbTrackEvent;
      s.events.push(ev);
      this.hooks.onEvent(o, ev.time);
      this.hooks.emit({ kind: 'track.event', shipment: s, event: ev, order: o.order, erpOrder: o.erpOrder });
      if (ev.state === 3) this.hooks.onSigned(o, ev.time);
    }
    this.reschedule(s.trackingNo);
  }
}
