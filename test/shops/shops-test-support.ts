/** HTTP helpers for the shops tests: every JSON answer is kept, so tests can scan them for secrets. */
export interface Reply {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export class ApiClient {
  readonly replies: string[] = [];

  /** `headers` usually carries the caller's Authorization (test/support/auth.ts). */
  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? this.headers : { ...this.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    this.replies.push(text);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, text, body: parsed };
  }

  get = (path: string) => this.send('GET', path);
  post = (path: string, body?: unknown) => this.send('POST', path, body ?? {});
  put = (path: string, body?: unknown) => this.send('PUT', path, body);
  del = (path: string) => this.send('DELETE', path);
}

/** Messages of a 400 answer as one string. */
export function messages(r: Reply): string {
  const m: unknown = r.body?.message;
  return Array.isArray(m) ? m.join('; ') : String(m);
}
