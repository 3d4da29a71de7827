import type { AxiosInstance } from 'axios';
import type { TokenSet } from '../ports/canonical.types.js';
import { formatBeijing } from '../shared/beijing-time.util.js';
import { idString, optionalString, text } from '../shared/lossless-json.util.js';
import { PlatformHttpClient } from '../shared/platform-http.client.js';
import type { RateGate } from '../shared/rate.gate.js';
import { asRecord, toWireParams } from '../shared/wire-params.util.js';
import { translateTopError, translateTopOAuthError} from './taobao.errors.js';
import { signTop, type TopSignMethod } from './taobao.sign.js';

export interface TaobaoClientOptions {
  /** TOP router, e.g. https://eco.taobao.com/router/rest (or the sandbox's /taobao/router/rest). */
  routerUrl: string;
  /** OAuth token endpoint, default https://oauth.taobao.com/token. */
  oauthTokenUrl?: string;
  appKey: string;
  appSecret: string;
  signMethod?: TopSignMethod;
  /** The shop's access token (TOP calls it `session`). */
  session?: string;
  timeoutMs?: number;
  now?: () => Date;
  gate?: RateGate;
  axios?: AxiosInstance;
}

const DEFAULT_OAUTH_URL = 'https://oauth.taobao.com/token';

/** Response key: drop the `taobao.` prefix, dots to underscores, add `_response`. */
export function topResponseKey(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
}

/** TOP router client: common params, signing (md5 / hmac / hmac-sha256), error translation. */
export class TaobaoClient {
  private readonly http: PlatformHttpClient;
  private session: string | undefined;

  constructor(private readonly options: TaobaoClientOptions) {
    this.session = options.session;
    this.http = new PlatformHttpClient({
      platform: 'taobao',
      timeoutMs: options.timeoutMs,
      axios: options.axios,
      secrets: () => [options.appSecret, this.session],
    });
  }

  setSession(session: string): void {
    this.session = session;
  }

  /** Calls one TOP API and returns the inside of its `<name>_response` envelope. */
  async call(method: string, business: Record<string, unknown>, authorised = true): Promise<Record<string, unknown>> {
    await this.options.gate?.pass(method);
    const signMethod = this.options.signMethod ?? 'md5';
    const params: Record<string, string> = {
      ...toWireParams(business),
      method,
      app_key: this.options.appKey,
      timestamp: formatBeijing(this.now()),
      format: 'json',
      v: '2.0',
      sign_method: signMethod,
      ...(authorised && this.session ? { session: this.session } : {}),
    };
    params.sign = signTop(params, this.options.appSecret, signMethod);
    const { status, body } = await this.http.send({ method: 'POST', url: this.options.routerUrl, api: method, form: params });
    const envelope = asRecord(body);
    if (envelope.error_response) {
      const t = translateTopError(envelope.error_response);
      throw this.http.error({ ...t, api: method, httpStatus: status });
    }
    const key = topResponseKey(method);
    const inner = envelope[key] ?? Object.entries(envelope).find(([k]) => k.endsWith('_response'))?.[1];
    if (inner === undefined) {
      throw this.http.error({ code: 'TRANSIENT', rawCode: 'NO_ENVELOPE', rawMessage: `missing ${key}`, api: method });
    }
    return asRecord(inner);
  }

  exchangeCode(code: string, redirectUri: string): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  /** Only 服务市场 subscription apps may refresh; others get fixed-lifetime tokens. */
  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async token(grant: Record<string, string>): Promise<TokenSet> {
    const form = { ...grant, client_id: this.options.appKey, client_secret: this.options.appSecret };
    const url = this.options.oauthTokenUrl ?? DEFAULT_OAUTH_URL;
    const { body } = await this.http.send({ method: 'POST', url, api: 'oauth.token', form });
    const b = asRecord(body);
    if (b.error || !b.access_token) {
      throw this.http.error({ ...translateTopOAuthError(b), api: 'oauth.token' });
    }
    const now = this.now().getTime();
    const inMs = (v: unknown) => (v === undefined || v === null ? null : new Date(now + Number(v) * 1000));
    const nick = optionalString(b.taobao_user_nick);
    return {
      accessToken: text(b.access_token),
      refreshToken: optionalString(b.refresh_token),
      expiresAt: inMs(b.expires_in),
      refreshExpiresAt: inMs(b.re_expires_in),
      ownerId: idString(b.taobao_user_id) || null,
      ownerName: nick ? decodeURIComponent(nick) : null,
    };
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
