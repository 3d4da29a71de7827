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
