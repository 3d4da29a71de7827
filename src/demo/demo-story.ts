/**
 * The demo's day: what the shop's people do, and the clock running forward. Each step moves virtual
 * time, fires every scheduled tick once (as the scheduler would over that span) and lets the queue
 * drain, so a day of polling, tracking, rules and actions happens in about a minute.
 */
import { shanghaiDate, shanghaiParts } from '../common/shanghai-time.js';
import { JobQueue } from '../jobs/job-queue.js';
import { SchedulerService } from '../scheduling/scheduler.service.js';
import type { DemoWorld } from './demo-world.js';

const MIN = 60_000;

interface OrderRow {
  id: number;
  platformOrderId: string;
  lines?: { skuId?: string; outerSkuId?: string }[];
  shipments?: { stallFlag: string | null }[];
}

export class DemoStory {
  private readonly done = new Set<string>();
  simulatedMs = 0;

  constructor(private readonly w: DemoWorld) {}

  /** Moves the clock, fires every tick, and waits until the queue is idle. */
  async step(ms: number): Promise<void> {
    this.w.sb.clock.advance(ms);
    this.simulatedMs += ms;
    const scheduler = this.w.app.get(SchedulerService);
    for (const tick of this.w.config.scheduler.ticks) await scheduler.fire(tick);
    await this.idle();
  }

  /** Polls until kefu-bridge has every scenario order its platform lists (Pinduoduo shows paid ones only). */
  async ingestAll(expected: number, maxSteps = 30): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      const { total } = await this.w.people.operator.must<{ total: number }>('GET', '/api/orders?pageSize=1');
      if (total >= expected) return;
      await this.step(MIN);
    }
    throw new Error(`kefu-bridge did not ingest the ${expected} scenario orders`);
  }

  /** Agents ask for standard remarks, and people type lines into the seller console by hand. */
  async morning(): Promise<void> {
    const agent = this.w.people.inSale;
    const now = this.w.sb.clock.now();
    const later = shanghaiParts(now + 3 * 86_400_000);
    await agent.must('POST', `/api/orders/${await this.orderId('courier-request')}/remarks`, { kind: 'courier_request', courier: '顺丰', service: '特快', payment: '寄付' });
    await agent.must('POST', `/api/orders/${await this.orderId('audited-product-change')}/remarks`, { kind: 'product_change', product: '蓝色 XL', sku: 'SKU-1002', quantity: 2 });
    await agent.must('POST', `/api/orders/${await this.orderId('ship-date')}/remarks`, { kind: 'ship_date', month: later.month, day: later.day });
    const today = shanghaiDate(now);
    await this.humanMemo('human-address-change', `修改地址为:广东省 深圳市 南山区 科技园路1号 张三 13800000000,kf01,${today}`);
    await this.humanMemo('malformed-line', `顺丰,kf03,${today}`);
  }

  /** Once the Pinduoduo parcel is chased, the after-sale agent files a replacement for it. */
  async reshipWhenChased(): Promise<void> {
    if (this.done.has('reship')) return;
    const id = await this.orderId('stalled-reship');
    const order = await this.w.people.afterSale.must<OrderRow>('GET', `/api/orders/${id}`);
    if (!order.shipments?.some((s) => s.stallFlag)) return;
    const line = order.lines?.[0];
    const skuId = line?.outerSkuId ?? line?.skuId;
    if (!skuId) throw new Error(`order ${id} has no line to reship`);
    await this.w.people.afterSale.must('POST', '/api/reships', { orderId: id, lines: [{ skuId, qty: 1 }], reason: 'lost', responsibleParty: 'courier' });
    this.done.add('reship');
  }

  private async humanMemo(label: string, text: string): Promise<void> {
    const o = this.scenarioOrder(label);
    const res = await fetch(`${this.w.sb.url}/_sandbox/orders/${o.platform}/${o.platformOrderId}/memo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, by: '店长', op: 'append' }),
    });
    if (!res.ok) throw new Error(`memo on ${label}: ${res.status} ${await res.text()}`);
  }

  private scenarioOrder(label: string): { platform: string; platformOrderId: string } {
    const o = this.w.orders.get(label);
    if (!o) throw new Error(`the demo scenario has no order "${label}"`);
    return o;
  }

  /** kefu-bridge's id of a scenario order, looked up the way an agent finds the number a buyer quotes. */
  private async orderId(label: string): Promise<number> {
    const { platformOrderId } = this.scenarioOrder(label);
    const found = await this.w.people.operator.must<{ items: OrderRow[] }>('GET', `/api/orders?platformOrderId=${encodeURIComponent(platformOrderId)}`);
    if (!found.items[0]) throw new Error(`order "${label}" (${platformOrderId}) is not in kefu-bridge`);
    return found.items[0].id;
  }

  /** Idle: nothing waiting or running in the queue on two looks in a row (or ten seconds passed). */
  private async idle(): Promise<void> {
    const queue = this.w.app.get(JobQueue);
    const giveUp = Date.now() + 10_000;
    for (let quiet = 0; quiet < 2 && Date.now() < giveUp; ) {
      await new Promise((r) => setTimeout(r, 40));
      const c = await queue.counts();
      quiet = c.waiting + c.active === 0 ? quiet + 1 : 0;
    }
  }
}
