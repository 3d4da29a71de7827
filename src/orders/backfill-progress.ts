import { shanghaiDateTime } from '../common/shanghai-time.js';
import type { BackfillProgress } from './backfill.runner.js';

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const BAR = 30;
/** Plain output reports every this many percent, so a log stays short whatever the window count. */
const STEP = 5;

/** A bar redrawn in place on a terminal; plain lines (every 5 %) anywhere else, e.g. a CI log. */
export class BackfillProgressView {
  private lastStep = -1;
  private drawn = false;

  constructor(private readonly out: ProgressSink) {}

  update(p: BackfillProgress): void {
    const percent = Math.floor(p.fraction * 100);
    const facts = `${percent}% ${p.windows} windows, ${p.orders} orders, stored up to ${shanghaiDateTime(p.windowEnd)}`;
    if (this.out.isTTY) {
      const filled = Math.round(p.fraction * BAR);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${facts}`;
      this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
      this.drawn = true;
      return;
    }
    const step = Math.floor(percent / STEP);
    if (step === this.lastStep) return;
    this.lastStep = step;
    this.out.write(`backfill ${facts}\n`);
  }

  /** Ends the bar's line before anything else is written. */
  line(text: string): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
    this.out.write(`${text}\n`);
  }
}
