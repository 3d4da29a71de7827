import type { ShopEntity } from './shop.entity.js';
import type { ShopCredentialEntity } from './shop-credential.entity.js';

/** What the API shows of a shop: never a key, secret or token, only whether and until when it is connected. */
export interface ShopView {
  id: number;
  platform: string;
  platformShopId: string;
  name: string;
  status: string;
  warehouse: string;
  erpAccountId: number | null;
  erpShopId: string | null;
  settings: Record<string, unknown> | null;
  /** Keys (and perhaps tokens) are stored; accessExpiresAt says until when a token lives, when known. */
  hasCredentials: boolean;
  accessExpiresAt: string | null;
  authError: string | null;
  createdAt: string;
  updatedAt: string;
}

export function shopView(shop: ShopEntity, cred: ShopCredentialEntity | null): ShopView {
  return {
    id: shop.id,
    platform: shop.platform,
    platformShopId: shop.platformShopId,
    name: shop.name,
    status: shop.status,
    warehouse: shop.warehouse,
    erpAccountId: shop.erpAccountId,
    erpShopId: shop.erpShopId,
    settings: shop.settings,
    hasCredentials: cred !== null,
    accessExpiresAt: cred?.accessExpiresAt?.toISOString() ?? null,
    authError: shop.authError,
    createdAt: shop.createdAt.toISOString(),
    updatedAt: shop.updatedAt.toISOString(),
  };
}
