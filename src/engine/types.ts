import type { InputError, InputNotice, ParsedInput } from '../model/types';

// The rule API lives beside `defineRule` in src/rules/api.ts; the engine and reporters use it from here too.
export { SEVERITIES } from '../rules/api';
export type {
  OptionMeta,
  ReportTarget,
  Rule,
  RuleContext,
  RuleMeta,
  RuleOrigin,
  RuleReferences,
  RuleField,
  RuleReport,
  RuleTag,
  Severity,
  TrustedNetwork,
} from '../rules/api';
import type { RuleMeta, Severity } from '../rules/api';

/** A suppression that silenced a finding. */
export interface AppliedSuppression {
  kind: 'inSource' | 'external';
  justification: string;
  /** Which marker: "sg-lint", "cfn_nag", "checkov", "baseline", "config". */
  origin: string;
}

/** One finding, as reporters receive it. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Where the offending definition is written (group logical ID, standalone rule resource, Terraform address). */
  resource: string;
  /** The group it concerns. */
  securityGroup?: string;
  /** CDK construct path, when known. */
  constructPath?: string;
  /** Stable identity that survives unrelated edits and line shifts (SARIF partialFingerprints, baselines). */
  fingerprint: string;
  /** Present when the finding is suppressed; suppressed findings do not count for the exit code. */
  suppression?: AppliedSuppression;
  /** Terraform plans and diff mode: the finding is on something the change introduces. */
  introduced?: boolean;
  /**
   * Places that produced the offending value (parameter default, AllowedValues entry, Fn::If branch, variable
   * default, module call): where else a fix may have to go. SARIF `relatedLocations`, JSON `related`.
   */
  related?: RelatedLocation[];
  /**
   * Other rules that reported the same problem on the same rule entry and were folded into this finding (sorted).
   * Suppressions and filters by any of these ids still apply: they act before folding.
   */
  foldedRuleIds?: string[];
}

/** A location related to a finding, with what it is. */
export interface RelatedLocation {
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The result of a lint run: what reporters format. */
export interface LintResult {
  findings: Finding[];
  errors: InputError[];
  notices: InputNotice[];
  /** Every input that was linted (after discovery), in output order. */
  files: string[];
  /** Metadata of the rules that were enabled, sorted by id. */
  rules: RuleMeta<object>[];
}

export type { ParsedInput };
