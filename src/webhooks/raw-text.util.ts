import { PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';

const MAX_BYTES = 1024 * 1024;
/** Past this, a body is not even read to the end: the connection is dropped. */
const DRAIN_LIMIT_BYTES = 8 * MAX_BYTES;

const tooLarge = () => new PayloadTooLargeException(`body: larger than ${MAX_BYTES} bytes`);

/**
 * The request body as text. Kuaishou posts `text/plain`, which no body parser claims, so the stream is
 * still unread here; a body a parser already consumed is taken from what it kept. A body over the limit
 * is answered 413. A declared length over it is refused before reading; otherwise the rest is read and
 * dropped, so the answer reaches the sender instead of a reset connection.
 */
export async function readRawText(req: Request & { rawBody?: Buffer }): Promise<string> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody.toString('utf8');
  if (typeof req.body === 'string') return req.body;
  if (req.readableEnded) return '';
  if (Number(req.headers['content-length']) > MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DRAIN_LIMIT_BYTES) break;
    if (size <= MAX_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BYTES) throw tooLarge();
  return Buffer.concat(chunks).toString('utf8');
}
