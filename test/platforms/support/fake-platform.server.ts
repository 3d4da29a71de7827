import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  body: string;
  contentType: string;
}

export type Reply = { status?: number; body: string } | ((req: SeenRequest) => { status?: number; body: string });

/**
 * A tiny platform stand-in: records every request and answers from a queue of raw JSON texts
 * (raw so that numbers beyond 2^53 reach the client unrounded).
 */
export class FakePlatformServer {
  readonly seen: SeenRequest[] = [];
  private readonly replies: Reply[] = [];
  private server: Server | undefined;
  baseUrl = '';

  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status ?? 200, { 'Content-Type': 'application/json;charset=utf-8' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  last(): SeenRequest {
    const r = this.seen.at(-1);
    if (!r) throw new Error('no request seen');
    return r;
  }

  private async handle(req: IncomingMessage): Promise<{ status?: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const contentType = req.headers['content-type'] ?? '';
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      form: contentType.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body)) : {},
      body,
      contentType,
    };
    this.seen.push(seen);
    const next = this.replies.shift();
    if (!next) return { status: 500, body: '{"error":"no reply queued"}' };
    return typeof next === 'function' ? next(seen) : next;
  }
}
