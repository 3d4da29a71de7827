import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InboundEventEntity } from '../../src/orders/inbound-event.entity.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { PddMessageSupervisor } from '../../src/orders/push/pdd-message.supervisor.js';
import { PushKeys } from '../../src/orders/push/push-keys.js';
import { TmcConsumer } from '../../src/orders/push/tmc-consumer.service.js';
import { eventually } from '../support/eventually.js';
import { LIVE_APPS, startLiveEnv, type LiveEnv, type Mp } from '../orders/support/live-env.js';

/** Pushes in the real app: app secrets come from the shops' sealed credentials, entered through the API. */
describe('push keys from shop credentials', () => {
  let env: LiveEnv;
  let db: DataSource;

  const storedOrder = (platform: Mp, orderId: string) => db.getRepository(OrderEntity).findOneBy({ platform, platformOrderId: orderId });
  const paidOrder = (platform: Mp): string => {
    const shop = env.shop(platform);
    const o = env.sb.world.addOrder({ platform, shopId: shop.platformShopId });
    env.sb.world.pay(platform, o.orderId);
    return o.orderId;
  };

  beforeAll(async () => {
    env = await startLiveEnv({
      seed: 31,
      shops: [
        { platform: 'taobao', platformShopId: '3310001' },
        { platform: 'pinduoduo', platformShopId: '8810001' },
        { platform: 'kuaishou', platformShopId: '2210001' },
      ],
    });
    db = env.t.app.get(DataSource);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('lists each app once, with the secrets entered for its shops', async () => {
    const keys = env.t.app.get(PushKeys);
    expect(await keys.taobaoApps()).toEqual([{ appKey: LIVE_APPS.taobao.appKey, appSecret: LIVE_APPS.taobao.appSecret }]);
    expect(await keys.pinduoduoApps()).toEqual([{ clientId: LIVE_APPS.pinduoduo.appKey, clientSecret: LIVE_APPS.pinduoduo.appSecret }]);
    expect(await keys.kuaishouPushKey(LIVE_APPS.kuaishou.appKey)).toBe(LIVE_APPS.kuaishou.pushKey);
    expect(await keys.kuaishouPushKey('ks-not-ours')).toBeNull();
  });

  it('decrypts a Kuaishou push with the shop app key and ingests the order through the real adapters', async () => {
    const orderId = paidOrder('kuaishou');
    await eventually(async () => expect((await storedOrder('kuaishou', orderId))?.status).toBe('paid'));
    const events = await db.getRepository(InboundEventEntity).findBy({ platform: 'kuaishou', status: 'processed' });
    expect(events.filter((e) => e.payload.includes(orderId)).every((e) => e.shopId === env.shop('kuaishou').id)).toBe(true);
  });

  it('pulls TMC for the Taobao app of connected shops and ingests what it announced', async () => {
    const orderId = paidOrder('taobao');
    const rounds = await env.t.app.get(TmcConsumer).consumeAll();
    expect(rounds).toEqual([expect.objectContaining({ appKey: LIVE_APPS.taobao.appKey })]);
    expect(rounds[0].confirmed).toBeGreaterThanOrEqual(2);
    await eventually(async () => expect((await storedOrder('taobao', orderId))?.status).toBe('paid'));
  });

  it('holds the Pinduoduo message socket for the app of connected shops and ingests its frames', async () => {
    const supervisor = env.t.app.get(PddMessageSupervisor);
    await supervisor.supervise();
    expect(supervisor.connectedApps()).toEqual([LIVE_APPS.pinduoduo.appKey]);
    const orderId = paidOrder('pinduoduo');
    await eventually(async () => expect((await storedOrder('pinduoduo', orderId))?.status).toBe('paid'));
  });

  it('picks up a re-entered Kuaishou push key without a restart, and refuses bodies under the old one', async () => {
    const shop = env.shop('kuaishou');
    const next = randomBytes(16).toString('base64');
    const a = LIVE_APPS.kuaishou;
    const put = await env.api('PUT', `/api/shops/${shop.id}/credentials`, { appKey: a.appKey, appSecret: a.appSecret, signSecret: a.signSecret, pushKey: next });
    expect(put.status).toBe(200);
    expect(put.text).not.toContain(next);
    expect(await env.t.app.get(PushKeys).kuaishouPushKey(a.appKey)).toBe(next);
    // The platform still encrypts with the old key: refused, stored nothing, and the shop's tokens survived.
    const before = await db.getRepository(InboundEventEntity).count({ where: { platform: 'kuaishou' } });
    const orderId = paidOrder('kuaishou');
    await eventually(() => expect(env.sb.ctx.pushes.records('kuaishou').filter((p) => p.deliveredAt.length > 0 && p.acknowledgedAt === undefined).length).toBeGreaterThan(0));
    expect(await db.getRepository(InboundEventEntity).count({ where: { platform: 'kuaishou' } })).toBe(before);
    env.sb.world.app('kuaishou', a.appKey)!.pushAesKey = next;
    const later = paidOrder('kuaishou');
    await eventually(async () => expect((await storedOrder('kuaishou', later))?.status).toBe('paid'));
    expect(await storedOrder('kuaishou', orderId)).toBeNull();
  });

  it('leaves no app secret, push key or token in any table or log line after connecting and pushing', async () => {
    const secrets = [
      ...Object.values(LIVE_APPS).flatMap((a) => [a.appSecret, ...('signSecret' in a ? [a.signSecret, a.pushKey] : [])]),
      ...env.shops.map((s) => `${s.platform}-live-${s.platformShopId}`),
    ];
    const tables = db.entityMetadatas.map((m) => m.tableName);
    expect(tables).toEqual(expect.arrayContaining(['shop_credentials', 'shops', 'inbound_events', 'orders']));
    for (const table of tables) {
      const dump = JSON.stringify(await db.query(`SELECT * FROM ${table}`));
      for (const secret of secrets) expect({ table, leaked: dump.includes(secret) }).toEqual({ table, leaked: false });
    }
    const logs = env.t.logs.join('\n');
    expect(env.t.logs.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(logs.includes(secret)).toBe(false);
  });

  it('rejects a bad push key with a message naming the field', async () => {
    const shop = env.shop('kuaishou');
    const a = LIVE_APPS.kuaishou;
    const put = await env.api('PUT', `/api/shops/${shop.id}/credentials`, { appKey: a.appKey, appSecret: a.appSecret, signSecret: a.signSecret, pushKey: 'not base64!' });
    expect(put.status).toBe(400);
    expect(put.text).toContain('pushKey');
  });
});
