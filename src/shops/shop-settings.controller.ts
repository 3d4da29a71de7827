import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Patch } from '@nestjs/common';
import { Roles } from '../auth/roles.decorator.js';
import { ShopSettingsService, type ShopSettingsView } from './shop-settings.service.js';

const ShopId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** Shop operators set each shop's rules: thresholds, templates, flag colours, switches and dry run. */
@Controller('api/shops/:id/settings')
@Roles('operator', 'lead')
export class ShopSettingsController {
  constructor(private readonly settings: ShopSettingsService) {}

  @Get()
  show(@Param('id', ShopId) id: number): Promise<ShopSettingsView> {
    return this.settings.view(id);
  }

  /** Body: the keys to change, e.g. `{"unpaid":{"firstReminderAfterMinutes":45},"rules":{"unpaid.chase":"dry_run"}}`. */
  @Patch()
  patch(@Param('id', ShopId) id: number, @Body() body: unknown): Promise<ShopSettingsView> {
    return this.settings.patch(id, body);
  }
}
