import type { DataSource } from 'typeorm';
import { dateParam } from '../database/columns.js';

export interface DueShipmentRow {
  id: number;
  order_id: number;
  shop_id: number;
  carrier_code: string;
  tracking_no: string;
  consigned_at: Date | string | null;
  last_event_at: Date | string | null;
  last_event_desc: string | null;
  state: string;
  zone: number | null;
  stall_flag: string | null;
  stalled_at: Date | string | null;
  watch_due_at: Date | string;
}

/**
 * The stalled-logistics scan reads only parcels whose `watch_due_at` has come (an index range on
 * ix_shipments_watch_due), oldest first, in pages. Its cost follows the number of due parcels, not
 * the number of open ones: every evaluation sets the next due time, so a quiet parcel is not read
 * again until its threshold can have passed.
 */
export async function dueShipments(ds: DataSource, now: Date, afterId: { dueAt: Date; id: number } | null, limit: number): Promise<DueShipmentRow[]> {
  const cols =
    'id, order_id, shop_id, carrier_code, tracking_no, consigned_at, last_event_at, last_event_desc, state, zone, stall_flag, stalled_at, watch_due_at';
  const params: unknown[] = [dateParam(ds, now)];
  let keyset = '';
  if (afterId) {
    // Keyset paging: stable under concurrent updates, and never an OFFSET walk over the index.
    keyset = ' AND (watch_due_at > ? OR (watch_due_at = ? AND id > ?))';
    params.push(dateParam(ds, afterId.dueAt), dateParam(ds, afterId.dueAt), afterId.id);
  }
  params.push(limit);
  return ds.query(`SELECT ${cols} FROM shipments WHERE watch_due_at <= ?${keyset} ORDER BY watch_due_at, id LIMIT ?`, params);
}
