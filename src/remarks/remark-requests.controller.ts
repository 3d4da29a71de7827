import { BadRequestException, Body, Controller, Param, ParseIntPipe, Post } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { CreateRemarkRequestDto } from './dto/remark-request.dto.js';
import { RemarkRequestsService, type RemarkRequestView } from './remark-requests.service.js';

const OrderId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** Agents ask for a standard remark on an order; kefu-bridge writes it to the memo and the ERP. */
@Controller('api/orders')
export class RemarkRequestsController {
  constructor(private readonly requests: RemarkRequestsService) {}

  @Post(':id/remarks')
  @Roles('pre_sale', 'in_sale', 'after_sale', 'lead')
  create(@CurrentUser() me: AuthUser, @Param('id', OrderId) id: number, @Body() dto: CreateRemarkRequestDto): Promise<RemarkRequestView> {
    return this.requests.create(me, id, dto);
  }
}
