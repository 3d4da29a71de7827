import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsObject, ValidateNested } from 'class-validator';
import { BuyerMessagesConfig, LogisticsConfig, PromotionConfig, RemarksConfig, ReshipConfig, TasksConfig, UnpaidConfig, type RuleMode } from '../config/config.schema.js';

/**
 * A shop's effective rule settings: the configured defaults (config/default.yaml) with the shop's own
 * overrides (`shops.settings`) merged over them key by key. Every number of the playbook is here, so
 * every number is a per-shop setting.
 */
export class ShopSettings {
  /** Shop-wide dry run: rules evaluate and record their decisions; nothing is performed. */
  @IsBoolean()
  dryRun: boolean;
  /** Per-rule switches: rule name → on | off | dry_run. */
  @IsObject()
  rules: Record<string, RuleMode>;
  @ValidateNested()
  @Type(() => RemarksConfig)
  remarks: RemarksConfig;
  @ValidateNested()
  @Type(() => UnpaidConfig)
  unpaid: UnpaidConfig;
  @ValidateNested()
  @Type(() => LogisticsConfig)
  logistics: LogisticsConfig;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PromotionConfig)
  promotions: PromotionConfig[];
  @ValidateNested()
  @Type(() => ReshipConfig)
  reship: ReshipConfig;
  @ValidateNested()
  @Type(() => BuyerMessagesConfig)
  buyerMessages: BuyerMessagesConfig;
  @ValidateNested()
  @Type(() => TasksConfig)
  tasks: TasksConfig;
}

export const SETTING_SECTIONS = ['dryRun', 'rules', 'remarks', 'unpaid', 'logistics', 'promotions', 'reship', 'buyerMessages', 'tasks'] as const;
