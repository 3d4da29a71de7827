import { JushuitanClient } from '../platforms/jushuitan/jushuitan.client.js';
import { signJst } from '../platforms/jushuitan/jushuitan.sign.js';
import { KuaishouClient } from '../platforms/kuaishou/kuaishou.client.js';
import { PinduoduoClient } from '../platforms/pinduoduo/pinduoduo.client.js';
import type { TokenSet } from '../platforms/ports/canonical.types.js';
import { TaobaoClient } from '../platforms/taobao/taobao.client.js';
import type { PlatformEndpoints } from '../config/config.schema.js';
import type { PlatformName } from './shop.entity.js';
import type { ShopSecrets } from './shop-secrets.js';

/** Scopes a Kuaishou order-automation app asks for (§3.3); they also gate message delivery. */
const KS_SCOPES = 'merchant_order,merchant_refund,merchant_logistics,merchant_item,merchant_user';

/**
 * The OAuth side of each platform: the authorise page, code exchange and refresh, through the
 * platform clients. Token calls carry no shop rate rules: they are rare and per grant.
 */
export class PlatformTokenGateway {
  constructor(
    private readonly ep: PlatformEndpoints,
    private readonly now: () => Date,
  ) {}

  authorizeUrl(platform: PlatformName, s: ShopSecrets, state: string, redirectUri: string): string {
    const q = (base: string, params: Record<string, string>) => `${base}?${new URLSearchParams(params).toString()}`;
    switch (platform) {
      case 'taobao':
        return q(this.ep.taobao.authorizeUrl, { response_type: 'code', client_id: s.appKey, redirect_uri: redirectUri, state, view: 'web' });
      case 'pinduoduo':
        return q(this.ep.pinduoduo.authorizeUrl, { response_type: 'code', client_id: s.appKey, redirect_uri: redirectUri, state });
      case 'kuaishou':
        return q(this.ep.kuaishou.authorizeUrl, { app_id: s.appKey, redirect_uri: redirectUri, scope: KS_SCOPES, response_type: 'code', state });
      case 'jushuitan': {
        // The page takes app_key, timestamp, charset, state and a sign over them (prefix-only MD5 like
        // every Jushuitan sign); the redirect target is set in the Jushuitan console, not in the URL.
        const params: Record<string, string> = {
          app_key: s.appKey,
          timestamp: String(Math.floor(this.now().getTime() / 1000)),
          charset: 'utf-8',
          state,
        };
        return q(this.ep.jushuitan.authorizeUrl, { ...params, sign: signJst(params, s.appSecret) });
      }
    }
  }

  exchange(platform: PlatformName, s: ShopSecrets, code: string, redirectUri: string): Promise<TokenSet> {
    switch (platform) {
      case 'taobao':
        return this.taobao(s).exchangeCode(code, redirectUri);
      case 'pinduoduo':
        return this.pinduoduo(s).exchangeCode(code);
      case 'kuaishou':
        return this.kuaishou(s).exchangeCode(code);
      case 'jushuitan':
        return this.jushuitan(s).exchangeCode(code);
    }
  }

  refresh(platform: PlatformName, s: ShopSecrets, refreshToken: string): Promise<TokenSet> {
    switch (platform) {
      case 'taobao':
        return this.taobao(s).refresh(refreshToken);
      case 'pinduoduo':
        return this.pinduoduo(s).refresh(refreshToken);
      case 'kuaishou':
        return this.kuaishou(s).refresh(refreshToken);
      case 'jushuitan':
        return this.jushuitan(s).refresh(refreshToken);
    }
  }

  private taobao(s: ShopSecrets): TaobaoClient {
    const ep = this.ep.taobao;
    return new TaobaoClient({ routerUrl: ep.routerUrl, oauthTokenUrl: ep.oauthTokenUrl, appKey: s.appKey, appSecret: s.appSecret, ...this.common() });
  }

  private pinduoduo(s: ShopSecrets): PinduoduoClient {
    const ep = this.ep.pinduoduo;
    return new PinduoduoClient({ routerUrl: ep.routerUrl, oauthTokenUrl: ep.oauthTokenUrl, clientId: s.appKey, clientSecret: s.appSecret, ...this.common() });
  }

  private kuaishou(s: ShopSecrets): KuaishouClient {
    const ep = this.ep.kuaishou;
    const keys = { appKey: s.appKey, appSecret: s.appSecret, signSecret: s.signSecret ?? '' };
    return new KuaishouClient({ baseUrl: ep.baseUrl, oauthBaseUrl: ep.oauthBaseUrl, ...keys, ...this.common() });
  }

  private jushuitan(s: ShopSecrets): JushuitanClient {
    const ep = this.ep.jushuitan;
    return new JushuitanClient({ baseUrl: ep.baseUrl, authBaseUrl: ep.authBaseUrl, appKey: s.appKey, appSecret: s.appSecret, ...this.common() });
  }

  private common(): { timeoutMs: number; now: () => Date } {
    return { timeoutMs: this.ep.timeoutMs, now: this.now };
  }
}
