import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxClockImpl } from './core/clock.js';
import type { PlatformModule, SandboxContext } from './core/contract.js';
import { ControlRouter, sendJson } from './core/control-router.js';
import { createCore, type CoreOptions, type CoreParts } from './core/sandbox-context.js';
import { loadScenarioFile, type SandboxScenario } from './core/scenario.js';
import { applyScenario, type ScenarioLoadResult } from './core/scenario-runner.js';
import type { MemoryWorld } from './core/world.js';
import { platformFactories } from './platforms/index.js';

export interface SandboxOptions extends CoreOptions {
  port?: number;
  host?: string;
  seed?: number;
  scenario?: SandboxScenario | string;
  /** Run the virtual-time scheduler from a real-time ticker (default true). Tests may drive it by advance(). */
  autoTick?: boolean;
}

export interface RunningSandbox {
  url: string;
  ctx: SandboxContext;
  world: MemoryWorld;
  clock: SandboxClockImpl;
  core: CoreParts;
  modules: PlatformModule[];
  loadScenario(s: SandboxScenario | string): ScenarioLoadResult;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Start every platform imitation on one port, each under its prefix, plus /_sandbox/ control. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const core = createCore(opts);
  const modules = platformFactories.map((f) => f(core.ctx));
  const control = new ControlRouter(core, modules);
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    const body = await readBody(req);
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      if (!(await control.handle(req, res, path.slice('/_sandbox'.length), body))) sendJson(res, 404, { error: `no control endpoint ${req.method} ${path}` });
      return;
    }
    const mod = modules.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (!mod) return sendJson(res, 404, { error: `no platform at ${path}; prefixes: ${modules.map((m) => m.prefix).join(' ')}` });
    await mod.handle(req, res, path.slice(mod.prefix.length) || '/', body);
  };
  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      console.error('sandbox: request failed', err);
      if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
      else res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0];
    const mod = modules.find((m) => m.upgrade && path.startsWith(`${m.prefix}/`));
    if (!mod?.upgrade) return socket.destroy();
    mod.upgrade(req, socket, head, path.slice(mod.prefix.length));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as AddressInfo;
  const url = `http://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${addr.port}`;
  core.setBaseUrl(url);
  for (const m of modules) await m.start?.();
  if (opts.autoTick ?? true) core.scheduler.start();
  const loadScenario = (s: SandboxScenario | string): ScenarioLoadResult => applyScenario(core, typeof s === 'string' ? loadScenarioFile(s) : s);
  if (opts.scenario) loadScenario(opts.scenario);
  const close = async (): Promise<void> => {
    core.scheduler.stop();
    for (const m of modules) await m.stop?.();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, ctx: core.ctx, world: core.world, clock: core.clock, core, modules, loadScenario, close };
}
