import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { SbService } from './contract.js';
import { parseDuration } from './time-format.js';
import type { SbApp, SbFaults, SbFlag, SbPlatform, SbReceiver } from './types.js';

export const STEP_KINDS = [
  'create', 'pay', 'ship', 'collect', 'transit', 'deliver', 'finish', 'close', 'memo', 'stall',
  'never_collected', 'vanish', 'signed_not_received', 'erp_out_of_stock', 'erp_audit',
] as const;
export type ScenarioStepKind = (typeof STEP_KINDS)[number];

export interface ScenarioStep {
  /** Relative to the moment the scenario is loaded: "-26h", "+30m", "0", "1h30m". */
  at: string;
  step: ScenarioStepKind;
  carrier?: string;
  trackingNo?: string;
  sendType?: 'online' | 'offline';
  text?: string;
  flag?: SbFlag;
  by?: string;
  op?: 'update' | 'add' | 'append' | 'reset';
  context?: string;
  city?: string;
}

export interface ScenarioToken {
  accessToken: string;
  refreshToken?: string;
  /** Relative lifetime from load; negative for an already expired token. Default 30d. */
  expiresIn?: string;
  refreshExpiresIn?: string;
  revoked?: boolean;
}

export interface ScenarioShop {
  platform: SbPlatform;
  shopId: string;
  appKey: string;
  name?: string;
  warehouseProvince?: string;
  erpShopId?: string;
  tokens?: ScenarioToken[];
}

export interface ScenarioOrder {
  platform: SbPlatform;
  shopId: string;
  orderId?: string;
  buyerNick?: string;
  buyerMessage?: string;
  receiver?: Partial<SbReceiver>;
  timeline: ScenarioStep[];
}

export interface SandboxScenario {
  seed?: number;
  apps?: SbApp[];
  shops?: ScenarioShop[];
  orders?: ScenarioOrder[];
  faults?: Partial<Record<SbService, SbFaults>>;
  erp?: { auditDelay?: string; fConfirmDelay?: string; reshipShipDelay?: string };
}

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
  }
}

const PLATFORMS = ['taobao', 'pinduoduo', 'kuaishou', 'jushuitan'];
const SERVICES = [...PLATFORMS, 'kuaidi100'];
const FLAGS = ['none', 'red', 'yellow', 'green', 'blue', 'purple', 'grey'];
const FAULT_KEYS = ['latencyMs', 'timeoutRate', 'errorRate', 'rateLimitStormUntil', 'pushDropRate', 'pushDuplicateRate', 'pushReorderRate', 'pushDelayMs'];

type Obj = Record<string, unknown>;

/** Parse JSON or YAML text. Integers are read as bigint first so 19-digit ids survive as strings. */
export function parseScenario(text: string): SandboxScenario {
  let raw: unknown;
  try {
    raw = parseYaml(text, { intAsBigInt: true });
  } catch (err) {
    throw new ScenarioError([`not valid JSON/YAML: ${(err as Error).message}`]);
  }
  return validateScenario(raw);
}

export function loadScenarioFile(path: string): SandboxScenario {
  return parseScenario(readFileSync(path, 'utf8'));
}

/** Check every field and collect every problem, each named by its path (orders[2].timeline[0].at). */
export function validateScenario(raw: unknown): SandboxScenario {
  const v = new Checker();
  const root = v.obj(raw, 'scenario') ?? {};
  const out: SandboxScenario = {};
  if (root.seed !== undefined) out.seed = v.num(root.seed, 'seed');
  if (root.apps !== undefined) out.apps = v.list(root.apps, 'apps').map((a, i) => v.app(a, `apps[${i}]`));
  if (root.shops !== undefined) out.shops = v.list(root.shops, 'shops').map((s, i) => v.shop(s, `shops[${i}]`));
  if (root.orders !== undefined) out.orders = v.list(root.orders, 'orders').map((o, i) => v.order(o, `orders[${i}]`));
  if (root.faults !== undefined) out.faults = v.faults(root.faults, 'faults');
  if (root.erp !== undefined) {
    const e = v.obj(root.erp, 'erp') ?? {};
    out.erp = {};
    for (const k of ['auditDelay', 'fConfirmDelay', 'reshipShipDelay'] as const) if (e[k] !== undefined) out.erp[k] = v.duration(e[k], `erp.${k}`, false);
  }
  for (const k of Object.keys(root)) if (!['seed', 'apps', 'shops', 'orders', 'faults', 'erp'].includes(k)) v.fail(k, 'unknown field');
  if (v.problems.length > 0) throw new ScenarioError(v.problems);
  return out;
}

class Checker {
  readonly problems: string[] = [];

  fail(path: string, msg: string): void {
    this.problems.push(`${path}: ${msg}`);
  }

