/**
 * kefu-bridge on the test backend against an in-process sandbox, with one shop per marketplace and a
 * Jushuitan account, all connected by OAuth through the shops API (real sealed credentials, real
 * adapters over HTTP). Service and sandbox share one virtual time: it starts tomorrow at 10:00
 * Shanghai, runs on with real time, and moves forward when a test advances it.
 */
import { DataSource, type FindOptionsWhere } from 'typeorm';
import { ActionEntity } from '../../../src/actions/action.entity.js';
import { ActionsService } from '../../../src/actions/actions.service.js';
import { Clock } from '../../../src/common/clock.js';
import { parseShanghai, shanghaiDate } from '../../../src/common/shanghai-time.js';
import type { Env } from '../../../src/config/config.loader.js';
import { OrderEntity } from '../../../src/orders/order.entity.js';
import { OrdersService } from '../../../src/orders/orders.service.js';
import type { SbBuyerMessage, SbReship } from '../../../src/sandbox/core/types.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/server.js';
import { ShopAdapters } from '../../../src/shops/shop-adapters.js';
import { TaskEntity } from '../../../src/tasks/task.entity.js';
import { connectAll, FIXTURES, seedSandbox } from '../../shops/shops-sandbox-setup.js';
import { ApiClient } from '../../shops/shops-test-support.js';
import { authAs, type TestUser } from '../../support/auth.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

export type Mp = 'taobao' | 'pinduoduo' | 'kuaishou';

export interface AftersaleEnv {
  sb: RunningSandbox;
  t: TestApp;
  /** An operator's client (connects the shops). */
  api: ApiClient;
  /** A client authenticated as a new user with these roles. */
  as(user: TestUser): Promise<ApiClient>;
  clock: SharedClock;
  ds: DataSource;
  actions: ActionsService;
  shops: Record<Mp | 'jushuitan', number>;
  /** The sandbox order's current state read through the shop's adapter and stored by ingestion. */
  ingest(platform: Mp, platformOrderId: string): Promise<OrderEntity>;
  /** A new paid order on the platform (the sandbox mirrors it into the ERP), as kefu-bridge stores it. */
  paidOrder(platform: Mp): Promise<OrderEntity>;
  /** Waits until the action is done, failed, or (unless `deferredCounts` is false) deferred: pending under a lease. */
  settled(actionId: number, deferredCounts?: boolean): Promise<ActionEntity>;
  messages(): Promise<SbBuyerMessage[]>;
  reships(): Promise<SbReship[]>;
  tasks(where?: FindOptionsWhere<TaskEntity>): Promise<TaskEntity[]>;
  close(): Promise<void>;
}

/** The sandbox's virtual time, read by the service too; it only moves forward. */
export class SharedClock extends Clock {
  constructor(private readonly sb: RunningSandbox) {
    super();
  }
  now(): Date {
    return new Date(this.sb.clock.now());
  }
  /** Moves both forward; whatever fell due in the sandbox happens now. */
  advance(ms: number): void {
    this.sb.clock.advance(ms);
  }
  set(at: Date): void {
    const ms = at.getTime() - this.sb.clock.now();
    if (ms < 0) throw new Error(`time only moves forward (${at.toISOString()} has passed)`);
    this.sb.clock.advance(ms);
  }
}

/** Shanghai wall-clock time on the calendar day after today: `at('10:00')`. */
export function tomorrowAt(hhmm: string): Date {
  return parseShanghai(`${shanghaiDate(Date.now() + 86_400_000)} ${hhmm}`);
}

export async function startAftersaleEnv(opts: { overrides?: Record<string, unknown>; seed?: number; sandbox?: SandboxOptions; env?: Env } = {}): Promise<AftersaleEnv> {
  const sb = await startSandbox({ port: 0, autoTick: false, seed: opts.seed ?? 21, startAt: tomorrowAt('10:00').getTime(), ...opts.sandbox });
  seedSandbox(sb);
  const clock = new SharedClock(sb);
  const t = await startTestApp({ env: { KEFU_SANDBOX_URL: sb.url, KEFU_SCHEDULER: 'off', ...opts.env }, clock, overrides: opts.overrides });
  const api = new ApiClient(t.url!, await authAs(t, { roles: ['operator'] }));
  let shops: AftersaleEnv['shops'];
  try {
    shops = (await connectAll(api, sb));
  } catch (err) {
    await t.close();
    await sb.close();
    throw err;
  }
  const ds = t.app.get(DataSource);
  const actions = t.app.get(ActionsService);
  const control = async <T>(path: string): Promise<T> => (await (await fetch(`${sb.url}/_sandbox${path}`)).json()) as T;
  const env: AftersaleEnv = {
    sb, t, api, clock, ds, actions, shops,
    as: async (user) => new ApiClient(t.url!, await authAs(t, user)),
    async ingest(platform, platformOrderId) {
      const port = await t.app.get(ShopAdapters).marketplace(shops[platform]);
      await t.app.get(OrdersService).ingest(shops[platform], [await port.getOrder(platformOrderId)], 'poll');
      return ds.getRepository(OrderEntity).findOneByOrFail({ shopId: shops[platform], platformOrderId });
    },
    async paidOrder(platform) {
      const o = sb.world.addOrder({ platform, shopId: FIXTURES.find((f) => f.platform === platform)!.shopId });
      sb.world.pay(platform, o.orderId);
      return env.ingest(platform, o.orderId);
    },
    async settled(actionId, deferredCounts = true) {
      for (let i = 0; i < 600; i++) {
        const a = await ds.getRepository(ActionEntity).findOneByOrFail({ id: actionId });
        if (a.status === 'done' || a.status === 'failed' || (deferredCounts && a.status === 'pending' && a.leaseUntil)) return a;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`action ${actionId} did not settle`);
    },
    messages: () => control<SbBuyerMessage[]>('/messages'),
    reships: () => control<SbReship[]>('/reships'),
    tasks: (where = {}) => ds.getRepository(TaskEntity).find({ where, order: { id: 'ASC' } }),
    async close() {
      await t.close();
      await sb.close();
    },
  };
  return env;
}
