import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, stringify } from 'lossless-json';

export function formParams(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries());
}

export function isFormEncoded(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Lossless JSON out, so o_id / ts keep every digit. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(stringify(body) ?? 'null');
}

/** The `biz` JSON with numbers kept as their literal text; undefined when it is not JSON. */
export function parseBiz(text: string | undefined): unknown {
  if (text === undefined || text === '') return {};
  try {
    return parse(text, null, (n: string) => n);
  } catch {
    return undefined;
  }
}

export function intOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function strOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** A list of ids given as JSON numbers or strings, as exact decimal text. */
export function idList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return undefined;
  return v.map((x) => strOf(x) ?? '').filter((x) => x !== '');
}

export async function holdPastTimeout(res: ServerResponse, holdMs = 31_000): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, holdMs);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (!res.writableEnded && !res.destroyed) {
    res.writeHead(504, { 'content-type': 'text/html' });
    res.end('<html><body><h1>504 Gateway Time-out</h1></body></html>');
  }
}

export function sendBadGateway(res: ServerResponse): void {
  res.writeHead(502, { 'content-type': 'text/html' });
  res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
}
