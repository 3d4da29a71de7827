import type { Request } from 'express';

const MAX_BYTES = 1024 * 1024;

/**
 * The request body as text. Kuaishou posts `text/plain`, which no body parser claims, so the stream is
 * still unread here; a body a parser already consumed is taken from what it kept.
 */
export async function readRawText(req: Request & { rawBody?: Buffer }): Promise<string> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody.toString('utf8');
  if (typeof req.body === 'string') return req.body;
  if (req.readableEnded) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
