import type { ServerResponse } from 'node:http';

/**
 * A `timeout` fault: hold the response until the client gives up (socket closes) or `maxMs` passes,
 * well beyond any sane client timeout. Then the gateway either drops the connection or answers
 * 504, as each platform's front end does. The timer never keeps the process alive.
 */
export function holdResponse(res: ServerResponse, maxMs: number, then: 'drop' | 'gateway_timeout'): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      if (then === 'drop') res.destroy();
      else if (!res.writableEnded && !res.destroyed) {
        res.writeHead(504, { 'content-type': 'text/html' });
        res.end('<html><body><h1>504 Gateway Time-out</h1></body></html>');
      }
      resolve();
    }, maxMs);
    timer.unref();
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A `server_error` fault answered by the gateway itself, before the platform sees the call. */
export function sendBadGateway(res: ServerResponse): void {
  res.writeHead(502, { 'content-type': 'text/html' });
  res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
}
