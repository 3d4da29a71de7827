/**
 * Run 4: fuzzed pushes and API requests against a running setup, from a seeded PRNG so a run can be
 * replayed. Kuaishou pushes with the wrong key, cut or oversized bodies, well-encrypted messages with
 * wrong JSON types or unknown shops, unknown app keys and odd content types; Kuaidi100 callbacks the
 * same way; API calls with bad tokens, bodies, parameters and paths. Counts the answers (none may be a
 * 5xx), watches the api process (it must never exit; peak RSS), checks that the inbound counters grew by
 * the pushes the receivers refused, and that a normal order still goes through afterwards.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SeededRandom } from '../../src/sandbox/core/random.js';
import { sleep } from '../bench-env.js';
import { faultAppKey, faultPushKey, startFaultWorld, type FaultWorld, type ProcessExit } from './fault-world.js';
import { send, type RawRequest, type Reply } from './http.js';
import { LoadDriver, Ledger } from './load.js';
import { measureRecovery, type Recovery } from './recovery.js';
import type { Servers } from './load-runs.js';

interface FuzzCase extends RawRequest {
  kind: string;
}

export interface FuzzResult {
  run: 'fuzz';
  requests: number;
  byKind: Record<string, Record<string, number>>;
  statusCounts: Record<string, number>;
  fiveXx: number;
  noAnswer: number;
  /** 5xx answers and requests left without an answer (status 0, the cause as body). */
  fiveXxExamples: { kind: string; method: string; path: string; status: number; body: string }[];
  apiProcess: { exited: boolean; peakRssMb: number; rssBeforeMb: number; rssAfterMb: number };
  inbound: { refusedByReceivers: number; countedRejections: number; countersDelta: Record<string, number> };
  afterwards: Recovery;
  unexpectedExits: ProcessExit[];
  peakRssMb: Record<string, number>;
  met: { no5xx: boolean; noCrash: boolean; rejectionsCounted: boolean; normalOrderAfterwards: boolean };
}

const REJECTIONS = ['unknown_app', 'bad_body', 'bad_signature'];

