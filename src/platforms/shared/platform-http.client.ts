import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { PlatformError, type PlatformSource } from '../errors.js';
import { parseLosslessJson } from './lossless-json.util.js';
import { redact } from './redact.util.js';

export interface PlatformHttpOptions {
  platform: PlatformSource;
  timeoutMs?: number;
  /** Values to blank out of any error text (app secret, tokens). Read at error time, so rotation is fine. */
  secrets: () => ReadonlyArray<string | null | undefined>;
  axios?: AxiosInstance;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  api: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
  json?: string;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Thin HTTP layer every platform client shares: timeouts, lossless JSON, and network failures
 * turned into TRANSIENT PlatformErrors with secrets stripped. Platform-level error bodies are
 * returned as-is for the platform's own translator.
 */
export class PlatformHttpClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: PlatformHttpOptions) {
    this.http = options.axios ?? axios.create();
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    let status: number;
    let text: string;
    try {
      const res = await this.http.request<string>({
        method: req.method,
        url: req.url,
        params: req.query,
        data: req.form ? new URLSearchParams(req.form).toString() : req.json,
        headers: this.headers(req),
        timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        responseType: 'text',
        transformResponse: [(data: string) => data],
        validateStatus: () => true,
      });
      status = res.status;
      text = typeof res.data === 'string' ? res.data : String(res.data);
    } catch (err) {
      throw this.networkError(err, req.api);
    }
    return { status, body: this.parse(text, status, req.api) };
  }

  /**
   * Wraps a message into a PlatformError with secrets removed. An error body that came with a 5xx and
   * that the platform's own codes do not name is the server's trouble, not a refusal: TRANSIENT.
   */
  error(init: Omit<ConstructorParameters<typeof PlatformError>[0], 'platform'>): PlatformError {
    const serverTrouble = init.code === 'PERMANENT' && (init.httpStatus ?? 0) >= 500;
    return new PlatformError({
      ...init,
      code: serverTrouble ? 'TRANSIENT' : init.code,
      platform: this.options.platform,
      rawMessage: redact(init.rawMessage, this.options.secrets()),
    });
  }

  private headers(req: HttpRequest): Record<string, string> {
    if (req.form) return { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' };
    if (req.json !== undefined) return { 'Content-Type': 'application/json;charset=utf-8' };
    return {};
  }

  private parse(text: string, status: number, api: string): unknown {
    try {
      return parseLosslessJson(text);
    } catch {
      if (status === 429) return this.throwRateLimited(api);
      throw this.error({
        code: status >= 400 && status < 500 ? 'INVALID_REQUEST' : 'TRANSIENT',
        rawCode: `HTTP_${status}`,
        rawMessage: text.slice(0, 200),
        api,
        httpStatus: status,
      });
    }
  }

  private throwRateLimited(api: string): never {
    throw this.error({ code: 'RATE_LIMITED', rawCode: 'HTTP_429', rawMessage: 'Too Many Requests', api, httpStatus: 429 });
  }

  private networkError(err: unknown, api: string): PlatformError {
    const code = isAxiosError(err) ? (err.code ?? 'NETWORK') : 'NETWORK';
    const message = err instanceof Error ? err.message : String(err);
    return this.error({ code: 'TRANSIENT', rawCode: code, rawMessage: message, api });
  }
}
