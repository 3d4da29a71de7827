/**
 * Merges a new remark line into a platform memo, per the platform's semantics:
 * - replace (Taobao, Pinduoduo, Jushuitan): the whole memo is written back, so read, merge, write;
 * - append (Kuaishou): only the new line is sent, the platform keeps the old ones.
 * Idempotent: a line already present is not written again. Human text is never cut: when the new
 * line does not fit the limit, kefu-bridge's own oldest lines are dropped first; if it still does not
 * fit, the result says so and the caller turns it into a task.
 */
export interface MemoLimit {
  unit: 'bytes' | 'chars';
  max: number;
}

export interface ComposeInput {
  current: string | null;
  line: string;
  mode: 'replace' | 'append';
  limit: MemoLimit | null;
  /** Lines kefu-bridge wrote earlier (its own); only these may be compacted away. */
  ownLines: string[];
}

export type ComposeResult =
  | { outcome: 'unchanged' }
  /** `text`: the whole new memo (replace) or the line to append (append). */
  | { outcome: 'write'; text: string; dropped: string[] }
  | { outcome: 'too_long'; needed: number; limit: MemoLimit };

export function composeMemo(input: ComposeInput): ComposeResult {
  const line = input.line.trim();
  const lines = splitLines(input.current);
  if (lines.includes(line)) return { outcome: 'unchanged' };
  if (input.mode === 'append') {
    return fits(line, input.limit) ? { outcome: 'write', text: line, dropped: [] } : tooLong(line, input.limit!);
  }
  const kept = [...lines];
  const dropped: string[] = [];
  const own = new Set(input.ownLines.map((l) => l.trim()));
  for (;;) {
    const text = [...kept, line].join('\n');
    if (fits(text, input.limit)) return { outcome: 'write', text, dropped };
    const oldestOwn = kept.findIndex((l) => own.has(l));
    if (oldestOwn < 0) return tooLong(text, input.limit!);
    dropped.push(...kept.splice(oldestOwn, 1));
  }
}

/** Whether a memo already carries a line (for recognising our own writes when their echo returns). */
export function memoHasLine(memo: string | null, line: string): boolean {
  return splitLines(memo).includes(line.trim());
}

export function measure(text: string, unit: MemoLimit['unit']): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : [...text].length;
}

function splitLines(memo: string | null): string[] {
  return (memo ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

function fits(text: string, limit: MemoLimit | null): boolean {
  return !limit || measure(text, limit.unit) <= limit.max;
}

function tooLong(text: string, limit: MemoLimit): ComposeResult {
  return { outcome: 'too_long', needed: measure(text, limit.unit), limit };
}
