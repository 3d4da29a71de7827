import { BadRequestException, Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ROLES, Roles } from '../auth/roles.decorator.js';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { OrderViewsService, type RuleTraceView } from './order-views.service.js';

const OrderId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** An order as people see it, and why each rule fired or was skipped on it. */
@Controller('api/orders')
@Roles(...ROLES)
export class OrderViewsController {
  constructor(private readonly views: OrderViewsService) {}

  @Get()
  list(@CurrentUser() me: AuthUser, @Query() q: ListOrdersQuery) {
    return this.views.list(me, q);
  }

  @Get(':id')
  order(@CurrentUser() me: AuthUser, @Param('id', OrderId) id: number) {
    return this.views.order(me, id);
  }

  @Get(':id/rules')
  rules(@CurrentUser() me: AuthUser, @Param('id', OrderId) id: number): Promise<RuleTraceView[]> {
    return this.views.trace(me, id);
  }
}
