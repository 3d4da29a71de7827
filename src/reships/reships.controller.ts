import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { CreateReshipDto } from './dto/create-reship.dto.js';
import type { ReshipEntity } from './reship.entity.js';
import { ReshipReportService, type ReshipReport } from './reship-report.service.js';
import { ReshipsService } from './reships.service.js';

const READERS = ['after_sale', 'in_sale', 'lead', 'operator', 'warehouse'] as const;
const Id = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });
const optionalInt = (name: string, v?: string): number | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new BadRequestException(`${name} must be a whole number`);
  return Number(v);
};

/** After-sale agents: replacement shipments (补发) and the monthly claims report. */
@Controller('api')
export class ReshipsController {
  constructor(
    private readonly reships: ReshipsService,
    private readonly reports: ReshipReportService,
  ) {}

  /** Files a reship; the same order and reason again returns the first one (`created: false`). */
  @Post('reships')
  @Roles('after_sale', 'in_sale', 'lead')
  async create(@Body() dto: CreateReshipDto, @CurrentUser() user: AuthUser): Promise<ReshipEntity & { created: boolean }> {
    const { reship, created } = await this.reships.request(dto, user);
    return { ...reship, created };
  }

  @Get('reships')
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Query('shopId') shopId?: string, @Query('orderId') orderId?: string, @Query('status') status?: string): Promise<ReshipEntity[]> {
    const shop = optionalInt('shopId', shopId);
    if (shop !== undefined) user.assertShop(shop);
    return this.reships.list({ shopId: shop, orderId: optionalInt('orderId', orderId), status: status || undefined }, user.shopFilter);
  }

  @Get('reships/:id')
  @Roles(...READERS)
  async show(@Param('id', Id) id: number, @CurrentUser() user: AuthUser): Promise<ReshipEntity> {
    const reship = await this.reships.get(id);
    user.assertShop(reship.shopId);
    return reship;
  }

  /** Confirms a reship a rule proposed; the ERP filing follows. */
  @Post('reships/:id/confirm')
  @HttpCode(200)
  @Roles('after_sale', 'in_sale', 'lead')
  async confirm(@Param('id', Id) id: number, @CurrentUser() user: AuthUser): Promise<ReshipEntity> {
    user.assertShop((await this.reships.get(id)).shopId);
    return this.reships.confirm(id, user.label);
  }

  /** `?month=2026-11&format=csv|json` */
  @Get('reports/reships')
  @Roles('operator', 'lead', 'after_sale')
  @Header('cache-control', 'no-store')
  async report(@CurrentUser() user: AuthUser, @Query('month') month: string | undefined, @Query('format') format: string | undefined, @Res({ passthrough: true }) res: Response): Promise<ReshipReport | string> {
    if (!month) throw new BadRequestException('month is required (yyyy-MM)');
    if (format !== undefined && format !== 'json' && format !== 'csv') throw new BadRequestException('format must be json or csv');
    const report = await this.reports.month(month, user.shopFilter);
    if (format !== 'csv') return report;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="reships-${month}.csv"`);
    return this.reports.csv(report);
  }
}
