/** kefu-bridge in-process against the sandbox, with one connected shop per platform, for the rules and remarks tests. */
import { DataSource } from 'typeorm';
import { Clock } from '../../../src/common/clock.js';
import { OrderEntity } from '../../../src/orders/order.entity.js';
import { PollProcessor } from '../../../src/orders/poll.processor.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { authAs } from '../../support/auth.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import type { Role } from '../../../src/auth/roles.decorator.js';
import { connectAll, FIXTURES, seedSandbox } from '../../shops/shops-sandbox-setup.js';
import { ApiClient } from '../../shops/shops-test-support.js';

export type Mp = 'taobao' | 'pinduoduo' | 'kuaishou';
export const MARKETPLACES: Mp[] = ['taobao', 'pinduoduo', 'kuaishou'];

/** kefu-bridge reads the sandbox's virtual time, so both agree on "now". */
export class SandboxClock extends Clock {
  constructor(private readonly sb: RunningSandbox) {
    super();
  }
  now(): Date {
    return new Date(this.sb.clock.now());
  }
}

export interface Reply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface RulesHarness {
  sb: RunningSandbox;
  t: TestApp;
  ds: DataSource;
  shops: Record<Mp | 'jushuitan', number>;
  platformShopId(p: Mp): string;
  /** Polls a marketplace shop once (ingest → order events → rules). */
  poll(p: Mp): Promise<void>;
  order(p: Mp, platformOrderId: string): Promise<OrderEntity>;
  /** Calls the API as a user with these roles. */
  call(method: string, path: string, roles: Role[], body?: unknown, user?: { agentId?: string }): Promise<Reply>;
  sandbox(path: string, init?: { method?: string; body?: unknown }): Promise<Reply>;
  close(): Promise<void>;
}

export async function startRulesHarness(opts: { overrides?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<RulesHarness> {
  // 10:00 in Shanghai: the tests' few hours of virtual time stay clear of the 22:00–08:00 quiet hours.
  const sb = await startSandbox({ port: 0, autoTick: false, seed: 5, startAt: Date.UTC(2026, 10, 23, 2, 0) });
  seedSandbox(sb);
  const t = await startTestApp({
    env: { KEFU_SANDBOX_URL: sb.url, KEFU_SCHEDULER: 'off', ...opts.env },
    overrides: opts.overrides,
    clock: new SandboxClock(sb),
  });
  const ids = await connectAll(new ApiClient(t.url!, await authAs(t, { roles: ['operator'], name: 'shop operator' })), sb);
  const headers = new Map<string, Record<string, string>>();
  const ds = t.app.get(DataSource);
  const fixture = (p: Mp) => FIXTURES.find((f) => f.platform === p)!;
  const send = async (base: string, method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Reply> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    sb,
    t,
    ds,
    shops: ids,
    platformShopId: (p) => fixture(p).shopId,
    async poll(p) {
      await t.app.get(PollProcessor).pollShop({ shopId: ids[p], platform: p });
    },
    async order(p, platformOrderId) {
      return ds.getRepository(OrderEntity).findOneByOrFail({ shopId: ids[p], platformOrderId });
    },
    async call(method, path, roles, body, user) {
      const who = `${roles.join('+')}:${user?.agentId ?? ''}`;
      if (!headers.has(who)) headers.set(who, await authAs(t, { roles, agentId: user?.agentId }));
      return send(t.url!, method, path, body, headers.get(who)!);
    },
    async sandbox(path, init = {}) {
      return send(sb.url, init.method ?? 'GET', path, init.body, {});
    },
    async close() {
      await t.close();
      await sb.close();
    },
  };
}
