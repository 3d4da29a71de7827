import { WebSocket } from 'ws';
import type { PlatformEvent, PlatformEventKind } from '../ports/canonical.types.js';
import { idString, optionalString, parseLosslessJson, text } from '../shared/lossless-json.util.js';
import { asRecord } from '../shared/wire-params.util.js';
import { pddWsPath } from './pinduoduo.sign.js';

const TOPIC_KIND: Readonly<Record<string, PlatformEventKind>> = {
  pdd_trade_TradeConfirmed: 'order.paid',
  pdd_trade_TradeSellerShip: 'order.shipped',
  pdd_trade_TradeSuccess: 'order.completed',
  pdd_trade_TradeLogisticsAddressChanged: 'order.address',
  pdd_trade_TradeMemoModified: 'order.memo',
  pdd_trade_BuyerMemoModified: 'order.changed',
  pdd_trade_TradeRiskChanged: 'order.changed',
};

/** A `Common` frame: `{id, commandType, sendTime, message:{type, mallID, content}}`, id kept as digits. */
export function mapPddFrame(frame: Record<string, unknown>): PlatformEvent {
  const message = asRecord(frame.message);
  const topic = text(message.type);
  const content = typeof message.content === 'string' ? asRecord(parseLosslessJson(message.content)) : asRecord(message.content);
  const sendTime = Number(frame.sendTime);
  return {
    platform: 'pinduoduo',
    eventId: idString(frame.id),
    kind: TOPIC_KIND[topic] ?? (topic.startsWith('pdd_refund_') ? 'refund' : 'other'),
    topic,
    orderId: optionalString(idString(content.tid)),
    shopRef: optionalString(idString(message.mallID)),
    occurredAt: Number.isFinite(sendTime) && sendTime > 0 ? new Date(sendTime) : null,
    content,
  };
}

/** The Ack must echo the int64 id verbatim, so the frame is written by hand rather than via JSON numbers. */
export function pddAckFrame(frame: Record<string, unknown>, nowMs: number): string {
  const id = idString(frame.id);
  if (!/^\d+$/.test(id)) throw new Error('PDD frame without a numeric id');
  const message = asRecord(frame.message);
  const rest = JSON.stringify({
    sendTime: Number(frame.sendTime),
    mallID: Number(idString(message.mallID)),
    type: text(message.type),
    time: nowMs,
  });
  return `{"commandType":"Ack","id":${id},${rest.slice(1)}`;
}

export interface PddMessageClientOptions {
  /** e.g. wss://message-api.pinduoduo.com (or the sandbox's ws://host:port/pinduoduo). */
  wsBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Resolve only once the event is stored: the Ack goes out after, and unacked frames are redelivered. */
  onEvent: (event: PlatformEvent) => Promise<void>;
  onError?: (error: unknown) => void;
  heartbeatMs?: number;
  reconnectDelayMs?: number;
  now?: () => number;
}

/** PDD message-service WebSocket consumer: digest path, heartbeats, Ack after handling, reconnects. */
export class PddMessageClient {
  private socket: WebSocket | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly options: PddMessageClientOptions) {}

  /** Resolves when the first connection is open. */
  start(): Promise<void> {
    this.stopped = false;
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    clearInterval(this.heartbeat);
    const socket = this.socket;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close();
    });
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** A fresh timestamp (and digest) on every connect: the server rejects stale ones. */
  private connect(): Promise<void> {
    const { wsBaseUrl, clientId, clientSecret } = this.options;
    const url = wsBaseUrl.replace(/\/$/, '') + pddWsPath(clientId, clientSecret, this.now());
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.on('message', (data: Buffer) => void this.onFrame(socket, data.toString('utf8')));
    socket.on('error', (err) => this.options.onError?.(err));
    socket.on('close', () => this.onClose(socket));
    return new Promise<void>((resolve, reject) => {
      socket.once('open', () => {
        this.startHeartbeat(socket);
        resolve();
      });
      socket.once('error', reject);
    });
  }

  private startHeartbeat(socket: WebSocket): void {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ commandType: 'HeartBeat', time: this.now() }));
    }, this.options.heartbeatMs ?? 5_000);
  }

  private onClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    clearInterval(this.heartbeat);
    if (this.stopped) return;
    this.reconnect = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.options.onError?.(err);
      });
    }, this.options.reconnectDelayMs ?? 3_000);
  }

  private async onFrame(socket: WebSocket, raw: string): Promise<void> {
    try {
      const frame = asRecord(parseLosslessJson(raw));
      if (frame.commandType !== 'Common') return;
      await this.options.onEvent(mapPddFrame(frame));
      if (socket.readyState === WebSocket.OPEN) socket.send(pddAckFrame(frame, this.now()));
    } catch (err) {
      // No Ack: the platform redelivers the frame later.
      this.options.onError?.(err);
    }
  }
}
