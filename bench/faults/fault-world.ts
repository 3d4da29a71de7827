/**
 * One fault-run setup: the platform sandbox in this process on real time (four Kuaishou shops of one app,
 * all mirrored into one Jushuitan shop so reships can be filed), kefu-bridge as one api-only process that
 * receives the pushes and serves the API plus worker processes that do the queue work, on private MariaDB
 * and Redis servers. Shops are connected through the shops API and OAuth; unpaid reminders are set to go
 * out a minute after the order, with quiet hours off. A process that exits without being told to is
 * recorded and replaced, as a process supervisor would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool } from 'mysql2/promise';
import { parse, stringify } from 'yaml';
import { projectRoot } from '../../src/config/config.loader.js';
import { DemoApi } from '../../src/demo/demo-api.js';
import { freePort } from '../../src/demo/free-port.js';
import { connectShops, wireKuaishouPush } from '../../src/demo/shop-connect.js';
import type { SandboxScenario } from '../../src/sandbox/core/scenario.js';
import type { SbOrder, SbShop } from '../../src/sandbox/core/types.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { createOperator, freshDatabase, startBridge, waitForLine, waitHealthy, type BridgeProcess, type Env } from '../bench-env.js';
import { kuaishouOrderPlacer } from '../bench-world.js';
import { Api } from './http.js';

const SHOPS = 4;
const APP_KEY = 'ks6887700000009902';
const ERP_SHOP = '10090001';
/** Ticks the fault runs shorten so reminders and reship numbers arrive within a run (config, not code). */
const FAST_TICKS: Record<string, number> = { 'rules.scan': 10_000, 'reships.track': 10_000 };

export interface ProcessExit {
  role: string;
  pid: number;
  code: number | null;
  signal: string | null;
  at: string;
  lastLines: string[];
}

export interface FaultWorld {
  sb: RunningSandbox;
  url: string;
  db: Pool;
  operator: Api;
  inSale: Api;
  afterSale: Api;
  shops: SbShop[];
  place(): SbOrder;
  api(): BridgeProcess;
  workers(): BridgeProcess[];
  /** Starts one more worker; resolves once it runs. */
  addWorker(): Promise<BridgeProcess>;
  /** SIGKILLs a worker (an expected exit); answers its peak RSS before the kill. */
  killWorker(p: BridgeProcess): number;
  /** Exits nobody asked for (crashes), with the process's last lines. */
  unexpectedExits: ProcessExit[];
  /** Peak RSS (VmHWM, MB) of every process this world started, by role and number. */
  peakRssMb(): Record<string, number>;
  close(): Promise<void>;
}

function scenario(reshipShipDelay: string): SandboxScenario {
  return {
    erp: { reshipShipDelay },
    apps: [
      { platform: 'kuaishou', appKey: APP_KEY, appSecret: 'faults-ks-secret', signSecret: 'faults-ks-sign', pushAesKey: Buffer.from('faults-push-key1').toString('base64') },
      { platform: 'jushuitan', appKey: 'faults-jst-app', appSecret: 'faults-jst-secret' },
    ],
    shops: [
      { platform: 'jushuitan', shopId: ERP_SHOP, appKey: 'faults-jst-app', name: '压测聚水潭' },
      ...Array.from({ length: SHOPS }, (_, i) => ({ platform: 'kuaishou' as const, shopId: `${2_200_095_001 + i}`, appKey: APP_KEY, name: `故障快手店${i + 1}`, warehouseProvince: '广东省', erpShopId: ERP_SHOP })),
    ],
  };
}

export const faultAppKey = APP_KEY;
export const faultPushKey = (sc = scenario('1m')) => sc.apps![0].pushAesKey!;

/** The default configuration with FAST_TICKS, as a KEFU_CONFIG_FILE override. */
function writeConfigOverride(dir: string): string {
  const base = parse(readFileSync(join(projectRoot(), 'config', 'default.yaml'), 'utf8')) as { scheduler: { ticks: { name: string; everyMs: number }[] } };
  const ticks = base.scheduler.ticks.map((t) => ({ ...t, everyMs: FAST_TICKS[t.name] ?? t.everyMs }));
  const file = join(dir, 'faults.yaml');
  writeFileSync(file, stringify({ scheduler: { ticks } }));
  return file;
}

