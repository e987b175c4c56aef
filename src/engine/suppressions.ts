/**
 * Applies the suppression markers parsers collected (`SecurityGroup`, `SgRule` and `GroupUser` `.suppressions`) to
 * findings, and reports the suppressions themselves when they lack a reason, have expired or match nothing.
 *
 * Scope: a marker on a group covers every finding on the group and on its rules (inline and standalone), unless its
 * `scope` narrows it to one entry, direction, CIDR or key; a marker on a rule entry or standalone rule resource covers
 * that rule's findings; a marker on a resource that uses groups covers that resource's findings.
 */
import { parseCidr } from '../model/cidr';
import type { GroupUser, ParsedInput, SecurityGroup, SgRule, Suppression, SuppressionScope } from '../model/types';
import { keyMatches, mapPeerId, PEER_ORIGINS, REASONLESS_ORIGINS } from './peer-ids';
import type { ActiveRule } from './run';
import { fingerprint } from './run';
import type { Finding, RuleMeta, RuleReport } from './types';
import { pushAll } from '../model/arrays';

/** Rule ids of the suppression diagnostics the engine reports. */
export const SUPPRESSION_RULE_IDS = {
  unused: 'unused-suppression',
  missingReason: 'suppression-missing-reason',
  expired: 'expired-suppression',
  peerWithoutReason: 'peer-suppression-without-reason',
  unmappedPeer: 'unmapped-peer-suppression',
  denied: 'denied-suppression',
} as const;

/**
 * What a configuration allows of inline suppressions (`suppressions:` in .sg-lint.yaml): a platform team can forbid
 * them, require a reason, cap how far ahead they may expire, or list the rules that may be suppressed at all. A marker
 * the policy does not allow is reported (`denied-suppression`) and does not apply.
 */
export interface SuppressionPolicy {
  /** allow (default), require-reason (a marker without a reason does not apply), deny (no inline marker applies). */
  inline?: 'allow' | 'require-reason' | 'deny';
  /** Every marker needs an expiry date at most this many days after today. */
  maxExpiryDays?: number;
  /** Only these sg-lint rules may be suppressed inline (a peer marker counts for the rules its id maps to). */
  allowedRules?: string[];
}

/** A finding together with the report and input it came from (what `runRules` observers receive). */
export interface ObservedFinding {
  finding: Finding;
  report: RuleReport;
  input: ParsedInput;
}

/** What applying suppressions needs besides the findings. */
export interface SuppressionOptions {
  /** Today's date as YYYY-MM-DD (UTC); suppressions expire after their `expires` day. */
  today: string;
  /** The rules active for each input (decides which diagnostics run and which suppressions can be unused). */
  activeRules: (input: ParsedInput) => readonly ActiveRule[];
  /** Every rule id sg-lint knows (an sg-lint marker naming another id is reported as unused). */
  knownRuleIds: readonly string[];
  /** The suppressions policy of each input's configuration; absent or undefined: inline suppressions are allowed. */
  policy?: (input: ParsedInput) => SuppressionPolicy | undefined;
}

type Owner = { kind: 'group'; group: SecurityGroup } | { kind: 'rule'; rule: SgRule } | { kind: 'user'; user: GroupUser };

interface Marker {
  suppression: Suppression;
  owner: Owner;
  input: ParsedInput;
  used: boolean;
  /** Null when the marker applies; else why not ("expired on ...", "invalid expires date"). */
  expiredBecause: string | null;
  /** Null unless the configuration's suppressions policy forbids the marker; then why. */
  deniedBecause: string | null;
}

/** Today's date (UTC) as YYYY-MM-DD, from an injectable clock. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Marks suppressed findings in place (`finding.suppression`) and returns the diagnostic findings (unused, missing
 * reason, expired) for the inputs whose configuration enables those rules.
 */
export function applySuppressions(
  observed: readonly ObservedFinding[],
  inputs: readonly ParsedInput[],
  options: SuppressionOptions,
): Finding[] {
  const markers = new Map<ParsedInput, Marker[]>();
  const indexes = new Map<ParsedInput, MarkerIndex>();
  for (const input of inputs) markers.set(input, collectMarkers(input, options, options.policy?.(input)));
  for (const o of observed) {
    let index = indexes.get(o.input);
    if (index === undefined) indexes.set(o.input, (index = indexMarkers(o.input, markers.get(o.input) ?? [])));
    const marker = candidatesFor(o, index).find(
      (m) => m.expiredBecause === null && m.deniedBecause === null && honoured(m.suppression) && ruleMatches(m.suppression, o.finding.ruleId, o.report.key),
    );
    if (!marker) continue;
    marker.used = true;
    o.finding.suppression = { kind: 'inSource', justification: marker.suppression.reason?.trim() ?? '', origin: marker.suppression.origin };
  }
  const diagnostics: Finding[] = [];
  // Markers sg-lint cannot apply are reported once per run and marker id, not at every place they are written.
  const reportedOnce = new Set<string>();
  for (const input of inputs) pushAll(diagnostics, diagnose(input, markers.get(input) ?? [], options, reportedOnce));
  return diagnostics;
}

