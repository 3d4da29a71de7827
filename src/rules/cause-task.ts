import type { Decision } from './decisions.js';
import { fire, skip, type OrderSnapshot, type RuleOutcome } from './rule.js';

type OpenTaskDecision = Extract<Decision, { type: 'open_task' }>;

/** What a rule that keeps one task per cause says about the order now. */
export interface CauseState {
  /** The cause is there now (the ERP shows the order out of stock, an after-sale case is open). */
  active: boolean;
  /** Why it is there or not, for the trace. */
  why: string;
  /** The task to open while the cause is there. */
  task: () => Omit<OpenTaskDecision, 'type' | 'key'>;
  /** The outcome a task closes with once the cause went away by itself (rules.md §7). */
  outcome: () => string;
}

/**
 * One task for each time a cause comes up on an order: opened while the cause is there, left alone while
 * unfinished, closed by itself once the cause is gone. Keys run `<cause>:<order>:<n>`, so the same
 * cause coming back after its task was finished opens a new task instead of finding the old one.
 */
export function taskWhileCause(order: OrderSnapshot, cause: string, state: CauseState): RuleOutcome {
  const prefix = `${cause}:${order.orderId}:`;
  const mine = (order.tasks ?? []).filter((t) => t.key.startsWith(prefix));
  const open = mine.find((t) => t.open);
  if (state.active) {
    if (open) return skip(`${state.why};任务已在处理`);
    return fire(state.why, { type: 'open_task', key: `${prefix}${mine.length + 1}`, ...state.task() });
  }
  if (!open) return skip(state.why);
  const outcome = state.outcome();
  return fire(`${state.why};${outcome}`, { type: 'close_task', key: open.key, outcome });
}
