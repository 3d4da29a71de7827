import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, stringify } from 'lossless-json';
import { holdResponse, sendBadGateway } from '../../core/http-faults.js';

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

/** Timeouts answer 504 after 31 s, as this platform's gateway does. */
export function holdPastTimeout(res: ServerResponse, holdMs = 31_000): Promise<void> {
  return holdResponse(res, holdMs, 'gateway_timeout');
}

export { sendBadGateway };
