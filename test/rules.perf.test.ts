// Scale: the rules that compare the rules of a group with each other finish on a group of 20,000 rules and still
// find exactly what they should. No timing is asserted; each test's Jest timeout is the bound (see `settle`).
import { invalidValue } from '../src/model/types';
import duplicateRule from '../src/rules/duplicate-rule';
import invalidCidr from '../src/rules/invalid-cidr';
import shadowedRule from '../src/rules/shadowed-rule';
import type { RuleReport } from '../src/engine/types';
import type { SecurityGroup, SgRule } from '../src/model/types';
import { group, rule, run } from './model/build';

/** Generous for a near-linear pass over 20,000 rules; the pairwise versions took minutes. */
const TIMEOUT_MS = 5000;

/**
 * Lets an expired Jest timeout fire. A synchronous test never times out (Jest clears its timer in a microtask as soon
 * as the test returns), so each test awaits a timer turn after the work: a run slower than the timeout then fails.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function ip(prefix: string, i: number): string {
  return `${prefix}.${(i >> 8) & 255}.${i & 255}`;
}

/** What each part of the generated group contributes, so the expected counts read from the data. */
const SIZES = {
  narrowInsideWide: 5000, // tcp/443 from 10.1.x.y/32, inside the one tcp/443 rule from 10.0.0.0/8
  singlePorts: 5000, // tcp/20000-24999 one port each from 192.168.0.0/16; the first 1000 inside one tcp/20000-20999 rule
  portsInsideRange: 1000,
  duplicated: 2000, // tcp/8080 from 172.16.x.y/32, each written twice
  hostBits: 3000, // tcp/9000 from 10.k.x.9/24
  invalid: 1000, // peers that are not CIDR blocks
  egressInsideAll: 1997, // egress tcp/443 to 203.0.x.y/32, inside the allow-all egress
};

function generated(): SecurityGroup {
  const rules: SgRule[] = [rule({ from: 443, to: 443, peer: '10.0.0.0/8' })];
  for (let i = 0; i < SIZES.narrowInsideWide; i++) rules.push(rule({ from: 443, to: 443, peer: `${ip('10.1', i)}/32` }));
  rules.push(rule({ from: 20000, to: 20000 + SIZES.portsInsideRange - 1, peer: '192.168.0.0/16' }));
  for (let i = 0; i < SIZES.singlePorts; i++) rules.push(rule({ from: 20000 + i, to: 20000 + i, peer: '192.168.0.0/16' }));
  for (let i = 0; i < SIZES.duplicated; i++) {
    rules.push(rule({ from: 8080, to: 8080, peer: `${ip('172.16', i)}/32` }));
    rules.push(rule({ from: 8080, to: 8080, peer: `${ip('172.16', i)}/32` }));
  }
  for (let i = 0; i < SIZES.hostBits; i++) rules.push(rule({ from: 9000, to: 9000, peer: `10.${2 + (i >> 8)}.${i & 255}.9/24` }));
  for (let i = 0; i < SIZES.invalid; i++) {
    rules.push({ ...rule({ from: 22, to: 22 }), peer: invalidValue(`"office-${i}" is not a CIDR block`) });
  }
  rules.push(rule({ proto: '-1', peer: '0.0.0.0/0', direction: 'egress' }));
  for (let i = 0; i < SIZES.egressInsideAll; i++) rules.push(rule({ from: 443, to: 443, peer: `${ip('203.0', i)}/32`, direction: 'egress' }));
  return group('Big', rules);
}

function countBy(reports: readonly RuleReport[], f: (r: RuleReport) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reports) out[f(r)] = (out[f(r)] ?? 0) + 1;
  return out;
}

describe('rules that compare rules, on one group of 20,000 rules', () => {
  let big: SecurityGroup;
  beforeAll(() => {
    big = generated();
  });

  it('the generated group has 20,000 rules', () => {
    expect(big.ingress.length + big.egress.length).toBe(20000);
  });

  it(
    'duplicate-rule reports each second copy once',
    async () => {
      const reports = run(duplicateRule, [big]);
      await settle();
      expect(reports).toHaveLength(SIZES.duplicated);
      expect(new Set(reports.map((r) => r.key)).size).toBe(SIZES.duplicated);
      expect(reports[0]?.message).toBe(
        `Security group Big has the ingress rule tcp/8080 from 172.16.0.0/32 twice (first at line ${lineOf(big, '172.16.0.0/32')}): CloudFormation creates the rule once and ignores the copy, so the stack drifts and removing either copy later deletes the rule`,
      );
    },
    TIMEOUT_MS,
  );

  it(
    'shadowed-rule reports the narrow rules inside a wider one, per direction',
    async () => {
      const reports = run(shadowedRule, [big]);
      await settle();
      const coveredBy = countBy(reports, (r) => /is covered by (.*) \(at/.exec(r.message)?.[1] ?? r.message);
      expect(coveredBy).toEqual({
        'tcp/443 from 10.0.0.0/8': SIZES.narrowInsideWide,
        'tcp/20000-20999 from 192.168.0.0/16': SIZES.portsInsideRange,
        'all protocols to 0.0.0.0/0': SIZES.egressInsideAll,
      });
    },
    TIMEOUT_MS,
  );

  it(
    'invalid-cidr reports every invalid peer and every CIDR with host bits',
    async () => {
      const reports = run(invalidCidr, [big]);
      await settle();
      expect(countBy(reports, (r) => r.severity ?? 'default')).toEqual({ default: SIZES.invalid, note: SIZES.hostBits });
      expect(reports[0]?.message).toBe('The ingress rule tcp/22 of security group Big has an invalid peer: "office-0" is not a CIDR block');
    },
    TIMEOUT_MS,
  );
});

function lineOf(g: SecurityGroup, cidr: string): number {
  const first = g.ingress.find((r) => r.peer.known && r.peer.value.kind === 'cidr' && r.peer.value.cidr === cidr);
  return first?.location.line ?? -1;
}
