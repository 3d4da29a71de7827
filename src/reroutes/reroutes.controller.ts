import { BadRequestException, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ShopListQuery } from '../common/dto/list.query.js';
import { Roles } from '../auth/roles.decorator.js';
import type { RerouteStatus } from './reroute.entity.js';
import { ReroutesService, type RerouteView } from './reroutes.service.js';

const RerouteId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

export class ListReroutesQuery extends ShopListQuery {
  @IsOptional()
  @IsIn(['open', 'acked'])
  status?: RerouteStatus;
  /** Keyset paging, newest first: rows with an id below this one. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** Reroutes that remarks ask of the warehouse: see them, and say when they are done. */
@Controller('api/reroutes')
export class ReroutesController {
  constructor(private readonly reroutes: ReroutesService) {}

  @Get()
  @Roles('warehouse', 'in_sale', 'after_sale', 'lead', 'operator')
  list(@CurrentUser() me: AuthUser, @Query() q: ListReroutesQuery): Promise<RerouteView[]> {
    return this.reroutes.list(me, { shopId: q.shopId, status: q.status, before: q.before, limit: q.limit ?? 50 });
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Roles('warehouse', 'lead')
  ack(@CurrentUser() me: AuthUser, @Param('id', RerouteId) id: number): Promise<RerouteView> {
    return this.reroutes.ack(me, id);
  }
}
