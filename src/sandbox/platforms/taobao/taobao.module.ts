import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformModule, SandboxContext } from '../../core/contract.js';
import { defaultTaobaoConfig, type TaobaoConfig } from './taobao.constants.js';
import { AUTH_APIS, serveOAuthToken } from './taobao-auth.api.js';
import { sendJson } from './taobao-http.util.js';
import { TopRouter } from './taobao-router.js';
import { SMS_APIS } from './taobao-sms.api.js';
import { tmcApis } from './taobao-tmc.api.js';
import { TmcQueue } from './taobao-tmc.queue.js';
import { TRADE_APIS } from './taobao-trade.api.js';

/**
 * Taobao/Tmall open platform at /taobao: the TOP router (/router/rest), the OAuth token endpoint
 * (/oauth/token) and TMC through the pull APIs. Control: GET/PUT /_sandbox/taobao/config, GET /_sandbox/taobao/tmc.
 */
export class TaobaoModule implements PlatformModule {
  readonly service = 'taobao' as const;
  readonly prefix = '/taobao';
  config: TaobaoConfig = defaultTaobaoConfig();
  readonly tmc: TmcQueue;
  private readonly router: TopRouter;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: SandboxContext) {
    this.tmc = new TmcQueue(ctx, () => this.config);
    this.router = new TopRouter(ctx, () => this.config, { ...TRADE_APIS, ...AUTH_APIS, ...SMS_APIS, ...tmcApis(this.tmc) });
    this.unsubscribe = ctx.world.on((ev) => this.tmc.onEvent(ev));
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const route = path.split('?')[0];
    if (route === '/router/rest' && (req.method === 'POST' || req.method === 'GET')) return this.router.serve(req, res, body);
    if (route === '/oauth/token' && req.method === 'POST') return serveOAuthToken(this.ctx, this.config, req, res, body);
    sendJson(res, 404, { error: 'not_found', path: route });
  }

  async control(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    const route = path.split('?')[0].replace(/^\/_sandbox\/taobao/, '');
    if (route === '/config' && req.method === 'GET') {
      sendJson(res, 200, this.config);
      return true;
    }
    if (route === '/config' && req.method === 'PUT') {
      const patch = JSON.parse(body.toString('utf8') || '{}') as Partial<TaobaoConfig>;
      this.config = { ...this.config, ...patch };
      sendJson(res, 200, this.config);
      return true;
    }
    if (route === '/tmc' && req.method === 'GET') {
      sendJson(res, 200, { messages: this.tmc.pending() });
      return true;
    }
    return false;
  }

  async stop(): Promise<void> {
    this.unsubscribe();
  }
}
