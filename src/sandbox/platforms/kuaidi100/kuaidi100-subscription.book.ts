import type { SandboxContext, WorldEvent } from '../../core/contract.js';
import type { SbTrackEvent } from '../../core/types.js';
import { KD100 } from './kuaidi100.constants.js';
import { Kd100PushSender } from './kuaidi100-push.sender.js';
import { renderResult } from './kuaidi100-track.mapper.js';

export interface Kd100Subscription {
  company: string;
  number: string;
  key: string;
  callbackUrl: string;
  salt?: string;
  resultv2: boolean;
  subscribedAt: number;
  status: 'polling' | 'shutdown' | 'abort';
  pushes: number;
}

/** Subscriptions per waybill, and the pushes each new scan causes. */
export class Kd100SubscriptionBook {
  private readonly active = new Map<string, Kd100Subscription>();
  private readonly history = new Map<string, number[]>();
  private readonly sender: Kd100PushSender;
  private unlisten?: () => void;

  constructor(private readonly ctx: SandboxContext) {
    this.sender = new Kd100PushSender(ctx);
  }

  start(): void {
    this.unlisten = this.ctx.world.on((ev) => this.onWorld(ev));
  }

  stop(): void {
    this.unlisten?.();
  }

  list(): Kd100Subscription[] {
    return [...this.active.values()];
  }

  /** 'duplicate' while a subscription of the number still polls; 'cap' past 4 a month [3P]. */
  subscribe(s: Omit<Kd100Subscription, 'subscribedAt' | 'status' | 'pushes'>): 'ok' | 'duplicate' | 'cap' {
    const now = this.ctx.world.clock.now();
    const existing = this.active.get(s.number);
    if (existing?.status === 'polling') return 'duplicate';
    const recent = (this.history.get(s.number) ?? []).filter((t) => t > now - KD100.monthMs);
    if (recent.length >= KD100.subscriptionsPerWaybillPerMonth) return 'cap';
    this.history.set(s.number, [...recent, now]);
    const sub: Kd100Subscription = { ...s, subscribedAt: now, status: 'polling', pushes: 0 };
    this.active.set(s.number, sub);
    const found = this.ctx.world.shipmentByTracking(s.number);
    if (found && found.shipment.events.length > 0) this.push(sub, found.shipment.events, found.shipment.carrierCode);
    const abortAt = now + KD100.abortNoRecordMs;
    this.ctx.schedule(abortAt, () => this.maybeAbort(sub));
    return 'ok';
  }

  private maybeAbort(sub: Kd100Subscription): void {
    if (this.active.get(sub.number) !== sub || sub.status !== 'polling') return;
    const found = this.ctx.world.shipmentByTracking(sub.number);
    if (found && found.shipment.events.length > 0) return;
    sub.status = 'abort';
    this.deliver(sub, 'abort', '3天查询无记录', []);
  }

  private onWorld(ev: WorldEvent): void {
    if (ev.kind !== 'track.event') return;
    const sub = this.active.get(ev.shipment.trackingNo);
    if (!sub || sub.status !== 'polling') return;
    const upTo = ev.shipment.events.filter((e) => e.time <= ev.event.time);
    this.push(sub, upTo, ev.shipment.carrierCode);
  }

  private push(sub: Kd100Subscription, events: SbTrackEvent[], actualCom: string): void {
    const signed = events.some((e) => e.state === 3);
    if (signed) sub.status = 'shutdown';
    this.deliver(sub, signed ? 'shutdown' : 'polling', '', events, actualCom);
  }

  /** The callback body Kuaidi100 sends (§4b): status, message, autoCheck, comOld/comNew, lastResult. */
  private deliver(sub: Kd100Subscription, status: Kd100Subscription['status'], message: string, events: SbTrackEvent[], actualCom = sub.company): void {
    sub.pushes++;
    const changed = actualCom !== sub.company;
    const lastResult = renderResult(actualCom, sub.number, events, sub.resultv2);
    if (events.length === 0) Object.assign(lastResult, { message, status: '500' });
    const body = { status, billstatus: status === 'abort' ? 'check' : 'update', message, autoCheck: changed ? '1' : '0', comOld: changed ? sub.company : '', comNew: changed ? actualCom : '', lastResult };
    this.sender.send({ id: `${sub.number}:${sub.subscribedAt}:${sub.pushes}`, topic: status, url: sub.callbackUrl, param: JSON.stringify(body), salt: sub.salt });
  }
}
