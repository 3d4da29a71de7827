import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { OrderPoller } from './order-poller.js';
import { RateLimitedWait } from './platform-call.js';
import type { PollResource } from './poll-window.js';
import { SyncStateEntity } from './sync-state.entity.js';
import { SyncStateStore } from './sync-state.store.js';

export const BACKFILL = 'backfill';

export interface BackfillProgress {
  /** Share of the span from `since` to the run's start that is stored, 0–1. */
  fraction: number;
  windowEnd: Date;
  windows: number;
  orders: number;
}

export interface BackfillResult {
  completed: boolean;
  windows: number;
  orders: number;
  /** Where this run took up a backfill an earlier run left unfinished; null on a fresh start. */
  resumedFrom: Date | null;
}

export interface BackfillOptions {
  signal?: AbortSignal;
  onStart?: (resumedFrom: Date | null) => void;
  onProgress?: (p: BackfillProgress) => void;
  onWait?: (ms: number, why: string) => void;
}

const MARKETPLACES = ['taobao', 'pinduoduo', 'kuaishou'];

/**
 * A shop's order history from `since`, window by window through the poller on its own cursor (sync state
 * `backfill`): each window is stored with the cursor in one transaction, so a run stopped at any point
 * resumes after the last stored window. Asking for another `since` starts over from it.
 */
@Injectable()
export class BackfillRunner {
  constructor(
    private readonly ds: DataSource,
    private readonly poller: OrderPoller,
    private readonly states: SyncStateStore,
    private readonly clock: Clock,
  ) {}

  async run(shopId: number, since: Date, opts: BackfillOptions = {}): Promise<BackfillResult> {
    const shop = await this.ds.getRepository(ShopEntity).findOneBy({ id: shopId });
    if (!shop) throw new Error(`shop ${shopId} does not exist`);
    if (!MARKETPLACES.includes(shop.platform)) throw new Error(`shop ${shopId} is a ${shop.platform} account, not a marketplace shop`);
    const resumedFrom = await this.startOrResume(shopId, since);
    opts.onStart?.(resumedFrom);
    const until = this.clock.nowMs();
    const span = Math.max(1, until - since.getTime());
    const out: BackfillResult = { completed: false, windows: 0, orders: 0, resumedFrom };
    while (!opts.signal?.aborted) {
      try {
        const run = await this.poller.poll(shopId, shop.platform as PollResource, {
          resource: BACKFILL,
          since,
          signal: opts.signal,
          maxWindows: Number.MAX_SAFE_INTEGER,
          onWindow: (w, _done, orders) => {
            out.windows++;
            out.orders += orders;
            opts.onProgress?.({ fraction: Math.min(1, (w.end.getTime() - since.getTime()) / span), windowEnd: w.end, windows: out.windows, orders: out.orders });
          },
        });
        out.completed = run.caughtUp;
        return out;
      } catch (err) {
        // A ban longer than the poller sleeps through inline: here nothing else waits, so wait it out.
        if (!(err instanceof RateLimitedWait)) throw err;
        opts.onWait?.(err.afterMs, err.message);
        await abortableSleep(err.afterMs, opts.signal);
      }
    }
    return out;
  }

  /** The stored cursor when it belongs to a backfill from the same `since`; otherwise a fresh start. */
  private async startOrResume(shopId: number, since: Date): Promise<Date | null> {
    const state = await this.states.get(shopId, BACKFILL);
    const marker = `since:${since.toISOString()}`;
    if (state.cursor === marker) return state.windowEnd ? new Date(state.windowEnd) : null;
    await this.ds.getRepository(SyncStateEntity).update({ id: state.id }, { cursor: marker, windowStart: null, windowEnd: null, updatedAt: this.clock.now() });
    return null;
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
