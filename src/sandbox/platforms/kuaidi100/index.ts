import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformModule, PlatformModuleFactory, SandboxContext } from '../../core/contract.js';
import { KD100_ERRORS } from './kuaidi100.constants.js';
import { formOf, Kd100ApiHandler } from './kuaidi100-api.handler.js';
import { Kd100SubscriptionBook } from './kuaidi100-subscription.book.js';
import { holdResponse } from '../../core/http-faults.js';

const TIMEOUT_HOLD_MS = 35_000;

/** A timed-out call: hold the socket past any client timeout, or until the client gives up. */
function hold(res: ServerResponse): void {
  void holdResponse(res, TIMEOUT_HOLD_MS, 'drop');
}

class Kuaidi100Module implements PlatformModule {
  readonly service = 'kuaidi100' as const;
  readonly prefix = '/kuaidi100';
  private readonly subs: Kd100SubscriptionBook;
  private readonly api: Kd100ApiHandler;

  constructor(private readonly ctx: SandboxContext) {
    this.subs = new Kd100SubscriptionBook(ctx);
    this.api = new Kd100ApiHandler(ctx, this.subs);
  }

  async start(): Promise<void> {
    this.subs.start();
  }

  async stop(): Promise<void> {
    this.subs.stop();
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
    const method = path === '/poll/query.do' ? 'poll/query.do' : path === '/poll' ? 'poll' : undefined;
    if (!method || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const fault = await this.ctx.faultFor('kuaidi100');
    let outcome: string;
    if (fault.fail === 'timeout') {
      hold(res);
      outcome = 'timeout';
    } else if (fault.fail) {
      const [returnCode, message] = fault.fail === 'rate_limited' ? KD100_ERRORS.busy : KD100_ERRORS.serverError;
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify({ result: false, returnCode, message }));
      outcome = returnCode;
    } else {
      const form = formOf(req, body);
      outcome = method === 'poll' ? this.api.subscribe(res, form) : this.api.query(res, form);
    }
    this.ctx.calls.record({ platform: 'kuaidi100', method, outcome });
  }

  /** GET /_sandbox/kuaidi100/subscriptions */
  async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== 'GET' || path !== '/subscriptions') return false;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.subs.list()));
    return true;
  }
}

/** Kuaidi100-style carrier tracking at /kuaidi100: real-time query, subscriptions, signed callbacks. */
export const kuaidi100Module: PlatformModuleFactory = (ctx) => new Kuaidi100Module(ctx);