function encrypt(plaintext: string, keyBase64: string): string {
  const key = Buffer.from(keyBase64, 'base64');
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** The request generator: one seeded PRNG, a table of kinds picked uniformly. */
class Fuzzer {
  private readonly rng: SeededRandom;
  private seq = 0;

  constructor(
    seed: number,
    private readonly ctx: { pushKey: string; shopIds: number[]; orderIds: number[]; tokens: { operator: string; inSale: string; afterSale: string } },
  ) {
    this.rng = new SeededRandom(seed);
  }

  next(): FuzzCase {
    return this.rng.pick(this.kinds)();
  }

  private readonly junk = (n: number) => this.rng.alnum(n);
  private readonly ksPath = () => `/webhooks/kuaishou/${faultAppKey}`;
  private readonly textPlain = { 'content-type': 'text/plain;charset=UTF-8' };

  private message(overrides: Record<string, unknown> = {}): string {
    const eventId = `fuzz${Date.now()}${++this.seq}`;
    const info = JSON.stringify({ oid: Number(this.rng.digits(16)), sellerId: Number(this.rng.digits(10)), status: 30, updateTime: Date.now() });
    return JSON.stringify({ eventId, bizId: Number(this.rng.digits(16)), userId: Number(this.rng.digits(10)), appKey: faultAppKey, event: 'kwaishop_order_statusChange', info, createTime: Date.now(), test: false, ...overrides });
  }

  private readonly wrongTypes = (): unknown[] => [
    123,
    'text',
    [],
    null,
    { eventId: {}, event: [1] },
    { eventId: 5, event: 7, info: 12 },
    { info: '{not json', event: 'kwaishop_order_addOrder', eventId: this.junk(8) },
    { info: JSON.stringify({ oid: 'abc', sellerId: { x: 1 } }), event: 'kwaishop_order_paySuccess', eventId: this.junk(8) },
    { info: JSON.stringify([1, 2, 3]), event: 'kwaishop_order_statusChange', eventId: this.junk(8), bizId: 'x' },
    { test: 'yes' },
  ];

  private readonly kinds: (() => FuzzCase)[] = [
    () => ({ kind: 'ks push, wrong key', method: 'POST', path: this.ksPath(), headers: this.textPlain, body: encrypt(this.message(), randomKey(this.rng)) }),
    () => {
      const body = encrypt(this.message(), this.ctx.pushKey);
      return { kind: 'ks push, truncated', method: 'POST', path: this.ksPath(), headers: this.textPlain, body: body.slice(0, this.rng.int(0, body.length - 1)) };
    },
    () => ({ kind: 'ks push, oversized', method: 'POST', path: this.ksPath(), headers: this.textPlain, body: 'A'.repeat(this.rng.int(1, 3) * 1024 * 1024 + 17) }),
    () => ({ kind: 'ks push, wrong JSON types', method: 'POST', path: this.ksPath(), headers: this.textPlain, body: encrypt(wrongJson(this.rng.pick(this.wrongTypes()), this.rng), this.ctx.pushKey) }),
    () => ({ kind: 'ks push, unknown shop', method: 'POST', path: this.ksPath(), headers: this.textPlain, body: encrypt(this.message(), this.ctx.pushKey) }),
    () => ({ kind: 'ks push, unknown app', method: 'POST', path: `/webhooks/kuaishou/${this.rng.pick(['ks' + this.rng.digits(16), this.junk(3), '%E4%B8%AD', 'x'.repeat(300)])}`, headers: this.textPlain, body: encrypt(this.message(), this.ctx.pushKey) }),
    () => ({ kind: 'ks push, odd content type', method: 'POST', path: this.ksPath(), ...this.oddContent() }),
    () => ({ kind: 'kd100, bad form', method: 'POST', path: '/webhooks/kuaidi100', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: this.kd100Form() }),
    () => ({ kind: 'kd100, bad signature', method: 'POST', path: '/webhooks/kuaidi100', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `param=${encodeURIComponent(JSON.stringify({ status: 'polling', lastResult: { nu: this.rng.digits(14), state: '0', data: [] } }))}&sign=${this.junk(32)}` }),
    () => ({ kind: 'kd100, oversized', method: 'POST', path: '/webhooks/kuaidi100', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `param=${'B'.repeat(this.rng.int(200, 2000) * 1024)}&sign=x` }),
    () => ({ kind: 'kd100, wrong JSON types', method: 'POST', path: '/webhooks/kuaidi100', headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.rng.pick([{ param: 5, sign: {} }, { param: ['a'], sign: null }, [], 'x', { param: { lastResult: { nu: 1 } } }])) }),
    () => ({ kind: 'kd100, odd content type', method: 'POST', path: '/webhooks/kuaidi100', ...this.oddContent() }),
    () => ({ kind: 'api, bad token', method: 'GET', path: this.rng.pick(['/api/orders', '/api/tasks', '/api/shops', '/api/me']), headers: this.rng.pick<Record<string, string>>([{}, { authorization: `Bearer ${this.junk(40)}` }, { authorization: this.junk(10) }, { authorization: 'Bearer ' }]) }),
    () => this.api('api, bad remark request', this.ctx.tokens.inSale, 'POST', `/api/orders/${this.badId()}/remarks`, this.rng.pick(this.remarkBodies())),
    () => this.api('api, bad reship', this.ctx.tokens.afterSale, 'POST', '/api/reships', this.rng.pick(this.reshipBodies())),
    () => this.api('api, bad query', this.ctx.tokens.operator, 'GET', this.rng.pick(this.badQueries())),
    () => this.api('api, bad settings', this.ctx.tokens.operator, 'PATCH', `/api/shops/${this.rng.pick([String(this.rng.pick(this.ctx.shopIds)), this.badId()])}/settings`, this.rng.pick(this.settingsBodies())),
    () => this.api('api, bad user', this.ctx.tokens.operator, 'POST', '/api/users', this.rng.pick([{ name: 5, roles: 'operator' }, { name: '', roles: ['king'] }, { name: 'x', roles: [] }, { roles: [{}] }, null])),
    () => ({ kind: 'api, malformed JSON', method: 'POST', path: '/api/reships', headers: { authorization: `Bearer ${this.ctx.tokens.afterSale}`, 'content-type': 'application/json' }, body: this.rng.pick(['{', '{"orderId":', '\u0000\u0001', '{"a":1}}', 'nul']) }),
    () => ({ kind: 'api, oversized JSON', method: 'POST', path: `/api/orders/${this.rng.pick(this.ctx.orderIds)}/remarks`, headers: { authorization: `Bearer ${this.ctx.tokens.inSale}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'other', text: 'C'.repeat(this.rng.int(120, 1500) * 1024) }) }),
    () => this.api('api, bad duty', this.ctx.tokens.inSale, 'PUT', '/api/me/duty', this.rng.pick([{ onDuty: 'in_sale' }, { onDuty: [5] }, { onDuty: ['king'] }, []])),
  ];

  private api(kind: string, token: string, method: string, path: string, body?: unknown): FuzzCase {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return { kind, method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  }

  private badId(): string {
    return this.rng.pick(['abc', '-1', '0', '1.5', '99999999999999999999999', '%ZZ', String(this.rng.pick(this.ctx.orderIds)), '1e3', ' ']);
  }

  private oddContent(): Pick<RawRequest, 'headers' | 'body'> {
    return this.rng.pick<Pick<RawRequest, 'headers' | 'body'>>([
      { headers: { 'content-type': 'application/json' }, body: '{"eventId": ' },
      { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ eventId: 'x', info: 1 }) },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${this.junk(20)}&&&=%%` },
      { headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: `--zz\r\nContent-Disposition: form-data; name="param"\r\n\r\n${this.junk(30)}` },
      { headers: { 'content-type': 'application/octet-stream' }, body: randomBytes(this.rng.int(1, 4096)) },
      { headers: { 'content-type': this.junk(12) }, body: this.junk(64) },
      { headers: {}, body: '' },
    ]);
  }

  private kd100Form(): string {
    return this.rng.pick([
      '',
      `sign=${this.junk(32)}`,
      `param=${this.junk(40)}&sign=x`,
      `param=${encodeURIComponent('{"lastResult":{}}')}&sign=x`,
      `param[]=1&param[]=2&sign[a]=b`,
      `param=${encodeURIComponent(JSON.stringify({ lastResult: { nu: ['x'] } }))}`,
      `param=%E4%B8&sign=%ZZ`,
    ]);
  }

  private remarkBodies(): unknown[] {
    return [
      { kind: 'ship_date', month: 'x', day: 40 },
      { kind: 'ship_date', month: 13, day: 1 },
      { kind: 'teleport' },
      { kind: 'address_change', address: 'x' },
      { kind: 'address_change', address: { province: 5 } },
      { kind: 'product_change', quantity: -1 },
      { kind: 'other', text: { a: 1 } },
      { kind: 'other', text: 'x', targets: 'erp' },
      { kind: 'courier_request', courier: ['顺丰'], flag: 'rainbow' },
      [],
      'null',
    ];
  }

  private reshipBodies(): unknown[] {
    return [
      { orderId: 'x', lines: [{ skuId: 'S', qty: 1 }], reason: 'lost', responsibleParty: 'courier' },
      { orderId: this.rng.pick(this.ctx.orderIds), lines: 'x', reason: 'lost', responsibleParty: 'courier' },
      { orderId: this.rng.pick(this.ctx.orderIds), lines: [{ skuId: 5, qty: 'a' }], reason: 'lost', responsibleParty: 'courier' },
      { orderId: this.rng.pick(this.ctx.orderIds), lines: [{ skuId: 'S', qty: 1e12 }], reason: ['lost'], responsibleParty: 7 },
      { orderId: 99999999999, lines: [{ skuId: 'S', qty: 1 }], reason: 'lost', responsibleParty: 'courier' },
      { orderId: -5, lines: Array.from({ length: 2000 }, () => ({ skuId: 'S', qty: 1 })), reason: 'lost', responsibleParty: 'courier' },
      {},
    ];
  }

  private badQueries(): string[] {
    return [
      `/api/orders?page=-1&pageSize=1000000`,
      `/api/orders?shopId=abc&status=${this.junk(5)}`,
      `/api/orders?platformOrderId=${this.rng.digits(300)}`,
      `/api/orders/${this.badId()}`,
      `/api/orders/${this.badId()}/rules`,
      `/api/tasks?overdue=maybe&assignee=${this.junk(4)}&page=abc`,
      `/api/tasks?pageSize=0&shopId=1,2`,
      `/api/reships/${this.badId()}`,
      `/api/reports/reships?month=${this.junk(6)}&format=xml`,
      `/api/shops/${this.badId()}/unpaid-stats?from=${this.junk(5)}&to=2026-13-45`,
      `/api/reroutes?status=${this.junk(5)}&shopId=-1`,
      `/api/inbound/stats?x=%ZZ`,
    ];
  }

  private settingsBodies(): unknown[] {
    return [
      { unpaid: { firstReminderAfterMinutes: 'x' } },
      { unpaid: { quietHours: { start: 25 } } },
      { rules: 'x' },
      { remarks: { flags: [1, 2] } },
      { noSuchSection: true },
      [],
      { tasks: { slaMinutes: { default: -5 } } },
      { dryRun: 'sometimes' },
    ];
  }
}

