import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import type { ErpOrder } from '../platforms/ports/erp.types.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ErpCopyWriter } from './erp-copy.writer.js';
import { OrderEvents } from './order-events.js';
import { PlatformCall } from './platform-call.js';
import { nextWindow, type PollWindow } from './poll-window.js';
import { SyncStateStore } from './sync-state.store.js';

export interface ErpPollOutcome {
  windows: number;
  orders: number;
  changed: number;
  caughtUp: boolean;
}

/**
 * Polls a marketplace shop's orders in its Jushuitan shop (orders/single/query by modified time, windows
 * of at most 7 days) and copies the ERP state onto the canonical orders. Cursor `erp` of the shop.
 */
@Injectable()
export class ErpPoller {
  constructor(
    private readonly ds: DataSource,
    private readonly writer: ErpCopyWriter,
    private readonly states: SyncStateStore,
    private readonly call: PlatformCall,
    private readonly events: OrderEvents,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async poll(shopId: number, maxWindows = this.config.orders.maxWindowsPerJob): Promise<ErpPollOutcome> {
    const out: ErpPollOutcome = { windows: 0, orders: 0, changed: 0, caughtUp: false };
    const shop = await this.ds.getRepository(ShopEntity).findOneBy({ id: shopId });
    if (!shop?.erpShopId || !shop.erpAccountId) return { ...out, caughtUp: true };
    // The ERP copies an order only after the platform has it, so an ERP window that never passes the
    // shop's own polling cursor only names orders that are already rows: no copy arrives before its order.
    const marketplace = await this.states.get(shopId, 'orders');
    if (!marketplace.windowEnd) return { ...out, caughtUp: true };
    const limit = new Date(marketplace.windowEnd);
    const state = await this.states.get(shopId, 'erp');
    let lastEnd = state.windowEnd ? new Date(state.windowEnd) : null;
    const until = this.clock.now();
    while (out.windows < maxWindows) {
      const w = nextWindow('erp', lastEnd, until, this.config.orders, limit);
      if (!w) return { ...out, caughtUp: true };
      const calls = { list: 0, detail: 0 };
      const copies = await this.window(shopId, shop.erpShopId, w, calls);
      const events = await this.ds.transaction(async (m) => {
        const changed = await this.writer.apply(m, shopId, copies, 'poll');
        await this.states.advance(m, state.id, w, calls);
        return changed;
      });
      await this.events.emit(events);
      lastEnd = w.end;
      out.windows++;
      out.orders += copies.length;
      out.changed += events.length;
    }
    return out;
  }

  private async window(shopId: number, erpShopId: string, w: PollWindow, calls: { list: number }): Promise<ErpOrder[]> {
    const found: ErpOrder[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call.run(shopId, (a) => a.erp(shopId), (erp) =>
        erp.listOrders({ shopId: erpShopId, modifiedStart: w.start, modifiedEnd: w.end, cursor, pageSize: 100 }),
      );
      calls.list++;
      found.push(...page.orders);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  }
}
