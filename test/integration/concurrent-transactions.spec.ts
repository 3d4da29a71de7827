/**
 * Flows that write at the same time keep their own work: on MySQL each transaction has its own pooled
 * connection; on the embedded SQLite every flow shares one connection and takes turns on it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../../src/database/data-source.factory.js';
import { runMigrationsLocked } from '../../src/database/migration-runner.js';
import { ShopEntity } from '../../src/shops/shop.entity.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`concurrent transactions (${backend.label})`, () => {
  let tb: TestBackend;
  let ds: DataSource;
  let serial = 0;

  beforeAll(async () => {
    tb = await freshBackend();
    ds = await createDataSource(tb.config.database).initialize();
    await runMigrationsLocked(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    await tb.dispose();
  });

  const shop = (name: string): Partial<ShopEntity> => {
    const now = new Date();
    return { platform: 'taobao', platformShopId: `turns-${++serial}`, name, status: 'active', warehouse: 'default', createdAt: now, updatedAt: now };
  };
  const names = async (prefix: string) =>
    (await ds.getRepository(ShopEntity).find({ order: { id: 'ASC' } })).map((s) => s.name).filter((n) => n.startsWith(prefix)).sort();

  it('interleaved transactions each commit all of their own rows', async () => {
    const work = (n: number) =>
      ds.transaction(async (m) => {
        await m.save(ShopEntity, shop(`tx${n}-a`));
        await pause(15);
        await m.save(ShopEntity, shop(`tx${n}-b`));
      });
    await Promise.all([1, 2, 3, 4].map(work));
    expect(await names('tx')).toEqual(['tx1-a', 'tx1-b', 'tx2-a', 'tx2-b', 'tx3-a', 'tx3-b', 'tx4-a', 'tx4-b']);
  });

  it('a save made while another flow rolls back is kept, and the rolled-back rows are gone', async () => {
    const failing = ds.transaction(async (m) => {
      await m.save(ShopEntity, shop('rb-doomed'));
      await pause(30);
      throw new Error('changed its mind');
    });
    const bystander = (async () => {
      await pause(5);
      await ds.getRepository(ShopEntity).save(shop('rb-kept'));
    })();
    await expect(failing).rejects.toThrow('changed its mind');
    await bystander;
    expect(await names('rb-')).toEqual(['rb-kept']);
  });

  it('a flow that queries beside the transaction it holds: SQLite runs it in its turn, MySQL refuses it naming the query', async () => {
    const viaRepository = (name: string) => ds.getRepository(ShopEntity).save(shop(name));
    const flow = ds.transaction(async (m: EntityManager) => {
      await m.save(ShopEntity, shop('nest-outer'));
      await viaRepository('nest-inner');
    });
    if (backend.mysqlUrl) {
      // A second pooled connection while the first is held: refused (the suite runs strict), and the
      // transaction rolls back whole.
      await expect(flow).rejects.toThrow(/beside the transaction this flow holds/);
      expect(await names('nest-')).toEqual([]);
    } else {
      await flow;
      expect(await names('nest-')).toEqual(['nest-inner', 'nest-outer']);
    }
  });

  it('as many flows as the pool has connections, each reading through its own manager, all finish', async () => {
    const flows = Array.from({ length: tb.config.database.poolSize * 2 }, (_, n) =>
      ds.transaction(async (m) => {
        await m.save(ShopEntity, shop(`pool-${n}`));
        await pause(10);
        return m.countBy(ShopEntity, { platform: 'taobao' });
      }),
    );
    expect((await Promise.all(flows)).every((c) => c > 0)).toBe(true);
    expect(await names('pool-')).toHaveLength(tb.config.database.poolSize * 2);
  });
});
