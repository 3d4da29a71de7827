import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { stringify } from 'lossless-json';
import { holdResponse } from '../../core/http-faults.js';

/** Query string and url-encoded body merged; body wins (TOP reads both). JSON-only sandbox: no multipart. */
export function readTopParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  url.searchParams.forEach((v, k) => (out[k] = v));
  const type = String(req.headers['content-type'] ?? '');
  if (body.length > 0 && (type === '' || type.includes('application/x-www-form-urlencoded'))) {
    new URLSearchParams(body.toString('utf8')).forEach((v, k) => (out[k] = v));
  }
  return out;
}

/** Write JSON keeping LosslessNumber ids as bare numbers. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = stringify(value) ?? 'null';
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function topRequestId(): string {
  return randomBytes(7).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x');
}

/** A timeout fault: answer nothing until the client gives up (or well past any sane client timeout). */
export function holdUntilClosed(res: ServerResponse, maxMs = 35_000): Promise<void> {
  return holdResponse(res, maxMs, 'drop');
}
