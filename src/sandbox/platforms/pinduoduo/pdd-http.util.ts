import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { isLosslessNumber, parse, stringify } from 'lossless-json';

/** How a parameter value enters the signed set: objects as JSON text, numbers exactly as sent. */
function paramText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (isLosslessNumber(v)) return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return stringify(v);
}

/** JSON body (numbers read losslessly), form body and query string, all flattened to strings. */
export function readPddParams(req: IncomingMessage, body: Buffer): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  new URL(req.url ?? '/', 'http://sandbox.local').searchParams.forEach((v, k) => (out[k] = v));
  const type = String(req.headers['content-type'] ?? '');
  const text = body.toString('utf8');
  if (text.trim() === '') return out;
  if (type.includes('json') || /^\s*\{/.test(text)) {
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    for (const [k, v] of Object.entries(parsed)) {
      const s = paramText(v);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
  new URLSearchParams(text).forEach((v, k) => (out[k] = v));
  return out;
}

export function sendPddJson(res: ServerResponse, status: number, value: unknown): void {
  const text = stringify(value) ?? 'null';
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function pddRequestId(): string {
  return `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
}