export async function startFaultWorld(opts: { seed: number; workers: number; databaseUrl: string; redisUrl: string; reshipShipDelay?: string }): Promise<FaultWorld> {
  await freshDatabase(opts.databaseUrl);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-faults-'));
  const sb = await startSandbox({ seed: opts.seed, startAt: Date.now() });
  const sc = scenario(opts.reshipShipDelay ?? '10s');
  sb.loadScenario(sc);
  const port = await freePort(0);
  const url = `http://127.0.0.1:${port}`;
  const env: Env = {
    NODE_ENV: 'production',
    KEFU_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    KEFU_QUEUE_PREFIX: `kefu-faults-${opts.seed}`,
    KEFU_SANDBOX_URL: sb.url,
    KEFU_PUBLIC_URL: url,
    KEFU_CONFIG_FILE: writeConfigOverride(dir),
    PORT: String(port),
    LOG_LEVEL: 'info',
  };
  const all: BridgeProcess[] = [];
  const peaks = new Map<BridgeProcess, number>();
  const told = new Set<BridgeProcess>();
  const unexpectedExits: ProcessExit[] = [];
  let apiProc: BridgeProcess;
  let workers: BridgeProcess[] = [];
  let closing = false;

  const spawnRole = (role: 'api' | 'worker'): BridgeProcess => {
    const p = startBridge(env, role);
    all.push(p);
    p.child.on('exit', (code, signal) => {
      if (told.has(p) || closing) return;
      unexpectedExits.push({ role, pid: p.pid, code, signal, at: new Date().toISOString(), lastLines: p.tail.slice(-15) });
      // A supervisor restarts what crashed; the run goes on and the exit is reported.
      setTimeout(() => void replace(p, role), 1000);
    });
    return p;
  };
  const replace = async (dead: BridgeProcess, role: 'api' | 'worker') => {
    if (closing) return;
    const next = spawnRole(role);
    if (role === 'api') apiProc = next;
    else workers = [...workers.filter((w) => w !== dead), next];
    await (role === 'api' ? waitHealthy(url, next, 120_000) : waitForLine(next, 'kefu-bridge started', 120_000)).catch(() => undefined);
  };
  const addWorker = async () => {
    const w = spawnRole('worker');
    workers.push(w);
    await waitForLine(w, 'kefu-bridge started', 120_000);
    return w;
  };
  const db = createPool({ uri: opts.databaseUrl, connectionLimit: 3, connectTimeout: 3000 });
  const close = async () => {
    closing = true;
    await Promise.all(all.map((p) => p.stop()));
    await sb.close();
    await db.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    apiProc = spawnRole('api');
    // Migrations run under a lock; the api migrates first, then the workers start.
    await waitHealthy(url, apiProc, 120_000);
    await Promise.all(Array.from({ length: opts.workers }, () => addWorker()));
    const setup = new DemoApi(url, createOperator(env));
    await connectShops(setup, sb, sc, 'the fault-run scenario');
    wireKuaishouPush(sb, sc, url);
    const operator = new Api(url, setup.token);
    const person = async (name: string, roles: string[], agentId: string) => new Api(url, (await operator.must<{ token: string }>('POST', '/api/users', { name, roles, agentId })).token);
    const inSale = await person('故障客服', ['in_sale'], 'kf21');
    const afterSale = await person('故障售后', ['after_sale'], 'kf22');
    await chaseUnpaidQuickly(operator);
    const shops = sb.world.shops('kuaishou');
    return {
      sb,
      url,
      db,
      operator,
      inSale,
      afterSale,
      shops,
      place: kuaishouOrderPlacer(sb, shops, opts.seed),
      api: () => apiProc,
      workers: () => workers,
      addWorker,
      killWorker(p) {
        const peak = Math.round(p.peakRssMb());
        peaks.set(p, peak);
        told.add(p);
        workers = workers.filter((w) => w !== p);
        p.child.kill('SIGKILL');
        return peak;
      },
      unexpectedExits,
      peakRssMb: () => Object.fromEntries(all.map((p, i) => [`${p.role}#${i + 1}`, peaks.get(p) ?? (Math.round(p.peakRssMb()) || 0)])),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Every Kuaishou shop: the first unpaid reminder a minute after the order, one per order, no quiet hours. */
async function chaseUnpaidQuickly(operator: Api): Promise<void> {
  const shops = await operator.must<{ id: number; platform: string }[]>('GET', '/api/shops');
  for (const shop of shops.filter((s) => s.platform === 'kuaishou')) {
    await operator.must('PATCH', `/api/shops/${shop.id}/settings`, {
      unpaid: { firstReminderAfterMinutes: 1, maxRemindersPerOrder: 1, quietHours: { start: '00:00', end: '00:00' } },
      reship: { trackEveryMinutes: 1 },
    });
  }
}
