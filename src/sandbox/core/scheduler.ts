import type { SandboxClockImpl } from './clock.js';

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * Virtual-time scheduler: a binary heap ordered by (at, seq) so tasks due at the same moment run in
 * the order they were scheduled. Runs from a real-time ticker and at once whenever the clock advances.
 */
export class VirtualScheduler {
  private readonly heap: Task[] = [];
  private seq = 0;
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly clock: SandboxClockImpl) {
    clock.onAdvance(() => this.runDue());
  }

  schedule(atMs: number, fn: () => void): () => void {
    const task: Task = { at: atMs, seq: this.seq++, fn, cancelled: false };
    this.push(task);
    return () => {
      task.cancelled = true;
    };
  }

  get size(): number {
    return this.heap.length;
  }

  /** Run every task due by now, including tasks that due tasks schedule for the past. */
  runDue(): number {
    if (this.running) return 0;
    this.running = true;
    let ran = 0;
    try {
      const now = this.clock.now();
      while (this.heap.length > 0 && this.heap[0].at <= now) {
        const task = this.pop();
        if (task.cancelled) continue;
        ran++;
        try {
          task.fn();
        } catch (err) {
          console.error('sandbox: scheduled task failed', err);
        }
      }
    } finally {
      this.running = false;
    }
    return ran;
  }

  start(intervalMs = 50): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runDue(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Task {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Task;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
