import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.schema.js';
import { AtOrBefore } from '../database/columns.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { OrderEntity } from './order.entity.js';
import { ShipmentTracker, type TrackedOrder } from './shipment-tracker.js';
import { ShipmentEntity } from './shipment.entity.js';

export interface TrackShopPayload {
  shopId: number;
}

const MARKETPLACES = ['taobao', 'pinduoduo', 'kuaishou'] as const;
/** Parcels of one shop read at once: platform calls overlap, the shared rate gates still pace them. */
const CONCURRENCY = 4;
/** A claimed parcel whose worker died is due again after this long. */
const CLAIM_MS = 10 * 60_000;

/**
 * The tracking tick enqueues one job per shop with a parcel due; the job reads that shop's due parcels
 * by the (shop_id, track_due_at) index, a batch at a time, never the open parcels that are not due.
 * Each parcel is claimed before it is read, so two workers never read the same one.
 */
@Injectable()
export class TrackProcessor implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly tracker: ShipmentTracker,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.queue.register(JOBS.ordersTrack, async () => void (await this.fanOut()));
    this.queue.register<TrackShopPayload>(JOBS.ordersTrackShop, async (p) => void (await this.trackShop(p.shopId)));
  }

  /** Returns the number of shops given a job. */
  async fanOut(): Promise<number> {
    const now = this.clock.now();
    const shops = await this.ds.getRepository(ShopEntity).find({ where: { status: 'active', platform: In([...MARKETPLACES]) }, select: { id: true } });
    let enqueued = 0;
    for (const shop of shops) {
      const due = await this.ds.getRepository(ShipmentEntity).findOne({ where: { shopId: shop.id, trackDueAt: AtOrBefore(this.ds, now) }, select: { id: true } });
      if (!due) continue;
      await this.queue.add<TrackShopPayload>(JOBS.ordersTrackShop, { shopId: shop.id }, { jobId: `track:${shop.id}`, attempts: 1 });
      enqueued++;
    }
    return enqueued;
  }

  /** Reads every parcel of the shop due now, in batches of `orders.trackBatch`; returns how many it read. */
  async trackShop(shopId: number): Promise<number> {
    const batch = this.config.orders.trackBatch;
    let read = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.ds.getRepository(ShipmentEntity).find({
        where: { shopId, trackDueAt: AtOrBefore(this.ds, now) },
        order: { trackDueAt: 'ASC', id: 'ASC' },
        take: batch,
      });
      const mine = await this.claim(due, now);
      const orders = await this.ordersOf(mine);
      for (let i = 0; i < mine.length; i += CONCURRENCY) {
        await Promise.all(mine.slice(i, i + CONCURRENCY).map((s) => this.read(s, orders.get(s.orderId))));
      }
      read += mine.length;
      // A short batch was the last; a batch another worker claimed entirely is its to finish.
      if (due.length < batch || mine.length === 0) return read;
    }
  }

  private async read(s: ShipmentEntity, order: TrackedOrder | undefined): Promise<void> {
    if (order) return this.tracker.track(s, order);
    await this.ds.getRepository(ShipmentEntity).update({ id: s.id }, { trackDueAt: null, updatedAt: this.clock.now() });
  }

  /**
   * Moves each parcel's due time past the claim: only the worker whose update matched reads it, and
   * reads it as it is now (another worker may have changed it since the due list was taken).
   */
  private async claim(due: ShipmentEntity[], now: Date): Promise<ShipmentEntity[]> {
    const until = new Date(now.getTime() + CLAIM_MS);
    const mine: number[] = [];
    for (const s of due) {
      const res = await this.ds.getRepository(ShipmentEntity).update({ id: s.id, trackDueAt: AtOrBefore(this.ds, now) }, { trackDueAt: until });
      if ((res.affected ?? 0) > 0) mine.push(s.id);
    }
    if (mine.length === 0) return [];
    return this.ds.getRepository(ShipmentEntity).find({ where: { id: In(mine) }, order: { id: 'ASC' } });
  }

  private async ordersOf(shipments: ShipmentEntity[]): Promise<Map<number, TrackedOrder>> {
    const ids = [...new Set(shipments.map((s) => s.orderId))];
    if (ids.length === 0) return new Map();
    const rows = await this.ds.getRepository(OrderEntity).find({ where: { id: In(ids) }, select: { id: true, platform: true, platformOrderId: true, receiver: true } });
    return new Map(
      rows.map((o) => [o.id, { platform: o.platform, platformOrderId: o.platformOrderId, receiverMobile: typeof o.receiver?.mobile === 'string' ? o.receiver.mobile : null }]),
    );
  }
}
