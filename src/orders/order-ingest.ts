import type { EntityManager } from 'typeorm';
import type { CanonicalOrder } from '../platforms/ports/canonical.types.js';

export type IngestSource = 'poll' | 'push' | 'backfill';

export interface IngestResult {
  inserted: number;
  updated: number;
  /** Same state as stored: nothing written. */
  unchanged: number;
  /** Older than what is stored (a late or reordered event): ignored, never overwrites. */
  stale: number;
  /** Our order ids whose state changed, for the rules. */
  changed: number[];
}

/** An order whose stored state changed, after the change committed. */
export interface OrderChanged {
  orderId: number;
  shopId: number;
  platform: string;
  platformOrderId: string;
  version: number;
  /** Which parts changed: 'status', 'memo', 'shipment', 'tracking', 'erp', 'receiver', 'created' … */
  changes: string[];
  source: IngestSource;
  /** The write that made the change also marked the order due for the rules (rules_due_at). */
  dueMarked?: boolean;
}

/**
 * Writes canonical orders for a shop: batched upserts keyed by (platform, shop, platform order id),
 * monotonic by the platform's modified time, in the caller's transaction when one is given.
 * Implemented in the orders module; pushes and pollers both go through it.
 */
export abstract class OrderIngest {
  abstract ingest(shopId: number, orders: CanonicalOrder[], source: IngestSource, manager?: EntityManager): Promise<IngestResult>;
}
