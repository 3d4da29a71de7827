/**
 * The end of every load run: wait for the backlog to drain (with a deadline), then compare the sandbox's
 * record with what the ledger says should have happened. Orders: every order placed is stored once, in
 * the state the platform shows. Effects, each expected exactly once: the agent's ship-date note on every
 * paid order it asked about, one unpaid reminder SMS for every order left unpaid (none for paid ones),
 * and per reship one ERP 补发, one 补发单号 note and one SMS with the new number.
 */
import type { SbBuyerMessage } from '../../src/sandbox/core/types.js';
import { sleep } from '../bench-env.js';
import type { FaultWorld } from './fault-world.js';
import { send } from './http.js';
import type { Ledger, Tracked } from './load.js';

/** Kuaishou SMS templates kefu-bridge uses (config/default.yaml buyerMessages.templates). */
const UNPAID_TEMPLATE = '1001';
const RESHIP_TEMPLATE = '1003';

export interface Tally {
  expected: number;
  exactlyOnce: number;
  lost: number;
  doubled: number;
  /** Done where nothing was expected (e.g. a reminder to an order that was paid). */
  unexpected: number;
  /** A few platform order ids per problem, for a look in the logs. */
  examples: { lost: string[]; doubled: string[]; unexpected: string[] };
}

export interface Verdict {
  orders: { placed: number; stored: number; lost: number; wrongStatus: number; examples: string[] };
  remarks: Tally & { neverAccepted: number; unclearRequests: number };
  reminders: Tally;
  reships: Tally & { neverAccepted: number };
  reshipNotes: Tally;
  reshipMessages: Tally;
  queue: { waiting: number; active: number; delayed: number; failed: number } | null;
}

export interface Settled {
  drained: boolean;
  /** From the end of the load until everything expected was there (or the deadline). */
  seconds: number;
  verdict: Verdict;
}

function tally(ids: string[], count: (id: string) => number, unexpectedIds: string[] = []): Tally {
  const t: Tally = { expected: ids.length, exactlyOnce: 0, lost: 0, doubled: 0, unexpected: 0, examples: { lost: [], doubled: [], unexpected: [] } };
  const note = (list: string[], id: string) => {
    if (list.length < 5) list.push(id);
  };
  for (const id of ids) {
    const n = count(id);
    if (n === 1) t.exactlyOnce++;
    else if (n === 0) {
      t.lost++;
      note(t.examples.lost, id);
    } else {
      t.doubled++;
      note(t.examples.doubled, id);
    }
  }
  for (const id of unexpectedIds.filter((x) => count(x) > 0)) {
    t.unexpected++;
    note(t.examples.unexpected, id);
  }
  return t;
}

