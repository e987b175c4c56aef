// Small builders for hand-made models used by the model and rule unit tests.
import { parseCidr } from '../../src/model/cidr';
import { normalizePorts } from '../../src/model/ports';
import { parseProtocol } from '../../src/model/protocol';
import type { CidrPeer, Condition, Peer, SecurityGroup, SgRule, SourceLocation, Value } from '../../src/model/types';
import type { Rule, RuleReport, TrustedNetwork } from '../../src/engine/types';

export const LOC: SourceLocation = { file: 'test.yaml', line: 1, column: 1, endLine: 1, endColumn: 2 };

export function cidr(text: string): Peer {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error);
  return r.peer;
}

/** A trusted network from CIDR strings. */
export function trusted(name: string, ...cidrs: string[]): TrustedNetwork {
  return { name, cidrs: cidrs.map((c) => cidr(c) as CidrPeer) };
}

export function known<T>(value: T): Value<T> {
  return { known: true, value };
}

export const UNKNOWN = { known: false, reason: 'Fn::ImportValue Shared' } as const;

export interface RuleSpec {
  proto?: string | number;
  from?: unknown;
  to?: unknown;
  peer?: Peer | string | 'unknown';
  entry?: string;
  /** Conditions in message words ("when condition C is true", "via parameter P default"), typed by `fromText`. */
  assumptions?: string[];
  conditions?: Condition[];
  direction?: 'ingress' | 'egress';
  line?: number;
}

let counter = 0;

/** A rule from protocol/ports as written and a peer (a CIDR string, a Peer, or 'unknown'). */
export function rule(spec: RuleSpec = {}): SgRule {
  const p = parseProtocol(spec.proto ?? 'tcp');
  if (!p.ok) throw new Error(p.error);
  const ports = normalizePorts(p.protocol, spec.from, spec.to);
  if (!ports.ok) throw new Error(ports.error);
  const rawPeer = spec.peer ?? '0.0.0.0/0';
  const peer: Value<Peer> = rawPeer === 'unknown' ? UNKNOWN : known(typeof rawPeer === 'string' ? cidr(rawPeer) : rawPeer);
  counter += 1;
  return {
    direction: spec.direction ?? 'ingress',
    protocol: known(p.protocol),
    ports: known(ports.ports),
    ...(ports.icmp ? { icmp: ports.icmp } : {}),
    peer,
    description: known(undefined),
    declaredAs: 'inline',
    resource: 'Sg',
    group: 'Sg',
    entry: spec.entry ?? `e${counter}`,
    conditions: spec.conditions ?? (spec.assumptions ?? []).map(fromText),
    location: { ...LOC, line: spec.line ?? counter },
  };
}

/** A group named `address` with the given rules (direction taken from each rule). */
export function group(address: string, rules: SgRule[], assumptions: string[] = []): SecurityGroup {
  const conditions = assumptions.map(fromText);
  return {
    address,
    type: 'AWS::EC2::SecurityGroup',
    kind: 'standard',
    description: known('test'),
    ingress: rules.filter((r) => r.direction === 'ingress'),
    egress: rules.filter((r) => r.direction === 'egress'),
    implicitEgress: false,
    attachments: [],
    conditions,
    location: LOC,
  };
}

/** Runs one rule's check over groups with options merged over its defaults; returns what it reported. */
export function run(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rule: Rule<any>,
  groups: SecurityGroup[],
  options: Record<string, unknown> = {},
  trustedNetworks: TrustedNetwork[] = [],
): RuleReport[] {
  const defaults = Object.fromEntries(Object.entries(rule.meta.options).map(([k, v]) => [k, (v as { default: unknown }).default]));
  const reports: RuleReport[] = [];
  rule.check({
    options: { ...defaults, ...options },
    file: 'test.yaml',
    format: 'cloudformation-yaml',
    groups,
    users: [],
    trustedNetworks,
    report: (r) => reports.push(r),
  });
  return reports;
}


/**
 * The typed condition a message phrase stands for: "when condition C is true", "via parameter P default" (value "?"),
 * "when parameter P is V (AllowedValues)", "via variable v default". Lets unit tests write conditions as users read them.
 */
export function fromText(text: string): Condition {
  let m = /^when condition (\S+) is (true|false)$/.exec(text);
  if (m) return { kind: 'condition', name: m[1] as string, value: m[2] === 'true' };
  m = /^via parameter (\S+) default$/.exec(text);
  if (m) return { kind: 'parameter', name: m[1] as string, value: '?', source: 'default' };
  m = /^when parameter (\S+) is (\S+) \(AllowedValues\)$/.exec(text);
  if (m) return { kind: 'parameter', name: m[1] as string, value: m[2] as string, source: 'allowed-value' };
  m = /^via variable (\S+) default$/.exec(text);
  if (m) return { kind: 'variable', name: m[1] as string };
  throw new Error(`no typed condition for "${text}"`);
}
