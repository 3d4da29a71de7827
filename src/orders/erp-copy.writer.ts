import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { ErpStage, type ErpOrder } from '../platforms/ports/erp.types.js';
import type { IngestSource, OrderChanged } from './order-ingest.js';
import { OrderEntity } from './order.entity.js';
import { sameTime } from './order-row.mapper.js';

const CHUNK = 500;

/**
 * Copies the ERP's view of marketplace orders (its order id, status, audit stage and question type) onto the canonical
 * orders, matched by online order number. Monotonic on the ERP's own modified time: an older ERP read
 * never overwrites a newer one. 补发 and exchange orders carry the original so_id too; they are the
 * aftersale's, not the order's copy, and are left out.
 */
@Injectable()
export class ErpCopyWriter {
  constructor(private readonly clock: Clock) {}

  /** Writes in the caller's transaction; the returned events are for after it commits. */
  async apply(m: EntityManager, shopId: number, copies: ErpOrder[], source: IngestSource): Promise<OrderChanged[]> {
    const newest = new Map<string, ErpOrder>();
    for (const c of copies) {
      if (c.afterSaleId || !c.onlineOrderId || !c.modifiedAt) continue;
      const prev = newest.get(c.onlineOrderId);
      if (!prev || prev.modifiedAt!.getTime() <= c.modifiedAt.getTime()) newest.set(c.onlineOrderId, c);
    }
    const ids = [...newest.keys()];
    const events: OrderChanged[] = [];
    const now = this.clock.now();
    // MySQL: lock the rows so this and a marketplace ingest of the same order bump the version in turn.
    const lock = m.connection.options.type === 'mysql' ? ({ mode: 'pessimistic_write' } as const) : undefined;
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await m.find(OrderEntity, { where: { shopId, platformOrderId: In(ids.slice(i, i + CHUNK)) }, lock });
      for (const row of rows) {
        const copy = newest.get(row.platformOrderId)!;
        if (!isNewer(row, copy) || !differs(row, copy)) continue;
        const version = row.version + 1;
        await m.update(
          OrderEntity,
          { id: row.id },
          { erpOrderId: copy.erpOrderId, erpStatus: copy.rawStatus.slice(0, 24), erpStage: copy.stage, erpQuestion: questionOf(copy), erpModifiedAt: copy.modifiedAt, version, updatedAt: now },
        );
        events.push({ orderId: row.id, shopId, platform: row.platform, platformOrderId: row.platformOrderId, version, changes: ['erp'], source });
      }
    }
    return events;
  }
}

function isNewer(row: OrderEntity, copy: ErpOrder): boolean {
  return !row.erpModifiedAt || new Date(row.erpModifiedAt).getTime() <= copy.modifiedAt!.getTime();
}

function differs(row: OrderEntity, copy: ErpOrder): boolean {
  return (
    row.erpOrderId !== copy.erpOrderId ||
    row.erpStatus !== copy.rawStatus.slice(0, 24) ||
    row.erpStage !== copy.stage ||
    row.erpQuestion !== questionOf(copy) ||
    !sameTime(row.erpModifiedAt, copy.modifiedAt)
  );
}

/** The ERP keeps an order's question type after the question is cleared: it counts only while the order is a question. */
function questionOf(copy: ErpOrder): string | null {
  return copy.stage === ErpStage.QUESTION ? (copy.questionType?.slice(0, 32) ?? null) : null;
}
