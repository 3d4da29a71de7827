import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { errorText } from '../../common/errors.js';
import { JobQueue, PermanentJobError, type JobContext } from '../../jobs/job-queue.js';
import { JOBS } from '../../jobs/job-names.js';
import { readKd100Push } from '../../platforms/tracking/tracking.push.js';
import { ShopAdapters } from '../../shops/shop-adapters.js';
import { ShopDirectory } from '../../shops/shop-directory.js';
import type { ShopEntity } from '../../shops/shop.entity.js';
import { InboundEventEntity } from '../inbound-event.entity.js';
import { OrderIngest } from '../order-ingest.js';
import { InboundCounters, type InboundOutcome } from './inbound-counters.service.js';
import type { InboundPayload, InboundProcessJob } from './inbound-events.service.js';
import { TrackingIngest } from './tracking-ingest.service.js';

class Rejection extends Error {
  constructor(
    readonly outcome: InboundOutcome,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Acts on a stored event. A push only says "this order changed": the order is fetched again from the
 * platform (pushes may be stale or reordered) and handed to ingestion, which is monotonic by the
 * platform's modified time. The row leaves `received` exactly once, in the same transaction as the ingest.
 */
@Injectable()
export class InboundProcessor implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly counters: InboundCounters,
    private readonly tracking: TrackingIngest,
    private readonly clock: Clock,
    private readonly directory: ShopDirectory,
    @Inject(ShopAdapters) private readonly adapters: ShopAdapters,
    @Inject(OrderIngest) private readonly ingest: OrderIngest,
  ) {}

  onModuleInit(): void {
    this.queue.register<InboundProcessJob>(JOBS.inboundProcess, (p, ctx) => this.process(p.inboundId, ctx));
  }

  async process(inboundId: number, ctx?: JobContext): Promise<void> {
    const row = await this.db.getRepository(InboundEventEntity).findOne({ where: { id: inboundId } });
    if (!row || row.status !== 'received') return;
    try {
      if (row.source === 'kd100') await this.applyTracking(row);
      else await this.refetchOrder(row);
    } catch (err) {
      if (err instanceof Rejection) return this.reject(row, err);
      const last = !ctx || ctx.attempt >= ctx.maxAttempts || err instanceof PermanentJobError;
      if (last) await this.finish(row.id, 'failed', null, errorText(err, 512));
      throw err;
    }
  }

  private async refetchOrder(row: InboundEventEntity): Promise<void> {
    const payload = JSON.parse(row.payload) as InboundPayload;
    const shop = await this.resolveShop(row.platform, payload.shopRefs);
    if (!payload.orderId) return this.finish(row.id, 'processed', shop.id, 'no order in event');
    const order = await (await this.adapters.marketplace(shop.id)).getOrder(payload.orderId);
    const ingest = this.ingest;
    await this.db.transaction(async (m) => {
      const claimed = await m.update(
        InboundEventEntity,
        { id: row.id, status: 'received' },
        { status: 'processed', shopId: shop.id, processedAt: this.clock.now() },
      );
      // Another run got here first: its ingest stands, this one writes nothing.
      if ((claimed.affected ?? 0) === 0) return;
      await ingest.ingest(shop.id, [order], 'push', m);
    });
  }

  private async applyTracking(row: InboundEventEntity): Promise<void> {
    const payload = JSON.parse(row.payload) as InboundPayload;
    const push = readKd100Push(payload.content);
    const applied = await this.tracking.apply(push);
    if (!applied) throw new Rejection('unknown_waybill', `no shipment with waybill ${push.result.trackingNo || '(none)'}`);
    await this.finish(row.id, 'processed', applied.shopId, null);
  }

  private async resolveShop(platform: string, refs: string[]): Promise<Readonly<ShopEntity>> {
    const wanted = refs.filter(Boolean);
    const shops = await this.directory.current();
    const shop = wanted.map((ref) => shops.byRef(platform, ref)).find((s) => s !== undefined);
    if (!shop) throw new Rejection('unknown_shop', `unknown ${platform} shop ${wanted.join(' / ') || '(none given)'}`);
    if (shop.status !== 'active') throw new Rejection('inactive_shop', `${platform} shop ${shop.platformShopId} is ${shop.status}`);
    return shop;
  }

  private async reject(row: InboundEventEntity, err: Rejection): Promise<void> {
    await this.finish(row.id, 'rejected', null, err.message);
    await this.counters.bump(row.platform, row.source, err.outcome);
  }

  private async finish(id: number, status: string, shopId: number | null, error: string | null): Promise<void> {
    await this.db
      .getRepository(InboundEventEntity)
      .update({ id, status: 'received' }, { status, shopId, error: error?.slice(0, 512) ?? null, processedAt: this.clock.now() });
  }
}
