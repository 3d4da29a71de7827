import type { AxiosInstance } from 'axios';
import type { TokenSet } from '../ports/canonical.types.js';
import { optionalString, text } from '../shared/lossless-json.util.js';
import { PlatformHttpClient } from '../shared/platform-http.client.js';
import type { RateGate } from '../shared/rate.gate.js';
import { asRecord } from '../shared/wire-params.util.js';
import { translateJstError } from './jushuitan.errors.js';
import { signJst } from './jushuitan.sign.js';

export interface JushuitanClientOptions {
  /** openapi host, e.g. https://openapi.jushuitan.com (sandbox https://dev-api.jushuitan.com, or /jushuitan). */
  baseUrl: string;
  /** Host of /openWeb/auth/*; defaults to baseUrl. */
  authBaseUrl?: string;
  appKey: string;
  appSecret: string;
  accessToken?: string;
  timeoutMs?: number;
  now?: () => Date;
  gate?: RateGate;
  axios?: AxiosInstance;
}

/** Jushuitan openapi client: form POST with `biz` JSON text, Unix-second timestamps, prefix-only MD5. */
export class JushuitanClient {
  private readonly http: PlatformHttpClient;
  private accessToken: string | undefined;

  constructor(private readonly options: JushuitanClientOptions) {
    this.accessToken = options.accessToken;
    this.http = new PlatformHttpClient({
      platform: 'jushuitan',
      timeoutMs: options.timeoutMs,
      axios: options.axios,
      secrets: () => [options.appSecret, this.accessToken],
    });
  }

  setAccessToken(token: string): void {
    this.accessToken = token;
  }

  /** Returns `data` of `{code:0, msg, data}`. */
  async call(path: string, biz: unknown): Promise<unknown> {
    await this.options.gate?.pass(path);
    const form: Record<string, string> = {
      app_key: this.options.appKey,
      ...(this.accessToken ? { access_token: this.accessToken } : {}),
      timestamp: this.seconds(),
      charset: 'utf-8',
      version: '2',
      biz: JSON.stringify(biz ?? {}),
    };
    form.sign = signJst(form, this.options.appSecret);
    return this.post(this.options.baseUrl, path, form);
  }

  /** ISV flow: code from the authorisation redirect. */
  exchangeCode(code: string): Promise<TokenSet> {
    return this.token('/openWeb/auth/accessToken', { grant_type: 'authorization_code', code });
  }

  /** Self-developed merchant flow: `code` is any 6-char string we choose. */
  initToken(code: string): Promise<TokenSet> {
    return this.token('/openWeb/auth/getInitToken', { grant_type: 'authorization_code', code });
  }

  /** ISV apps get code 150 here (no refresh since 2023-08-15) → AUTH_REVOKED. */
  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token('/openWeb/auth/refreshToken', { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'all' });
  }

  private async token(path: string, grant: Record<string, string>): Promise<TokenSet> {
    const form: Record<string, string> = { app_key: this.options.appKey, timestamp: this.seconds(), charset: 'utf-8', ...grant };
    form.sign = signJst(form, this.options.appSecret);
    const d = asRecord(await this.post(this.options.authBaseUrl ?? this.options.baseUrl, path, form));
    const now = this.now().getTime();
    return {
      accessToken: text(d.access_token),
      refreshToken: optionalString(d.refresh_token),
      expiresAt: d.expires_in === undefined ? null : new Date(now + Number(d.expires_in) * 1000),
      refreshExpiresAt: null,
      ownerId: null,
      ownerName: null,
    };
  }

  private async post(base: string, path: string, form: Record<string, string>): Promise<unknown> {
    const url = `${base.replace(/\/$/, '')}${path}`;
    const { status, body } = await this.http.send({ method: 'POST', url, api: path, form });
    const b = asRecord(body);
    const code = Number(b.code ?? -1);
    if (code !== 0) throw this.http.error({ ...translateJstError(code, text(b.msg)), api: path, httpStatus: status });
    return b.data;
  }

  private seconds(): string {
    return String(Math.floor(this.now().getTime() / 1000));
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
