import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, stringify } from 'lossless-json';
import { holdResponse, sendBadGateway } from '../../core/http-faults.js';

/** Query string of the request URL as a plain record (last value wins). */
export function queryParams(req: IncomingMessage): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  return Object.fromEntries(url.searchParams.entries());
}

export function formParams(body: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries());
}

export function isFormEncoded(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Writes JSON with lossless numbers so ids above 2^53 keep every digit. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = stringify(body) ?? 'null';
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(text);
}

/**
 * Parses a business `param` JSON keeping every number as its literal text, so an oid above 2^53
 * arrives intact; callers convert the small ones.
 */
export function parseParamJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text === '') return {};
  try {
    const value = parse(text, null, (n: string) => n);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An integer parameter given as a JSON number or numeric string; undefined when absent or not integral. */
export function intParam(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** An id parameter as its exact decimal text. */
export function idParam(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return v.trim();
  return undefined;
}

/** Timeouts answer 504 after 31 s, as this platform's gateway does. */
export function holdPastTimeout(res: ServerResponse, holdMs = 31_000): Promise<void> {
  return holdResponse(res, holdMs, 'gateway_timeout');
}

export { sendBadGateway };
