import type { FaultBook } from './fault-book.js';
import { type SandboxScenario, ScenarioError, type ScenarioOrder, type ScenarioStep } from './scenario.js';
import type { VirtualScheduler } from './scheduler.js';
import { parseDuration } from './time-format.js';
import type { SbToken } from './types.js';
import { newOrderId, randomReceiver } from './world-defaults.js';
import type { MemoryWorld } from './world.js';

/** Steps that change how the ship step plans the parcel rather than happening at their own time. */
const MODIFIERS = new Set(['never_collected', 'vanish', 'signed_not_received', 'stall']);
const SCAN_STEPS = new Set(['collect', 'transit', 'deliver']);

export interface ScenarioLoadResult {
  shops: number;
  /** Order ids in the order the scenario declared them (ids are generated when not given). */
  orderIds: string[];
}

interface Parts {
  world: MemoryWorld;
  scheduler: VirtualScheduler;
  faults: FaultBook;
}

/**
 * Load a scenario into a running world. Every step becomes a task at its absolute time; past ones
 * run at once in time order (so a payment 26 h ago is audited 10 min after it, before a ship 20 h ago).
 */
export function applyScenario(parts: Parts, sc: SandboxScenario): ScenarioLoadResult {
  const { world, scheduler, faults } = parts;
  const now = world.clock.now();
  for (const [service, f] of Object.entries(sc.faults ?? {})) faults.set(service as never, f);
  const erpOpts = world.erp.opts;
  if (sc.erp?.auditDelay) erpOpts.auditDelayMs = parseDuration(sc.erp.auditDelay);
  if (sc.erp?.fConfirmDelay) erpOpts.fConfirmDelayMs = parseDuration(sc.erp.fConfirmDelay);
  if (sc.erp?.reshipShipDelay) erpOpts.reshipShipDelayMs = parseDuration(sc.erp.reshipShipDelay);
  for (const app of sc.apps ?? []) world.addApp({ ...app });
  for (const s of sc.shops ?? []) {
    const tokens: SbToken[] = (s.tokens ?? []).map((t) => ({
      accessToken: t.accessToken,
      refreshToken: t.refreshToken ?? `${t.accessToken}-refresh`,
      expiresAt: now + parseDuration(t.expiresIn ?? '30d'),
      refreshExpiresAt: now + parseDuration(t.refreshExpiresIn ?? '180d'),
      revoked: t.revoked ?? false,
    }));
    world.addShop({ ...s, tokens });
  }
  const problems = (sc.orders ?? []).flatMap((o, i) => (world.shop(o.platform, o.shopId) ? [] : [`orders[${i}].shopId: no ${o.platform} shop "${o.shopId}" in the scenario or the world`]));
  if (problems.length > 0) throw new ScenarioError(problems);
  const orderIds = (sc.orders ?? []).map((o) => scheduleOrder(world, scheduler, o, now));
  scheduler.runDue();
  return { shops: sc.shops?.length ?? 0, orderIds };
}

function scheduleOrder(world: MemoryWorld, scheduler: VirtualScheduler, o: ScenarioOrder, now: number): string {
  const steps = o.timeline;
  const createStep = steps.find((s) => s.step === 'create');
  const createdAt = now + parseDuration(createStep?.at ?? String(Math.min(0, ...steps.map((s) => parseDuration(s.at)))));
  const receiver = { ...randomReceiver(world.rng, o.receiver?.province), ...(o.receiver ?? {}) };
  const input: Parameters<MemoryWorld['addOrder']>[0] = { platform: o.platform, shopId: o.shopId, receiver, createdAt };
  input.orderId = o.orderId ?? newOrderId(o.platform, createdAt, world.rng);
  if (o.buyerNick) input.buyerNick = o.buyerNick;
  if (o.buyerMessage) input.buyerMessage = o.buyerMessage;
  const id = input.orderId;
  scheduler.schedule(createdAt, () => world.addOrder(input, createdAt));
  for (const step of steps) {
    if (step.step === 'create' || MODIFIERS.has(step.step)) continue;
    const at = now + parseDuration(step.at);
    scheduler.schedule(at, () => runStep(world, o, id, step, at));
  }
  return id;
}

function runStep(world: MemoryWorld, o: ScenarioOrder, id: string, step: ScenarioStep, at: number): void {
  const p = o.platform;
  const order = world.order(p, id);
  if (!order) return;
  const trackingNo = (): string => {
    if (!order.shipment) throw new Error(`order ${id}: "${step.step}" before "ship"`);
    return order.shipment.trackingNo;
  };
  const erpOId = (): string => {
    const shop = world.shop(p, order.shopId);
    const erp = shop?.erpShopId ? world.erpOrderBySoId(shop.erpShopId, id) : undefined;
    if (!erp) throw new Error(`order ${id}: "${step.step}" needs an ERP copy (shop erpShopId and a pay step)`);
    return erp.oId;
  };
  switch (step.step) {
    case 'pay':
      world.pay(p, id, at);
      return;
    case 'ship':
      ship(world, o, id, step, at);
      return;
    case 'collect':
      world.addTrackEvent(trackingNo(), { time: at, state: 1, action: 'GOT', context: step.context ?? `【${step.city ?? '深圳市'}】快件已揽收`, city: step.city });
      return;
    case 'transit':
      world.addTrackEvent(trackingNo(), { time: at, state: 0, action: 'ARRIVAL', context: step.context ?? `【${step.city ?? order.receiver.city}】快件已到达 转运中心`, city: step.city });
      return;
    case 'deliver':
      if (order.shipment) world.addTrackEvent(trackingNo(), { time: at, state: 3, action: 'SIGNED', context: step.context ?? `【${order.receiver.city}】您的快件已签收，签收人：本人签收`, city: order.receiver.city });
      else world.deliver(p, id, at);
      return;
    case 'finish':
      world.finish(p, id, at);
      return;
    case 'close':
      world.close(p, id, at);
      return;
    case 'memo':
      world.writeMemo(p, id, { text: step.text ?? '', flag: step.flag, by: step.by ?? 'human:scenario', op: step.op ?? 'update' }, at);
      return;
    case 'erp_out_of_stock':
      world.setOutOfStock(erpOId(), true, at);
      return;
    case 'erp_audit':
      world.auditErp(erpOId(), at);
      return;
    case 'create':
    case 'stall':
    case 'never_collected':
    case 'vanish':
    case 'signed_not_received':
      return;
  }
}

/** Explicit scans, never_collected and vanish leave the parcel without planned scans; stall cuts them. */
function ship(world: MemoryWorld, o: ScenarioOrder, id: string, step: ScenarioStep, at: number): void {
  const kinds = new Set(o.timeline.map((s) => s.step));
  const silent = kinds.has('never_collected') || kinds.has('vanish') || [...SCAN_STEPS].some((k) => kinds.has(k as never));
  const order = world.ship(o.platform, id, { carrierCode: step.carrier ?? 'zhongtong', trackingNo: step.trackingNo, sendType: step.sendType, plan: silent ? 'none' : 'auto', signedNotReceived: kinds.has('signed_not_received') }, at);
  const stall = o.timeline.find((s) => s.step === 'stall');
  if (stall && order.shipment) world.stallTracking(order.shipment.trackingNo, at - parseDuration(step.at) + parseDuration(stall.at));
}
