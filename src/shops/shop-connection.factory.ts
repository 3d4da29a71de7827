import type { PlatformEndpoints } from '../config/config.schema.js';
import type { KsSignMethod } from '../platforms/kuaishou/kuaishou.sign.js';
import type { ErpConnection, ShopConnection } from '../platforms/registry.js';
import type { TopSignMethod } from '../platforms/taobao/taobao.sign.js';
import type { ShopEntity } from './shop.entity.js';
import type { ShopSecrets } from './shop-secrets.js';

const TOP_SIGN: readonly string[] = ['md5', 'hmac', 'hmac-sha256'];
const KS_SIGN: readonly string[] = ['MD5', 'HMAC_SHA256'];

const setting = (shop: ShopEntity, key: string): string | undefined => {
  const v = shop.settings?.[key];
  return typeof v === 'string' ? v : undefined;
};

/** A marketplace shop's connection: its opened secrets plus the configured endpoints. */
export function marketplaceConnection(shop: ShopEntity, s: ShopSecrets, ep: PlatformEndpoints): ShopConnection {
  const shopId = shop.platformShopId;
  switch (shop.platform) {
    case 'taobao':
      return {
        platform: 'taobao',
        shopId,
        routerUrl: ep.taobao.routerUrl,
        oauthTokenUrl: ep.taobao.oauthTokenUrl,
        appKey: s.appKey,
        appSecret: s.appSecret,
        signMethod: s.signMethod && TOP_SIGN.includes(s.signMethod) ? (s.signMethod as TopSignMethod) : undefined,
        session: s.accessToken,
        smsSignName: setting(shop, 'smsSignName'),
      };
    case 'pinduoduo':
      return {
        platform: 'pinduoduo',
        shopId,
        routerUrl: ep.pinduoduo.routerUrl,
        oauthTokenUrl: ep.pinduoduo.oauthTokenUrl,
        clientId: s.appKey,
        clientSecret: s.appSecret,
        accessToken: s.accessToken,
      };
    case 'kuaishou':
      return {
        platform: 'kuaishou',
        shopId,
        baseUrl: ep.kuaishou.baseUrl,
        oauthBaseUrl: ep.kuaishou.oauthBaseUrl,
        appKey: s.appKey,
        appSecret: s.appSecret,
        signSecret: s.signSecret ?? '',
        signMethod: s.signMethod && KS_SIGN.includes(s.signMethod) ? (s.signMethod as KsSignMethod) : undefined,
        accessToken: s.accessToken,
        smsSignId: setting(shop, 'smsSignId'),
        staffId: setting(shop, 'staffId'),
      };
    case 'jushuitan':
      throw new Error(`shop ${shop.id} is a Jushuitan account, not a marketplace shop`);
  }
}

/** The Jushuitan account row's connection. */
export function erpConnection(account: ShopEntity, s: ShopSecrets, ep: PlatformEndpoints): ErpConnection {
  return {
    accountId: String(account.id),
    baseUrl: ep.jushuitan.baseUrl,
    authBaseUrl: ep.jushuitan.authBaseUrl,
    appKey: s.appKey,
    appSecret: s.appSecret,
    accessToken: s.accessToken,
  };
}
