/**
 * Figure 1 (ingest rate), 5 (platform calls per changed order) and 6 (peak RSS): a load of Kuaishou
 * order events (new orders and payments of earlier ones, each one HTTPS push to the webhook) offered at
 * a fixed rate; an event counts as done once the order is stored in the state the platform shows and
 * every rule has been evaluated at the order's latest version.
 */
import type { SbOrder } from '../src/sandbox/core/types.js';
import type { BenchWorld } from './bench-world.js';
import { sleep } from './bench-env.js';

/** One pushed change: the order and whether the push announced its creation or its payment. */
export interface LoadEvent {
  orderId: string;
  kind: 'created' | 'paid';
}

export interface IngestOptions {
  events: number;
  offeredPerS: number;
  deadlineMs: number;
}

export interface IngestFigures {
  events: number;
  offeredPerS: number;
  /** First push to the moment every event was done (or the deadline). */
  wallMs: number;
  eventsPerS: number;
  complete: boolean;
  pushes: { sent: number; acknowledged: number };
  calls: { list: number; detail: number; other: number; changedOrders: number; listPer100Changed: number; detailPer100Changed: number; byMethod: Record<string, number> };
  peakRssMb: Record<string, number>;
  /** The events in order, for the ceiling script to upsert the same rows. */
  load: LoadEvent[];
}

const LIST_METHODS = /cursor\.list|increment|sold\.get|\.list\./;
const DETAIL_METHODS = /detail|fullinfo|information\.get/;

export async function runIngest(w: BenchWorld, opts: IngestOptions): Promise<IngestFigures> {
  const callsBefore = w.sb.ctx.calls.counts();
  const pushesBefore = w.sb.ctx.pushes.records('kuaishou').length;
  const load: LoadEvent[] = [];
  const unpaid: { order: SbOrder; at: number }[] = [];
  const started = Date.now();
  // Open loop: events are due at the offered rate whatever kefu-bridge does with them.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(opts.events, Math.floor(((Date.now() - started) * opts.offeredPerS) / 1000));
      while (load.length < due) {
        const payable = unpaid.length > 0 && Date.now() - unpaid[0].at >= 300 && load.length % 2 === 1;
        if (payable) {
          const { order } = unpaid.shift()!;
          w.sb.world.pay('kuaishou', order.orderId);
          load.push({ orderId: order.orderId, kind: 'paid' });
        } else {
          const order = w.place();
          unpaid.push({ order, at: Date.now() });
          load.push({ orderId: order.orderId, kind: 'created' });
        }
      }
      if (load.length >= opts.events) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const offeredMs = Date.now() - started;
  const { complete, at } = await untilDone(w, opts.deadlineMs - offeredMs);
  const wallMs = at - started;
  const peakRssMb = Object.fromEntries(w.processes.map((p, i) => [`${p.role}#${i + 1}`, Math.round(p.peakRssMb())]));
  const pushes = w.sb.ctx.pushes.records('kuaishou').slice(pushesBefore);
  const done = complete ? load.length : await eventsDone(w, load);
  return {
    events: done,
    offeredPerS: Math.round((load.length * 1000) / offeredMs),
    wallMs,
    eventsPerS: Math.round((done * 1000) / wallMs),
    complete,
    pushes: { sent: pushes.length, acknowledged: pushes.filter((p) => p.acknowledgedAt !== undefined).length },
    calls: callFigures(callsBefore, w.sb.ctx.calls.counts(), new Set(load.map((e) => e.orderId)).size),
    peakRssMb,
    load,
  };
}

/** Polls the database until every order the sandbox holds is stored as the platform shows it and evaluated at its version. */
async function untilDone(w: BenchWorld, budgetMs: number): Promise<{ complete: boolean; at: number }> {
  const deadline = Date.now() + Math.max(budgetMs, 0);
  const all = w.sb.world.orders({ platform: 'kuaishou' });
  const expected = { orders: all.length, paid: all.filter((o) => o.stage === 'paid').length };
  for (;;) {
    const s = await progress(w);
    if (s.orders === expected.orders && s.paid === expected.paid && s.evaluated === expected.orders) return { complete: true, at: Date.now() };
    if (Date.now() >= deadline) return { complete: false, at: Date.now() };
    await sleep(200);
  }
}

export async function progress(w: BenchWorld): Promise<{ orders: number; paid: number; evaluated: number }> {
  const [rows] = await w.db.query(
    `SELECT COUNT(*) AS orders, COALESCE(SUM(o.status = 'paid'), 0) AS paid,
            COALESCE(SUM(EXISTS (SELECT 1 FROM rule_evaluations r WHERE r.order_id = o.id AND r.order_version = o.version)), 0) AS evaluated
       FROM orders o WHERE o.platform = 'kuaishou'`,
  );
  const r = (rows as Record<string, unknown>[])[0];
  return { orders: Number(r.orders), paid: Number(r.paid), evaluated: Number(r.evaluated) };
}

/** After a deadline: the events whose order is stored in the announced state and evaluated at its version. */
async function eventsDone(w: BenchWorld, load: LoadEvent[]): Promise<number> {
  const [rows] = await w.db.query(
    `SELECT o.platform_order_id AS id, o.status FROM orders o
      WHERE o.platform = 'kuaishou' AND EXISTS (SELECT 1 FROM rule_evaluations r WHERE r.order_id = o.id AND r.order_version = o.version)`,
  );
  const status = new Map((rows as { id: string; status: string }[]).map((r) => [r.id, r.status]));
  return load.filter((e) => status.has(e.orderId) && (e.kind === 'created' || status.get(e.orderId) === 'paid')).length;
}

function callFigures(before: Record<string, number>, after: Record<string, number>, changedOrders: number): IngestFigures['calls'] {
  const byMethod: Record<string, number> = {};
  let list = 0;
  let detail = 0;
  let other = 0;
  for (const [key, n] of Object.entries(after)) {
    const delta = n - (before[key] ?? 0);
    if (delta <= 0) continue;
    const [platform, method, , outcome] = key.split('|');
    const name = `${platform} ${method} ${outcome}`;
    byMethod[name] = (byMethod[name] ?? 0) + delta;
    if (platform === 'kuaidi100' || platform === 'jushuitan') other += delta;
    else if (LIST_METHODS.test(method)) list += delta;
    else if (DETAIL_METHODS.test(method)) detail += delta;
    else other += delta;
  }
  const per100 = (n: number) => +((n * 100) / Math.max(changedOrders, 1)).toFixed(2);
  return { list, detail, other, changedOrders, listPer100Changed: per100(list), detailPer100Changed: per100(detail), byMethod };
}
