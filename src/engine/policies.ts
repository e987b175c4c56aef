/**
 * Policies without code: the configuration's `policies` list, each turned into a rule over the model, so a team's
 * network policy holds for every input format and reports through the engine like any rule (locations,
 * fingerprints, suppressions, baselines, SARIF). Four kinds:
 * - `allow`: traffic matching a selector may only come from (go to) the listed peers;
 * - `forbid`: traffic matching a selector to or from the given peers is a finding;
 * - `limits`: rules per group, groups per resource, port range width;
 * - `require`: descriptions present or matching a pattern, tags on groups.
 * Values the input does not determine are skipped (the `unknown-peer` rule reports them), never guessed.
 */
import { cidrContains, parseCidr } from '../model/cidr';
import { compileRe2, Re2SyntaxError } from '../model/re2';
import type { RE2JS } from '../model/re2';
import { parseProtocol } from '../model/protocol';
import type { CidrPeer, Peer, PortRange, Protocol, SecurityGroup, SgRule } from '../model/types';
import type { Rule, RuleContext, Severity, TrustedNetwork } from '../rules/api';
import { openMessage } from '../rules/kit/messages';
import { classifyPeer, describeExposedPeer, peerText } from '../rules/kit/peers';
import { countRules } from '../rules/kit/quota';
import { describeTraffic, knownTraffic } from '../rules/kit/traffic';
import { conditionsOf } from '../rules/kit/variants';

