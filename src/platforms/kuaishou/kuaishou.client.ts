import type { AxiosInstance } from 'axios';
import type { TokenSet } from '../ports/canonical.types.js';
import { optionalString, text } from '../shared/lossless-json.util.js';
import { PlatformHttpClient } from '../shared/platform-http.client.js';
import type { RateGate } from '../shared/rate.gate.js';
import { asRecord } from '../shared/wire-params.util.js';
import { translateKsError } from './kuaishou.errors.js';
import { signKs, type KsSignMethod } from './kuaishou.sign.js';

export interface KuaishouClientOptions {
  /** API host, e.g. https://openapi.kwaixiaodian.com (or the sandbox's /kuaishou). */
  baseUrl: string;
  /** Host of /oauth2/*; defaults to baseUrl. */
  oauthBaseUrl?: string;
  appKey: string;
  /** Only for OAuth. */
  appSecret: string;
  /** Only for request signing; never sent. */
  signSecret: string;
  signMethod?: KsSignMethod;
  accessToken?: string;
  timeoutMs?: number;
  now?: () => Date;
  gate?: RateGate;
  axios?: AxiosInstance;
}

/** Kuaishou open API client: method → URL path, `param` as a JSON string, ms timestamps. */
export class KuaishouClient {
  private readonly http: PlatformHttpClient;
  private accessToken: string | undefined;

  constructor(private readonly options: KuaishouClientOptions) {
    this.accessToken = options.accessToken;
    this.http = new PlatformHttpClient({
      platform: 'kuaishou',
      timeoutMs: options.timeoutMs,
      axios: options.axios,
      secrets: () => [options.appSecret, options.signSecret, this.accessToken],
    });
  }

  setAccessToken(token: string): void {
    this.accessToken = token;
  }

  /** The HTTP verb is fixed per API (e.g. order.cursor.list GET, seller.order.note.add POST). */
  async call(method: string, verb: 'GET' | 'POST', param: Record<string, unknown>): Promise<unknown> {
    await this.options.gate?.pass(method);
    const signMethod = this.options.signMethod ?? 'HMAC_SHA256';
    const params: Record<string, string> = {
      appkey: this.options.appKey,
      method,
      version: '1',
      param: JSON.stringify(param),
      timestamp: String(this.now().getTime()),
      signMethod,
      ...(this.accessToken ? { access_token: this.accessToken } : {}),
    };
    params.sign = signKs(params, this.options.signSecret, signMethod);
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/${method.replace(/\./g, '/')}`;
    const req = verb === 'GET' ? { query: params } : { form: params };
    const { status, body } = await this.http.send({ method: verb, url, api: method, ...req });
    return this.unwrap(body, status, method).data;
  }

  exchangeCode(code: string): Promise<TokenSet> {
    const query = { app_id: this.options.appKey, grant_type: 'code', code, app_secret: this.options.appSecret };
    return this.token('GET', '/oauth2/access_token', query);
  }

  /** Each refresh rotates the refresh token; the old one dies within 5 minutes, so store the new one at once. */
  refresh(refreshToken: string): Promise<TokenSet> {
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken, app_id: this.options.appKey, app_secret: this.options.appSecret };
    return this.token('POST', '/oauth2/refresh_token', form);
  }

  private async token(verb: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<TokenSet> {
    const url = `${(this.options.oauthBaseUrl ?? this.options.baseUrl).replace(/\/$/, '')}${path}`;
    const req = verb === 'GET' ? { query: params } : { form: params };
    const { status, body } = await this.http.send({ method: verb, url, api: path, ...req });
    const b = this.unwrap(body, status, path);
    const now = this.now().getTime();
    const after = (s: unknown) => (s === undefined || s === null ? null : new Date(now + Number(s) * 1000));
    return {
      accessToken: text(b.access_token),
      refreshToken: optionalString(b.refresh_token),
      expiresAt: after(b.expires_in),
      refreshExpiresAt: after(b.refresh_token_expires_in),
      ownerId: optionalString(b.open_id),
      ownerName: null,
    };
  }

  private unwrap(body: unknown, httpStatus: number, api: string): Record<string, unknown> {
    const b = asRecord(body);
    if (Number(b.result) !== 1) throw this.http.error({ ...translateKsError(b, this.now()), api, httpStatus });
    return b;
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
