import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionExecutors } from '../actions/action-executors.js';
import type { ActionEntity } from '../actions/action.entity.js';
import { Clock } from '../common/clock.js';
import { PermanentJobError } from '../jobs/job-queue.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import { isFilePayload, outerAfterSaleId, RESHIP_FILE_ACTION, type ProposeReshipPayload } from './reship.actions.js';
import { ReshipEntity } from './reship.entity.js';
import { reasonLabel } from './reship-reasons.js';
import { ReshipsService } from './reships.service.js';

/**
 * Executes `reship.file`. A rule's decision only proposes the reship (an agent confirms it); a
 * confirmed reship becomes a Jushuitan aftersale of type 补发 with zero amount, shipped to the
 * original receiver the ERP already holds as the platform gave it. Re-running after a crash uploads
 * the same `outer_as_id`, which the ERP answers with the aftersale it created the first time.
 */
@Injectable()
export class ReshipFileExecutor implements OnModuleInit {
  constructor(
    private readonly executors: ActionExecutors,
    private readonly reships: ReshipsService,
    @InjectRepository(ReshipEntity) private readonly repo: Repository<ReshipEntity>,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    private readonly adapters: ShopAdapters,
    private readonly tasks: TasksService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.executors.register(RESHIP_FILE_ACTION, (a) => this.run(a));
  }

  async run(action: ActionEntity): Promise<Record<string, unknown>> {
    const p = action.payload;
    if (!isFilePayload(p)) {
      const proposal = p as unknown as Partial<ProposeReshipPayload> & { rule?: string };
      const orderId = proposal.orderId ?? action.orderId;
      if (!orderId || !proposal.reason || !proposal.responsibleParty || !proposal.lines) throw new PermanentJobError('reship.file needs an order, a reason, a responsible party and lines');
      const { reship } = await this.reships.propose({ orderId, reason: proposal.reason, responsibleParty: proposal.responsibleParty, lines: proposal.lines, by: proposal.rule ? `rule:${proposal.rule}` : 'rule' });
      return { proposed: reship.id };
    }
    const reship = await this.repo.findOneByOrFail({ id: p.reshipId });
    if (reship.status === 'filed' || reship.status === 'shipped') return { reship: reship.id, erpAfterSaleId: reship.erpAfterSaleId };
    if (reship.status !== 'confirmed') throw new PermanentJobError(`reship ${reship.id} is ${reship.status}, not confirmed`);
    const order = await this.orders.findOneByOrFail({ id: reship.orderId });
    const shop = await this.shops.findOneByOrFail({ id: order.shopId });
    if (!shop.erpShopId) return this.fail(reship, 'the shop names no Jushuitan shop (erpShopId)');
    const erp = await this.adapters.erp(shop.id);
    const reason = reasonLabel(reship.reason);
    const res = await erp.fileReship({
      shopId: shop.erpShopId,
      outerAfterSaleId: outerAfterSaleId(reship.id),
      onlineOrderId: order.platformOrderId,
      reason,
      remark: `补发:${reason}${reship.note ? ` ${reship.note}` : ''}`,
      lines: reship.lines.map((l) => ({ skuId: l.skuId, quantity: l.qty, name: l.name, amountFen: 0 })),
    });
    if (!res.accepted) return this.fail(reship, `ERP refused the 补发: ${res.message ?? 'no reason given'}`);
    const now = this.clock.now();
    await this.repo.update({ id: reship.id, status: 'confirmed' }, { status: 'filed', erpAfterSaleId: res.erpAfterSaleId, filedAt: now, trackDueAt: now, lastError: null, updatedAt: now });
    return { reship: reship.id, erpAfterSaleId: res.erpAfterSaleId };
  }

  /** A refusal no retry can fix: the reship is marked failed and an after-sale agent takes over. */
  private async fail(reship: ReshipEntity, why: string): Promise<never> {
    const now = this.clock.now();
    await this.repo.update({ id: reship.id }, { status: 'failed', lastError: why.slice(0, 512), trackDueAt: null, updatedAt: now });
    await this.tasks.open({ shopId: reship.shopId, orderId: reship.orderId, type: 'reship_failed', role: 'after_sale', reason: `补发未能提交到ERP: ${why}`, dedupeKey: `reship-failed:${reship.id}` });
    throw new PermanentJobError(why);
  }
}
