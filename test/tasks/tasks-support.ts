/** Shops, orders and people for the task tests, made straight in the app's database. */
import { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { ShopEntity } from '../../src/shops/shop.entity.js';
import { ApiClient } from '../shops/shops-test-support.js';
import { authAs, type TestUser } from '../support/auth.js';

export async function makeShop(app: INestApplicationContext, platformShopId: string, settings: Record<string, unknown> | null = null): Promise<number> {
  const now = new Date();
  const shop = await app.get(DataSource).getRepository(ShopEntity).save({
    platform: 'taobao',
    platformShopId,
    name: `店 ${platformShopId}`,
    status: 'active',
    warehouse: 'default',
    erpShopId: null,
    erpAccountId: null,
    oauthNonce: null,
    authError: null,
    settings,
    createdAt: now,
    updatedAt: now,
  });
  return shop.id;
}

/** A receiver as the ERP's own mall gives it (plain), to see what masking leaves of it. */
export const RECEIVER = {
  name: '张小三',
  mobile: '13800001234',
  phone: null,
  province: '广东省',
  city: '深圳市',
  district: '南山区',
  town: '粤海街道',
  address: '科技园路1号',
  oaid: 'oaid-1a2b3c',
  form: 'plain',
};

export async function makeOrder(app: INestApplicationContext, shopId: number, platformOrderId: string): Promise<number> {
  const now = new Date();
  const order = await app.get(DataSource).getRepository(OrderEntity).save({
    shopId,
    platform: 'taobao',
    platformOrderId,
    status: 'shipped',
    platformStatus: 'WAIT_BUYER_CONFIRM_GOODS',
    buyerRef: null,
    receiver: RECEIVER,
    province: '广东省',
    totalFen: 9900,
    postFeeFen: 0,
    lineItems: [],
    sellerMemo: null,
    sellerFlag: 'none',
    erpOrderId: null,
    erpStatus: null,
    erpStage: null,
    erpModifiedAt: null,
    paymentFen: 9900,
    buyerMessage: null,
    refunding: false,
    placedAt: now,
    paidAt: now,
    closedAt: null,
    platformModifiedAt: now,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  return order.id;
}

export interface Person {
  id: number;
  api: ApiClient;
}

/** A user with an API client carrying their token. */
export async function person(t: { app: INestApplicationContext; url?: string }, user: TestUser): Promise<Person> {
  const api = new ApiClient(t.url!, await authAs(t, user));
  const me = await api.get('/api/me');
  return { id: me.body.id as number, api };
}
