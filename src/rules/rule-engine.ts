import type { Decision } from './decisions.js';
import type { Rule, RuleContext } from './rule.js';

export interface TraceEntry {
  rule: string;
  fired: boolean;
  reason: string;
  decisions: Decision[];
  /** true when the decisions were recorded but not performed */
  dryRun: boolean;
  /** 'error' when the rule threw: one broken rule never stops the others */
  error?: string;
  /** When the rule's answer may change: the scheduler evaluates the order again then. */
  nextCheckAt?: Date;
}

/** Carries decisions out (through the actions outbox and the tasks service); the only place with side effects. */
export interface DecisionSink {
  perform(ctx: RuleContext<unknown>, rule: string, decisions: Decision[]): Promise<void>;
}

export interface EngineSwitches {
  /** The shop's dry run: evaluate and record, perform nothing. */
  dryRun: boolean;
  /** Per-rule switches: 'off' skips the rule, 'dry_run' records its decisions only. */
  rules: Record<string, 'on' | 'off' | 'dry_run' | undefined>;
}

/**
 * Runs every rule on an order and returns the trace: which rules fired, which were skipped and why.
 * Decisions of rules in force go to the sink; in dry run they are only recorded.
 */
export class RuleEngine<S = Record<string, unknown>> {
  constructor(
    private readonly rules: Rule<S>[],
    private readonly sink: DecisionSink,
  ) {}

  get names(): string[] {
    return this.rules.map((r) => r.name);
  }

  async run(ctx: RuleContext<S>, switches: EngineSwitches): Promise<TraceEntry[]> {
    const trace: TraceEntry[] = [];
    for (const rule of this.rules) trace.push(await this.runOne(rule, ctx, switches));
    return trace;
  }

  private async runOne(rule: Rule<S>, ctx: RuleContext<S>, switches: EngineSwitches): Promise<TraceEntry> {
    const mode = switches.rules[rule.name] ?? 'on';
    if (mode === 'off') return { rule: rule.name, fired: false, reason: '该规则已关闭 (rule switched off)', decisions: [], dryRun: false };
    const dryRun = switches.dryRun || mode === 'dry_run';
    let outcome;
    try {
      outcome = rule.evaluate(ctx);
    } catch (err) {
      return { rule: rule.name, fired: false, reason: 'rule failed', decisions: [], dryRun, error: err instanceof Error ? err.message : String(err) };
    }
    const next = outcome.nextCheckAt ? { nextCheckAt: outcome.nextCheckAt } : {};
    if (!outcome.fired) return { rule: rule.name, fired: false, reason: outcome.reason, decisions: [], dryRun, ...next };
    if (!dryRun && outcome.decisions.length) await this.sink.perform(ctx, rule.name, outcome.decisions);
    return { rule: rule.name, fired: true, reason: outcome.reason, decisions: outcome.decisions, dryRun, ...next };
  }
}
