import type {
  CidrPeer,
  GroupUser,
  InputError,
  InputFormat,
  InputNotice,
  ParsedInput,
  SecurityGroup,
  SgRule,
  SourceLocation,
} from '../model/types';

/** Finding levels, mapped 1:1 to SARIF levels. */
export type Severity = 'error' | 'warning' | 'note';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** Declaration of one rule option: a JSON Schema fragment with a required default and description. */
export interface OptionMeta<T> {
  /** JSON Schema for the value (used for config validation and the docs' options table). */
  schema: Record<string, unknown>;
  default: T;
  description: string;
}

/** Standards a rule maps to, shown in docs and SARIF. */
export interface RuleReferences {
  /** CIS AWS Foundations Benchmark controls, e.g. "5.2". */
  cis?: string[];
  /** AWS Security Hub (FSBP) controls, e.g. "EC2.13". */
  securityHub?: string[];
  /** Further reading. */
  urls?: string[];
}

/** Everything about a rule except its check: the public, documented part. */
export interface RuleMeta<O extends object = Record<string, unknown>> {
  /** Public id, kebab-case, describing the condition flagged: "open-admin-port". */
  id: string;
  /** One line, imperative ("Disallow ..."), no trailing period. */
  description: string;
  defaultSeverity: Severity;
  /** Tags for filtering (SARIF tags, docs index): "security", "ingress", "exposure", "hygiene", "quota", ... */
  tags: string[];
  /** SARIF `security-severity` score ("0.1"-"10.0") for security rules. */
  securitySeverity?: string;
  /** Part of the `recommended` preset (the default). */
  recommended: boolean;
  references?: RuleReferences;
  options: { [K in keyof O]: OptionMeta<O[K]> };
}

/** What a rule can point a finding at; the engine derives file, line and resource from it. */
export type ReportTarget =
  | { rule: SgRule; group?: SecurityGroup }
  | { group: SecurityGroup }
  | { user: GroupUser };

/** One finding as a rule reports it. */
export interface RuleReport {
  target: ReportTarget;
  /** The fact, with data: group, port and service, peer, and how values were obtained. */
  message: string;
  /** Overrides the rule's default severity for this finding (e.g. world vs merely public). */
  severity?: Severity;
  /** A more precise location than the target's (e.g. the CIDR field). */
  location?: SourceLocation;
  /**
   * Extra identity for the fingerprint when one target yields several findings of the same rule
   * (e.g. the port: "tcp/22"). Must not contain line numbers.
   */
  key?: string;
}

/** What a rule's check receives: one parsed input, its options, and a way to report. */
export interface RuleContext<O extends object> {
  readonly options: Readonly<O>;
  readonly file: string;
  readonly format: InputFormat;
  /** Every group of the input, rules merged. */
  readonly groups: readonly SecurityGroup[];
  /** Resources that attach groups (instances, databases, ...). */
  readonly users: readonly GroupUser[];
  /** Named trusted networks from the configuration, which rules treat as known rather than public. */
  readonly trustedNetworks: readonly TrustedNetwork[];
  report(report: RuleReport): void;
}

/** A named network the user trusts (config `networks`). */
export interface TrustedNetwork {
  name: string;
  cidrs: CidrPeer[];
}

/** A rule: metadata plus a check over the model. */
export interface Rule<O extends object = Record<string, unknown>> {
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): void;
}

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