  obj(x: unknown, path: string): Obj | undefined {
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) return x as Obj;
    this.fail(path, `expected an object, got ${describe(x)}`);
    return undefined;
  }

  list(x: unknown, path: string): unknown[] {
    if (Array.isArray(x)) return x;
    this.fail(path, `expected a list, got ${describe(x)}`);
    return [];
  }

  str(x: unknown, path: string, required = true): string {
    if (typeof x === 'string' && (x !== '' || !required)) return x;
    if (typeof x === 'bigint' || typeof x === 'number') return String(x);
    if (x === undefined && !required) return '';
    this.fail(path, x === undefined ? 'is required' : `expected a string, got ${describe(x)}`);
    return '';
  }

  num(x: unknown, path: string): number {
    if (typeof x === 'number' || typeof x === 'bigint') return Number(x);
    this.fail(path, `expected a number, got ${describe(x)}`);
    return 0;
  }

  oneOf<T extends string>(x: unknown, path: string, allowed: readonly string[]): T {
    const s = this.str(x, path);
    if (s && !allowed.includes(s)) this.fail(path, `must be one of ${allowed.join(', ')}, got "${s}"`);
    return s as T;
  }

  duration(x: unknown, path: string, signed = true): string {
    const s = typeof x === 'bigint' || typeof x === 'number' ? String(x) : typeof x === 'string' ? x : undefined;
    const ms = s === undefined ? NaN : parseDuration(s);
    if (Number.isNaN(ms) || (!signed && ms < 0)) {
      this.fail(path, `expected a ${signed ? 'relative time like "-26h", "+30m" or "0"' : 'duration like "10m"'}, got ${describe(x)}`);
      return '0';
    }
    return s as string;
  }

  app(x: unknown, path: string): SbApp {
    const o = this.obj(x, path) ?? {};
    const app: SbApp = { platform: this.oneOf(o.platform, `${path}.platform`, SERVICES), appKey: this.str(o.appKey, `${path}.appKey`), appSecret: this.str(o.appSecret, `${path}.appSecret`) };
    for (const k of ['signSecret', 'pushAesKey', 'pushUrl'] as const) if (o[k] !== undefined) app[k] = this.str(o[k], `${path}.${k}`);
    return app;
  }

  shop(x: unknown, path: string): ScenarioShop {
    const o = this.obj(x, path) ?? {};
    const shop: ScenarioShop = { platform: this.oneOf(o.platform, `${path}.platform`, PLATFORMS), shopId: this.str(o.shopId, `${path}.shopId`), appKey: this.str(o.appKey, `${path}.appKey`) };
    for (const k of ['name', 'warehouseProvince', 'erpShopId'] as const) if (o[k] !== undefined) shop[k] = this.str(o[k], `${path}.${k}`);
    if (o.tokens !== undefined) shop.tokens = this.list(o.tokens, `${path}.tokens`).map((t, i) => this.token(t, `${path}.tokens[${i}]`));
    return shop;
  }

  token(x: unknown, path: string): ScenarioToken {
    const o = this.obj(x, path) ?? {};
    const t: ScenarioToken = { accessToken: this.str(o.accessToken, `${path}.accessToken`) };
    if (o.refreshToken !== undefined) t.refreshToken = this.str(o.refreshToken, `${path}.refreshToken`);
    if (o.expiresIn !== undefined) t.expiresIn = this.duration(o.expiresIn, `${path}.expiresIn`);
    if (o.refreshExpiresIn !== undefined) t.refreshExpiresIn = this.duration(o.refreshExpiresIn, `${path}.refreshExpiresIn`);
    if (o.revoked !== undefined) t.revoked = o.revoked === true;
    return t;
  }

  order(x: unknown, path: string): ScenarioOrder {
    const o = this.obj(x, path) ?? {};
    const order: ScenarioOrder = { platform: this.oneOf(o.platform, `${path}.platform`, PLATFORMS), shopId: this.str(o.shopId, `${path}.shopId`), timeline: [] };
    for (const k of ['orderId', 'buyerNick', 'buyerMessage'] as const) if (o[k] !== undefined) order[k] = this.str(o[k], `${path}.${k}`);
    if (o.receiver !== undefined) {
      const r = this.obj(o.receiver, `${path}.receiver`) ?? {};
      order.receiver = {};
      for (const k of ['province', 'city', 'district', 'name', 'mobile', 'address'] as const) if (r[k] !== undefined) order.receiver[k] = this.str(r[k], `${path}.receiver.${k}`);
    }
    if (o.timeline === undefined) this.fail(`${path}.timeline`, 'is required (at least a create step)');
    else order.timeline = this.list(o.timeline, `${path}.timeline`).map((s, i) => this.step(s, `${path}.timeline[${i}]`));
    return order;
  }

  step(x: unknown, path: string): ScenarioStep {
    const o = this.obj(x, path) ?? {};
    const step: ScenarioStep = { step: this.oneOf(o.step, `${path}.step`, STEP_KINDS), at: o.at === undefined ? '0' : this.duration(o.at, `${path}.at`) };
    for (const k of ['carrier', 'trackingNo', 'text', 'by', 'context', 'city'] as const) if (o[k] !== undefined) step[k] = this.str(o[k], `${path}.${k}`, k !== 'text');
    if (o.sendType !== undefined) step.sendType = this.oneOf(o.sendType, `${path}.sendType`, ['online', 'offline']);
    if (o.flag !== undefined) step.flag = this.oneOf(o.flag, `${path}.flag`, FLAGS);
    if (o.op !== undefined) step.op = this.oneOf(o.op, `${path}.op`, ['update', 'add', 'append', 'reset']);
    if (step.step === 'memo' && o.text === undefined && step.op !== 'reset') this.fail(`${path}.text`, 'is required for a memo step');
    return step;
  }

  faults(x: unknown, path: string): Partial<Record<SbService, SbFaults>> {
    const o = this.obj(x, path) ?? {};
    const out: Partial<Record<SbService, SbFaults>> = {};
    for (const [service, f] of Object.entries(o)) {
      if (!SERVICES.includes(service)) {
        this.fail(`${path}.${service}`, `unknown service (one of ${SERVICES.join(', ')})`);
        continue;
      }
      const fo = this.obj(f, `${path}.${service}`) ?? {};
      const faults: Record<string, number> = {};
      for (const [k, val] of Object.entries(fo)) {
        if (!FAULT_KEYS.includes(k)) this.fail(`${path}.${service}.${k}`, `unknown fault (one of ${FAULT_KEYS.join(', ')})`);
        else faults[k] = this.num(val, `${path}.${service}.${k}`);
      }
      out[service as SbService] = faults;
    }
    return out;
  }
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'string') return `"${x}"`;
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') return `${typeof x} ${String(x)}`;
  return typeof x;
}
