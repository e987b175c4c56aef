import type { createHash as CreateHash } from 'node:crypto';
import { conditionKey } from '../model/conditions';
import { canonicalPeer } from '../model/peer';
import type { ParsedInput, SecurityGroup, SgRule, SourceLocation, Value } from '../model/types';
import type { Finding, RelatedLocation, Rule, RuleField, RuleMeta, RuleReport, Severity, TrustedNetwork } from './types';
import { SEVERITIES } from './types';

/** A rule as configured for a run: its severity (or off) and its options merged over the defaults. */
export interface ActiveRule {
  rule: Rule<object>;
  /** Severity set by configuration; undefined keeps the severity each finding is reported with. */
  severity?: Severity;
  options: Record<string, unknown>;
}

/** Per-rule configuration: a severity, `off`, or an object with severity and options. */
export type RuleSetting = Severity | 'off' | { severity?: Severity | 'off'; options?: Record<string, unknown> };

/** Rule configuration by rule id. */
export type RuleSettings = Record<string, RuleSetting>;

/** Thrown for a configuration that names an unknown rule or a bad severity. */
export class ConfigError extends Error {}

/**
 * Resolves which rules run and how: rules in `preset` (by default the recommended ones) are on at their default
 * severity; `settings` turns rules on or off, re-grades them and sets options.
 */
export function activateRules(
  all: readonly Rule<object>[],
  settings: RuleSettings = {},
  preset: 'recommended' | 'all' = 'recommended',
): ActiveRule[] {
  const byId = new Map(all.map((r) => [r.meta.id, r]));
  for (const id of Object.keys(settings)) {
    if (!byId.has(id)) throw new ConfigError(`unknown rule "${id}"`);
  }
  const active: ActiveRule[] = [];
  for (const rule of [...all].sort((a, b) => compare(a.meta.id, b.meta.id))) {
    const setting = settings[rule.meta.id];
    const normalized = typeof setting === 'string' ? { severity: setting } : (setting ?? {});
    const enabled = normalized.severity !== undefined ? normalized.severity !== 'off' : preset === 'all' || rule.meta.recommended;
    if (!enabled) continue;
    if (normalized.severity !== undefined && normalized.severity !== 'off' && !SEVERITIES.includes(normalized.severity)) {
      throw new ConfigError(`rule "${rule.meta.id}": severity must be one of error, warning, note, off`);
    }
    const defaults: Record<string, unknown> = {};
    for (const [name, opt] of Object.entries(rule.meta.options as Record<string, { default: unknown }>)) {
      defaults[name] = opt.default;
    }
    active.push({
      rule,
      severity: normalized.severity === 'off' ? undefined : normalized.severity,
      options: { ...defaults, ...(normalized.options ?? {}) },
    });
  }
  return active;
}

/** Called for every finding `runRules` keeps, with the report it came from (suppressions match on its target). */
export type FindingObserver = (finding: Finding, report: RuleReport, input: ParsedInput) => void;

/**
 * Runs the active rules over parsed inputs and returns sorted, deduplicated findings with fingerprints.
 * `observe` (optional) sees each kept finding with its report and input.
 */
export function runRules(
  inputs: readonly ParsedInput[],
  active: readonly ActiveRule[],
  trustedNetworks: readonly TrustedNetwork[] = [],
  observe?: FindingObserver,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const groupByAddress = new Map(input.groups.map((g) => [g.address, g]));
    const path = normalizePath(input.file);
    for (const { rule, severity, options } of active) {
      const reports: RuleReport[] = [];
      rule.check({
        options,
        file: input.file,
        format: input.format,
        groups: input.groups,
        users: input.users,
        trustedNetworks,
        report: (r) => reports.push(r),
      });
      for (const report of reports) {
        const finding = toFinding(rule.meta, report, severity, input, path, groupByAddress);
        // Variants of one entry can report the same thing twice; identical rules written twice are two findings.
        const at = `${finding.fingerprint}@${finding.file}:${finding.line}:${finding.column}`;
        if (seen.has(at)) continue;
        seen.add(at);
        findings.push(finding);
        observe?.(finding, report, input);
      }
    }
  }
  return findings.sort(compareFindings);
}

