import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { TrackingState, type TrackingEvent, type TrackingResult } from '../platforms/ports/canonical.types.js';
import { OrderEvents } from './order-events.js';
import type { IngestSource, OrderChanged } from './order-ingest.js';
import { OrderEntity } from './order.entity.js';
import { ShipmentEntity } from './shipment.entity.js';
import { TrackingEventEntity } from './tracking-event.entity.js';

/** Where a shipment's events come from: the marketplace's trace API or the carrier-tracking service. */
export type TrackingSource = 'platform' | 'kd100';

/** Canonical tracking states in the shipment's own vocabulary; absent ones leave the state alone. */
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

/** A parcel in one of these states is done: its state stays, and it is never due for tracking again. */
export const FINAL_SHIPMENT_STATES: ReadonlySet<string> = new Set(['signed', 'returned']);

export interface TrackingUpdate {
  /** By id (a read of one parcel) or by waybill (a push names only the number; every shipment with it gets it). */
  target: { shipmentId: number } | { trackingNo: string };
  result: TrackingResult;
  source: TrackingSource;
  /** What the rules are told caused the change. */
  via: IngestSource;
  /** Tracking bookkeeping written with the result (next due time, subscription…), per shipment. */
  bookkeeping?: (shipment: ShipmentEntity) => Partial<ShipmentEntity>;
}

export interface TrackingApplied {
  shopId: number;
  shipmentIds: number[];
  /** Events stored for the first time, over all shipments. */
  added: number;
  /** Shipments whose parcel is now signed or returned. */
  finalIds: number[];
}

/** Same time and text from a push and a poll are one event. */
export function trackingFingerprint(e: TrackingEvent): string {
  return createHash('sha256').update(`${e.time.toISOString()}|${e.description}`).digest('hex');
}

/**
 * Applies tracking results to shipments: each event stored once (fingerprint unique per shipment), the
 * shipment's latest event, state and collection time moved only forwards, and an order-changed event
 * (`tracking`) after commit, so the rules see a parcel move (a new event ends a stall).
 */
@Injectable()
export class TrackingService {
  constructor(
    private readonly ds: DataSource,
    private readonly events: OrderEvents,
    private readonly clock: Clock,
  ) {}

  /** Null when no shipment of ours matches the target. */
  async apply(update: TrackingUpdate): Promise<TrackingApplied | null> {
    const out = await this.ds.transaction(async (m) => {
      const shipments = await this.lockShipments(m, update.target);
      if (shipments.length === 0) return null;
      const applied: TrackingApplied = { shopId: shipments[0].shopId, shipmentIds: shipments.map((s) => s.id), added: 0, finalIds: [] };
      const moved: ShipmentEntity[] = [];
      for (const s of shipments) {
        const added = await this.storeEvents(m, s.id, update.result.events, update.source);
        const progress = progressOf(s, update.result);
        const final = FINAL_SHIPMENT_STATES.has(progress.state ?? s.state);
        const patch = { ...progress, ...update.bookkeeping?.(s), ...(final ? { trackDueAt: null } : {}) };
        if (Object.keys(patch).length > 0) await m.update(ShipmentEntity, { id: s.id }, { ...patch, updatedAt: this.clock.now() });
        if (added > 0 || Object.keys(progress).length > 0) moved.push(s);
        if (final) applied.finalIds.push(s.id);
        applied.added += added;
      }
      return { applied, changed: await this.bumpOrders(m, moved, update.via) };
    });
    if (!out) return null;
    await this.events.emit(out.changed);
    return out.applied;
  }

  /** Row locks on MySQL so a push and a poll of one parcel serialise; SQLite has one writer anyway. */
  private lockShipments(m: EntityManager, target: TrackingUpdate['target']): Promise<ShipmentEntity[]> {
    const lock = m.connection.options.type === 'mysql' ? ({ mode: 'pessimistic_write' } as const) : undefined;
    if ('trackingNo' in target && !target.trackingNo) return Promise.resolve([]);
    const where = 'trackingNo' in target ? { trackingNo: target.trackingNo } : { id: target.shipmentId };
    return m.find(ShipmentEntity, { where, lock, order: { id: 'ASC' } });
  }

  private async storeEvents(m: EntityManager, shipmentId: number, events: TrackingEvent[], source: TrackingSource): Promise<number> {
    const byPrint = new Map<string, TrackingEvent>();
    for (const e of events) if (e.time.getTime() > 0) byPrint.set(trackingFingerprint(e), e);
    if (byPrint.size === 0) return 0;
    const known = await m.find(TrackingEventEntity, { where: { shipmentId, fingerprint: In([...byPrint.keys()]) }, select: { fingerprint: true } });
    for (const k of known) byPrint.delete(k.fingerprint);
    if (byPrint.size === 0) return 0;
    const now = this.clock.now();
    const rows = [...byPrint].map(([fingerprint, e]) => ({
      shipmentId,
      eventTime: e.time,
      state: e.state ?? TrackingState.UNKNOWN,
      action: null,
      description: e.description.slice(0, 512),
      source,
      fingerprint,
      createdAt: now,
    }));
    // The shipment row is locked, so nothing else inserts for it meanwhile; orIgnore is belt and braces.
    await m.createQueryBuilder().insert().into(TrackingEventEntity).values(rows).orIgnore().execute();
    return rows.length;
  }

  private async bumpOrders(m: EntityManager, moved: ShipmentEntity[], via: IngestSource): Promise<OrderChanged[]> {
    const ids = [...new Set(moved.map((s) => s.orderId))];
    if (ids.length === 0) return [];
    await m
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ version: () => 'version + 1', updatedAt: this.clock.now() })
      .where({ id: In(ids) })
      .execute();
    const orders = await m.find(OrderEntity, { where: { id: In(ids) }, select: { id: true, shopId: true, platform: true, platformOrderId: true, version: true } });
    return orders.map((o) => ({
      orderId: o.id,
      shopId: o.shopId,
      platform: o.platform,
      platformOrderId: o.platformOrderId,
      version: o.version,
      changes: ['tracking'],
      source: via,
    }));
  }
}

/**
 * What a result moves forwards on a shipment. The latest event only ever gets newer (an older or
 * reordered result cannot take it back), the state follows the newest event and never leaves signed or
 * returned, and collection is the earliest scan past consignment.
 */
function progressOf(s: ShipmentEntity, r: TrackingResult): Partial<ShipmentEntity> {
  const patch: Partial<ShipmentEntity> = {};
  const dated = r.events.filter((e) => e.time.getTime() > 0);
  const newest = dated.reduce<TrackingEvent | undefined>((a, e) => (!a || e.time > a.time ? e : a), undefined);
  if (newest && (!s.lastEventAt || newest.time.getTime() > new Date(s.lastEventAt).getTime())) {
    patch.lastEventAt = newest.time;
    patch.lastEventDesc = newest.description.slice(0, 255);
    const state = r.signed ? 'signed' : SHIPMENT_STATE[r.state];
    if (state && state !== s.state && !FINAL_SHIPMENT_STATES.has(s.state)) patch.state = state;
  }
  const scans = dated.filter((e) => e.state !== TrackingState.PENDING);
  const collected = scans.reduce<TrackingEvent | undefined>((a, e) => (!a || e.time < a.time ? e : a), undefined);
  if (collected && (!s.collectedAt || collected.time.getTime() < new Date(s.collectedAt).getTime())) patch.collectedAt = collected.time;
  return patch;
}
