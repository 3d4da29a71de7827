import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { LosslessNumber, parse, stringify } from 'lossless-json';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SandboxContext, WorldEvent } from '../../core/contract.js';
import type { SbOrder } from '../../core/types.js';
import type { PddConfig } from './pdd.constants.js';
import { pddVisible } from './pdd-order.mapper.js';
import { pddWsDigest } from './pdd-sign.util.js';

interface PddPush {
  id: string;
  type: string;
  mallId: string;
  appKey: string;
  content: string;
  acked: boolean;
  cancelRetry?: () => void;
}

const TOPICS: Partial<Record<WorldEvent['kind'], string>> = {
  'order.paid': 'pdd_trade_TradeConfirmed',
  'order.shipped': 'pdd_trade_TradeSellerShip',
  'order.finished': 'pdd_trade_TradeSuccess',
  'order.memo': 'pdd_trade_TradeMemoModified',
  'order.address': 'pdd_trade_TradeLogisticsAddressChanged',
};

const PATH = /^\/message\/([^/]+)\/(\d{13})\/([^/?]+)$/;

function reject(socket: Duplex, status: string): void {
  socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/**
 * The message-push WebSocket: authenticated by the path digest, frames per client_id, redelivery of
 * anything not acked (after a delay, and again on every new connection), and the push faults.
 */
export class PddMessageHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Map<string, Set<WebSocket>>();
  private readonly unacked = new Map<string, PddPush>();
  private held?: PddPush;
  // Frame ids start above 2^53 so a client that reads them as doubles breaks visibly.
  private seq = 9_007_199_254_740_992n;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly config: () => PddConfig,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    const m = PATH.exec(path.split('?')[0]);
    if (!m) return reject(socket, '404 Not Found');
    const [clientId, ts, digest] = [decodeURIComponent(m[1]), m[2], decodeURIComponent(m[3])];
    const app = this.ctx.world.app('pinduoduo', clientId);
    const stale = Math.abs(Number(ts) - this.ctx.world.clock.now()) > this.config().wsTimestampToleranceMs;
    if (!app || stale || pddWsDigest(clientId, ts, app.appSecret) !== digest) return reject(socket, '401 Unauthorized');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(app.appKey, ws));
  }

  private attach(appKey: string, ws: WebSocket): void {
    let set = this.sockets.get(appKey);
    if (!set) this.sockets.set(appKey, (set = new Set()));
    set.add(ws);
    ws.on('message', (data: Buffer) => this.onFrame(ws, data.toString('utf8')));
    ws.on('close', () => set.delete(ws));
    for (const p of this.unacked.values()) if (p.appKey === appKey) this.send(p);
  }

  private onFrame(ws: WebSocket, text: string): void {
    let frame: { commandType?: string; id?: LosslessNumber | string };
    try {
      frame = parse(text) as typeof frame;
    } catch {
      return;
    }
    if (frame.commandType === 'HeartBeat') ws.send(stringify({ commandType: 'HeartBeat', sendTime: this.ctx.world.clock.now() }) ?? '');
    if (frame.commandType === 'Ack' && frame.id !== undefined) this.ack(frame.id.toString());
  }

  private ack(id: string): void {
    const p = this.unacked.get(id);
    if (!p) return;
    p.acked = true;
    p.cancelRetry?.();
    this.unacked.delete(id);
    this.ctx.pushes.acknowledged('pinduoduo', id);
  }

  onEvent(ev: WorldEvent): void {
    const type = TOPICS[ev.kind];
    if (!type || !('order' in ev) || !ev.order || ev.order.platform !== 'pinduoduo' || !pddVisible(ev.order.stage)) return;
    this.publish(ev.order, type);
  }

  private publish(order: SbOrder, type: string): void {
    const shop = this.ctx.world.shop('pinduoduo', order.shopId);
    if (!shop) return;
    this.seq += 1n;
    const content = stringify({ mall_id: new LosslessNumber(shop.shopId), tid: order.orderId }) ?? '{}';
    const push: PddPush = { id: this.seq.toString(), type, mallId: shop.shopId, appKey: shop.appKey, content, acked: false };
    const rec = this.ctx.pushes.upsert({ service: 'pinduoduo', id: push.id, topic: type, shopId: shop.shopId });
    const f = this.ctx.faults.get('pinduoduo');
    if (f.pushDropRate && this.ctx.random() < f.pushDropRate) {
      rec.dropped += 1;
      return;
    }
    this.unacked.set(push.id, push);
    const previous = this.held;
    this.held = undefined;
    if (f.pushReorderRate && this.ctx.random() < f.pushReorderRate) {
      this.held = push;
      this.ctx.schedule(this.ctx.world.clock.now() + this.config().wsReorderMs, () => this.release(push));
    } else if (f.pushDelayMs) {
      this.ctx.schedule(this.ctx.world.clock.now() + f.pushDelayMs, () => this.send(push));
    } else {
      this.send(push);
    }
    if (f.pushDuplicateRate && this.ctx.random() < f.pushDuplicateRate) {
      rec.duplicated += 1;
      this.send(push);
    }
    if (previous) this.release(previous);
  }

  private release(push: PddPush): void {
    if (this.held === push) this.held = undefined;
    if (!push.acked) this.send(push);
  }

  /** Send to every open connection of the app and arm the redelivery timer. */
  private send(push: PddPush): void {
    if (push.acked) return;
    const now = this.ctx.world.clock.now();
    const frame = stringify({
      id: new LosslessNumber(push.id), commandType: 'Common', sendTime: now,
      message: { type: push.type, mallID: new LosslessNumber(push.mallId), content: push.content },
    }) ?? '';
    let sent = false;
    for (const ws of this.sockets.get(push.appKey) ?? []) {
      if (ws.readyState !== ws.OPEN) continue;
      ws.send(frame);
      sent = true;
    }
    if (sent) this.ctx.pushes.delivered('pinduoduo', push.id);
    push.cancelRetry?.();
    push.cancelRetry = this.ctx.schedule(now + this.config().wsRedeliveryMs, () => this.send(push));
  }

  close(): void {
    for (const set of this.sockets.values()) for (const ws of set) ws.terminate();
    this.wss.close();
  }
}
