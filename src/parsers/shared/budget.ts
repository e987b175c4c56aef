/**
 * One expansion budget per input. Expansion multiplies: Terraform `count` x `for_each` x `dynamic` blocks, and
 * CloudFormation `Fn::If` branches x `AllowedValues`, so a few kilobytes can ask for millions of rules. Every place that
 * expands something takes units from the one budget of the input it is reading (a template, a plan, a Terraform
 * module); past the limit it stops expanding, the model keeps what was expanded (and it is linted), and the input gets
 * one located notice naming where the budget ran out.
 *
 * A unit is one expanded item of the model: a resource instance (`count`/`for_each`), a generated block (`dynamic`),
 * a rule variant, a standalone rule. The product of nested expansions is what is counted, because each inner item is
 * taken once for each outer item that holds it.
 *
 * Usage, by a parser:
 *
 * ```ts
 * const budget = new ExpansionBudget(options.expansionBudget);       // one per input
 * const n = budget.take(items.length, 'dynamic "ingress"', { line, column });
 * for (const item of items.slice(0, n)) expand(item);                // n <= items.length; 0 once exhausted
 * pushAll(input.notices, budget.notices(file));                      // at most one notice, located at the first refusal
 * ```
 *
 * `take` never throws and is O(1); `exhausted` lets a loop stop early. Parsers never spend more than they were granted.
 */
import type { InputNotice } from '../../model/types';

/**
 * Default number of expanded items one input may produce. The largest real inputs (plans of large estates) hold a few
 * tens of thousands of rules; far beyond that the input is an expansion bomb.
 */
export const DEFAULT_EXPANSION_BUDGET = 50_000;

/** Where an expansion is written, for the notice. */
export interface BudgetSite {
  /** The file the expansion is written in, when the input spans several (a Terraform module). */
  file?: string;
  line?: number;
  column?: number;
}

export class ExpansionBudget {
  private used = 0;
  private refused = 0;
  private first: { what: string; at: BudgetSite } | undefined;

  /** `limit`: the most units this input may use (default `DEFAULT_EXPANSION_BUDGET`; at least 1). */
  constructor(readonly limit: number = DEFAULT_EXPANSION_BUDGET) {
    if (!Number.isFinite(limit) || limit < 1) this.limit = 1;
  }

  /** Units used so far. */
  get spent(): number {
    return this.used;
  }

  /** True once some expansion was refused (or no unit is left). */
  get exhausted(): boolean {
    return this.refused > 0 || this.used >= this.limit;
  }

  /**
   * Asks for `n` units for the expansion `what` (e.g. `count of aws_security_group.web`, `rule entry Sg/SecurityGroupIngress/3`)
   * written at `at`. Returns how many are granted, between 0 and `n`; the first refusal is remembered for the notice.
   */
  take(n: number, what: string, at: BudgetSite = {}): number {
    const want = Math.max(0, Math.floor(n));
    const granted = Math.min(want, this.limit - this.used);
    this.used += granted;
    if (granted < want) {
      this.refused += want - granted;
      this.first ??= { what, at };
    }
    return granted;
  }

  /** Takes one unit: true when granted. */
  takeOne(what: string, at?: BudgetSite): boolean {
    return this.take(1, what, at) === 1;
  }

  /** The notice of an exhausted budget, located where the first expansion was refused; empty when none was. */
  notices(file: string): InputNotice[] {
    if (!this.first) return [];
    const { what, at } = this.first;
    const where = at.line !== undefined ? { line: at.line, ...(at.column !== undefined ? { column: at.column } : {}) } : {};
    return [
      {
        file: at.file ?? file,
        message: `expansion stopped at ${what}: this input expands into more than ${this.limit} items (count, for_each, dynamic blocks, Fn::If branches, AllowedValues); only the first ${this.limit} are linted`,
        ...where,
        // Part of the input is not linted: every report shows it, not only --verbose.
        visible: true,
      },
    ];
  }
}
