import { shanghaiDate } from '../common/shanghai-time.js';
import { ACTION_TYPES, type RemarkWritePayload } from '../actions/action-types.js';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { ActionsService } from '../actions/actions.service.js';
import { ShopRuleSettings } from '../aftersale/shop-rule-settings.js';
import { Clock } from '../common/clock.js';
import { errorText } from '../common/errors.js';
import { JobQueue } from '../jobs/job-queue.js';
import { JOBS } from '../jobs/job-names.js';
import { BUYER_MESSAGE_ACTION, type BuyerMessagePayload } from '../messages/buyer-message.action.js';
import { OrderEntity } from '../orders/order.entity.js';
import type { Shipment } from '../platforms/ports/canonical.types.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ReshipEntity } from './reship.entity.js';

const BATCH = 100;

/**
 * Asks the ERP for the tracking number of filed reships when they are due (an index range on
 * track_due_at, never every reship). Once the ERP shows the replacement parcel, the original order
 * gets the remark `补发单号:<courier> <no>` and the buyer is told the number — staged with the
 * status change in one transaction, under keys that make each happen once.
 */
@Injectable()
export class ReshipTracker implements OnModuleInit {
  private readonly log = new Logger('reships');

  constructor(
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly queue: JobQueue,
    private readonly adapters: ShopAdapters,
    private readonly actions: ActionsService,
    private readonly settings: ShopRuleSettings,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.queue.register(JOBS.reshipsTrack, async () => void (await this.track()));
  }

  /** Returns how many reships got their tracking number in this pass. */
  async track(): Promise<number> {
    const due = await this.ds.getRepository(ReshipEntity).find({ where: { trackDueAt: LessThanOrEqual(this.clock.now()) }, order: { trackDueAt: 'ASC', id: 'ASC' }, take: BATCH });
    let shipped = 0;
    for (const reship of due) {
      try {
        if (await this.trackOne(reship)) shipped++;
      } catch (err) {
        this.log.warn({ msg: 'reship tracking query failed', reship: reship.id, err: errorText(err, 300) });
        await this.later(reship);
      }
    }
    return shipped;
  }

  private async trackOne(reship: ReshipEntity): Promise<boolean> {
    if (reship.status !== 'filed' || !reship.erpAfterSaleId) {
      await this.ds.getRepository(ReshipEntity).update({ id: reship.id }, { trackDueAt: null });
      return false;
    }
    const order = await this.ds.getRepository(OrderEntity).findOneByOrFail({ id: reship.orderId });
    const shop = await this.ds.getRepository(ShopEntity).findOneByOrFail({ id: order.shopId });
    const erp = await this.adapters.erp(shop.id);
    const parcel = await erp.getReshipShipment({ shopId: shop.erpShopId ?? '', onlineOrderId: order.platformOrderId, erpAfterSaleId: reship.erpAfterSaleId });
    if (!parcel) {
      await this.later(reship);
      return false;
    }
    return this.shipped(reship, order, parcel);
  }

  private async shipped(reship: ReshipEntity, order: OrderEntity, parcel: Shipment): Promise<boolean> {
    const rules = await this.settings.forShop(order.shopId);
    const courier = parcel.carrierName ?? parcel.carrierCode ?? '';
    const staged = await this.ds.transaction(async (m) => {
      const now = this.clock.now();
      const res = await m.update(
        ReshipEntity,
        { id: reship.id, status: 'filed' },
        { status: 'shipped', carrierCode: parcel.carrierCode?.slice(0, 32) ?? null, carrierName: parcel.carrierName?.slice(0, 32) ?? null, trackingNo: parcel.trackingNo.slice(0, 64), shippedAt: now, trackDueAt: null, updatedAt: now },
      );
      if (!res.affected) return [];
      const remarkPayload: RemarkWritePayload = {
        target: 'marketplace',
        fields: { kind: 'reship', courier, trackingNo: parcel.trackingNo },
        agentId: rules.remarks.botId,
        date: shanghaiDate(now),
        flag: rules.remarks.flags.reship,
      };
      const remark = await this.actions.stage(m, {
        type: ACTION_TYPES.remarkWrite,
        idempotencyKey: `reship:${reship.id}:remark`,
        shopId: order.shopId,
        orderId: order.id,
        payload: { orderId: order.id, ...remarkPayload },
      });
      const message: BuyerMessagePayload = {
        orderId: order.id,
        purpose: 'reship_tracking',
        template: rules.buyerMessages.texts.reship_tracking ?? '补发单号:{courier} {trackingNo}',
        params: { courier, trackingNo: parcel.trackingNo },
      };
      const msg = await this.actions.stage(m, { type: BUYER_MESSAGE_ACTION, idempotencyKey: `reship:${reship.id}:message`, shopId: order.shopId, orderId: order.id, payload: { ...message } });
      return [remark.action.id, msg.action.id];
    });
    for (const id of staged) await this.actions.enqueue(id);
    return staged.length > 0;
  }

  private async later(reship: ReshipEntity): Promise<void> {
    const rules = await this.settings.forShop(reship.shopId);
    const next = new Date(this.clock.nowMs() + rules.reship.trackEveryMinutes * 60_000);
    await this.ds.getRepository(ReshipEntity).update({ id: reship.id, status: 'filed' }, { trackDueAt: next });
  }
}