const countBy = <T>(items: T[], key: (x: T) => string | undefined): Map<string, number> => {
  const m = new Map<string, number>();
  for (const x of items) {
    const k = key(x);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
};

async function storedOrders(w: FaultWorld): Promise<Map<string, string> | null> {
  try {
    const [rows] = await w.db.query(`SELECT platform_order_id AS pid, status FROM orders WHERE platform = 'kuaishou'`);
    return new Map((rows as { pid: string; status: string }[]).map((r) => [r.pid, r.status]));
  } catch {
    return null;
  }
}

async function queueCounts(w: FaultWorld): Promise<Verdict['queue']> {
  const res = await send(w.url, { method: 'GET', path: '/health' }, 5000);
  const c = (res.body as { queue?: { counts?: Verdict['queue'] } } | undefined)?.queue?.counts;
  return c ?? null;
}

export async function verify(w: FaultWorld, ledger: Ledger): Promise<Verdict> {
  const all = ledger.all();
  const stored = (await storedOrders(w)) ?? new Map<string, string>();
  const world = w.sb.world;
  const stage = (t: Tracked) => world.order('kuaishou', t.orderId)!.stage;
  const orders: Verdict['orders'] = { placed: all.length, stored: 0, lost: 0, wrongStatus: 0, examples: [] };
  for (const t of all) {
    const status = stored.get(t.orderId);
    if (status === undefined) orders.lost++;
    else if (status !== stage(t)) orders.wrongStatus++;
    else orders.stored++;
    if (status !== stage(t) && orders.examples.length < 5) orders.examples.push(`${t.orderId}: ${status ?? 'missing'} (platform: ${stage(t)})`);
  }
  const notes = (t: Tracked, text: string) => world.order('kuaishou', t.orderId)!.memoHistory.filter((h) => h.by.startsWith('api:') && h.text.includes(text)).length;
  const byId = new Map(all.map((t) => [t.orderId, t]));
  const messages = world.buyerMessages();
  const sms = (template: string) => countBy(messages.filter((m: SbBuyerMessage) => m.template === template), (m) => m.orderId);
  const unpaidSms = sms(UNPAID_TEMPLATE);
  const reshipSms = sms(RESHIP_TEMPLATE);
  const filed = countBy(world.reships(), (r) => r.soId);
  const wanted = all.filter((t) => t.wantRemark);
  const reshipped = all.filter((t) => t.reship);
  const ids = (ts: Tracked[]) => ts.map((t) => t.orderId);
  return {
    orders,
    remarks: {
      ...tally(ids(wanted), (id) => notes(byId.get(id)!, ledger.shipBody)),
      neverAccepted: wanted.filter((t) => !t.remark.accepted).length,
      unclearRequests: wanted.reduce((n, t) => n + t.remark.unclear, 0),
    },
    reminders: tally(
      ids(all.filter((t) => !t.pay)),
      (id) => unpaidSms.get(id) ?? 0,
      ids(all.filter((t) => t.pay)),
    ),
    reships: { ...tally(ids(reshipped), (id) => filed.get(id) ?? 0), neverAccepted: reshipped.filter((t) => !t.reship!.accepted).length },
    reshipNotes: tally(ids(reshipped), (id) => notes(byId.get(id)!, '补发单号')),
    reshipMessages: tally(ids(reshipped), (id) => reshipSms.get(id) ?? 0),
    queue: await queueCounts(w),
  };
}

const nothingMissing = (v: Verdict) =>
  v.orders.lost + v.orders.wrongStatus + v.remarks.lost + v.reminders.lost + v.reships.lost + v.reshipNotes.lost + v.reshipMessages.lost === 0 &&
  v.queue !== null &&
  v.queue.waiting + v.queue.active === 0;

/**
 * Waits until every expected order and effect is there and the queue is idle, or the deadline; then
 * waits a little longer, so an effect done twice late is still seen, and answers the final comparison.
 */
export async function settle(w: FaultWorld, ledger: Ledger, deadlineMs: number, log: (s: string) => void): Promise<Settled> {
  const started = Date.now();
  let last = started;
  for (;;) {
    const v = await verify(w, ledger);
    if (nothingMissing(v)) break;
    if (Date.now() - started >= deadlineMs) {
      log(`    settle deadline: ${summaryLine(v)}`);
      return { drained: false, seconds: Math.round((Date.now() - started) / 1000), verdict: v };
    }
    if (Date.now() - last >= 15_000) {
      log(`    settling: ${summaryLine(v)}`);
      last = Date.now();
    }
    await sleep(1000);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  await sleep(15_000);
  return { drained: true, seconds, verdict: await verify(w, ledger) };
}

export function summaryLine(v: Verdict): string {
  const q = v.queue ? `${v.queue.waiting}+${v.queue.active}` : 'unknown';
  return (
    `orders ${v.orders.stored}/${v.orders.placed} (lost ${v.orders.lost}, stale ${v.orders.wrongStatus}), ` +
    `remarks ${v.remarks.exactlyOnce}/${v.remarks.expected} (lost ${v.remarks.lost}, doubled ${v.remarks.doubled}), ` +
    `reminders ${v.reminders.exactlyOnce}/${v.reminders.expected} (lost ${v.reminders.lost}, doubled ${v.reminders.doubled}, unexpected ${v.reminders.unexpected}), ` +
    `reships ${v.reships.exactlyOnce}/${v.reships.expected} (notes ${v.reshipNotes.exactlyOnce}, sms ${v.reshipMessages.exactlyOnce}), queue ${q}`
  );
}

/** Lost and doubled per kind, and whether nothing was lost or done twice. */
export function exactlyOnceFigures(v: Verdict): { lost: Record<string, number>; doubled: Record<string, number>; met: boolean } {
  const lost = {
    orders: v.orders.lost + v.orders.wrongStatus,
    remarks: v.remarks.lost,
    reminders: v.reminders.lost,
    reships: v.reships.lost,
    reshipNotes: v.reshipNotes.lost,
    reshipMessages: v.reshipMessages.lost,
  };
  const doubled = {
    remarks: v.remarks.doubled,
    reminders: v.reminders.doubled + v.reminders.unexpected,
    reships: v.reships.doubled,
    reshipNotes: v.reshipNotes.doubled,
    reshipMessages: v.reshipMessages.doubled,
  };
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  return { lost, doubled, met: sum(lost) + sum(doubled) === 0 };
}
