import { IsIn, IsOptional, Matches } from 'class-validator';
import { PagedShopListQuery } from '../../common/dto/list.query.js';
import type { OrderStatus } from '../../orders/order.entity.js';

export const ORDER_STATUSES: OrderStatus[] = ['unpaid', 'paid', 'shipped', 'delivered', 'finished', 'closed', 'refunded', 'unknown'];

/** What people look orders up by: the number a buyer quotes, the shop, the status. */
export class ListOrdersQuery extends PagedShopListQuery {
  /** The marketplace's order number (tid, order_sn, oid), exactly. */
  @IsOptional()
  @Matches(/^[0-9A-Za-z-]{1,64}$/, { message: 'platformOrderId must be 1-64 letters, digits or dashes' })
  platformOrderId?: string;
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
