/**
 * The rule API: what a rule declares (`RuleMeta`, options, tags, references), what its check receives
 * (`RuleContext`) and what it reports (`RuleReport`). Rules import these and `defineRule` from here, the model from
 * `src/model`, and shared helpers from `./kit`; nothing else.
 */
import type { CidrPeer, GroupUser, InputFormat, SecurityGroup, SgRule, SourceLocation } from '../model/types';

/** Finding levels, mapped 1:1 to SARIF levels. */
export type Severity = 'error' | 'warning' | 'note';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/**
 * Every tag a rule may carry: a closed set, so a misspelt tag is a compile error (and a runtime error in
 * `defineRule`) instead of silently taking a rule out of the `strict` preset, which selects rules tagged `security`.
 */
export const RULE_TAGS = [
  'attachment',
  'cis',
  'correctness',
  'database',
  'deploy',
  'egress',
  'exposure',
  'hygiene',
  'ingress',
  'policy',
  'quota',
  'redundancy',
  'security',
  'suppression',
  'terraform',
  'visibility',
] as const;

/** A rule tag (see `RULE_TAGS`). */
export type RuleTag = (typeof RULE_TAGS)[number];

/** True for a tag in `RULE_TAGS`. */
export function isRuleTag(tag: unknown): tag is RuleTag {
  return typeof tag === 'string' && (RULE_TAGS as readonly string[]).includes(tag);
}

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
  /** Tags for filtering (SARIF tags, docs index, the `strict` preset takes every rule tagged `security`). */
  tags: RuleTag[];
  /** SARIF `security-severity` score ("0.1"-"10.0") for security rules. */
  securitySeverity?: string;
  /** Part of the `recommended` preset (the default). */
  recommended: boolean;
  references?: RuleReferences;
  /**
   * Where the rule is documented (SARIF `helpUri`). Built-in rules leave it out: their pages are under docs/rules/.
   * Plugin rules and configuration policies set it (a plugin rule without one gets its plugin's `meta.url`).
   */
  url?: string;
  /**
   * Where the rule comes from, for reports: set by sg-lint when it loads a plugin or reads a configuration policy
   * (whatever a plugin writes here is replaced); absent for built-in rules.
   */
  origin?: RuleOrigin;
  options: { [K in keyof O]: OptionMeta<O[K]> };
  /**
   * One line telling what to change, imperative, no trailing period ("Allow SSH only from your VPN range, or use
   * Session Manager"). Shown under each finding in text output and in SARIF `help`, with the rule's docs link.
   */
  fix?: string;
  /**
   * For findings on a rule entry: the field that holds the offending value, where the primary location points (the
   * CIDR element for `peer`, FromPort/ToPort for `ports`, IpProtocol for `protocol`). The engine uses the parser's
   * field location when it has one, else the entry.
   */
  locate?: RuleField;
}

/**
 * Where a rule that is not built in comes from: a plugin (its name and version) or a policy (with the plugin whose
 * preset brought it, when one did).
 */
export type RuleOrigin = { kind: 'plugin'; plugin: string; version: string } | { kind: 'policy'; plugin?: string; version?: string };
/** A field of a rule entry that a finding can point at. */
export type RuleField = 'peer' | 'ports' | 'protocol' | 'description';

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
  /**
   * What this finding adds when the engine folds it into another rule's finding on the same rule entry (see
   * `kit/overlap`): the things it names, e.g. `['SSH', 'RDP']` or `['24 database, cache and search services']`. The
   * folded finding's message ends with ", including SSH, RDP and ...". Without it only the rule id is kept.
   */
  includes?: string[];
}

/** A named network the user trusts (config `networks`). */
export interface TrustedNetwork {
  name: string;
  cidrs: CidrPeer[];
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

/** A rule: metadata plus a check over the model. */
export interface Rule<O extends object = Record<string, unknown>> {
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): void;
}

/**
 * Declares a rule with typed options. The options type is checked against `meta.options`, so a missing default or
 * description is a compile error; a tag outside `RULE_TAGS` is a compile error and, for rules written in plain
 * JavaScript, a `TypeError` here.
 */
export function defineRule<O extends object = Record<string, never>>(rule: {
  meta: RuleMeta<O>;
  check(ctx: RuleContext<O>): void;
}): Rule<O> {
  const unknown = (rule.meta.tags as readonly unknown[]).filter((t) => !isRuleTag(t));
  if (unknown.length > 0) {
    throw new TypeError(`rule ${rule.meta.id}: unknown tag ${unknown.map((t) => JSON.stringify(t)).join(', ')} (known: ${RULE_TAGS.join(', ')})`);
  }
  return rule;
}
