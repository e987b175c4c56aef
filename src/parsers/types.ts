
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
}

/** Default cap on variants per rule entry. */
export const DEFAULT_MAX_VARIANTS = 64;

