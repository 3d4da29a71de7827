import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ShopDirectory } from '../../src/shops/shop-directory.js';
import { ShopEntity } from '../../src/shops/shop.entity.js';
import { eventually } from '../support/eventually.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { freshBackend, type TestBackend } from '../support/test-env.js';

const CHECK_MS = 400;

/**
 * The in-memory shop directory two processes share a database through: a write made in one process is
 * seen there at once, even while a check is running; a write made by the other is seen within checkMs;
 * in between, lookups ask the database nothing.
 */
describe('shop directory', () => {
  let backend: TestBackend;
  let a: TestApp;
  let b: TestApp;
  let seq = 0;

  const addShop = (t: TestApp, status: ShopEntity['status'] = 'active') => {
    const now = new Date();
    return t.app.get(DataSource).getRepository(ShopEntity).save({
      platform: 'kuaishou' as const,
      platformShopId: `77000${++seq}`,
      name: `目录测试${seq}`,
      status,
      warehouse: 'default',
      createdAt: now,
      updatedAt: now,
    });
  };

  beforeAll(async () => {
    backend = await freshBackend();
    const overrides = { shopDirectory: { checkMs: CHECK_MS } };
    a = await startTestApp({ backend, overrides, env: { KEFU_ROLE: 'api' } });
    b = await startTestApp({ backend, overrides, env: { KEFU_ROLE: 'api' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await backend?.dispose();
  });

  it('answers from memory until checkMs has passed, then checks with one statement', async () => {
    const dir = a.app.get(ShopDirectory);
    const ds = a.app.get(DataSource);
    const query = ds.query.bind(ds);
    let statements = 0;
    ds.query = ((...args: Parameters<DataSource['query']>) => {
      statements++;
      return query(...args);
    }) as DataSource['query'];
    try {
      dir.markStale();
      const first = await dir.current();
      expect(statements).toBe(1);
      expect(await dir.current()).toBe(first);
      expect(await dir.current()).toBe(first);
      expect(statements).toBe(1);
      await new Promise((r) => setTimeout(r, CHECK_MS + 50));
      // Nothing changed: one generation check, and the same snapshot.
      expect(await dir.current()).toBe(first);
      expect(statements).toBe(2);
    } finally {
      ds.query = query;
    }
  });

  it("sees its own process's writes at once, even when a check was already running", async () => {
    const dir = a.app.get(ShopDirectory);
    await dir.current();
    dir.markStale();
    const running = dir.current();
    const shop = await addShop(a);
    expect((await dir.current()).byId(shop.id)?.platformShopId).toBe(shop.platformShopId);
    expect((await dir.current()).byRef('kuaishou', shop.platformShopId)?.id).toBe(shop.id);
    await running;
    await a.app.get(DataSource).getRepository(ShopEntity).update({ id: shop.id }, { status: 'paused', updatedAt: new Date() });
    expect((await dir.current()).byId(shop.id)?.status).toBe('paused');
  });

  it("sees another process's writes within checkMs", async () => {
    const dir = a.app.get(ShopDirectory);
    await dir.current();
    const shop = await addShop(b, 'needs_reauth');
    await eventually(async () => expect((await dir.current()).byId(shop.id)?.status).toBe('needs_reauth'), 10_000, 50);
    expect((await b.app.get(ShopDirectory).current()).byId(shop.id)?.status).toBe('needs_reauth');
  });
});
