import type { SourceLocation } from '../model/types';

/** Options every parser accepts. */
export interface ParseOptions {
  /**
   * Folder that relative file paths are relative to (default `process.cwd()`). Parsers that read further files
   * (cdk.out templates, Terraform local modules) resolve against it and keep the user's relative form in `file`.
   */
  cwd?: string;
  /**
   * Upper bound on the variants one rule entry may expand into (Fn::If branches x AllowedValues); past it the parser
   * keeps the first variants, marks the rest unknown and adds a notice.
   */
  maxVariants?: number;
  /**
   * Most expanded items (resource instances, dynamic blocks, rule variants, standalone rules) one input may produce
   * (default `DEFAULT_EXPANSION_BUDGET`, see `shared/budget.ts`); past it expansion stops with a located notice.
   */
  expansionBudget?: number;
  /**
   * Parameter values given for the run (`--parameters FILE`, `--parameter Key=Value`, the API): CloudFormation
   * templates use them instead of defaults and AllowedValues; `source` names where each value was set.
   */
  parameters?: Readonly<Record<string, ParameterValue>>;
}

/** A value given for a template parameter, and where it was set ("params/prod.json", "--parameter"). */
export interface ParameterValue {
  value: string;
  source: string;
  /** Where the value is written in a parameter file: a related location of the findings it produces. */
  location?: SourceLocation;
}

/** Default cap on variants per rule entry. */
export const DEFAULT_MAX_VARIANTS = 64;