function collectMarkers(input: ParsedInput, options: SuppressionOptions, policy: SuppressionPolicy | undefined): Marker[] {
  const today = options.today;
  const out: Marker[] = [];
  const seen = new Set<string>();
  const add = (list: Suppression[] | undefined, owner: Owner): void => {
    for (const suppression of list ?? []) {
      // One written entry can expand into several SgRules that share its markers: keep each marker once per resource.
      const id = `${ownerResource(owner)}|${markerKey(suppression)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const deniedBecause = honoured(suppression) ? denial(suppression, policy, today, options.knownRuleIds) : null;
      out.push({ suppression, owner, input, used: false, expiredBecause: expiry(suppression, today), deniedBecause });
    }
  };
  // Indexed loops, and an owner object only for a rule that has markers (most have none): this runs per group.
  const groups = input.groups;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as SecurityGroup;
    if (group.suppressions !== undefined && group.suppressions.length > 0) add(group.suppressions, { kind: 'group', group });
    for (let d = 0; d < 2; d++) {
      const rules = d === 0 ? group.ingress : group.egress;
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i] as SgRule;
        if (rule.suppressions !== undefined && rule.suppressions.length > 0) add(rule.suppressions, { kind: 'rule', rule });
      }
    }
  }
  for (const user of input.users) add(user.suppressions, { kind: 'user', user });
  return out;
}

function markerKey(s: Suppression): string {
  return `${s.origin}|${s.rule}|${s.location.line}:${s.location.column}|${JSON.stringify(s.scope ?? {})}`;
}

function expiry(s: Suppression, today: string): string | null {
  if (s.expires === undefined) return null;
  const text = String(s.expires).trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    return `has an invalid expires date "${text}" (expected YYYY-MM-DD) and does not apply`;
  }
  return text < today ? `expired on ${text} and no longer applies` : null;
}

/** Why the policy forbids a marker, or null when it allows it. */
function denial(s: Suppression, policy: SuppressionPolicy | undefined, today: string, knownRuleIds: readonly string[]): string | null {
  if (!policy) return null;
  if (policy.inline === 'deny') return 'is an inline suppression, which the configuration forbids (suppressions.inline: deny)';
  if (policy.inline === 'require-reason' && (!s.reason || s.reason.trim() === '')) {
    return 'has no reason, which the configuration requires (suppressions.inline: require-reason)';
  }
  if (policy.maxExpiryDays !== undefined) {
    const days = policy.maxExpiryDays;
    if (s.expires === undefined) return `has no expiry date, which the configuration requires within ${days} days (suppressions.maxExpiryDays)`;
    const text = String(s.expires).trim();
    const limit = new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    if (/^\d{4}-\d{2}-\d{2}$/.test(text) && text > limit) {
      return `expires on ${text}, more than ${days} days after today (suppressions.maxExpiryDays: ${days}, so ${limit} at the latest)`;
    }
  }
  if (policy.allowedRules !== undefined) {
    const allowed = new Set(policy.allowedRules.map((r) => r.trim().toLowerCase()));
    const id = s.rule.trim().toLowerCase();
    const targets = isPeerOrigin(s.origin) ? [...new Set(mapPeerId(s.origin, s.rule).map((t) => t.rule))] : knownRuleIds.includes(id) ? [id] : [];
    const forbidden = targets.filter((r) => !allowed.has(r));
    if (forbidden.length > 0) {
      return `suppresses ${forbidden.join(', ')}, which the configuration does not allow to be suppressed inline (suppressions.allowedRules)`;
    }
  }
  return null;
}

/**
 * An input's markers by owner, each list in marker order, so a finding looks only at the markers of its own rule
 * entry, group or user (not at every marker of the input: findings x markers grows with the square of a template).
 */
interface MarkerIndex {
  /** Markers on rules, by `ruleOwnerKey`. */
  onRule: Map<string, Marker[]>;
  onGroup: Map<SecurityGroup, Marker[]>;
  onUser: Map<GroupUser, Marker[]>;
  /** The first group of each address (a finding on a rule without its group names the group by address). */
  groups: Map<string, SecurityGroup>;
}

function indexMarkers(input: ParsedInput, markers: readonly Marker[]): MarkerIndex {
  const index: MarkerIndex = { onRule: new Map(), onGroup: new Map(), onUser: new Map(), groups: new Map() };
  const add = <K>(map: Map<K, Marker[]>, key: K, m: Marker): void => {
    const list = map.get(key);
    if (list) list.push(m);
    else map.set(key, [m]);
  };
  for (const m of markers) {
    const owner = m.owner;
    if (owner.kind === 'rule') add(index.onRule, ruleOwnerKey(owner.rule), m);
    else if (owner.kind === 'group') add(index.onGroup, owner.group, m);
    else add(index.onUser, owner.user, m);
  }
  for (const g of input.groups) if (!index.groups.has(g.address)) index.groups.set(g.address, g);
  return index;
}

/** Markers on one variant of an entry cover every variant of it: same resource, entry and direction. */
function ruleOwnerKey(rule: SgRule): string {
  return JSON.stringify([rule.resource, rule.entry, rule.direction]);
}

/** Markers that can cover the finding, most specific first (rule entry, then group, then user). */
function candidatesFor(o: ObservedFinding, index: MarkerIndex): Marker[] {
  const t = o.report.target;
  if ('rule' in t) {
    const rule = t.rule;
    const group = t.group ?? index.groups.get(rule.group);
    const onRule = index.onRule.get(ruleOwnerKey(rule)) ?? [];
    const onGroup = (group === undefined ? undefined : index.onGroup.get(group)) ?? [];
    return [...onRule, ...onGroup.filter((m) => scopeMatches(m.suppression.scope, rule, group, o.report.key))];
  }
  if ('group' in t) {
    return (index.onGroup.get(t.group) ?? []).filter((m) => groupScopeMatches(m.suppression.scope, o.report.key));
  }
  return index.onUser.get(t.user) ?? [];
}

function scopeMatches(scope: SuppressionScope | undefined, rule: SgRule, group: SecurityGroup | undefined, key: string | undefined): boolean {
  if (!scope) return true;
  if (scope.direction !== undefined && rule.direction !== scope.direction) return false;
  if (scope.index !== undefined) {
    if (!group || rule.declaredAs !== 'inline' || entryIndex(group, rule) !== scope.index) return false;
  }
  if (scope.cidr !== undefined) {
    const wanted = parseCidr(scope.cidr);
    if (!wanted.ok || !rule.peer.known || rule.peer.value.kind !== 'cidr' || rule.peer.value.cidr !== wanted.peer.cidr) return false;
  }
  return scope.key === undefined || keyMatches({ rule: '', keys: [scope.key] }, key);
}

/** A group-level finding is covered only by markers whose scope is at most a key. */
function groupScopeMatches(scope: SuppressionScope | undefined, key: string | undefined): boolean {
  if (!scope) return true;
  if (scope.direction !== undefined || scope.index !== undefined || scope.cidr !== undefined) return false;
  return scope.key === undefined || keyMatches({ rule: '', keys: [scope.key] }, key);
}

/** Position of the rule's entry among the group's distinct inline entries of its direction, in written order. */
function entryIndex(group: SecurityGroup, rule: SgRule): number {
  const entries: string[] = [];
  for (const r of rule.direction === 'ingress' ? group.ingress : group.egress) {
    if (r.declaredAs === 'inline' && !entries.includes(r.entry)) entries.push(r.entry);
  }
  return entries.indexOf(rule.entry);
}

function isPeerOrigin(origin: string): boolean {
  return PEER_ORIGINS.includes(origin);
}

function ruleMatches(s: Suppression, ruleId: string, key: string | undefined): boolean {
  if (!isPeerOrigin(s.origin)) return s.rule.trim().toLowerCase() === ruleId;
  return mapPeerId(s.origin, s.rule).some((t) => t.rule === ruleId && keyMatches(t, key));
}

/** True when sg-lint honours the marker (its own, or a peer id that maps to one of our rules, written so it can apply). */
function honoured(s: Suppression): boolean {
  if (s.unsupported !== undefined) return false;
  return !isPeerOrigin(s.origin) || mapPeerId(s.origin, s.rule).length > 0;
}

function diagnose(input: ParsedInput, markers: readonly Marker[], options: SuppressionOptions, reportedOnce: Set<string>): Finding[] {
  const active = options.activeRules(input);
  const activeIds = new Set(active.map((a) => a.rule.meta.id));
  const out: Finding[] = [];
  // One written marker is reported once, however many resources it was attached to (a file-wide KICS marker).
  const emitted = new Set<string>();
  const emit = (id: string, m: Marker, message: string): void => {
    const rule = active.find((a) => a.rule.meta.id === id);
    const loc = m.suppression.location;
    const key = `${id}|${loc.file}:${loc.line}:${loc.column}|${m.suppression.origin}|${m.suppression.rule}`;
    if (!rule || emitted.has(key)) return;
    emitted.add(key);
    out.push(diagnostic(rule.rule.meta, rule, m, message));
  };
  for (const m of markers) {
    const s = m.suppression;
    if (!honoured(s)) {
      const once = `${s.origin}|${s.rule.trim().toUpperCase()}|${s.unsupported ?? ''}`;
      if (!activeIds.has(SUPPRESSION_RULE_IDS.unmappedPeer) || reportedOnce.has(once)) continue;
      reportedOnce.add(once);
      const why = s.unsupported !== undefined ? `${s.unsupported}, so sg-lint does not apply it` : 'maps to no sg-lint rule, so sg-lint ignores it';
      emit(SUPPRESSION_RULE_IDS.unmappedPeer, m, `${describeMarker(m)} ${why} (reported once for this marker)`);
      continue;
    }
    const what = describeMarker(m);
    if (m.deniedBecause !== null) {
      emit(SUPPRESSION_RULE_IDS.denied, m, `${what} ${m.deniedBecause}; it does not apply`);
      continue;
    }
    if (!s.reason || s.reason.trim() === '') {
      if (REASONLESS_ORIGINS.includes(s.origin)) {
        emit(SUPPRESSION_RULE_IDS.peerWithoutReason, m, `${what} has no reason (the ${s.origin} marker has no place for one); it applies`);
      } else {
        emit(SUPPRESSION_RULE_IDS.missingReason, m, `${what} has no reason`);
      }
    }
    if (m.expiredBecause !== null) {
      emit(SUPPRESSION_RULE_IDS.expired, m, `${what} ${m.expiredBecause}`);
      continue;
    }
    if (m.used || isPeerOrigin(s.origin)) continue;
    const id = s.rule.trim().toLowerCase();
    if (!options.knownRuleIds.includes(id)) {
      emit(SUPPRESSION_RULE_IDS.unused, m, `${what} names no sg-lint rule${closest(id, options.knownRuleIds)}`);
    } else if (activeIds.has(id)) {
      emit(SUPPRESSION_RULE_IDS.unused, m, `${what} matches no finding`);
    }
  }
  return out;
}

function closest(id: string, ids: readonly string[]): string {
  const hit = ids.find((k) => k.startsWith(id) || id.startsWith(k)) ?? ids.find((k) => levenshteinAtMost2(id, k));
  return hit ? ` (did you mean ${hit}?)` : '';
}

function levenshteinAtMost2(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return (prev[b.length] ?? 99) <= 2;
}

function ownerResource(owner: Owner): string {
  switch (owner.kind) {
    case 'group':
      return owner.group.address;
    case 'rule':
      return owner.rule.resource;
    case 'user':
      return owner.user.resource;
  }
}

/** "Suppression of open-admin-port on WebSg", "cfn_nag suppression W2 on WebSg (ingress entry 1)". */
function describeMarker(m: Marker): string {
  const s = m.suppression;
  const head = isPeerOrigin(s.origin) ? `${s.origin} suppression ${s.rule}` : `Suppression of ${s.rule}`;
  const scope = s.scope ? ` (${describeScope(s.scope)})` : '';
  return `${head} on ${ownerResource(m.owner)}${scope}`;
}

function describeScope(scope: SuppressionScope): string {
  const parts: string[] = [];
  if (scope.direction !== undefined) parts.push(scope.index !== undefined ? `${scope.direction} entry ${scope.index}` : scope.direction);
  if (scope.cidr !== undefined) parts.push(`peer ${scope.cidr}`);
  if (scope.key !== undefined) parts.push(scope.key);
  return parts.join(', ');
}

function diagnostic(meta: RuleMeta<object>, active: ActiveRule, m: Marker, message: string): Finding {
  const loc = m.suppression.location;
  const resource = ownerResource(m.owner);
  const group = m.owner.kind === 'group' ? m.owner.group.address : m.owner.kind === 'rule' ? m.owner.rule.group : undefined;
  const finding: Finding = {
    ruleId: meta.id,
    severity: active.severity ?? meta.defaultSeverity,
    message,
    file: loc.file || m.input.file,
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    resource,
    fingerprint: fingerprint([meta.id, m.input.file.replace(/\\/g, '/'), resource, m.suppression.origin, m.suppression.rule, JSON.stringify(m.suppression.scope ?? {})]),
  };
  if (group !== undefined) finding.securityGroup = group;
  return finding;
}
