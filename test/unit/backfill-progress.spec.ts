import { describe, expect, it } from '@jest/globals';
import { parseShanghai } from '../../src/common/shanghai-time.js';
import { BackfillProgressView } from '../../src/orders/backfill-progress.js';

const at = parseShanghai('2026-11-02 10:30:00');
const progress = (fraction: number, windows: number) => ({ fraction, windows, orders: windows * 3, windowEnd: at });

describe('backfill progress', () => {
  it('redraws one bar in place on a terminal, and ends its line before other output', () => {
    const written: string[] = [];
    const view = new BackfillProgressView({ isTTY: true, columns: 200, write: (t: string) => written.push(t) });
    view.update(progress(0.25, 10));
    view.update(progress(0.5, 20));
    view.line('done');
    expect(written[0]).toBe('\r[########----------------------] 25% 10 windows, 30 orders, stored up to 2026-11-02 10:30:00\x1b[K');
    expect(written[1]).toMatch(/^\r\[###############-{15}\] 50% 20 windows/);
    expect(written.slice(2)).toEqual(['\n', 'done\n']);
  });

  it('writes plain lines, one per 5 % step, when the output is not a terminal', () => {
    const written: string[] = [];
    const view = new BackfillProgressView({ write: (t: string) => written.push(t) });
    for (let w = 1; w <= 40; w++) view.update(progress(w / 40, w));
    // The first window (2 %) and then each step from 5 % to 100 %.
    expect(written).toHaveLength(21);
    expect(written[0]).toMatch(/^backfill 2% 1 windows/);
    expect(written.every((l) => l.startsWith('backfill ') && l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(written[20]).toBe('backfill 100% 40 windows, 120 orders, stored up to 2026-11-02 10:30:00\n');
  });
});