function randomKey(rng: SeededRandom): string {
  return Buffer.from(rng.alnum(16)).toString('base64');
}

function wrongJson(v: unknown, rng: SeededRandom): string {
  const text = JSON.stringify(v) ?? 'undefined';
  return rng.next() < 0.2 ? text.slice(0, Math.max(1, text.length - 3)) : text;
}

function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Math.round(Number(line.split(/\s+/)[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

async function inboundCounts(w: FaultWorld): Promise<Record<string, number>> {
  const res = await w.operator.call('GET', '/api/inbound/stats');
  const out: Record<string, number> = {};
  for (const row of (res.body as { sources?: { platform: string; source: string; counts: Record<string, number> }[] } | undefined)?.sources ?? []) {
    for (const [k, n] of Object.entries(row.counts)) out[`${row.platform}/${row.source}/${k}`] = n;
  }
  return out;
}

/** A receiver's own refusal (as opposed to the body parser's): its answer format. */
function refusedByReceiver(c: FuzzCase, r: Reply): boolean {
  if (r.status !== 400 || typeof r.body !== 'object' || r.body === null) return false;
  const b = r.body as Record<string, unknown>;
  return c.path.startsWith('/webhooks/kuaishou/') ? b.result === 0 && typeof b.error === 'string' : c.path.startsWith('/webhooks/kuaidi100') && b.result === false && b.returnCode === '400';
}

export async function runFuzz(servers: Servers, opts: { requests: number; seed: number; concurrency: number }, log: (s: string) => void): Promise<FuzzResult> {
  log(`run fuzz: setting up`);
  const w = await startFaultWorld({ seed: opts.seed, workers: 1, databaseUrl: servers.mariadb.url, redisUrl: servers.redis.url });
  try {
    const ledger = new Ledger();
    const load = new LoadDriver(w, ledger, { eventsPerS: 0, paidShare: 1, remarkShare: 1, reshipEveryMs: Number.POSITIVE_INFINITY, seed: opts.seed });
    load.start();
    // A few real orders, so some fuzzed requests name orders that exist.
    const warm = await measureRecovery(w, load, 'before fuzz', Date.now());
    const orderIds = ledger.all().flatMap((t) => (t.kefuId !== undefined ? [t.kefuId] : []));
    if (warm.seconds === null || orderIds.length === 0) throw new Error('the fuzz setup could not get a normal order through');
    const shopIds = (await w.operator.must<{ id: number }[]>('GET', '/api/shops')).map((s) => s.id);
    const fuzzer = new Fuzzer(opts.seed, { pushKey: faultPushKey(), shopIds, orderIds, tokens: { operator: w.operator.token, inSale: w.inSale.token, afterSale: w.afterSale.token } });
    const api = w.api();
    const rssBefore = rssMb(api.pid);
    const countsBefore = await inboundCounts(w);
    const byKind: Record<string, Record<string, number>> = {};
    const statusCounts: Record<string, number> = {};
    const fiveXxExamples: FuzzResult['fiveXxExamples'] = [];
    let refused = 0;
    let sent = 0;
    let answered = 0;
    log(`run fuzz: ${opts.requests} requests, ${opts.concurrency} at a time`);
    const worker = async () => {
      while (sent < opts.requests) {
        sent++;
        const c = fuzzer.next();
        const r = await send(w.url, c, 30_000);
        const key = String(r.status);
        statusCounts[key] = (statusCounts[key] ?? 0) + 1;
        (byKind[c.kind] ??= {})[key] = (byKind[c.kind][key] ?? 0) + 1;
        if (refusedByReceiver(c, r)) refused++;
        if ((r.status >= 500 || r.status === 0) && fiveXxExamples.length < 40) fiveXxExamples.push({ kind: c.kind, method: c.method, path: c.path.slice(0, 120), status: r.status, body: r.text.slice(0, 200) });
        if (++answered % 1000 === 0) log(`  ${answered} answered`);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    await sleep(2000);
    const countsAfter = await inboundCounts(w);
    const delta = Object.fromEntries(Object.keys(countsAfter).map((k) => [k, countsAfter[k] - (countsBefore[k] ?? 0)]).filter(([, n]) => n !== 0));
    const counted = Object.entries(delta).filter(([k]) => REJECTIONS.includes(k.split('/')[2])).reduce((n, [, v]) => n + Number(v), 0);
    const exited = api.child.exitCode !== null || api.child.signalCode !== null;
    const afterwards = await measureRecovery(w, load, 'after fuzz', Date.now());
    await load.stop();
    const fiveXx = Object.entries(statusCounts).filter(([s]) => Number(s) >= 500).reduce((n, [, v]) => n + v, 0);
    log(`run fuzz: ${fiveXx} 5xx, ${statusCounts['0'] ?? 0} unanswered, rejections counted ${counted} of ${refused}, api ${exited ? 'EXITED' : 'alive'}`);
    return {
      run: 'fuzz',
      requests: sent,
      byKind,
      statusCounts,
      fiveXx,
      noAnswer: statusCounts['0'] ?? 0,
      fiveXxExamples,
      apiProcess: { exited, peakRssMb: Math.round(api.peakRssMb()), rssBeforeMb: rssBefore, rssAfterMb: rssMb(api.pid) },
      inbound: { refusedByReceivers: refused, countedRejections: counted, countersDelta: delta },
      afterwards,
      unexpectedExits: w.unexpectedExits,
      peakRssMb: w.peakRssMb(),
      met: {
        no5xx: fiveXx === 0 && (statusCounts['0'] ?? 0) === 0,
        noCrash: !exited && w.unexpectedExits.length === 0,
        rejectionsCounted: counted === refused,
        normalOrderAfterwards: afterwards.seconds !== null && afterwards.seconds <= 30,
      },
    };
  } finally {
    await w.close();
  }
}
