/** Every job name in one place; ids built from them are deterministic so duplicates collapse. */
export const JOBS = {
  actionExecute: 'actions.execute',
  ordersPoll: 'orders.poll',
  ordersPollShop: 'orders.poll-shop',
  ordersTrack: 'orders.track',
  ordersTrackShop: 'orders.track-shop',
  actionsSweep: 'actions.sweep',
  heartbeat: 'scheduler.heartbeat',
  diagnosticsProbe: 'diagnostics.probe',
  inboundProcess: 'inbound.process',
  inboundGroup: 'inbound.group',
  tmcConsume: 'tmc.consume',
  shopsTokenRefresh: 'shops.token-refresh',
  stallScan: 'logistics.stall-scan',
  reshipsTrack: 'reships.track',
  rulesEvaluate: 'rules.evaluate',
  rulesScan: 'rules.scan',
} as const;

/**
 * Which waiting jobs run first (lower first; names not listed run after all of these, in the order
 * they were added). Actions are what people wait for: an agent's remark, a buyer's message. Pushes
 * come next, because they are what makes an order visible. Rule evaluations, polls and scans keep
 * their turn after them: a burst of pushes delays a reminder by seconds, never an agent's remark.
 */
export const JOB_PRIORITY: Readonly<Record<string, number>> = {
  [JOBS.actionExecute]: 1,
  [JOBS.inboundGroup]: 2,
  [JOBS.inboundProcess]: 2,
};