/** Which traffic a policy is about; every given field must match. */
export interface TrafficSelector {
  /** Default `ingress`. */
  direction?: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`, `icmpv6` or a protocol number; omitted: any protocol. */
  protocols?: (string | number)[];
  /** Ports (`22`) and ranges (`"8000-8100"`); omitted: any port. */
  ports?: (number | string)[];
}

/** One policy as written in the configuration. */
export interface PolicyConfig {
  /** Rule id of the policy's findings: kebab-case, optionally namespaced (`acme/ssh-from-vpn`). */
  id: string;
  /** What the policy demands, in the team's words; the start of every finding's message. */
  message: string;
  /** Default `error`. */
  severity?: Severity;
  /** Where the policy is explained (SARIF helpUri, links in reports). */
  url?: string;
  allow?: TrafficSelector & { peers: string[] };
  forbid?: TrafficSelector & { peers: 'world' | 'public' | 'any' | string[] };
  limits?: { direction?: 'ingress' | 'egress'; maxRulesPerGroup?: number; maxGroupsPerResource?: number; maxPortRangeWidth?: number };
  require?: { groupDescription?: boolean | string; ruleDescription?: boolean | string; tags?: string[] };
}

/** The kinds of policy; a policy has exactly one. */
export const POLICY_KINDS = ['allow', 'forbid', 'limits', 'require'] as const;

/** The keys each kind of policy takes. */
export const POLICY_KEYS: Record<string, string[]> = {
  allow: ['direction', 'protocols', 'ports', 'peers'],
  forbid: ['direction', 'protocols', 'ports', 'peers'],
  limits: ['direction', 'maxRulesPerGroup', 'maxGroupsPerResource', 'maxPortRangeWidth'],
  require: ['groupDescription', 'ruleDescription', 'tags'],
};

/** Rule ids of policies and plugin rules: a namespace and a name, both kebab-case (`acme/ssh-from-vpn`). Built-in ids have no slash. */
export const USER_RULE_ID_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$';

const selectorProps = {
  direction: { enum: ['ingress', 'egress'], description: 'ingress (default) or egress' },
  protocols: {
    type: 'array',
    minItems: 1,
    description: 'tcp, udp, icmp, icmpv6 or protocol numbers; omitted: any protocol (a rule for all protocols matches every protocol)',
    items: { anyOf: [{ enum: ['tcp', 'udp', 'icmp', 'icmpv6'] }, { type: 'integer', minimum: 0, maximum: 255 }] },
  },
  ports: {
    type: 'array',
    minItems: 1,
    description: 'Ports and ranges ("8000-8100"); omitted: any port. A rule matches when its ports overlap',
    items: { anyOf: [{ type: 'integer', minimum: 0, maximum: 65535 }, { type: 'string', pattern: '^\\d{1,5}-\\d{1,5}$' }] },
  },
};
const peerList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } };

/** JSON Schema of the `policies` key (part of the configuration schema). */
export const POLICIES_SCHEMA: Record<string, unknown> = {
  type: 'array',
  description: 'Policies without code: allow-lists, forbidden traffic, limits and required metadata, evaluated on the model of every input format',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'message'],
    properties: {
      id: { type: 'string', pattern: USER_RULE_ID_PATTERN, description: 'Rule id of the findings, e.g. acme/ssh-from-vpn' },
      message: { type: 'string', minLength: 1, description: 'What the policy demands; starts every finding' },
      severity: { enum: ['error', 'warning', 'note'], description: 'Severity of the findings (default error)' },
      url: { type: 'string', pattern: '^https?://', description: 'Documentation of the policy (SARIF helpUri)' },
      allow: {
        type: 'object',
        additionalProperties: false,
        required: ['peers'],
        description: 'Traffic matching direction, protocols and ports may only come from (go to) these peers',
        properties: { ...selectorProps, peers: { ...peerList, description: 'CIDR blocks, names of configured networks, prefix list ids (pl-...), group addresses or ids, or self' } },
      },
      forbid: {
        type: 'object',
        additionalProperties: false,
        required: ['peers'],
        description: 'Traffic matching direction, protocols and ports from (to) these peers is a finding',
        properties: {
          ...selectorProps,
          peers: {
            description: 'world (0.0.0.0/0, ::/0), public (any publicly routable range not in a configured network), any, or a list of CIDR blocks and network names',
            anyOf: [{ enum: ['world', 'public', 'any'] }, { ...peerList }],
          },
        },
      },
      limits: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          direction: { enum: ['ingress', 'egress'], description: 'Count and measure only rules of this direction (default both)' },
          maxRulesPerGroup: { type: 'integer', minimum: 0, description: 'Most rules one group may have (counted as AWS does: one per peer)' },
          maxGroupsPerResource: { type: 'integer', minimum: 0, description: 'Most security groups one resource may attach' },
          maxPortRangeWidth: { type: 'integer', minimum: 1, description: 'Most ports one rule may open (all protocols counts as 65536)' },
        },
      },
      require: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          groupDescription: { anyOf: [{ type: 'boolean' }, { type: 'string' }], description: 'true: every group has a description; a string: a regular expression it must match' },
          ruleDescription: { anyOf: [{ type: 'boolean' }, { type: 'string' }], description: 'true: every written rule has a description; a string: a regular expression it must match' },
          tags: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Tag keys every group must carry' },
        },
      },
    },
  },
};

/** A problem in a policy that the schema cannot express (exactly one kind, valid regular expressions and ports). */
export interface PolicyProblem {
  /** Path inside the policy: ['allow', 'ports', 0]. */
  segments: (string | number)[];
  text: string;
}

/** Checks what the schema cannot: exactly one kind, regular expressions that compile, port ranges in order. */
export function checkPolicy(policy: PolicyConfig): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const kinds = POLICY_KINDS.filter((k) => policy[k] !== undefined);
  if (kinds.length !== 1) {
    problems.push({ segments: [], text: `a policy has exactly one of ${POLICY_KINDS.join(', ')} (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
  }
  for (const key of ['groupDescription', 'ruleDescription'] as const) {
    const p = policy.require?.[key];
    if (typeof p !== 'string') continue;
    try {
      compileRe2(p);
    } catch (e) {
      if (!(e instanceof Re2SyntaxError)) throw e;
      problems.push({ segments: ['require', key], text: `not a valid regular expression (RE2 syntax): ${e.message}` });
    }
  }
  for (const kind of ['allow', 'forbid'] as const) {
    (policy[kind]?.ports ?? []).forEach((p, i) => {
      const r = portRangeOf(p);
      if (r === undefined) problems.push({ segments: [kind, 'ports', i], text: `"${String(p)}" is not a port range from-to with from <= to <= 65535` });
    });
  }
  return problems;
}

