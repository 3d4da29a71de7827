import type { AxiosInstance } from 'axios';
import type { TokenSet } from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { PlatformHttpClient } from '../shared/platform-http.client.js';
import type { RateGate } from '../shared/rate.gate.js';
import { asRecord, toWireParams } from '../shared/wire-params.util.js';
import { translatePddError } from './pinduoduo.errors.js';
import { signPdd } from './pinduoduo.sign.js';

export interface PinduoduoClientOptions {
  /** Gateway, e.g. https://gw-api.pinduoduo.com/api/router (or the sandbox's /pinduoduo/api/router). */
  routerUrl: string;
  /** OAuth token endpoint, default https://open-api.pinduoduo.com/oauth/token. */
  oauthTokenUrl?: string;
  clientId: string;
  clientSecret: string;
  accessToken?: string;
  timeoutMs?: number;
  /** Wait used for 52101/70031, which carry no wait of their own [UNVERIFIED value]. */
  rateLimitWaitMs?: number;
  now?: () => Date;
  gate?: RateGate;
  axios?: AxiosInstance;
}

const DEFAULT_OAUTH_URL = 'https://open-api.pinduoduo.com/oauth/token';

/** PDD POP gateway client. Response keys are not derivable from the type, so callers name them. */
export class PinduoduoClient {
  private readonly http: PlatformHttpClient;
  private accessToken: string | undefined;

  constructor(private readonly options: PinduoduoClientOptions) {
    this.accessToken = options.accessToken;
    this.http = new PlatformHttpClient({
      platform: 'pinduoduo',
      timeoutMs: options.timeoutMs,
      axios: options.axios,
      secrets: () => [options.clientSecret, this.accessToken],
    });
  }

  setAccessToken(token: string): void {
    this.accessToken = token;
  }

  async call(type: string, responseKey: string, business: Record<string, unknown>, authorised = true): Promise<Record<string, unknown>> {
    await this.options.gate?.pass(type);
    const params: Record<string, string> = {
      ...toWireParams(business),
      type,
      client_id: this.options.clientId,
      timestamp: String(Math.floor(this.now().getTime() / 1000)),
      data_type: 'JSON',
      ...(authorised && this.accessToken ? { access_token: this.accessToken } : {}),
    };
    params.sign = signPdd(params, this.options.clientSecret);
    const { status, body } = await this.http.send({ method: 'POST', url: this.options.routerUrl, api: type, form: params });
    const envelope = asRecord(body);
    if (envelope.error_response) {
      const t = translatePddError(envelope.error_response, this.options.rateLimitWaitMs);
      throw this.http.error({ ...t, api: type, httpStatus: status });
    }
    const inner = envelope[responseKey];
    if (inner === undefined) {
      throw this.http.error({ code: 'TRANSIENT', rawCode: 'NO_ENVELOPE', rawMessage: `missing ${responseKey}`, api: type });
    }
    return asRecord(inner);
  }

  exchangeCode(code: string): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /** PDD server time, to keep `end_updated_at` ≤ server time − 3 min. */
  async serverTime(): Promise<Date> {
    const res = await this.call('pdd.time.get', 'time_get_response', {}, false);
    return parsePlatformTime(res.time) ?? this.now();
  }

  private async token(grant: Record<string, string>): Promise<TokenSet> {
    const url = this.options.oauthTokenUrl ?? DEFAULT_OAUTH_URL;
    const json = JSON.stringify({ ...grant, client_id: this.options.clientId, client_secret: this.options.clientSecret });
    const { body } = await this.http.send({ method: 'POST', url, api: 'oauth.token', json });
    const b = asRecord(body);
    const err = b.error_response ? asRecord(b.error_response) : null;
    if (err || !b.access_token) {
      const t = translatePddError((err ?? { error_code: 0, error_msg: text(b.error_msg) }));
      // A refused grant or refresh means the shop must authorise again.
      throw this.http.error({ ...t, code: t.code === 'TRANSIENT' ? 'TRANSIENT' : 'AUTH_REVOKED', api: 'oauth.token' });
    }
    const now = this.now().getTime();
    const at = (abs: unknown, rel: unknown) =>
      abs ? new Date(Number(abs) * 1000) : rel !== undefined ? new Date(now + Number(rel) * 1000) : null;
    return {
      accessToken: text(b.access_token),
      refreshToken: optionalString(b.refresh_token),
      expiresAt: at(b.expires_at, b.expires_in),
      refreshExpiresAt: at(b.refresh_token_expires_at, b.refresh_token_expires_in),
      ownerId: optionalString(idString(b.owner_id)),
      ownerName: optionalString(b.owner_name),
    };
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
