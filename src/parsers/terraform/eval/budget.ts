/**
 * The bounds of one evaluation (issue #18): how many expression nodes may be evaluated, how long a string and how
 * large a collection any one value may become. Past a bound the value is Unknown with the reason, and the first
 * place a bound was hit is kept so the front-end can report it as a located notice. Every Terraform bound lives
 * here, so a global expansion budget can take them over in one place.
 */
import type { SourceLocation } from '../../../model/types';

/**
 * Most expression nodes evaluated for one module tree. A step costs 1-3 µs, so spending the bound takes about a
 * second; the largest real module library we measured (terraform-aws-security-group, its `complete` example) takes
 * 8,844 steps. Past it only for expressions, splats, function calls and template for directives are refused (see
 * evaluate.ts), so what is written plainly is still read.
 */
export const MAX_EVAL_STEPS = 500_000;
/** Longest string a function or template may produce. */
export const MAX_STRING_LENGTH = 1_000_000;
/** Most elements a function or for expression may produce (range(), setproduct(), ...). */
export const MAX_COLLECTION_LENGTH = 100_000;

export class Budget {
  steps = 0;
  /** The first bound that was hit, with where. */
  exceeded: { message: string; loc?: SourceLocation } | undefined;

  constructor(readonly maxSteps: number = MAX_EVAL_STEPS) {}

  /** Counts one evaluation step; a message once the budget is spent. */
  step(loc: SourceLocation | undefined): string | undefined {
    return this.charge(1, loc);
  }

  /** The step bound's message once the steps are spent, else undefined (counts nothing). */
  spent(): string | undefined {
    return this.steps > this.maxSteps ? this.stopped() : undefined;
  }

  /** Counts `n` steps of work done within one node (a regular expression match); a message once the budget is spent. */
  charge(n: number, loc: SourceLocation | undefined): string | undefined {
    this.steps += n;
    if (this.steps <= this.maxSteps) return undefined;
    return this.hit(this.stopped(), loc);
  }

  private stopped(): string {
    return `evaluation stopped after ${this.maxSteps} steps`;
  }

  /** Records a bound that was hit and returns its message. */
  hit(message: string, loc: SourceLocation | undefined): string {
    this.exceeded ??= loc ? { message, loc } : { message };
    return message;
  }
}
