import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PushReply {
  status: number;
  body: string;
}

/**
 * POSTs one encrypted push body (text/plain) and reads the reply. The receiver has `timeoutMs` of real
 * time to answer; a slow or unreachable receiver resolves as status 0 so the caller can schedule a retry.
 */
export function postPush(url: string, body: string, timeoutMs: number): Promise<PushReply> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => req.destroy(new Error('push ack timeout')), timeoutMs);
    timer.unref();
    const done = (reply: PushReply): void => {
      clearTimeout(timer);
      resolve(reply);
    };
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => done({ status: 0, body: '' }));
    });
    req.on('error', () => done({ status: 0, body: '' }));
    req.end(body);
  });
}

/** The receiver acknowledges with HTTP 200 and `{"result":1}`; anything else counts as a failure. */
export function isAck(reply: PushReply): boolean {
  if (reply.status !== 200) return false;
  try {
    const parsed = JSON.parse(reply.body) as { result?: unknown };
    return parsed.result === 1;
  } catch {
    return false;
  }
}
