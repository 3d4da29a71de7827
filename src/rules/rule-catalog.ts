import type { MarketplaceCapabilities } from '../platforms/ports/marketplace.port.js';
import { stallSettings } from '../aftersale/shop-rule-settings.js';
import type { ShopSettings } from '../shops/shop-settings.js';
import { slaMinutes } from '../tasks/task-sla.js';
import { AfterSaleFollowUpRule, type AfterSaleFollowUpSettings } from './after-sale-follow-up.rule.js';
import { LogisticsStallRule, type StallSettings } from './logistics-stall.rule.js';
import { MemoRemarksRule } from './memo-remarks.rule.js';
import { OutOfStockRule, type OutOfStockSettings } from './out-of-stock.rule.js';
import type { Rule, RuleContext, RuleOutcome } from './rule.js';
import { UnpaidChaseRule, type UnpaidChaseSettings } from './unpaid-chase.rule.js';

/** What the engine hands every rule: the shop's effective settings and what its platform can do. */
export interface EngineSettings {
  shop: ShopSettings;
  /** Null when the shop's adapter cannot be built (paused, no credentials): rules assume the least. */
  capabilities: MarketplaceCapabilities | null;
}

/**
 * A rule with its own settings shape, fed from the shop's settings. The engine sees one kind of rule;
 * each rule still reads only the numbers it owns.
 */
export function withSettings<S>(rule: Rule<S>, settingsOf: (s: EngineSettings) => S): Rule<EngineSettings> {
  return {
    name: rule.name,
    description: rule.description,
    evaluate: (ctx: RuleContext<EngineSettings>): RuleOutcome => rule.evaluate({ ...ctx, settings: settingsOf(ctx.settings) }),
  };
}

export function unpaidSettings({ shop, capabilities }: EngineSettings): UnpaidChaseSettings {
  return { ...shop.unpaid, unpaidVisible: capabilities?.unpaidOrders ?? true, buyerChannel: capabilities?.buyerMessage ?? false };
}

/** The stall rule reads the same sections the after-sale automation does. */
export function stallSettingsOf({ shop }: EngineSettings): StallSettings {
  return stallSettings(shop);
}

/** The out-of-stock numbers are the shop's task settings; the buyer's time to answer is the task type's SLA. */
export function outOfStockSettingsOf({ shop }: EngineSettings): OutOfStockSettings {
  return {
    compensationPercent: shop.tasks.outOfStockCompensationPercent,
    couponFen: shop.tasks.outOfStockCouponFen,
    callAfterMinutes: slaMinutes('out_of_stock', shop.tasks),
  };
}

export function afterSaleFollowUpSettingsOf({ shop }: EngineSettings): AfterSaleFollowUpSettings {
  return { followUpMinutes: slaMinutes('after_sale_follow_up', shop.tasks) };
}

/** The rules every order is evaluated against, in order. Names match RULE_NAMES. */
export function defaultRules(): Rule<EngineSettings>[] {
  return [
    withSettings(new UnpaidChaseRule(), unpaidSettings),
    withSettings(new LogisticsStallRule(), stallSettingsOf),
    withSettings(new MemoRemarksRule(), ({ shop }) => ({ botId: shop.remarks.botId })),
    withSettings(new OutOfStockRule(), outOfStockSettingsOf),
    withSettings(new AfterSaleFollowUpRule(), afterSaleFollowUpSettingsOf),
  ];
}
