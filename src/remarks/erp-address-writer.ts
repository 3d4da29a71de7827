import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActionExecutors } from '../actions/action-executors.js';
import type { ActionEntity } from '../actions/action.entity.js';
import { ACTION_TYPES, type ErpAddressUpdatePayload } from '../actions/action-types.js';
import { PermanentJobError } from '../jobs/job-queue.js';
import { OrderEntity } from '../orders/order.entity.js';
import { ErpStage } from '../platforms/ports/erp.types.js';
import { ShopAdapters } from '../shops/shop-adapters.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { TasksService } from '../tasks/tasks.service.js';
import { addressInMemo } from './remark-parser.js';

/** ERP stages in which the receiver may still be changed: the parcel has not left. */
const ADDRESS_EDITABLE = new Set<ErpStage>([ErpStage.WAIT_PAY, ErpStage.WAIT_AUDIT, ErpStage.AUDITED, ErpStage.QUESTION]);

/**
 * Executes `erp.address.update`: the new receiver from an address-change remark goes into the ERP
 * order (Jushuitan), read at the moment of writing from where it is kept — the memo line people wrote
 * (as the platform gives it). No address travels in the action. Once the ERP order has shipped, the
 * change is not made and an agent gets an address-exception task instead.
 */
@Injectable()
export class ErpAddressWriter implements OnModuleInit {
  constructor(
    private readonly executors: ActionExecutors,
    private readonly adapters: ShopAdapters,
    private readonly tasks: TasksService,
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
  ) {}

  onModuleInit(): void {
    this.executors.register(ACTION_TYPES.erpAddressUpdate, (a) => this.update(a));
  }

  async update(action: ActionEntity): Promise<Record<string, unknown>> {
    const p = action.payload as ErpAddressUpdatePayload;
    const order = action.orderId ? await this.orders.findOneBy({ id: action.orderId }) : null;
    if (!order) throw new PermanentJobError(`erp.address.update ${action.id}: order not found`);
    if (!p.memoLineHash) throw new PermanentJobError('erp.address.update names no address: only memo address lines are supported');
    const address = addressInMemo(order.sellerMemo, p.memoLineHash);
    if (!address) return { status: 'superseded', reason: 'the address line is no longer in the memo' };
    const shop = await this.shops.findOneByOrFail({ id: order.shopId });
    if (!shop.erpShopId) throw new PermanentJobError(`shop ${shop.id} names no Jushuitan shop`);
    const erp = await this.adapters.erp(order.shopId);
    const copy = await erp.getOrderByOnlineId(shop.erpShopId, order.platformOrderId);
    if (!copy) throw new Error(`the ERP has no copy of order ${order.platformOrderId} yet`);
    if (!ADDRESS_EDITABLE.has(copy.stage)) {
      const { task } = await this.tasks.open({
        shopId: order.shopId,
        orderId: order.id,
        type: 'address_exception',
        role: 'in_sale',
        reason: `订单编号:${order.platformOrderId} 备注要求改地址,但ERP订单已${copy.stage === ErpStage.SENT ? '发货' : copy.stage},请联系买家和快递处理`,
        dedupeKey: `address-exception:${action.idempotencyKey}`,
        by: 'erp.address.update',
      });
      return { status: 'superseded', erpStage: copy.stage, taskId: task.id };
    }
    await erp.updateAddress({
      erpOrderId: copy.erpOrderId,
      receiverName: address.name,
      receiverMobile: address.phone,
      province: address.province,
      city: address.city,
      district: address.district,
      address: address.detail,
    });
    return { status: 'written', erpOrderId: copy.erpOrderId };
  }
}
