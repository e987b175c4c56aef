// Unit tests of the catalog-wide rules on hand-built models: exact messages, severities, keys and near misses.
import { invalidValue } from '../src/model/types';
import { hasHostBits } from '../src/rules/invalid-cidr';
import { DEFAULT_SENSITIVE_PORTS } from '../src/rules/open-sensitive-port';
import { findDuplicates } from '../src/rules/duplicate-rule';
import { findShadowed, shadowedByIndex, shadowedByScan } from '../src/rules/shadowed-rule';
import databaseUnrestrictedEgress from '../src/rules/database-unrestricted-egress';
import defaultGroupAllowsTraffic from '../src/rules/default-group-allows-traffic';
import duplicateRule from '../src/rules/duplicate-rule';
import exposedDatabaseGroup from '../src/rules/exposed-database-group';
import invalidCidr from '../src/rules/invalid-cidr';
import invalidPortRange from '../src/rules/invalid-port-range';
import missingDescription from '../src/rules/missing-description';
import mixedRuleStyles from '../src/rules/mixed-rule-styles';
import openAllPorts from '../src/rules/open-all-ports';
import openSensitivePort from '../src/rules/open-sensitive-port';
import ruleWithoutPeer from '../src/rules/rule-without-peer';
import shadowedRule from '../src/rules/shadowed-rule';
import tooManyGroupsPerResource, { largestRuleCount } from '../src/rules/too-many-groups-per-resource';
import unknownPeer from '../src/rules/unknown-peer';
import unrestrictedEgress from '../src/rules/unrestricted-egress';
import unusedSecurityGroup from '../src/rules/unused-security-group';
import widePortRange from '../src/rules/wide-port-range';
import worldIngressUnexpectedPort from '../src/rules/world-ingress-unexpected-port';
import type { Attachment, CidrPeer, GroupUser, Peer, SecurityGroup, SgRule } from '../src/model/types';
import { LOC, cidr, group, known, rule, run } from './model/build';
import type { RuleSpec } from './model/build';
import type { Rule, RuleReport } from '../src/rules/api';
import { countRules } from '../src/rules/kit/quota';
import { ContainmentIndex, hasSameRuleKey, ruleContains, sameRule, sameRuleKey, sameRulePlace } from '../src/rules/kit/containment';
import { peerText } from '../src/rules/kit/peers';
import { describeTraffic } from '../src/rules/kit/traffic';
import { canCoexist, existsWhenever } from '../src/rules/kit/variants';
import { rng } from './helpers/rng';

