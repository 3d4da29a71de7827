/**
 * HTTP for the fault runs: every call has a timeout and never throws, so a run keeps going while the
 * service is down and counts what it got instead (status 0 = no answer: refused, reset or timed out).
 */
export interface Reply {
  status: number;
  /** Parsed JSON when the body was JSON, the text otherwise. */
  body: unknown;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export async function send(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<Reply> {
  try {
    const res = await fetch(`${baseUrl}${req.path}`, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, body: parse(text), text };
  } catch (err) {
    // No answer: the cause (refused, reset, closed, timed out) is kept in `text`.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, body: undefined, text: cause?.code ?? cause?.message ?? (err as Error).name };
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** kefu-bridge's API as one signed-in user. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, timeoutMs?: number): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return send(this.baseUrl, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) }, timeoutMs);
  }

  /** A call that must succeed (set-up steps); otherwise an error naming the call and the answer. */
  async must<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res.body as T;
  }
}

export const ok = (r: Reply): boolean => r.status >= 200 && r.status <= 299;
