import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import type { CanonicalOrder } from '../platforms/ports/canonical.types.js';
import type { MarketplacePort } from '../platforms/ports/marketplace.port.js';
import { OrdersService } from './orders.service.js';
import { PlatformCall } from './platform-call.js';
import { storedModifiedTimes } from './stored-modified.js';
import { nextWindow, type PollResource, type PollWindow } from './poll-window.js';
import { SyncStateStore } from './sync-state.store.js';

export interface PollRun {
  /** sync_states resource holding the cursor: 'orders' for polling, 'backfill' for a backfill. */
  resource: string;
  /** First window start when the cursor is empty (backfill --since). */
  since?: Date;
  maxWindows?: number;
  signal?: AbortSignal;
  /** After each window committed: the window, windows done in this run, orders the window held. */
  onWindow?: (w: PollWindow, done: number, orders: number) => void | Promise<void>;
}

export interface PollOutcome {
  windows: number;
  orders: number;
  listCalls: number;
  detailCalls: number;
  caughtUp: boolean;
}

const DETAIL_CONCURRENCY = 4;

/** Walks a shop's marketplace order windows, each stored with its cursor in one transaction. */
@Injectable()
export class OrderPoller {
  constructor(
    private readonly ds: DataSource,
    private readonly orders: OrdersService,
    private readonly states: SyncStateStore,
    private readonly call: PlatformCall,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async poll(shopId: number, platform: PollResource, run: PollRun): Promise<PollOutcome> {
    const state = await this.states.get(shopId, run.resource);
    const out: PollOutcome = { windows: 0, orders: 0, listCalls: 0, detailCalls: 0, caughtUp: false };
    let lastEnd = state.windowEnd ? new Date(state.windowEnd) : run.since ? new Date(run.since.getTime() + this.config.orders.overlapMs) : null;
    const max = run.maxWindows ?? this.config.orders.maxWindowsPerJob;
    // Caught up means up to when this run started; later changes are the next run's. Pinduoduo's windows
    // are bounded by its own clock (end ≤ PDD time − lag), so that clock is read once per run.
    const until = platform === 'pinduoduo' ? await this.platformTime(shopId) : this.clock.now();
    while (out.windows < max && !run.signal?.aborted) {
      const w = nextWindow(platform, lastEnd, until, this.config.orders);
      if (!w) return { ...out, caughtUp: true };
      const calls = { list: 0, detail: 0 };
      const orders = await this.window(shopId, w, calls);
      await this.ds.transaction(async (m) => {
        await this.orders.ingest(shopId, orders, run.resource === 'backfill' ? 'backfill' : 'poll', m);
        await this.states.advance(m, state.id, w, calls);
      });
      lastEnd = w.end;
      out.windows++;
      out.orders += orders.length;
      out.listCalls += calls.list;
      out.detailCalls += calls.detail;
      await run.onWindow?.(w, out.windows, orders.length);
    }
    return out;
  }

  private platformTime(shopId: number): Promise<Date> {
    return this.call.run(shopId, (a) => a.marketplace(shopId), (p) => (p.platformTime ? p.platformTime() : Promise.resolve(this.clock.now())));
  }

  /** Every page of one window; Taobao's partial list entries are completed by detail reads. */
  private async window(shopId: number, w: PollWindow, calls: { list: number; detail: number }): Promise<CanonicalOrder[]> {
    const found: CanonicalOrder[] = [];
    let cursor: string | undefined;
    let platform = '';
    do {
      const page = await this.call.run(shopId, (a) => a.marketplace(shopId), (p: MarketplacePort) => {
        platform = p.platform;
        return p.listOrders({ start: w.start, end: w.end, cursor, pageSize: this.config.orders.pageSize });
      });
      calls.list++;
      found.push(...page.orders);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return platform === 'taobao' ? this.details(shopId, found, calls) : found;
  }

  /** Detail only for orders whose list entry is newer than what is stored: unchanged ones cost nothing. */
  private async details(shopId: number, listed: CanonicalOrder[], calls: { detail: number }): Promise<CanonicalOrder[]> {
    const newest = new Map<string, CanonicalOrder>();
    for (const o of listed) if (!newest.has(o.orderId) || newest.get(o.orderId)!.modifiedAt < o.modifiedAt) newest.set(o.orderId, o);
    const stored = await storedModifiedTimes(this.ds, shopId, [...newest.keys()]);
    const todo = [...newest.values()].filter((o) => (stored.get(o.orderId) ?? -1) < o.modifiedAt.getTime());
    const out: CanonicalOrder[] = [];
    for (let i = 0; i < todo.length; i += DETAIL_CONCURRENCY) {
      const batch = todo.slice(i, i + DETAIL_CONCURRENCY);
      const full = await Promise.all(batch.map((o) => this.call.run(shopId, (a) => a.marketplace(shopId), (p) => p.getOrder(o.orderId))));
      calls.detail += batch.length;
      out.push(...full);
    }
    return out;
  }
}
