import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { BuyerMessagesConfig, LogisticsConfig, PromotionConfig, RemarksConfig, ReshipConfig, TasksConfig, UnpaidConfig } from '../config/config.schema.js';
import type { StallSettings } from '../rules/logistics-stall.rule.js';
import { ShopEntity } from '../shops/shop.entity.js';
import { ShopSettingsService } from '../shops/shop-settings.service.js';

/** The rule sections the after-sale automation reads, as they apply to one shop. */
export interface ShopRules {
  shop: ShopEntity;
  unpaid: UnpaidConfig;
  logistics: LogisticsConfig;
  promotions: PromotionConfig[];
  reship: ReshipConfig;
  buyerMessages: BuyerMessagesConfig;
  tasks: TasksConfig;
  remarks: RemarksConfig;
}

/** Every number is a default a shop may override: the shop's effective settings (ShopSettingsService). */
@Injectable()
export class ShopRuleSettings {
  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    private readonly settings: ShopSettingsService,
  ) {}

  async forShop(shopId: number): Promise<ShopRules> {
    const shop = await this.shops.findOneByOrFail({ id: shopId });
    const s = this.settings.effectiveOf(shop);
    return { shop, unpaid: s.unpaid, logistics: s.logistics, promotions: s.promotions, reship: s.reship, buyerMessages: s.buyerMessages, tasks: s.tasks, remarks: s.remarks };
  }
}

/** What the stall rule needs from a shop's settings. */
export function stallSettings(r: Pick<ShopRules, 'logistics' | 'promotions' | 'remarks'>): StallSettings {
  return {
    thresholdsHours: r.logistics.thresholdsHours,
    escalateAfterHours: r.logistics.escalateAfterHours,
    promotions: r.promotions,
    botId: r.remarks.botId,
    buyerMessage: r.logistics.buyerMessage || null,
    fakeShipAfterHours: r.logistics.fakeShipAfterHours,
  };
}