/** The rules of a configuration's policies. */
export function policyRules(policies: readonly PolicyConfig[]): Rule<object>[] {
  return policies.map((p) => policyRule(p));
}

/**
 * One policy as a rule: its id, message, severity and docs URL as metadata, its kind as the check. `from` is the plugin
 * whose preset brought the policy, if any.
 */
export function policyRule(policy: PolicyConfig, from?: { plugin: string; version: string }): Rule<object> {
  const kind = POLICY_KINDS.find((k) => policy[k] !== undefined) ?? 'require';
  return {
    meta: {
      id: policy.id,
      description: policy.message,
      defaultSeverity: policy.severity ?? 'error',
      tags: ['policy'],
      // A policy is written to be enforced: every preset runs it.
      recommended: true,
      ...(policy.url !== undefined ? { url: policy.url } : {}),
      origin: { kind: 'policy', ...from },
      options: {},
    },
    check: (ctx) => CHECKS[kind](policy, ctx),
  };
}

type Check = (policy: PolicyConfig, ctx: RuleContext<object>) => void;

const CHECKS: Record<(typeof POLICY_KINDS)[number], Check> = {
  allow(policy, ctx) {
    const allow = policy.allow;
    if (!allow) return;
    const selector = compileSelector(allow);
    const allowed = allow.peers.map((p) => peerMatcher(p, ctx.trustedNetworks));
    for (const { group, rule } of selectedRules(ctx.groups, selector)) {
      if (!rule.peer.known || rule.peer.value.kind === 'none') continue;
      const peer = rule.peer.value;
      // A VPC's range whose addresses are not known is allowed only when an entry names it: it cannot be shown to be
      // inside an allowed CIDR, and it is wider than any group or prefix list.
      if (allowed.some((m) => m(peer, rule))) continue;
      ctx.report({ target: { rule, group }, message: `${policy.message}: ${trafficSentence(group, rule, peerText(rule))}` });
    }
  },
  forbid(policy, ctx) {
    const forbid = policy.forbid;
    if (!forbid) return;
    const selector = compileSelector(forbid);
    const peers = forbid.peers;
    const listed = Array.isArray(peers) ? peers.flatMap((p) => cidrsOf(p, ctx.trustedNetworks)) : [];
    for (const { group, rule } of selectedRules(ctx.groups, selector)) {
      if (!rule.peer.known || rule.peer.value.kind === 'none') continue;
      const peer = rule.peer.value;
      let text: string | undefined;
      if (peers === 'any') text = peerText(rule);
      else if (peers === 'world' || peers === 'public') {
        const cls = classifyPeer(rule.peer, { trustedNetworks: ctx.trustedNetworks });
        const hit = peers === 'world' ? cls === 'world' : cls === 'world' || cls === 'near-world' || cls === 'public';
        if (hit) text = describeExposedPeer(peer, cls);
      } else if (peer.kind === 'cidr' && listed.some((c) => c.family === peer.family && (cidrContains(c, peer) || cidrContains(peer, c)))) {
        text = peerText(rule);
      }
      if (text !== undefined) ctx.report({ target: { rule, group }, message: `${policy.message}: ${trafficSentence(group, rule, text)}` });
    }
  },
  limits(policy, ctx) {
    const limits = policy.limits;
    if (!limits) return;
    const directions = limits.direction !== undefined ? [limits.direction] : (['ingress', 'egress'] as const);
    for (const group of ctx.groups) {
      if (group.kind === 'external') continue;
      const written = directions.flatMap((d) => group[d]).filter((r) => r.declaredAs !== 'implicit');
      if (limits.maxRulesPerGroup !== undefined) {
        const count = countRules(written);
        const n = count.ipv4 + count.ipv6;
        if (n > limits.maxRulesPerGroup) {
          const which = limits.direction !== undefined ? `${limits.direction} rules` : 'rules';
          ctx.report({ target: { group }, key: 'rules', message: `${policy.message}: security group ${group.address} has ${n} ${which}, more than the limit of ${limits.maxRulesPerGroup}` });
        }
      }
      if (limits.maxPortRangeWidth !== undefined) {
        for (const rule of written) {
          const width = portWidth(rule);
          if (width === undefined || width <= limits.maxPortRangeWidth) continue;
          ctx.report({
            target: { rule, group },
            key: 'width',
            message: `${policy.message}: ${trafficSentence(group, rule, peerText(rule))}, ${width} ports, more than the limit of ${limits.maxPortRangeWidth}`,
          });
        }
      }
    }
    if (limits.maxGroupsPerResource !== undefined) {
      for (const user of ctx.users) {
        if (user.groups.length <= limits.maxGroupsPerResource) continue;
        ctx.report({ target: { user }, key: 'groups', message: `${policy.message}: ${user.resource} attaches ${user.groups.length} security groups, more than the limit of ${limits.maxGroupsPerResource}` });
      }
    }
  },
  require(policy, ctx) {
    const req = policy.require;
    if (!req) return;
    // RE2: a description comes from the input, and a backtracking RegExp can take exponential time on one.
    const groupPattern = typeof req.groupDescription === 'string' ? compileRe2(req.groupDescription) : undefined;
    const rulePattern = typeof req.ruleDescription === 'string' ? compileRe2(req.ruleDescription) : undefined;
    for (const group of ctx.groups) {
      if (group.kind === 'external') continue;
      if (req.groupDescription !== undefined && req.groupDescription !== false && group.kind !== 'default') {
        const problem = describeMissing(group.description, groupPattern);
        if (problem !== undefined) ctx.report({ target: { group }, key: 'group-description', message: `${policy.message}: security group ${group.address} ${problem}` });
      }
      if (req.ruleDescription !== undefined && req.ruleDescription !== false) {
        const seen = new Set<string>();
        for (const rule of [...group.ingress, ...group.egress]) {
          if (rule.declaredAs === 'implicit' || seen.has(rule.entry)) continue;
          seen.add(rule.entry);
          const problem = describeMissing(rule.description, rulePattern);
          if (problem === undefined) continue;
          ctx.report({ target: { rule, group }, message: `${policy.message}: ${rule.direction} rule ${describeTraffic(rule)} of security group ${group.address} ${problem}` });
        }
      }
      if (req.tags !== undefined && group.tags?.known) {
        const have = new Set(group.tags.value.map((t) => t.key));
        const missing = req.tags.filter((t) => !have.has(t));
        if (missing.length > 0) {
          ctx.report({ target: { group }, key: 'tags', message: `${policy.message}: security group ${group.address} has no tag ${missing.map((t) => `"${t}"`).join(', ')}` });
        }
      }
    }
  },
};

