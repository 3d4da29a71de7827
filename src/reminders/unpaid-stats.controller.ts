import { BadRequestException, Controller, Get, NotFoundException, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ShopRuleSettings } from '../aftersale/shop-rule-settings.js';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { RemindersService, type UnpaidStats } from './reminders.service.js';

const ShopId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });
const DAY = 86_400_000;

/** Pinduoduo's order APIs list only paid (成交) orders (platforms.md §2.4), so there is nothing to chase. */
const NO_UNPAID_ORDERS: Record<string, string> = {
  pinduoduo: '拼多多订单接口不提供未付款订单,无法催付 (Pinduoduo order APIs show no unpaid orders)',
  jushuitan: 'ERP accounts have no buyers to chase',
};

export interface UnpaidStatsView extends UnpaidStats {
  /** Whether unpaid chasing runs for this shop, and why not when it does not. */
  chasing: { active: boolean; reason: string | null };
}

/** Conversion of unpaid-order reminders per shop: how many reminded orders were paid, and how soon. */
@Controller('api/shops')
export class UnpaidStatsController {
  constructor(
    private readonly reminders: RemindersService,
    private readonly settings: ShopRuleSettings,
    private readonly clock: Clock,
  ) {}

  @Get(':id/unpaid-stats')
  @Roles('operator', 'lead', 'pre_sale')
  async stats(@Param('id', ShopId) id: number, @CurrentUser() user: AuthUser, @Query('from') from?: string, @Query('to') to?: string): Promise<UnpaidStatsView> {
    user.assertShop(id);
    const rules = await this.settings.forShop(id).catch(() => {
      throw new NotFoundException(`shop ${id} not found`);
    });
    const end = to ? parseDate('to', to) : this.clock.now();
    const start = from ? parseDate('from', from) : new Date(end.getTime() - 30 * DAY);
    if (start >= end) throw new BadRequestException('from must be before to');
    const unavailable = NO_UNPAID_ORDERS[rules.shop.platform];
    const reason = unavailable ?? (rules.unpaid.enabled ? null : 'unpaid chasing is switched off in this shop’s settings');
    return { ...(await this.reminders.stats(id, start, end)), chasing: { active: reason === null, reason } };
  }
}

function parseDate(field: string, value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new BadRequestException(`${field} must be a date (ISO 8601)`);
  return d;
}
