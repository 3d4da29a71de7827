/**
 * Figure 2: remark latency at a steady rate of payments. Orders are placed and ingested first; then they
 * are paid at the given rate. An in-sale agent asks for a ship-date remark on each order as soon as
 * kefu-bridge shows it paid (the bench polls the database for that); the remark is present once the
 * sandbox records the seller note written through the Kuaishou API. Latency runs from the payment in
 * the sandbox to that note, so it holds the push, the ingest, the agent's request and the write.
 */
import type { WorldEvent } from '../src/sandbox/core/contract.js';
import type { BenchWorld } from './bench-world.js';
import { percentile, sleep } from './bench-env.js';
import { progress } from './ingest-phase.js';

export interface RemarkFigures {
  paidPerS: number;
  orders: number;
  written: number;
  /** Payment → note present in the sandbox. */
  p50Ms: number;
  p99Ms: number;
  /** Payment → kefu-bridge shows the order paid (what the agent waits for). */
  visibleP50Ms: number;
  visibleP99Ms: number;
  /** Agent's request → note present. */
  requestToNoteP50Ms: number;
  requestToNoteP99Ms: number;
  /** Agent's request → kefu-bridge's answer (the action stored and queued). */
  answerP50Ms: number;
  answerP99Ms: number;
  failedRequests: number;
}

interface Track {
  paidAt: number;
  seenAt?: number;
  requestedAt?: number;
  answeredAt?: number;
  notedAt?: number;
}

export async function runRemarks(w: BenchWorld, opts: { perS: number; seconds: number; deadlineMs: number }): Promise<RemarkFigures> {
  const count = opts.perS * opts.seconds;
  const orders = Array.from({ length: count }, () => w.place());
  // Ingest the unpaid orders first, so the measurement holds only what the payments set off.
  for (const deadline = Date.now() + opts.deadlineMs; Date.now() < deadline; await sleep(200)) {
    const s = await progress(w);
    const total = w.sb.world.orders({ platform: 'kuaishou' }).length;
    if (s.orders === total && s.evaluated === total) break;
  }
  const tracks = new Map<string, Track>();
  const off = w.sb.world.on((ev: WorldEvent) => {
    if (ev.kind !== 'order.memo' || !ev.entry.by.startsWith('api:')) return;
    const t = tracks.get(ev.order.orderId);
    if (t && t.notedAt === undefined) t.notedAt = Date.now();
  });
  let failed = 0;
  const requests: Promise<void>[] = [];
  const ask = (id: number, t: Track) => {
    t.requestedAt = Date.now();
    const now = new Date();
    requests.push(
      w.agent.post(`/api/orders/${id}/remarks`, { kind: 'ship_date', month: now.getMonth() + 1, day: now.getDate(), targets: ['marketplace'] }).then(
        (res) => {
          t.answeredAt = Date.now();
          if (res.status >= 300) failed++;
        },
        () => void failed++,
      ),
    );
  };
  const started = Date.now();
  let paid = 0;
  const payer = setInterval(() => {
    const due = Math.min(count, Math.floor(((Date.now() - started) * opts.perS) / 1000));
    for (; paid < due; paid++) {
      w.sb.world.pay('kuaishou', orders[paid].orderId);
      tracks.set(orders[paid].orderId, { paidAt: Date.now() });
    }
  }, 10);
  const deadline = Date.now() + opts.seconds * 1000 + opts.deadlineMs;
  try {
    while (Date.now() < deadline) {
      const waiting = [...tracks].filter(([, t]) => t.seenAt === undefined).map(([id]) => id);
      if (waiting.length) {
        const [rows] = await w.db.query(`SELECT id, platform_order_id AS pid FROM orders WHERE platform = 'kuaishou' AND status = 'paid' AND platform_order_id IN (?)`, [waiting]);
        for (const r of rows as { id: number; pid: string }[]) {
          const t = tracks.get(r.pid)!;
          t.seenAt = Date.now();
          ask(r.id, t);
        }
      }
      if (paid === count && [...tracks.values()].every((t) => t.notedAt !== undefined)) break;
      await sleep(20);
    }
  } finally {
    clearInterval(payer);
    off();
    await Promise.all(requests);
  }
  const all = [...tracks.values()];
  const noted = all.filter((t) => t.notedAt !== undefined);
  const lat = noted.map((t) => t.notedAt! - t.paidAt);
  const visible = all.filter((t) => t.seenAt !== undefined).map((t) => t.seenAt! - t.paidAt);
  const req = noted.map((t) => t.notedAt! - t.requestedAt!);
  const answer = all.filter((t) => t.answeredAt !== undefined).map((t) => t.answeredAt! - t.requestedAt!);
  // An order never noted by the deadline counts at the deadline, so a lost remark cannot improve the figure.
  for (const t of all) if (t.notedAt === undefined) lat.push(deadline - t.paidAt);
  return {
    paidPerS: opts.perS,
    orders: count,
    written: noted.length,
    p50Ms: percentile(lat, 50),
    p99Ms: percentile(lat, 99),
    visibleP50Ms: percentile(visible, 50),
    visibleP99Ms: percentile(visible, 99),
    requestToNoteP50Ms: percentile(req, 50),
    requestToNoteP99Ms: percentile(req, 99),
    answerP50Ms: percentile(answer, 50),
    answerP99Ms: percentile(answer, 99),
    failedRequests: failed,
  };
}
