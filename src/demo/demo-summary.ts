/** What the demo shows, read back from kefu-bridge's own HTTP API, and whether everything expected is there. */
import type { DemoApi } from './demo-api.js';

interface OrderRow {
  id: number;
  platform: string;
  platformOrderId: string;
  sellerMemo: string | null;
}
interface OrderDetail extends OrderRow {
  shipments: { stallFlag: string | null }[];
  actions: { type: string; status: string }[];
}
interface TaskRow {
  type: string;
  status: string;
}
interface ReshipRow {
  id: number;
  orderId: number;
  status: string;
  carrierName: string | null;
  trackingNo: string | null;
}

export interface DemoFigures {
  /** remark.write actions done (marketplace memo and ERP remark each count). */
  remarksWritten: number;
  memoLines: { agentRequests: number; chased: number; reshipNumber: number };
  reminders: { sent: number; paidAfter: number };
  stalls: { flagged: number; chased: number };
  reship: { id: number; status: string; carrier: string | null; trackingNo: string | null; remarked: boolean } | null;
  tasks: { waiting: number; byType: Record<string, number> };
  reroutesOpen: number;
}

export interface DemoCheck {
  name: string;
  ok: boolean;
}

const AGENT_LINE = /,kf\d+,\d{4}-\d{2}-\d{2}$/;

export async function gatherFigures(api: DemoApi, shops: Record<string, number>): Promise<DemoFigures> {
  const orders = (await api.must<{ items: OrderRow[] }>('GET', '/api/orders?pageSize=200')).items;
  const details = await Promise.all(orders.map((o) => api.must<OrderDetail>('GET', `/api/orders/${o.id}`)));
  const lines = details.flatMap((d) => (d.sellerMemo ?? '').split('\n'));
  const chasedOrders = new Set(details.filter((d) => /^已催件 /m.test(d.sellerMemo ?? '')).map((d) => d.id));
  const reminders = { sent: 0, paidAfter: 0 };
  for (const p of ['taobao', 'kuaishou']) {
    if (shops[p] === undefined) continue;
    const s = await api.must<{ reminders: number; ordersPaid: number }>('GET', `/api/shops/${shops[p]}/unpaid-stats`);
    reminders.sent += s.reminders;
    reminders.paidAfter += s.ordersPaid;
  }
  const tasks = (await api.must<{ items: TaskRow[]; total: number }>('GET', '/api/tasks?pageSize=200')).items.filter((t) => t.status === 'open' || t.status === 'claimed');
  const byType: Record<string, number> = {};
  for (const t of tasks) byType[t.type] = (byType[t.type] ?? 0) + 1;
  const [reship] = await api.must<ReshipRow[]>('GET', '/api/reships');
  const reshipMemo = reship ? (details.find((d) => d.id === reship.orderId)?.sellerMemo ?? '') : '';
  const reroutes = await api.must<unknown[]>('GET', '/api/reroutes?status=open');
  return {
    remarksWritten: details.flatMap((d) => d.actions).filter((a) => a.type === 'remark.write' && a.status === 'done').length,
    memoLines: {
      agentRequests: lines.filter((l) => AGENT_LINE.test(l)).length,
      chased: lines.filter((l) => l.startsWith('已催件 ')).length,
      reshipNumber: lines.filter((l) => l.startsWith('补发单号:')).length,
    },
    reminders,
    stalls: { flagged: details.filter((d) => d.shipments.some((s) => s.stallFlag)).length, chased: chasedOrders.size },
    reship: reship ? { id: reship.id, status: reship.status, carrier: reship.carrierName, trackingNo: reship.trackingNo, remarked: reship.trackingNo !== null && reshipMemo.includes(`补发单号:${reship.carrierName ?? ''} ${reship.trackingNo}`) } : null,
    tasks: { waiting: tasks.length, byType },
    reroutesOpen: Array.isArray(reroutes) ? reroutes.length : 0,
  };
}

/** Everything the demo promises to show. */
export function checks(f: DemoFigures): DemoCheck[] {
  return [
    { name: 'remarks written', ok: f.remarksWritten > 0 && f.memoLines.agentRequests >= 2 },
    { name: 'unpaid reminders sent', ok: f.reminders.sent >= 2 },
    { name: 'stalled parcels chased', ok: f.stalls.chased >= 3 },
    { name: 'reship filed', ok: f.reship !== null && f.reship.status === 'shipped' },
    { name: 'reship tracking number remarked', ok: f.reship?.remarked === true },
    { name: 'tasks waiting', ok: f.tasks.waiting > 0 && (f.tasks.byType.remark_fix ?? 0) > 0 && (f.tasks.byType.chase_logistics ?? 0) > 0 },
    { name: 'warehouse reroute listed', ok: f.reroutesOpen > 0 },
  ];
}

/** The console report: the figures, then where to look and how. */
export function report(f: DemoFigures, c: DemoCheck[], at: { url: string; sandboxUrl: string; token: string; logFile: string; simulatedHours: number; seconds: number; once: boolean }): string {
  const mark = (name: string) => (c.find((x) => x.name === name)?.ok ? '✔' : '✘');
  const types = Object.entries(f.tasks.byType).map(([t, n]) => `${t} ${n}`).join(', ');
  const r = f.reship;
  const curl = (path: string) => `  curl -s -H "Authorization: Bearer $T" ${at.url}${path}`;
  return [
    '',
    `kefu-bridge demo: ${at.simulatedHours} simulated hours in ${at.seconds} s`,
    `  ${mark('remarks written')} remarks written      ${f.remarksWritten} (memo and ERP); agents' lines in memos: ${f.memoLines.agentRequests}`,
    `  ${mark('unpaid reminders sent')} unpaid reminders     ${f.reminders.sent} sent, ${f.reminders.paidAfter} paid afterwards`,
    `  ${mark('stalled parcels chased')} stalled parcels      ${f.stalls.flagged} flagged, ${f.stalls.chased} chased (已催件 in the memo)`,
    `  ${mark('reship filed')} reship (补发)        ${r ? `#${r.id} ${r.status}${r.trackingNo ? `, ${r.carrier ?? ''} ${r.trackingNo}` : ''}` : 'none'}`,
    `  ${mark('reship tracking number remarked')} 补发单号 remark       ${r?.remarked ? 'in the original order’s memo' : 'not yet'}`,
    `  ${mark('tasks waiting')} tasks waiting        ${f.tasks.waiting}${types ? ` (${types})` : ''}`,
    `  ${mark('warehouse reroute listed')} warehouse reroutes   ${f.reroutesOpen} open`,
    '',
    'Look for yourself (the operator 王芳’s token, made for this demo only):',
    `  export T=${at.token}`,
    curl('/api/tasks'),
    curl('/api/orders'),
    curl('/api/reships'),
    curl('/api/reroutes'),
    `  API docs   ${at.url}/docs`,
    `  sandbox    ${at.sandboxUrl}/_sandbox/messages   (SMS sent to buyers), ${at.sandboxUrl}/_sandbox/reships`,
    `  logs       ${at.logFile}`,
    at.once ? '' : 'Both keep running; Ctrl-C stops them and deletes the demo data.',
  ].join('\n');
}