/** "has no description", `description "x" does not match /re/`, or undefined when fine or not known. */
function describeMissing(value: SgRule['description'], pattern: RE2JS | undefined): string | undefined {
  if (!value.known) return undefined;
  const text = value.value;
  if (text === undefined || text.trim() === '') return 'has no description';
  if (pattern && !pattern.test(text)) return `has description ${JSON.stringify(text)}, which does not match /${pattern.pattern()}/`;
  return undefined;
}

function trafficSentence(group: SecurityGroup, rule: SgRule, peer: string): string {
  return openMessage(`security group ${group.address}`, describeTraffic(rule), rule.direction === 'ingress' ? 'from' : 'to', peer, conditionsOf(rule, group));
}

/** Ports a rule opens: its range width, 65536 for all protocols and other protocol numbers; undefined for ICMP or unknown. */
function portWidth(rule: SgRule): number | undefined {
  const t = knownTraffic(rule);
  if (!t || t.ports === null) return undefined;
  return t.ports.to - t.ports.from + 1;
}

interface CompiledSelector {
  direction: 'ingress' | 'egress';
  protocols?: Protocol[];
  ports?: PortRange[];
}

function compileSelector(s: TrafficSelector): CompiledSelector {
  const out: CompiledSelector = { direction: s.direction ?? 'ingress' };
  if (s.protocols) out.protocols = s.protocols.flatMap((p) => {
    const r = parseProtocol(p);
    return r.ok ? [r.protocol] : [];
  });
  if (s.ports) out.ports = s.ports.flatMap((p) => portRangeOf(p) ?? []);
  return out;
}

