/** GroupCommit: calls made while a write runs go in together with the next write; each caller gets its own result. */
import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from '../../src/common/group-commit.js';

describe('GroupCommit', () => {
  it('writes the first call at once and the calls made meanwhile as one group, each with its own result', async () => {
    const groups: number[][] = [];
    let release: () => void = () => undefined;
    const gc = new GroupCommit<number, string>(100, async (items) => {
      groups.push(items);
      if (groups.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((n) => ({ status: 'fulfilled' as const, value: `#${n}` }));
    });
    const first = gc.submit(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((n) => gc.submit(n));
    release();
    expect(await Promise.all([first, ...later])).toEqual(['#1', '#2', '#3', '#4']);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('splits a burst into groups of at most max', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(3, async (items) => {
      sizes.push(items.length);
      return items.map((n) => ({ status: 'fulfilled' as const, value: n * 2 }));
    });
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => gc.submit(n)))).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('fails one item by its own result, and a whole group when the write throws; later groups still go', async () => {
    let calls = 0;
    const gc = new GroupCommit<number, number>(2, async (items) => {
      calls += 1;
      if (calls === 2) throw new Error('database went away');
      return items.map((n) =>
        n === 1
          ? { status: 'rejected' as const, reason: new Error('bad item 1') }
          : { status: 'fulfilled' as const, value: n },
      );
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => gc.submit(n)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual([
      'Error: bad item 1',
      2,
      'Error: database went away',
      'Error: database went away',
      5,
    ]);
  });
});
