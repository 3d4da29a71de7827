import { In, type DataSource } from 'typeorm';
import { OrderEntity } from './order.entity.js';

/** Order ids per statement: well under every driver's parameter limit. */
const CHUNK = 500;

/**
 * When the platform last modified each of these orders of a shop, as stored: epoch ms, -1 where the
 * platform gave no time. Orders not stored are left out. A caller compares it with a newer report (a
 * list entry, a push) to skip reading an order that has not changed since.
 */
export async function storedModifiedTimes(ds: DataSource, shopId: number, platformOrderIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < platformOrderIds.length; i += CHUNK) {
    const rows = await ds.getRepository(OrderEntity).find({
      where: { shopId, platformOrderId: In(platformOrderIds.slice(i, i + CHUNK)) },
      select: { platformOrderId: true, platformModifiedAt: true },
    });
    // A driver may hand the datetime back as text.
    for (const r of rows) out.set(r.platformOrderId, r.platformModifiedAt ? new Date(r.platformModifiedAt).getTime() : -1);
  }
  return out;
}