/** `22` or `"8000-8100"` as a range; undefined when malformed. */
export function portRangeOf(p: number | string): PortRange | undefined {
  if (typeof p === 'number') return Number.isInteger(p) && p >= 0 && p <= 65535 ? { from: p, to: p } : undefined;
  const m = /^(\d{1,5})-(\d{1,5})$/.exec(p);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = Number(m[2]);
  return from <= to && to <= 65535 ? { from, to } : undefined;
}

/** The rules of the groups that carry traffic the selector describes (protocol and ports known). */
function* selectedRules(groups: readonly SecurityGroup[], s: CompiledSelector): Generator<{ group: SecurityGroup; rule: SgRule }> {
  for (const group of groups) {
    for (const rule of s.direction === 'ingress' ? group.ingress : group.egress) {
      const t = knownTraffic(rule);
      if (!t) continue;
      if (s.protocols && !s.protocols.some((p) => protocolCarries(t.protocol, p))) continue;
      if (s.ports && (t.ports === null || !s.ports.some((r) => t.ports !== null && r.from <= t.ports.to && t.ports.from <= r.to))) continue;
      yield { group, rule };
    }
  }
}

/** True when a rule of protocol `rule` carries traffic of protocol `wanted`. */
function protocolCarries(rule: Protocol, wanted: Protocol): boolean {
  if (rule.kind === 'all') return true;
  if (rule.kind === 'number' || wanted.kind === 'number') return rule.kind === 'number' && wanted.kind === 'number' && rule.number === wanted.number;
  return rule.kind === wanted.kind;
}

type PeerMatcher = (peer: Peer, rule: SgRule) => boolean;

/** How one allow-list entry admits a peer: CIDR, configured network, prefix list, `self`, or a group. */
function peerMatcher(entry: string, networks: readonly TrustedNetwork[]): PeerMatcher {
  const named = peerMatcherOf(entry, networks);
  return (peer, rule) => (peer.kind === 'vpc-range' ? peer.ref === entry : named(peer, rule));
}

function peerMatcherOf(entry: string, networks: readonly TrustedNetwork[]): PeerMatcher {
  const cidrs = cidrsOf(entry, networks);
  if (cidrs.length > 0) return (peer) => peer.kind === 'cidr' && cidrs.some((c) => cidrContains(c, peer));
  if (entry === 'self') return (peer) => peer.kind === 'security-group' && peer.self;
  if (/^pl-/.test(entry)) return (peer) => peer.kind === 'prefix-list' && peer.id === entry;
  return (peer, rule) => peer.kind === 'security-group' && (peer.ref === entry || (peer.self && rule.group === entry));
}

/** A CIDR entry, or the CIDRs of the configured network of that name; [] for anything else. */
function cidrsOf(entry: string, networks: readonly TrustedNetwork[]): CidrPeer[] {
  if (/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(entry)) {
    const r = parseCidr(entry);
    return r.ok ? [r.peer] : [];
  }
  return networks.find((n) => n.name === entry)?.cidrs ?? [];
}

