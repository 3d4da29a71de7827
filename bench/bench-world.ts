/**
 * One benchmark setup: the platform sandbox in this process (real-time clock, starting now) with a
 * Kuaishou app whose pushes go to kefu-bridge's webhook, kefu-bridge as child processes on a fresh
 * MariaDB database and a fresh Redis queue prefix, the shops connected through the shops API and OAuth,
 * and an in-sale agent for remark requests.
 */
import Bull from 'bull';
import { createPool, type Pool } from 'mysql2/promise';
import { DemoApi } from '../src/demo/demo-api.js';
import { freePort } from '../src/demo/free-port.js';
import { connectShops, wireKuaishouPush } from '../src/demo/shop-connect.js';
import { KEFU_QUEUE } from '../src/jobs/bull-job-queue.js';
import { SeededRandom } from '../src/sandbox/core/random.js';
import type { SandboxScenario } from '../src/sandbox/core/scenario.js';
import type { SbOrder, SbShop } from '../src/sandbox/core/types.js';
import { newOrderId, randomLines, randomReceiver } from '../src/sandbox/core/world-defaults.js';
import { startSandbox, type RunningSandbox } from '../src/sandbox/server.js';
import { createOperator, dropDatabase, freshDatabase, startBridge, waitForLine, waitHealthy, type BridgeProcess, type Env } from './bench-env.js';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/kefu_bench_ingest';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHOPS = 4;
const APP_KEY = 'ks6887700000009901';

export interface BenchWorld {
  sb: RunningSandbox;
  url: string;
  processes: BridgeProcess[];
  db: Pool;
  agent: DemoApi;
  shops: SbShop[];
  /** Places a new Kuaishou order (round-robin over the shops), which pushes kwaishop_order_addOrder. */
  place(): SbOrder;
  close(): Promise<void>;
}

function scenario(): SandboxScenario {
  return {
    apps: [{ platform: 'kuaishou', appKey: APP_KEY, appSecret: 'bench-ks-secret', signSecret: 'bench-ks-sign', pushAesKey: Buffer.from('bench-push-key01').toString('base64') }],
    shops: Array.from({ length: SHOPS }, (_, i) => ({ platform: 'kuaishou' as const, shopId: `${2_200_090_001 + i}`, appKey: APP_KEY, name: `压测快手店${i + 1}`, warehouseProvince: '广东省' })),
  };
}

/** `workers` processes take queue work: the first also serves HTTP (role both), the rest are workers. */
export async function startBenchWorld(workers: number, seed: number): Promise<BenchWorld> {
  await freshDatabase(DATABASE_URL);
  const prefix = `kefu-bench-${process.pid}-${Date.now()}`;
  const sb = await startSandbox({ seed, startAt: Date.now() });
  const sc = scenario();
  sb.loadScenario(sc);
  const port = await freePort(0);
  const url = `http://127.0.0.1:${port}`;
  const env: Env = {
    NODE_ENV: 'production',
    KEFU_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATABASE_URL,
    REDIS_URL,
    KEFU_QUEUE_PREFIX: prefix,
    KEFU_SANDBOX_URL: sb.url,
    KEFU_PUBLIC_URL: url,
    PORT: String(port),
    LOG_LEVEL: 'info',
  };
  const processes: BridgeProcess[] = [];
  const db = createPool({ uri: DATABASE_URL, connectionLimit: 2 });
  const close = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await sb.close();
    await db.end();
    const queue = new Bull(KEFU_QUEUE, REDIS_URL, { prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await dropDatabase(DATABASE_URL);
  };
  try {
    const first = startBridge(env, 'both');
    processes.push(first);
    await waitHealthy(url, first);
    const operator = new DemoApi(url, createOperator(env));
    await connectShops(operator, sb, sc, 'the bench scenario');
    wireKuaishouPush(sb, sc, url);
    const made = await operator.must<{ token: string }>('POST', '/api/users', { name: '压测客服', roles: ['in_sale'], agentId: 'kf01' });
    for (let i = 1; i < workers; i++) {
      const w = startBridge(env, 'worker');
      processes.push(w);
      await waitForLine(w, 'kefu-bridge started');
    }
    const shops = sb.world.shops('kuaishou');
    return { sb, url, processes, db, agent: new DemoApi(url, made.token), shops, place: kuaishouOrderPlacer(sb, shops, seed), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Places new Kuaishou orders round-robin over the shops, each with its own buyer; seeded, so runs repeat. */
export function kuaishouOrderPlacer(sb: Pick<RunningSandbox, 'world' | 'clock'>, shops: SbShop[], seed: number): () => SbOrder {
  const rng = new SeededRandom(seed);
  let placed = 0;
  return () => {
    const shop = shops[placed++ % shops.length];
    const at = sb.clock.now();
    const orderId = newOrderId('kuaishou', at, rng);
    return sb.world.addOrder(
      { platform: 'kuaishou', shopId: shop.shopId, orderId, receiver: randomReceiver(rng), lines: randomLines(rng, orderId), buyerNick: `买家${rng.alnum(6)}`, buyerOpenUid: `AAH${rng.alnum(21)}`, oaid: rng.alnum(40), createdAt: at },
      at,
    );
  };
}