const DB: Attachment = { resource: 'Db', type: 'AWS::RDS::DBInstance', category: 'database', location: LOC };
const LB: Attachment = { resource: 'Lb', type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', category: 'load-balancer', location: LOC };

function attached(g: SecurityGroup, ...attachments: Attachment[]): SecurityGroup {
  return { ...g, attachments };
}

function messages(reports: RuleReport[]): string[] {
  return reports.map((r) => r.message);
}

function cidrPeer(text: string): CidrPeer {
  const p = cidr(text);
  if (p.kind !== 'cidr') throw new Error('not a CIDR');
  return p;
}

function unknownPorts(r: SgRule, reason: string): SgRule {
  return { ...r, ports: { known: false, reason } };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function runWithUsers(r: Rule<any>, groups: SecurityGroup[], users: GroupUser[], options: Record<string, unknown> = {}): RuleReport[] {
  const defaults = Object.fromEntries(Object.entries(r.meta.options).map(([k, v]) => [k, (v as { default: unknown }).default]));
  const reports: RuleReport[] = [];
  r.check({ options: { ...defaults, ...options }, file: 't.yaml', format: 'cloudformation-yaml', groups, users, trustedNetworks: [], report: (x) => reports.push(x) });
  return reports;
}

describe('open-sensitive-port', () => {
  it('leaves SSH, RDP, HTTP(S) and database ports to the other rules by default', () => {
    expect(DEFAULT_SENSITIVE_PORTS).toContain('tcp/6443');
    expect(DEFAULT_SENSITIVE_PORTS).toContain('udp/123');
    for (const spec of ['tcp/22', 'tcp/3389', 'tcp/80', 'tcp/443', 'tcp/3306', 'tcp/6379', 'tcp/9200']) {
      expect(DEFAULT_SENSITIVE_PORTS).not.toContain(spec);
    }
  });

  it('grades by category and names the service, in catalog order', () => {
    const g = group('ClusterSg', [
      rule({ from: 6443, to: 6443 }),
      rule({ proto: 'udp', from: 123, to: 123, peer: '::/0' }),
      rule({ from: 22, to: 22 }),
      rule({ from: 10250, to: 10250, peer: '10.0.0.0/8' }),
    ]);
    const reports = run(openSensitivePort, [g]);
    expect(reports.map((r) => [r.severity, r.key, r.message])).toEqual([
      ['warning', 'udp/123', 'Security group ClusterSg allows NTP (udp/123) from the whole internet (::/0)'],
      ['error', 'tcp/6443', 'Security group ClusterSg allows Kubernetes API (tcp/6443) from the whole internet (0.0.0.0/0)'],
    ]);
  });

  it('treats a public /8 as the internet, a /9 only when nearWorldPrefix allows it', () => {
    const g = group('Sg', [rule({ from: 23, to: 23, peer: '8.0.0.0/8' }), rule({ from: 23, to: 23, peer: '52.0.0.0/9' })]);
    expect(messages(run(openSensitivePort, [g]))).toEqual(['Security group Sg allows Telnet (tcp/23) from the very wide public range 8.0.0.0/8']);
    expect(run(openSensitivePort, [g], { nearWorldPrefix: 9 })).toHaveLength(2);
  });

  it('leaves every-port rules to open-all-ports unless told otherwise', () => {
    const g = group('Sg', [rule({ proto: '-1' }), rule({ from: 0, to: 65535, peer: '::/0' })]);
    expect(run(openSensitivePort, [g])).toEqual([]);
    expect(run(openSensitivePort, [g], { leaveAllPortsToOpenAllPorts: false, ports: ['tcp/6443'] }).map((r) => r.message)).toEqual([
      'Security group Sg allows Kubernetes API (all protocols) from the whole internet (0.0.0.0/0)',
      'Security group Sg allows Kubernetes API (range 0-65535 includes tcp/6443) from the whole internet (::/0)',
    ]);
  });

  it('says "can be opened" under a condition', () => {
    const g = group('Sg', [rule({ from: 2181, to: 2181, assumptions: ['when condition Open is true'] })]);
    expect(messages(run(openSensitivePort, [g]))).toEqual([
      'Security group Sg: ZooKeeper (tcp/2181) can be opened to the whole internet (0.0.0.0/0) when condition Open is true',
    ]);
  });
});

describe('open-all-ports', () => {
  it('reports -1, other protocol numbers and 0-65535 from the internet, not ICMP or 1-65535', () => {
    const g = group('Sg', [
      rule({ proto: '-1' }),
      rule({ proto: 47 }),
      rule({ proto: 'udp', from: -1, to: -1, peer: '::/0' }),
      rule({ proto: 'tcp', from: 1, to: 65535 }),
      rule({ proto: 'icmp', from: -1, to: -1 }),
      rule({ proto: '-1', peer: '4.0.0.0/6' }),
    ]);
    expect(run(openAllPorts, [g]).map((r) => [r.severity, r.key, r.message])).toEqual([
      ['error', 'all', 'Security group Sg allows every port (all protocols) from the whole internet (0.0.0.0/0)'],
      ['error', 'protocol-47', 'Security group Sg allows every port (protocol 47) from the whole internet (0.0.0.0/0)'],
      ['error', 'udp/0-65535', 'Security group Sg allows every port (udp/0-65535) from the whole internet (::/0)'],
      ['warning', 'all', 'Security group Sg allows every port (all protocols) from the very wide public range 4.0.0.0/6'],
    ]);
  });

  it('reports halves that together cover IPv6 once on the group', () => {
    const g = group('Sg', [rule({ proto: '-1', peer: '::/1' }), rule({ proto: '-1', peer: '8000::/1' })]);
    const union = run(openAllPorts, [g], { nearWorldPrefix: 0 });
    expect(union.map((r) => [r.key, 'rule' in r.target, r.message])).toEqual([
      ['all ipv6-union', false, 'Security group Sg allows every port (all protocols) from the whole internet (IPv6: ::/1 + 8000::/1 together)'],
    ]);
  });
});

describe('wide-port-range', () => {
  it('reports public ranges wider than maxPorts, every port from the world included (the engine folds that into open-all-ports)', () => {
    const g = group('Sg', [
      rule({ proto: 'udp', from: 10000, to: 20000 }),
      rule({ from: 0, to: 65535 }),
      rule({ from: 0, to: 65535, peer: '52.94.10.0/24' }),
      rule({ from: 1, to: 1024 }),
      rule({ from: 1024, to: 65535, peer: '10.0.0.0/8' }),
    ]);
    expect(messages(run(widePortRange, [g]))).toEqual([
      'Security group Sg allows 10001 ports (udp/10000-20000) from the whole internet (0.0.0.0/0), more than the 1024 allowed',
      'Security group Sg allows 65536 ports (tcp/0-65535) from the whole internet (0.0.0.0/0), more than the 1024 allowed',
      'Security group Sg allows 65536 ports (tcp/0-65535) from the public range 52.94.10.0/24, more than the 1024 allowed',
    ]);
    expect(run(widePortRange, [g], { maxPorts: 1023 })).toHaveLength(4);
  });
});

describe('world-ingress-unexpected-port', () => {
  const rules = (): SgRule[] => [
    rule({ from: 443, to: 443 }),
    rule({ from: 80, to: 443 }),
    rule({ proto: 'icmp', from: 8, to: 0 }),
    rule({ from: 8080, to: 8080, peer: '52.94.10.0/24' }),
  ];

  it('reports world rules outside the allowed ports, ICMP and narrower sources excepted', () => {
    expect(run(worldIngressUnexpectedPort, [group('Sg', rules())]).map((r) => [r.key, r.message])).toEqual([
      ['tcp/80-443', 'Security group Sg allows tcp/80-443 (not in the allowed list) from the whole internet (0.0.0.0/0); only tcp/80, tcp/443 may face the internet'],
    ]);
    expect(run(worldIngressUnexpectedPort, [group('Sg', rules())], { allowedPorts: ['tcp/80-443'], ignoreIcmp: false }).map((r) => r.key)).toEqual(['icmp/8/0']);
  });

  it('skips groups attached only to load balancers unless told otherwise', () => {
    const g = attached(group('LbSg', [rule({ from: 8443, to: 8443 })]), LB);
    expect(run(worldIngressUnexpectedPort, [g])).toEqual([]);
    expect(run(worldIngressUnexpectedPort, [g], { ignoreLoadBalancers: false })).toHaveLength(1);
    expect(run(worldIngressUnexpectedPort, [attached(g, LB, DB)])).toHaveLength(1);
  });
});

describe('egress rules', () => {
  const implicit = (): SgRule => ({ ...rule({ proto: '-1', direction: 'egress' }), declaredAs: 'implicit' });

  it('unrestricted-egress explains the implicit default egress and can skip it', () => {
    const g = group('Sg', [implicit(), rule({ proto: 'tcp', from: 0, to: 65535, peer: '::/0', direction: 'egress' }), rule({ from: 443, to: 443, direction: 'egress' })]);
    expect(messages(run(unrestrictedEgress, [g]))).toEqual([
      "Security group Sg allows all protocols to the whole internet (0.0.0.0/0) (implicit: AWS's default allow-all egress, kept while no egress rule is written for the group)",
      'Security group Sg allows every port (tcp/0-65535) to the whole internet (::/0)',
    ]);
    expect(run(unrestrictedEgress, [g], { includeImplicit: false })).toHaveLength(1);
  });

  it('database-unrestricted-egress fires only on data-store groups', () => {
    const egress = [rule({ proto: '-1', direction: 'egress', assumptions: ['when condition Debug is true'] })];
    expect(run(databaseUnrestrictedEgress, [group('AppSg', egress)])).toEqual([]);
    const reports = run(databaseUnrestrictedEgress, [attached(group('DbSg', egress), DB)]);
    expect(reports.map((r) => [r.severity, r.message])).toEqual([
      [undefined, 'Security group DbSg (guarding database Db (AWS::RDS::DBInstance)): all protocols can be opened to the whole internet (0.0.0.0/0) when condition Debug is true'],
    ]);
    expect(databaseUnrestrictedEgress.meta.defaultSeverity).toBe('warning');
  });
});

describe('exposed-database-group', () => {
  const g = (): SecurityGroup =>
    attached(group('DbSg', [rule({ from: 443, to: 443 }), rule({ from: 5432, to: 5432, peer: '52.94.10.0/24' }), rule({ from: 5432, to: 5432, peer: '10.0.0.0/16' })]), DB);

  it('reports any public ingress on a group that guards a database', () => {
    expect(messages(run(exposedDatabaseGroup, [g()]))).toEqual([
      'Security group DbSg (guarding database Db (AWS::RDS::DBInstance)) allows tcp/443 from the whole internet (0.0.0.0/0)',
      'Security group DbSg (guarding database Db (AWS::RDS::DBInstance)) allows tcp/5432 from the public range 52.94.10.0/24',
    ]);
    expect(run(exposedDatabaseGroup, [g()], { reportPublic: false })).toHaveLength(1);
    expect(run(exposedDatabaseGroup, [{ ...g(), attachments: [LB] }])).toEqual([]);
  });
});

describe('missing-description', () => {
  it('reports empty and placeholder descriptions once per entry, skipping implicit rules and default groups', () => {
    const twoCidrs = [rule({ from: 22, to: 22, peer: '10.0.0.0/8', entry: 'tf' }), rule({ from: 22, to: 22, peer: '10.1.0.0/16', entry: 'tf' })];
    const described = { ...rule({ from: 443, to: 443 }), description: known('HTTPS') };
    const implicit: SgRule = { ...rule({ proto: '-1', direction: 'egress' }), declaredAs: 'implicit' };
    const g = { ...group('Sg', [...twoCidrs, described, implicit]), description: known('managed by terraform') };
    const dflt: SecurityGroup = { ...group('Default', []), kind: 'default', description: known(undefined) };
    expect(run(missingDescription, [g, dflt]).map((r) => [r.key, r.message])).toEqual([
      ['group', 'Security group Sg has only the placeholder description "Managed by Terraform"'],
      ['rule', 'Ingress rule tcp/22 from 10.0.0.0/8 of security group Sg has no description'],
    ]);
    expect(run(missingDescription, [g], { groups: false, rules: false })).toEqual([]);
  });
});

describe('duplicate-rule and shadowed-rule', () => {
  it('sees through spellings: tcp is 6, ports may be strings, host bits are cleared', () => {
    const a = rule({ from: 443, to: 443, peer: '10.0.0.0/8', line: 10 });
    const b = rule({ proto: '6', from: '443', to: '443', peer: '10.1.2.3/8' });
    expect(sameRule(a, b)).toBe(true);
    expect(findDuplicates([a, b])).toEqual([{ rule: b, original: a }]);
    expect(messages(run(duplicateRule, [group('Sg', [a, b])]))).toEqual([
      'Security group Sg has the ingress rule tcp/443 from 10.0.0.0/8 (written 10.1.2.3/8) twice (first at line 10): CloudFormation creates the rule once and ignores the copy, so the stack drifts and removing either copy later deletes the rule',
    ]);
  });

  it('never compares alternative branches of one entry or contradicting conditions', () => {
    const t = rule({ from: 22, to: 22, entry: 'x', assumptions: ['when condition P is true'] });
    const f = rule({ from: 22, to: 22, entry: 'x', assumptions: ['when condition P is false'] });
    const other = rule({ from: 22, to: 22, entry: 'y', assumptions: ['when condition P is false'] });
    expect(findDuplicates([t, f])).toEqual([]);
    expect(findDuplicates([t, other])).toEqual([]);
    expect(findDuplicates([f, other])).toHaveLength(1);
  });

  it('counts the implicit default egress as an existing rule', () => {
    const implicit: SgRule = { ...rule({ proto: '-1', direction: 'egress' }), declaredAs: 'implicit' };
    const extra = rule({ proto: 'all', direction: 'egress' });
    expect(messages(run(duplicateRule, [group('Sg', [implicit, extra])]))).toEqual([
      "Security group Sg has the egress rule all protocols to 0.0.0.0/0 twice (the first is AWS's implicit default egress): AWS rejects the deployment with InvalidPermission.Duplicate",
    ]);
  });

  it('finds rules inside wider ones, but not under a condition the wide rule lacks', () => {
    const wide = rule({ from: 8000, to: 9000, peer: '10.0.0.0/8', line: 3 });
    const inside = rule({ from: 8080, to: 8080, peer: '10.20.0.0/16' });
    const overlap = rule({ from: 7000, to: 8500, peer: '10.0.0.0/8' });
    const condWide = rule({ proto: '-1', peer: '10.0.0.0/8', assumptions: ['when condition P is true'] });
    const v6 = rule({ from: 8080, to: 8080, peer: '::/0' });
    expect(findShadowed([wide, inside, overlap])).toEqual([{ rule: inside, by: wide }]);
    expect(findShadowed([condWide, v6, rule({ from: 22, to: 22, peer: '10.1.0.0/16' })])).toEqual([]);
    expect(messages(run(shadowedRule, [group('Sg', [wide, inside])]))).toEqual([
      'Security group Sg: the ingress rule tcp/8080 from 10.20.0.0/16 is covered by tcp/8000-9000 from 10.0.0.0/8 (at line 3) and has no effect',
    ]);
  });

  it('compares ICMP by type and code, and -1 contains every protocol', () => {
    const any = rule({ proto: 'icmp', from: 3, to: -1, peer: '10.0.0.0/8' });
    const one = rule({ proto: 'icmp', from: 3, to: 4, peer: '10.0.0.0/8' });
    const echo = rule({ proto: 'icmp', from: 8, to: 0, peer: '10.0.0.0/8' });
    expect(ruleContains(any, one)).toBe(true);
    expect(ruleContains(any, echo)).toBe(false);
    expect(ruleContains(rule({ proto: '-1', peer: '10.0.0.0/8' }), echo)).toBe(true);
    expect(describeTraffic(one)).toBe('icmp type 3 code 4');
  });
});

/** The pairwise definitions the indexed `findDuplicates` and `findShadowed` must agree with. */
function pairwiseDuplicates(rules: readonly SgRule[]): { rule: SgRule; original: SgRule }[] {
  return rules.flatMap((r, i) => {
    const original = rules.slice(0, i).find((a) => sameRule(a, r) && canCoexist(a, r));
    return original ? [{ rule: r, original }] : [];
  });
}

function pairwiseShadowed(rules: readonly SgRule[]): { rule: SgRule; by: SgRule }[] {
  return rules.flatMap((r) => {
    const by = rules.find((a) => a !== r && ruleContains(a, r) && !sameRule(a, r) && canCoexist(a, r) && existsWhenever(a, r));
    return by ? [{ rule: r, by }] : [];
  });
}

/** Integers in [0, n) from the shared seeded generator, so a failure reproduces. */
function random(seed: number): (n: number) => number {
  const next = rng(seed);
  return (n) => Math.floor(next() * n);
}

const OTHER_GROUP: Peer = { kind: 'security-group', ref: 'Other', inModel: true, self: false };
const PEERS: (string | Peer)[] = [
  '0.0.0.0/0', '10.0.0.0/8', '10.1.2.3/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '10.2.0.0/16', '1.2.3.4/0',
  '::/0', '2001:db8::/32', '2001:db8:1::/48', 'unknown', OTHER_GROUP, { ...OTHER_GROUP, ownerId: '123456789012' },
  { kind: 'prefix-list', id: 'pl-1' }, { kind: 'none' },
];
const PORTS: [number, number][] = [[22, 22], [0, 65535], [20, 30], [25, 25], [1000, 2000], [1500, 1500], [1500, 3000]];
const ICMP: [number, number][] = [[-1, -1], [3, -1], [3, 4], [8, 0], [-1, 5]];
const ASSUMPTIONS: string[][] = [[], [], ['when condition A is true'], ['when condition A is false'], ['when condition B is true'], ['via parameter X default']];

/** How `randomRules` draws: how many rules, tcp/udp port ranges, peers. */
interface Draw {
  count: number;
  ports: () => [number, number];
  peers: readonly (string | Peer)[];
}

/** A random group's worth of rules drawn from small pools, so that duplicates and nesting are frequent. */
function randomRules(pick: (n: number) => number, draw: Partial<Draw> = {}): SgRule[] {
  const { count = 2 + pick(40), ports = (): [number, number] => PORTS[pick(PORTS.length)] as [number, number], peers = PEERS } = draw;
  return Array.from({ length: count }, () => {
    const proto = ['tcp', 'udp', '-1', 'icmp', 'icmpv6', '50'][pick(6)] as string;
    const [from, to] = proto.startsWith('icmp') ? (ICMP[pick(ICMP.length)] as [number, number]) : ports();
    const spec: RuleSpec = {
      proto,
      from,
      to,
      peer: peers[pick(peers.length)] as string | Peer,
      direction: pick(4) === 0 ? 'egress' : 'ingress',
      assumptions: ASSUMPTIONS[pick(ASSUMPTIONS.length)] as string[],
    };
    if (pick(2) === 0) spec.entry = `shared-${pick(4)}`;
    return rule(spec);
  });
}

describe('findDuplicates and findShadowed agree with the pairwise definitions', () => {
  it('findShadowed answers the same by scan (short lists) and through the index (long lists), on 2,000 random groups', () => {
    const pick = random(20261206);
    let shadowed = 0;
    for (let i = 0; i < 2000; i++) {
      const rules = randomRules(pick, { count: 2 + pick(i % 2 === 0 ? 7 : 20) });
      const scanned = shadowedByScan(rules);
      expect(scanned).toEqual(shadowedByIndex(rules));
      expect(scanned).toEqual(pairwiseShadowed(rules));
      shadowed += scanned.length;
    }
    // Not vacuous: about 1,900 shadowed rules with this seed.
    expect(shadowed).toBeGreaterThan(1000);
  });

  it('findDuplicates answers the same by pairs (lists of up to 8) as by key, on 2,000 random groups', () => {
    const pick = random(20261207);
    let duplicates = 0;
    let pairs = 0;
    for (let i = 0; i < 2000; i++) {
      // Few peers and ports, so that identical rules are frequent; 10.1.2.3/8 is 10.0.0.0/8 written with host bits.
      const peers = ['10.0.0.0/8', '10.1.2.3/8', '::/0', 'unknown', OTHER_GROUP, { ...OTHER_GROUP, ownerId: '123456789012' }, { kind: 'prefix-list', id: 'pl-1' } as Peer, { kind: 'none' } as Peer];
      const rules = randomRules(pick, { count: 2 + pick(7), peers, ports: () => (pick(2) === 0 ? [22, 22] : [0, 65535]) });
      const found = findDuplicates(rules);
      expect(found).toEqual(pairwiseDuplicates(rules));
      duplicates += found.length;
      // sameRulePlace holds exactly when both rules have the same sameRuleKey.
      for (const a of rules) {
        expect(hasSameRuleKey(a)).toBe(sameRuleKey(a) !== undefined);
        for (const b of rules) {
          const ka = sameRuleKey(a);
          expect(sameRulePlace(a, b)).toBe(ka !== undefined && ka === sameRuleKey(b));
          pairs++;
        }
      }
    }
    // Not vacuous: 142 duplicates with this seed (protocols, directions and conditions vary too).
    expect(duplicates).toBeGreaterThan(100);
    expect(pairs).toBeGreaterThan(20000);
  });

  it('on 500 random groups', () => {
    const pick = random(20240601);
    let duplicates = 0;
    let shadowed = 0;
    for (let i = 0; i < 500; i++) {
      const rules = randomRules(pick);
      const d = findDuplicates(rules);
      const s = findShadowed(rules);
      expect(d).toEqual(pairwiseDuplicates(rules));
      expect(s).toEqual(pairwiseShadowed(rules));
      duplicates += d.length;
      shadowed += s.length;
    }
    // The pools are small enough that both relations occur often: the comparison is not vacuous.
    expect(duplicates).toBeGreaterThan(300);
    expect(shadowed).toBeGreaterThan(2000);
  });

  it('on 50 random groups of 300 rules with many port ranges per peer (searched through the tree)', () => {
    const pick = random(99);
    const ports = (): [number, number] => {
      const from = pick(200);
      return [from, from + pick(pick(2) === 0 ? 3 : 60)];
    };
    let shadowed = 0;
    for (let i = 0; i < 50; i++) {
      const rules = randomRules(pick, { count: 300, ports, peers: ['10.0.0.0/8', '10.1.0.0/16', OTHER_GROUP] });
      const s = findShadowed(rules);
      expect(s).toEqual(pairwiseShadowed(rules));
      expect(findDuplicates(rules)).toEqual(pairwiseDuplicates(rules));
      shadowed += s.length;
    }
    expect(shadowed).toBeGreaterThan(10000);
  });

  it('sameRuleKey is equal exactly when sameRule holds', () => {
    const pick = random(7);
    const wrong: string[] = [];
    let same = 0;
    for (let i = 0; i < 100; i++) {
      const rules = randomRules(pick);
      for (const a of rules) {
        for (const b of rules) {
          const keyed = sameRuleKey(a) !== undefined && sameRuleKey(a) === sameRuleKey(b);
          if (keyed !== sameRule(a, b)) wrong.push(`${describeTraffic(a)} ${peerText(a)} / ${describeTraffic(b)} ${peerText(b)}`);
          if (a !== b && keyed) same++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(same).toBeGreaterThan(100);
  });

  it('the index finds rules through every kind of containment', () => {
    const wideAll = rule({ proto: '-1', peer: '10.0.0.0/8' });
    const anyIcmp = rule({ proto: 'icmp', from: -1, to: -1, peer: '10.1.0.0/16' });
    const type3 = rule({ proto: 'icmp', from: 3, to: -1, peer: '10.1.2.0/24' });
    const code4 = rule({ proto: 'icmp', from: 3, to: 4, peer: '10.1.2.0/24' });
    const group = rule({ from: 0, to: 65535, peer: OTHER_GROUP });
    const groupPort = rule({ from: 22, to: 22, peer: OTHER_GROUP });
    const foreignGroup = rule({ from: 22, to: 22, peer: { ...OTHER_GROUP, ownerId: '123456789012' } });
    const index = new ContainmentIndex([wideAll, anyIcmp, type3, code4, group, groupPort, foreignGroup]);
    const containers = (r: SgRule): SgRule[] => index.containing(r).flat();
    expect(new Set(containers(code4))).toEqual(new Set([wideAll, anyIcmp, type3]));
    expect(containers(wideAll)).toEqual([]);
    expect(containers(groupPort)).toEqual([group]);
    expect(containers(foreignGroup)).toEqual([]);
    expect(containers(rule({ from: 22, to: 22, peer: 'unknown' }))).toEqual([]);
  });
});

describe('broken rules', () => {
  it('rule-without-peer names the missing side', () => {
    const r = rule({ from: 443, to: 443, peer: { kind: 'none' }, direction: 'egress' });
    expect(messages(run(ruleWithoutPeer, [group('Sg', [r])]))).toEqual([
      'The egress rule tcp/443 of security group Sg names no destination (no CIDR, security group or prefix list): it allows nothing',
    ]);
  });

  it('invalid-cidr reports invalid peers as errors and host bits as notes', () => {
    const bad = { ...rule({ from: 443, to: 443 }), peer: invalidValue('"office" is not a CIDR block') };
    const hostBits = rule({ from: 443, to: 443, peer: '2001:db8::1/32' });
    const imported = rule({ from: 443, to: 443, peer: 'unknown' });
    const reports = run(invalidCidr, [group('Sg', [bad, hostBits, imported])]);
    expect(reports.map((r) => [r.severity, r.message])).toEqual([
      [undefined, 'The ingress rule tcp/443 of security group Sg has an invalid peer: "office" is not a CIDR block'],
      ['note', 'The ingress rule tcp/443 of security group Sg is written 2001:db8::1/32, which has host bits set: AWS uses 2001:db8::/32 (prefix /32)'],
    ]);
    expect(run(invalidCidr, [group('Sg', [hostBits])], { reportHostBits: false })).toEqual([]);
    expect(hasHostBits(cidrPeer('10.0.0.0/8'))).toBe(false);
    expect(hasHostBits(cidrPeer('1.2.3.4/0'))).toBe(true);
  });

  it('invalid-port-range reports only invalid ports, not unknown ones', () => {
    const reversed = { ...rule(), ports: invalidValue('FromPort 8080 is greater than ToPort 80') };
    const fromParam = unknownPorts(rule(), 'parameter AppPort has no Default');
    expect(messages(run(invalidPortRange, [group('Sg', [reversed, fromParam])]))).toEqual([
      'The tcp ingress rule of security group Sg has an invalid port range: FromPort 8080 is greater than ToPort 80',
    ]);
  });

  it('unknown-peer says which value and why, and leaves invalid values alone', () => {
    const imported = rule({ from: 22, to: 22, peer: 'unknown', assumptions: ['when condition Vpn is true'] });
    const ports = unknownPorts(rule({ peer: '10.0.0.0/8' }), 'parameter AppPort has no Default');
    const invalid = { ...rule(), peer: invalidValue('bad') };
    expect(run(unknownPeer, [group('Sg', [imported, ports, invalid])]).map((r) => [r.key, r.message])).toEqual([
      ['peer', 'The peer of the ingress rule tcp/22 of security group Sg is not known to sg-lint (Fn::ImportValue Shared) when condition Vpn is true: its exposure is not checked'],
      ['ports', 'The ports of the tcp ingress rule of security group Sg are not known to sg-lint (parameter AppPort has no Default): its exposure is not checked'],
    ]);
    expect(run(unknownPeer, [group('Sg', [ports])], { includePorts: false })).toEqual([]);
  });
});

describe('groups and resources', () => {
  const user = (resource: string, groups: string[]): GroupUser => ({ resource, type: 'AWS::EC2::Instance', groups: groups.map((g) => known(g)), location: LOC });

  it('unused-security-group counts attachments, users and (optionally) peer references, not self references', () => {
    const client = group('ClientSg', []);
    const self = group('SelfSg', [rule({ proto: '-1', peer: { kind: 'security-group', ref: 'SelfSg', inModel: true, self: true } })]);
    const service = group('ServiceSg', [rule({ from: 443, to: 443, peer: { kind: 'security-group', ref: 'ClientSg', inModel: true, self: false } })]);
    const reports = runWithUsers(unusedSecurityGroup, [client, self, service], [user('Instance', ['ServiceSg'])]);
    expect(messages(reports)).toEqual(['Security group SelfSg is not attached to any resource in this input and no other group refers to it']);
    expect(runWithUsers(unusedSecurityGroup, [client, self, service], [user('Instance', ['ServiceSg'])], { countPeerReferences: false })).toHaveLength(2);
  });

  it('mixed-rule-styles lists the separate rule resources', () => {
    const standalone: SgRule = { ...rule({ from: 22, to: 22 }), declaredAs: 'standalone', resource: 'aws_security_group_rule.ssh' };
    const g: SecurityGroup = { ...group('aws_security_group.app', [rule({ from: 443, to: 443 }), standalone]), mixedRuleStyles: true };
    expect(messages(run(mixedRuleStyles, [g, group('plain', [standalone])]))).toEqual([
      'Security group aws_security_group.app has inline rules and is also managed by separate rule resources (aws_security_group_rule.ssh): each apply removes what the other added (a perpetual diff)',
    ]);
  });

  it('default-group-allows-traffic fires on a default group with rules only', () => {
    const dflt = (rules: SgRule[]): SecurityGroup => ({ ...group('aws_default_security_group.default', rules), kind: 'default' });
    expect(run(defaultGroupAllowsTraffic, [dflt([])])).toEqual([]);
    expect(messages(run(defaultGroupAllowsTraffic, [dflt([rule({ proto: '-1' }), rule({ proto: '-1', direction: 'egress' })]), group('x', [rule()])]))).toEqual([
      'Default security group aws_default_security_group.default allows traffic (1 ingress rule, 1 egress rule): the default group of a VPC should have no rules, so resources that fall back to it get no access',
    ]);
  });

  it('default-group-allows-traffic reports rules added to Fn::GetAtt <Vpc>.DefaultSecurityGroup in CloudFormation', () => {
    const external: SecurityGroup = {
      ...group('Fn::GetAtt Vpc.DefaultSecurityGroup', [rule({ from: 22, to: 22, peer: '10.0.0.0/16' })]),
      kind: 'external',
      vpcDefault: true,
    };
    const other: SecurityGroup = { ...group('sg-0123', [rule()]), kind: 'external' };
    expect(run(defaultGroupAllowsTraffic, [external, other]).map((r) => ['rule' in r.target, r.message])).toEqual([
      [true, 'Rule tcp/22 from 10.0.0.0/16 is added to the default security group of a VPC (Fn::GetAtt Vpc.DefaultSecurityGroup): the default group should have no rules'],
    ]);
  });

  it('unused-security-group stays silent when a resource attaches groups sg-lint cannot resolve', () => {
    const unresolved: GroupUser = { resource: 'Instance', type: 'aws_instance', groups: [{ known: false, reason: 'var.secgroups' }], location: LOC };
    expect(runWithUsers(unusedSecurityGroup, [group('Lonely', [])], [unresolved])).toEqual([]);
    expect(runWithUsers(unusedSecurityGroup, [group('Lonely', [])], [])).toHaveLength(1);
  });

  it('largestRuleCount answers what its definition answers, on 1,000 random resources', () => {
    // The definition: every group the resource attaches, ingress then egress, IPv4 then IPv6; a larger count wins.
    const definition = (user: GroupUser, groups: ReadonlyMap<string, SecurityGroup>): { count: number; group: string; what: string } => {
      let best = { count: 0, group: '', what: '' };
      for (const ref of user.groups) {
        const g = ref.known ? groups.get(ref.value) : undefined;
        if (!g) continue;
        for (const direction of ['ingress', 'egress'] as const) {
          const c = countRules(direction === 'ingress' ? g.ingress : g.egress);
          for (const [family, n] of [['IPv4', c.ipv4], ['IPv6', c.ipv6]] as const) {
            if (n > best.count) best = { count: n, group: g.address, what: `${family} ${direction}` };
          }
        }
      }
      return best;
    };
    const pick = random(20261207);
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      const groups = new Map<string, SecurityGroup>();
      for (let g = 0; g < 1 + pick(4); g++) groups.set(`G${g}`, group(`G${g}`, randomRules(pick, { count: pick(12) })));
      const refs: GroupUser['groups'] = Array.from({ length: pick(5) }, () => (pick(6) === 0 ? { known: false, reason: 'var.sg' } : known(`G${pick(5)}`)));
      const resource: GroupUser = { resource: 'R', type: 'AWS::EC2::Instance', groups: refs, location: LOC };
      const answer = largestRuleCount(resource, groups);
      expect(answer).toEqual(definition(resource, groups));
      if (answer.count > 0) found++;
    }
    expect(found).toBeGreaterThan(300);
  });

  it('too-many-groups-per-resource checks the group quota and the rules x groups limit', () => {
    const six = user('Instance', ['a', 'b', 'c', 'd', 'e', 'f']);
    const big = group('Big', Array.from({ length: 201 }, (_, i) => rule({ from: i + 1, to: i + 1, peer: '10.0.0.0/8' })));
    const reports = runWithUsers(tooManyGroupsPerResource, [big], [six, user('Eni', ['Big', 'x', 'y', 'z', 'w'])]);
    expect(reports.map((r) => [r.key, r.message])).toEqual([
      ['groups', 'Instance (AWS::EC2::Instance) attaches 6 security groups, more than the 5 allowed per network interface: the deployment fails unless the quota is raised'],
      ['rules-x-groups', "Eni (AWS::EC2::Instance) attaches 5 security groups and Big has 201 IPv4 ingress rules: 201 x 5 = 1005 exceeds AWS's limit of 1000 rules per group x groups per network interface"],
    ]);
    expect(runWithUsers(tooManyGroupsPerResource, [big], [six], { maxGroups: 6 })).toEqual([]);
  });
});
