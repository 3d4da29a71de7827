import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboundCounters } from '../../src/orders/push/inbound-counters.service.js';
import { eventually } from '../support/eventually.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend, freshBackend, type TestBackend } from '../support/test-env.js';

const countOf = async (t: TestApp, outcome: string): Promise<number> =>
  (await t.app.get(InboundCounters).stats()).find((r) => r.platform === 'kuaishou' && r.source === 'ks_push')?.counts[outcome] ?? 0;

/** Push counters are gathered in memory and added to the shared rows: every count arrives, once. */
describe(`inbound counters (${backend.label})`, () => {
  let shared: TestBackend;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    shared = await freshBackend();
    a = await startTestApp({ backend: shared, env: { KEFU_ROLE: 'api' } });
    b = await startTestApp({ backend: shared, env: { KEFU_ROLE: 'api' } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shared?.dispose();
  });

  it('counts at once in the process that counted, and in another process within a flush', async () => {
    const counters = a.app.get(InboundCounters);
    await Promise.all(Array.from({ length: 7 }, () => counters.bump('kuaishou', 'ks_push', 'bad_signature')));
    await b.app.get(InboundCounters).bump('kuaishou', 'ks_push', 'bad_signature');
    expect(await countOf(a, 'bad_signature')).toBeGreaterThanOrEqual(7);
    await eventually(async () => expect(await countOf(a, 'bad_signature')).toBe(8), 10_000, 100);
    expect(await countOf(b, 'bad_signature')).toBe(8);
  });

  it('adds the same counts again never: flushing twice, or racing flushes, add each count once', async () => {
    const counters = a.app.get(InboundCounters);
    for (let i = 0; i < 5; i++) await counters.bump('kuaishou', 'ks_push', 'unknown_app');
    await Promise.all([counters.flush(), counters.flush(), b.app.get(InboundCounters).flush()]);
    await counters.flush();
    expect(await countOf(b, 'unknown_app')).toBe(5);
  });

  it('keeps the counts of a flush that failed for the next one', async () => {
    const counters = a.app.get(InboundCounters);
    await counters.bump('kuaishou', 'ks_push', 'bad_body');
    const repo = (counters as unknown as { repo: { createQueryBuilder: () => unknown } }).repo;
    const real = repo.createQueryBuilder.bind(repo);
    repo.createQueryBuilder = () => {
      throw new Error('database went away');
    };
    try {
      await expect(counters.flush()).rejects.toThrow('database went away');
    } finally {
      repo.createQueryBuilder = real;
    }
    expect(await countOf(b, 'bad_body')).toBe(0);
    await counters.flush();
    expect(await countOf(b, 'bad_body')).toBe(1);
  });
});
