/** Every rule the engine runs, by the stable name used in traces and in the per-shop switches. */
export const RULE_NAMES = ['unpaid.chase', 'logistics.stall', 'remarks.memo', 'stock.out', 'aftersale.follow_up'] as const;
export type RuleName = (typeof RULE_NAMES)[number];
