import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PlatformModule, SandboxContext } from '../../core/contract.js';
import { defaultPddConfig, type PddConfig } from './pdd.constants.js';
import { authApis, serveOAuthToken } from './pdd-auth.api.js';
import { sendPddJson } from './pdd-http.util.js';
import { PddMessageHub } from './pdd-message.hub.js';
import { orderApis } from './pdd-order.api.js';
import { PddRouter } from './pdd-router.js';

/**
 * Pinduoduo open platform at /pinduoduo: gateway POST /api/router, POST /oauth/token, and the message
 * WebSocket /message/{client_id}/{timestamp_ms}/{digest}. Control: GET/PUT /_sandbox/pinduoduo/config.
 */
export class PinduoduoModule implements PlatformModule {
  readonly service = 'pinduoduo' as const;
  readonly prefix = '/pinduoduo';
  config: PddConfig = defaultPddConfig();
  readonly hub: PddMessageHub;
  private readonly router: PddRouter;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: SandboxContext) {
    this.hub = new PddMessageHub(ctx, () => this.config);
    this.router = new PddRouter(ctx, () => this.config, { ...orderApis(new Map()), ...authApis() });
    this.unsubscribe = ctx.world.on((ev) => this.hub.onEvent(ev));
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const route = path.split('?')[0];
    if (route === '/api/router' && req.method === 'POST') return this.router.serve(req, res, body);
    if (route === '/oauth/token' && req.method === 'POST') return serveOAuthToken(this.ctx, this.config, req, res, body);
    sendPddJson(res, 404, { error: 'not_found', path: route });
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    this.hub.upgrade(req, socket, head, path);
  }

  async control(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    const route = path.split('?')[0].replace(/^\/_sandbox\/pinduoduo/, '');
    if (route !== '/config') return false;
    if (req.method === 'PUT') this.config = { ...this.config, ...(JSON.parse(body.toString('utf8') || '{}') as Partial<PddConfig>) };
    else if (req.method !== 'GET') return false;
    sendPddJson(res, 200, this.config);
    return true;
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    this.hub.close();
  }
}
