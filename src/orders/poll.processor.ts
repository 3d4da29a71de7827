import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ErpPoller } from './erp-poller.js';
import { OrderPoller } from './order-poller.js';
import { RateLimitedWait } from './platform-call.js';
import type { PollResource } from './poll-window.js';
import { SyncStateStore } from './sync-state.store.js';

export interface PollShopPayload {
  shopId: number;
  platform: PollResource;
}

const MARKETPLACES = ['taobao', 'pinduoduo', 'kuaishou'] as const;

/**
 * The poll tick fans out one job per active marketplace shop, and one more for its orders' ERP copies
 * when it names a Jushuitan shop; each job walks that shop's windows of that resource.
 */
@Injectable()
export class PollProcessor implements OnModuleInit {
  private readonly log = new Logger('orders-poll');

  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly poller: OrderPoller,
    private readonly erp: ErpPoller,
    private readonly states: SyncStateStore,
  ) {}

  onModuleInit(): void {
    this.queue.register(JOBS.ordersPoll, async () => void (await this.fanOut()));
    this.queue.register<PollShopPayload>(JOBS.ordersPollShop, (p) => this.pollShop(p));
  }

  async fanOut(): Promise<number> {
    const shops = await this.ds.getRepository(ShopEntity).find({
      where: { status: 'active', platform: In([...MARKETPLACES]) },
      select: { id: true, platform: true, erpAccountId: true, erpShopId: true },
    });
    for (const s of shops) {
      const jobs: PollShopPayload[] = [{ shopId: s.id, platform: s.platform as PollResource }];
      if (s.erpAccountId && s.erpShopId) jobs.push({ shopId: s.id, platform: 'erp' });
      for (const payload of jobs) await this.queue.add(JOBS.ordersPollShop, payload, { jobId: pollJobId(payload.platform, s.id), attempts: 1 });
    }
    return shops.length;
  }

  /** Errors end up in sync_states; a long rate-limit ban re-enqueues the shop after the ban instead. */
  async pollShop(p: PollShopPayload): Promise<void> {
    const resource = p.platform === 'erp' ? 'erp' : 'orders';
    try {
      if (p.platform === 'erp') await this.erp.poll(p.shopId);
      else await this.poller.poll(p.shopId, p.platform, { resource });
    } catch (err) {
      const state = await this.states.get(p.shopId, resource);
      if (err instanceof RateLimitedWait) {
        await this.states.waiting(state.id, err.message);
        await this.queue.add(JOBS.ordersPollShop, p, { jobId: `${pollJobId(p.platform, p.shopId)}:after-ban`, delayMs: err.afterMs, attempts: 1 });
        return;
      }
      await this.states.failed(state.id, err);
      this.log.warn({ msg: 'poll failed', shopId: p.shopId, resource, err: (err as Error).message });
    }
  }
}

/** `poll:erp:<shop>:erp` polls the ERP copies of that marketplace shop's orders. */
export function pollJobId(platform: string, shopId: number): string {
  return `poll:${platform}:${shopId}:${platform === 'erp' ? 'erp' : 'orders'}`;
}
