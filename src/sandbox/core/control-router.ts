import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformModule, SbService } from './contract.js';
import { parseScenario, ScenarioError } from './scenario.js';
import { applyScenario } from './scenario-runner.js';
import type { CoreParts } from './sandbox-context.js';
import type { SbFlag, SbPlatform } from './types.js';

const PLATFORMS = new Set(['taobao', 'pinduoduo', 'kuaishou', 'jushuitan']);
const SERVICES = new Set([...PLATFORMS, 'kuaidi100']);

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

class BadRequest extends Error {}

function json(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const v = JSON.parse(body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the uniform error
  }
  throw new BadRequest('body must be a JSON object');
}

function text(x: unknown, fallback = ''): string {
  return typeof x === 'string' || typeof x === 'number' ? String(x) : fallback;
}

function platformOf(x: unknown): SbPlatform {
  if (typeof x === 'string' && PLATFORMS.has(x)) return x as SbPlatform;
  throw new BadRequest(`platform must be one of ${[...PLATFORMS].join(', ')}`);
}

type Handler = (m: RegExpMatchArray, body: Buffer, url: URL) => unknown;

/** The sandbox's own endpoints under /_sandbox/ (JSON in, JSON out). */
export class ControlRouter {
  private readonly routes: [string, RegExp, Handler][];

  constructor(
    private readonly core: CoreParts,
    private readonly modules: PlatformModule[],
  ) {
    const w = core.world;
    this.routes = [
      ['GET', /^\/health$/, () => ({ ok: true, now: w.clock.now(), prefixes: modules.map((m) => m.prefix), orders: w.orderCount })],
      ['GET', /^\/clock$/, () => ({ now: w.clock.now() })],
      ['POST', /^\/clock\/advance$/, (_m, b) => this.advance(b)],
      ['POST', /^\/scenario$/, (_m, b) => this.loadScenario(b)],
      ['GET', /^\/faults\/([a-z0-9]+)$/, (m) => core.faults.get(this.service(m[1]))],
      ['PUT', /^\/faults\/([a-z0-9]+)$/, (m, b) => (core.faults.set(this.service(m[1]), json(b)), core.faults.get(this.service(m[1])))],
      ['DELETE', /^\/faults\/([a-z0-9]+)$/, (m) => (core.faults.clear(this.service(m[1])), {})],
      ['GET', /^\/orders\/([a-z]+)\/([^/]+)$/, (m) => w.order(platformOf(m[1]), decodeURIComponent(m[2])) ?? null],
      ['POST', /^\/orders\/([a-z]+)\/([^/]+)\/memo$/, (m, b) => this.humanMemo(platformOf(m[1]), decodeURIComponent(m[2]), json(b))],
      ['GET', /^\/erp\/orders\/([^/]+)$/, (m) => w.erpOrder(decodeURIComponent(m[1])) ?? null],
      ['GET', /^\/erp\/orders$/, (_m, _b, u) => w.erpOrders({ soIds: u.searchParams.getAll('soId').filter(Boolean), erpShopId: u.searchParams.get('erpShopId') ?? undefined })],
      ['GET', /^\/messages$/, () => w.buyerMessages()],
      ['GET', /^\/reships$/, () => w.reships()],
      ['GET', /^\/calls$/, () => core.calls.summary()],
      ['GET', /^\/pushes$/, (_m, _b, u) => core.pushes.records((u.searchParams.get('service') as SbService | null) ?? undefined)],
      ['POST', /^\/auth\/code$/, (_m, b) => this.authCode(json(b))],
      ['POST', /^\/tokens\/expire$/, (_m, b) => this.expire(json(b))],
    ];
  }

  /** `path` is what follows /_sandbox. Answers false when nothing matched. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    try {
      for (const [method, re, fn] of this.routes) {
        const m = re.exec(path);
        if (m && (req.method ?? 'GET') === method) {
          sendJson(res, 200, fn(m, body, url));
          return true;
        }
      }
      const mod = /^\/([a-z0-9]+)(\/.*)?$/.exec(path);
      const target = mod && this.modules.find((x) => x.service === mod[1]);
      if (target?.control) return await target.control(req, res, mod?.[2] ?? '/', body);
      return false;
    } catch (err) {
      const status = err instanceof BadRequest || err instanceof ScenarioError ? 400 : 500;
      const problems = err instanceof ScenarioError ? err.problems : undefined;
      sendJson(res, status, { error: (err as Error).message, problems });
      return true;
    }
  }

  private service(name: string): SbService {
    if (!SERVICES.has(name)) throw new BadRequest(`unknown service ${name}`);
    return name as SbService;
  }

  private advance(body: Buffer): unknown {
    const ms = Number(json(body).ms);
    if (!Number.isFinite(ms) || ms < 0) throw new BadRequest('ms must be a non-negative number');
    this.core.clock.advance(ms);
    return { now: this.core.clock.now() };
  }

  private loadScenario(body: Buffer): unknown {
    const sc = parseScenario(body.toString('utf8'));
    return applyScenario(this.core, sc);
  }

  /** A person editing the memo in the seller console (Qianniu, 商家后台). */
  private humanMemo(platform: SbPlatform, orderId: string, b: Record<string, unknown>): unknown {
    if (!this.core.world.order(platform, orderId)) throw new BadRequest(`unknown order ${orderId}`);
    const op = b.op === 'append' || b.op === 'reset' || b.op === 'add' ? b.op : 'update';
    return this.core.world.writeMemo(platform, orderId, { text: text(b.text), flag: b.flag as SbFlag | undefined, by: `human:${text(b.by, 'operator')}`, op });
  }

  private authCode(b: Record<string, unknown>): unknown {
    const platform = platformOf(b.platform);
    const shopId = text(b.shopId);
    if (!this.core.world.shop(platform, shopId)) throw new BadRequest(`unknown ${platform} shop ${shopId}`);
    return { code: this.core.world.createAuthCode(platform, shopId) };
  }

  private expire(b: Record<string, unknown>): unknown {
    const platform = platformOf(b.platform);
    const shopId = text(b.shopId);
    if (!this.core.world.shop(platform, shopId)) throw new BadRequest(`unknown ${platform} shop ${shopId}`);
    this.core.world.expireTokens(platform, shopId);
    return { expired: true };
  }
}
