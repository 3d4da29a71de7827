/**
 * The demo's world: the platform sandbox and kefu-bridge in this process on the embedded default
 * (SQLite in a temporary folder, in-process queue), sharing the sandbox's virtual clock, with the
 * people who use it and the four shops connected through the real shops API and OAuth.
 */
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import type { Role } from '../auth/roles.decorator.js';
import { bootstrap } from '../bootstrap.js';
import { JsonLogger } from '../common/json-logger.js';
import { parseShanghai, shanghaiDate } from '../common/shanghai-time.js';
import { loadConfig, projectRoot } from '../config/config.loader.js';
import type { AppConfig } from '../config/config.schema.js';
import { loadScenarioFile } from '../sandbox/core/scenario.js';
import { startSandbox, type RunningSandbox } from '../sandbox/server.js';
import { DemoApi } from './demo-api.js';
import { DemoClock } from './demo-clock.js';
import { connectShops, wireKuaishouPush } from './shop-connect.js';

export const SCENARIO_FILE = join('src', 'demo', 'demo-scenario.yaml');

/** The people of the demo: an operator who connects the shops, and one person on duty per desk. */
const PEOPLE: { key: string; name: string; roles: Role[]; agentId?: string }[] = [
  { key: 'operator', name: '王芳', roles: ['operator'], agentId: 'yy01' },
  { key: 'inSale', name: '李娜', roles: ['pre_sale', 'in_sale'], agentId: 'kf01' },
  { key: 'afterSale', name: '陈静', roles: ['after_sale'], agentId: 'kf02' },
  { key: 'auditor', name: '周敏', roles: ['auditor'], agentId: 'sd01' },
  { key: 'warehouse', name: '黄磊', roles: ['warehouse'], agentId: 'ck01' },
];

export interface DemoOrder {
  platform: string;
  platformOrderId: string;
}

export interface DemoWorld {
  sb: RunningSandbox;
  app: INestApplicationContext;
  config: AppConfig;
  url: string;
  dataDir: string;
  logFile: string;
  people: Record<string, DemoApi>;
  /** kefu-bridge's shop id per platform. */
  shops: Record<string, number>;
  /** Scenario orders by their part in the story (the scenario's buyerNick). */
  orders: Map<string, DemoOrder>;
  /** Stops both; the temporary data goes too unless `keepData` (to read the log after a failure). */
  close(keepData?: boolean): Promise<void>;
}

export interface DemoPorts {
  api: number;
  sandbox: number;
}

/** 10:00 Shanghai tomorrow: the demo's day starts in business hours, outside the reminders' quiet hours. */
function demoStart(): number {
  return parseShanghai(`${shanghaiDate(Date.now() + 86_400_000)} 10:00`).getTime();
}

export async function startDemoWorld(ports: DemoPorts): Promise<DemoWorld> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-demo-'));
  const logFile = join(dataDir, 'kefu.log');
  const scenario = loadScenarioFile(join(projectRoot(), SCENARIO_FILE));
  const sb = await startSandbox({ port: ports.sandbox, seed: scenario.seed, startAt: demoStart() });
  const loaded = sb.loadScenario(scenario);
  const kd100 = scenario.apps?.find((a) => a.platform === 'kuaidi100');
  const url = `http://127.0.0.1:${ports.api}`;
  const config = loadConfig({
    // Only what the demo sets: no DATABASE_URL or REDIS_URL, so it runs on the embedded default.
    env: {
      NODE_ENV: 'development',
      KEFU_DATA_DIR: dataDir,
      PORT: String(ports.api),
      KEFU_PUBLIC_URL: url,
      KEFU_SANDBOX_URL: sb.url,
      KEFU_KUAIDI100_CUSTOMER: kd100?.appKey,
      KEFU_KUAIDI100_KEY: kd100?.appSecret,
      LOG_LEVEL: 'info',
    },
    // Promotion windows suspend the not-collected rule; the demo shows it whatever the date.
    overrides: { promotions: [] },
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  let app: INestApplicationContext | undefined;
  try {
    ({ app } = await bootstrap(config, { clock: new DemoClock(sb), logger: new JsonLogger(config.logLevel, log) }));
    const people = await signIn(app, url);
    const shops = (await connectShops(people.operator, sb, scenario, SCENARIO_FILE)).byPlatform;
    wireKuaishouPush(sb, scenario, url);
    const orders = new Map<string, DemoOrder>();
    (scenario.orders ?? []).forEach((o, i) => orders.set(o.buyerNick ?? `order-${i}`, { platform: o.platform, platformOrderId: loaded.orderIds[i] }));
    const running = app;
    return {
      sb, app, config, url, dataDir, logFile, people, shops, orders,
      async close(keepData = false) {
        await running.close();
        await sb.close();
        log.end();
        if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await app?.close();
    await sb.close();
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** The first operator is made the way `npm run users:create` makes one; the others through the API. */
async function signIn(app: INestApplicationContext, url: string): Promise<Record<string, DemoApi>> {
  const [first, ...rest] = PEOPLE;
  const { token } = await app.get(UsersService).create({ name: first.name, roles: first.roles, agentId: first.agentId });
  const operator = new DemoApi(url, token);
  const people: Record<string, DemoApi> = { [first.key]: operator };
  for (const p of rest) {
    const made = await operator.must<{ token: string }>('POST', '/api/users', { name: p.name, roles: p.roles, agentId: p.agentId });
    people[p.key] = new DemoApi(url, made.token);
  }
  return people;
}