function toFinding(
  meta: RuleMeta<object>,
  report: RuleReport,
  configured: Severity | undefined,
  input: ParsedInput,
  path: string,
  groups: Map<string, SecurityGroup>,
): Finding {
  const t = report.target;
  let loc: SourceLocation;
  let resource: string;
  let securityGroup: string | undefined;
  let constructPath: string | undefined;
  let identity: string;
  let related: RelatedLocation[] = [];
  if ('rule' in t) {
    const group = t.group ?? groups.get(t.rule.group);
    // The offending value when the rule says which field holds it and the parser knows where that field is.
    loc = report.location ?? (meta.locate !== undefined ? t.rule.fieldLocations?.[meta.locate] : undefined) ?? t.rule.location;
    related = relatedOf(t.rule, meta.locate, loc, input.file);
    resource = t.rule.resource;
    securityGroup = t.rule.group;
    constructPath = group?.constructPath;
    identity = ruleIdentity(t.rule);
  } else if ('group' in t) {
    loc = report.location ?? t.group.location;
    resource = t.group.address;
    securityGroup = t.group.address;
    constructPath = t.group.constructPath;
    identity = 'group';
  } else {
    loc = report.location ?? t.user.location;
    resource = t.user.resource;
    constructPath = t.user.constructPath;
    identity = 'user';
  }
  const finding: Finding = {
    ruleId: meta.id,
    severity: configured ?? report.severity ?? meta.defaultSeverity,
    message: report.message,
    file: loc.file || input.file,
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    resource,
    fingerprint: fingerprint([meta.id, path, resource, securityGroup ?? '', identity, report.key ?? '']),
  };
  if (securityGroup !== undefined) finding.securityGroup = securityGroup;
  if (constructPath !== undefined) finding.constructPath = constructPath;
  if (related.length > 0) finding.related = related;
  return finding;
}

/**
 * The related locations of a finding on a rule: where the value of the field it points at came from (parameter
 * default, AllowedValues entry, Fn::If branch, variable default, module call argument), each place once.
 */
function relatedOf(rule: SgRule, field: RuleField | undefined, primary: SourceLocation, file: string): RelatedLocation[] {
  // Only the origins of the value the finding is about: a missing description has nothing to do with the CIDR's.
  if (field === undefined || rule.origins === undefined || rule.origins.length === 0) return [];
  const origins = rule.origins.filter((o) => o.field === field);
  const out: RelatedLocation[] = origins.map((o) => ({ message: o.label, ...position(o.location), file: o.location.file || file }));
  const seen = new Set<string>([`${primary.file}:${primary.line}:${primary.column}`]);
  return out.filter((r) => {
    const at = `${r.file}:${r.line}:${r.column}`;
    if (seen.has(at)) return false;
    seen.add(at);
    return true;
  });
}

function position(loc: SourceLocation): Omit<RelatedLocation, 'message'> {
  return { file: loc.file, line: loc.line, column: loc.column, endLine: loc.endLine, endColumn: loc.endColumn };
}

/**
 * What identifies a rule independently of where it is written, from typed fields only: its direction, protocol,
 * ports, canonical peer and conditions — not its position in the group's list (inserting or reordering rules keeps
 * the other rules' fingerprints), and no display text (rewording a message or a reason, or fixing host bits in a CIDR
 * as written, keeps it). Standalone rules are further identified by their resource, which is part of every
 * fingerprint.
 */
export function ruleIdentity(rule: SgRule): string {
  const value = <T>(v: Value<T>, show: (x: T) => string): string => (v.known ? show(v.value) : v.invalid ? 'invalid' : 'unknown');
  const protocol = value(rule.protocol, (p) => (p.kind === 'number' ? `proto-${p.number}` : p.kind));
  const ports = value(rule.ports, (r) => (r === null ? `icmp:${rule.icmp?.type ?? -1}/${rule.icmp?.code ?? -1}` : `${r.from}-${r.to}`));
  const peer = value(rule.peer, canonicalPeer);
  return [rule.direction, protocol, ports, peer, ...rule.conditions.map(conditionKey)].join('|');
}

/** `crypto.hash` (Node 20.12 and later) or, before it, the same digest through a `Hash` object. */
type HexDigest = (text: string) => string;

let sha256: HexDigest | undefined;

function loadSha256(): HexDigest {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require('node:crypto') as { createHash: typeof CreateHash; hash?: (algorithm: string, data: string, encoding: 'hex') => string };
  const oneShot = crypto.hash;
  // One call per finding instead of a Hash object (its stream machinery) per finding; the same SHA-256 of the UTF-8 text.
  if (typeof oneShot === 'function') return (text) => oneShot('sha256', text, 'hex');
  const createHash = crypto.createHash;
  return (text) => createHash('sha256').update(text).digest('hex');
}

/** Stable hash of the parts; 16 hex digits are plenty within one repository. */
export function fingerprint(parts: readonly string[]): string {
  // node:crypto is loaded with the first finding: a run that finds nothing (most pre-commit runs) never needs it.
  sha256 ??= loadSha256();
  return sha256(parts.join('\u0000')).slice(0, 16);
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders findings by file, position, rule id and message: the order every reporter keeps. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.message, b.message) ||
    compare(a.fingerprint, b.fingerprint)
  );
}
