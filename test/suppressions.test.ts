// Suppressions applied by the engine to hand-built models: scopes, peer ids, reasons, expiry, unused markers.
import { createResolver, evaluate } from '../src/engine/lint';
import { keyMatches, mapPeerId, peerIdTable } from '../src/engine/peer-ids';
import type { Finding } from '../src/engine/types';
import type { GroupUser, ParsedInput, SecurityGroup, Suppression, SuppressionScope } from '../src/model/types';
import { RULES } from '../src/rules';
import expiredSuppression from '../src/rules/expired-suppression';
import suppressionMissingReason from '../src/rules/suppression-missing-reason';
import unusedSuppression from '../src/rules/unused-suppression';
import { group, LOC, rule } from './model/build';
import { defineRule } from '../src/rules/api';
import type { Rule } from '../src/rules/api';

/** Reports every ingress rule keyed by its ports ("tcp/22"), and each group once. */
const portRule = defineRule({
  meta: { id: 'open-admin-port', description: 'Disallow test', defaultSeverity: 'error', tags: ['security'], recommended: true, options: {} },
  check(ctx) {
    for (const g of ctx.groups) {
      for (const r of g.ingress) {
        const ports = r.ports.known && r.ports.value ? `tcp/${r.ports.value.from}` : 'tcp/?';
        ctx.report({ target: { rule: r, group: g }, message: `${g.address} ${ports}`, key: ports });
      }
    }
  },
});
const groupRule = defineRule({
  meta: { id: 'missing-description', description: 'Require test', defaultSeverity: 'note', tags: [], recommended: true, options: {} },
  check(ctx) {
    for (const g of ctx.groups) ctx.report({ target: { group: g }, message: `${g.address} group` });
    for (const u of ctx.users) ctx.report({ target: { user: u }, message: `${u.resource} user` });
  },
});
const TEST_RULES: Rule<object>[] = [portRule, groupRule, unusedSuppression, suppressionMissingReason, expiredSuppression];
const NOW = new Date('2025-06-15T12:00:00Z');

function marker(rule: string, extra: Partial<Suppression> = {}, line = 90): Suppression {
  return { rule, reason: 'accepted by the network team', origin: 'sg-lint', location: { ...LOC, line }, ...extra };
}

function input(groups: SecurityGroup[], users: GroupUser[] = []): ParsedInput {
  return { file: 'test.yaml', format: 'cloudformation-yaml', groups, users, errors: [], notices: [] };
}

function run(inputs: ParsedInput[], now = NOW, rules: Rule<object>[] = TEST_RULES): Finding[] {
  return evaluate(inputs, createResolver({ config: false }, '/', rules), now);
}

/** "ruleId message [suppressed by origin: reason]" per finding. */
function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.message}${f.suppression ? ` [${f.suppression.kind} ${f.suppression.origin}: ${f.suppression.justification}]` : ''}`);
}

describe('resource-scoped suppressions', () => {
  it('a marker on a group covers the group and all of its rules, for the named rule only', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 }), rule({ from: 80, to: 80, line: 6 })]);
    g.suppressions = [marker('open-admin-port')];
    expect(summary(run([input([g])]))).toEqual([
      'missing-description WebSg group',
      'open-admin-port WebSg tcp/22 [inSource sg-lint: accepted by the network team]',
      'open-admin-port WebSg tcp/80 [inSource sg-lint: accepted by the network team]',
    ]);
  });

  it('a marker on a standalone rule (SgRule.suppressions) covers only that rule and its sibling variants', () => {
    const a = rule({ from: 22, to: 22, entry: 'SshRule', line: 5 });
    const b = rule({ from: 22, to: 22, entry: 'SshRule', peer: '::/0', line: 5 });
    const c = rule({ from: 80, to: 80, entry: 'HttpRule', line: 9 });
    a.suppressions = [marker('open-admin-port', { reason: 'bastion' })];
    const findings = run([input([group('WebSg', [a, b, c])])]).filter((f) => f.ruleId === 'open-admin-port');
    expect(findings.map((f) => [f.line, f.suppression?.justification])).toEqual([
      [5, 'bastion'],
      [5, 'bastion'],
      [9, undefined],
    ]);
  });

  it('a marker on a resource that uses groups covers that resource only', () => {
    const user: GroupUser = { resource: 'Db', type: 'AWS::RDS::DBInstance', groups: [], location: { ...LOC, line: 30 } };
    user.suppressions = [marker('missing-description', { reason: 'legacy' })];
    const findings = run([input([group('WebSg', [])], [user])]);
    expect(summary(findings)).toEqual(['missing-description WebSg group', 'missing-description Db user [inSource sg-lint: legacy]']);
  });
});

describe('suppressions scoped to one rule entry', () => {
  function threeEntries(scope: SuppressionScope): SecurityGroup {
    const g = group('WebSg', [
      rule({ from: 22, to: 22, entry: 'WebSg/in/0', line: 5 }),
      rule({ from: 22, to: 22, entry: 'WebSg/in/1', peer: '198.51.100.7/32', line: 6 }),
      rule({ from: 3389, to: 3389, entry: 'WebSg/in/2', line: 7 }),
    ]);
    g.suppressions = [marker('open-admin-port', { scope })];
    return g;
  }
  const suppressedLines = (g: SecurityGroup): number[] =>
    run([input([g])])
      .filter((f) => f.ruleId === 'open-admin-port' && f.suppression)
      .map((f) => f.line);

  it('`ingress: 1` covers the second inline ingress entry', () => {
    expect(suppressedLines(threeEntries({ direction: 'ingress', index: 1 }))).toEqual([6]);
  });
  it('`cidr` covers rules whose peer is that block (canonical comparison)', () => {
    expect(suppressedLines(threeEntries({ cidr: '198.51.100.7/32' }))).toEqual([6]);
    expect(suppressedLines(threeEntries({ cidr: '0.0.0.0/0' }))).toEqual([5, 7]);
  });
  it('`key` covers findings about one port', () => {
    expect(suppressedLines(threeEntries({ key: 'tcp/3389' }))).toEqual([7]);
  });
  it('an entry scope never covers group-level findings', () => {
    const g = threeEntries({ direction: 'ingress', index: 0 });
    g.suppressions = [marker('missing-description', { scope: { direction: 'ingress', index: 0 } })];
    const findings = run([input([g])]);
    expect(findings.find((f) => f.ruleId === 'missing-description' && f.message === 'WebSg group')?.suppression).toBeUndefined();
    expect(summary(findings.filter((f) => f.ruleId === 'unused-suppression'))).toEqual([
      'unused-suppression Suppression of missing-description on WebSg (ingress entry 0) matches no finding',
    ]);
  });
});

describe('peer markers', () => {
  it('maps checkov CKV_AWS_24 to open-admin-port on tcp/22 only', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 }), rule({ from: 3389, to: 3389, line: 6 })]);
    g.suppressions = [marker('CKV_AWS_24', { origin: 'checkov', reason: 'bastion host' })];
    const findings = run([input([g])]).filter((f) => f.ruleId === 'open-admin-port');
    expect(findings.map((f) => [f.line, f.suppression?.origin])).toEqual([
      [5, 'checkov'],
      [6, undefined],
    ]);
  });

  it('ignores peer ids without an sg-lint equivalent, without reporting them', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 })]);
    g.suppressions = [marker('W9', { origin: 'cfn_nag', reason: undefined }), marker('CKV_AWS_24', { origin: 'checkov' }, 91)];
    const findings = run([input([g])]);
    expect(findings.filter((f) => f.ruleId.includes('suppression'))).toEqual([]);
  });

  it('has a table of mapped ids whose targets are sg-lint rules (or planned ones)', () => {
    expect(mapPeerId('cfn_nag', 'w2')).toEqual([{ rule: 'world-ingress-unexpected-port' }]);
    expect(mapPeerId('trivy', 'AVD-AWS-0107').map((t) => t.rule)).toEqual(['open-admin-port', 'open-admin-port', 'open-all-ports']);
    expect(mapPeerId('tfsec', 'aws-ec2-no-public-ingress-sgr')).toBe(mapPeerId('tfsec', 'AWS-0107'));
    expect(mapPeerId('checkov', 'CKV_AWS_999')).toEqual([]);
    expect(keyMatches({ rule: 'x', keys: ['tcp/22'] }, 'tcp/22 ipv4-union')).toBe(true);
    expect(keyMatches({ rule: 'x', keys: ['tcp/22'] }, 'tcp/2222')).toBe(false);
    const ids = new Set(RULES.map((r) => r.meta.id));
    const planned = ['world-ingress-unexpected-port', 'wide-port-range', 'missing-description', 'unrestricted-egress', 'open-all-ports',
      'unused-security-group', 'default-group-allows-traffic'];
    for (const { targets } of peerIdTable()) {
      for (const t of targets) expect(ids.has(t.rule) || planned.includes(t.rule)).toBe(true);
    }
  });
});

describe('suppression diagnostics', () => {
  it('a marker without a reason still suppresses and is reported as suppression-missing-reason', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 })]);
    g.suppressions = [marker('open-admin-port', { reason: '  ' }, 12)];
    const findings = run([input([g])]);
    expect(summary(findings)).toEqual([
      'missing-description WebSg group',
      'open-admin-port WebSg tcp/22 [inSource sg-lint: ]',
      'suppression-missing-reason Suppression of open-admin-port on WebSg has no reason',
    ]);
    const diag = findings.find((f) => f.ruleId === 'suppression-missing-reason');
    expect(diag).toMatchObject({ severity: 'error', line: 12, resource: 'WebSg', securityGroup: 'WebSg' });
  });

  it('an expired marker stops suppressing and says so; the clock decides', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 })]);
    g.suppressions = [marker('open-admin-port', { expires: '2025-06-14' })];
    expect(summary(run([input([g])]).filter((f) => f.ruleId !== 'missing-description'))).toEqual([
      'open-admin-port WebSg tcp/22',
      'expired-suppression Suppression of open-admin-port on WebSg expired on 2025-06-14 and no longer applies',
    ]);
    // On its expiry day it still applies.
    const sameDay = run([input([g])], new Date('2025-06-14T23:59:00Z')).filter((f) => f.ruleId !== 'missing-description');
    expect(summary(sameDay)).toEqual(['open-admin-port WebSg tcp/22 [inSource sg-lint: accepted by the network team]']);
  });

  it('an invalid expiry date never applies', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 })]);
    g.suppressions = [marker('open-admin-port', { expires: 'next year' })];
    expect(summary(run([input([g])]).filter((f) => f.ruleId === 'expired-suppression'))).toEqual([
      'expired-suppression Suppression of open-admin-port on WebSg has an invalid expires date "next year" (expected YYYY-MM-DD) and does not apply',
    ]);
  });

  it('reports sg-lint markers that match nothing, and names unknown rule ids', () => {
    const g = group('WebSg', [rule({ from: 80, to: 80, line: 5 })]);
    g.suppressions = [marker('open-admin-port', { scope: { key: 'tcp/22' } }, 20), marker('open-admin-prot', {}, 21)];
    const findings = run([input([g])]).filter((f) => f.ruleId === 'unused-suppression');
    expect(findings.map((f) => [f.line, f.severity, f.message])).toEqual([
      [20, 'warning', 'Suppression of open-admin-port on WebSg (tcp/22) matches no finding'],
      [21, 'warning', 'Suppression of open-admin-prot on WebSg names no sg-lint rule (did you mean open-admin-port?)'],
    ]);
  });

  it('does not call a marker unused when its rule is turned off, and honours turning the diagnostics off', () => {
    const g = group('WebSg', [rule({ from: 22, to: 22, line: 5 })]);
    g.suppressions = [marker('open-admin-port', { reason: undefined })];
    const resolver = createResolver({ config: false, rules: { 'open-admin-port': 'off', 'suppression-missing-reason': 'off' } }, '/', TEST_RULES);
    expect(evaluate([input([g])], resolver, NOW).map((f) => f.ruleId)).toEqual(['missing-description']);
  });

  it('gives diagnostics stable fingerprints independent of lines', () => {
    const make = (line: number): Finding[] => {
      const g = group('WebSg', []);
      g.suppressions = [marker('open-admin-port', {}, line)];
      return run([input([g])]).filter((f) => f.ruleId === 'unused-suppression');
    };
    expect(make(10)[0]?.fingerprint).toBe(make(40)[0]?.fingerprint);
  });
});

describe('suppressions at scale', () => {
  it("each finding of 2,000 groups is covered by its own entry or group marker, and never by another group's", () => {
    const N = 2000;
    const groups: SecurityGroup[] = [];
    for (let i = 0; i < N; i++) {
      const address = `Sg${i}`;
      const on = (r: ReturnType<typeof rule>): ReturnType<typeof rule> => ({ ...r, resource: address, group: address });
      const first = on(rule({ from: 22, to: 22, entry: `${address}/in/0`, line: 10 * i + 1 }));
      const second = on(rule({ from: 3389, to: 3389, entry: `${address}/in/1`, line: 10 * i + 2 }));
      // A second variant of the first entry: the entry's marker covers it too.
      const variant = on(rule({ from: 22, to: 22, entry: `${address}/in/0`, peer: '::/0', line: 10 * i + 1 }));
      if (i % 3 === 0) first.suppressions = [marker('open-admin-port', { reason: `entry ${i}` }, 10 * i + 3)];
      const g = group(address, [first, variant, second]);
      if (i % 2 === 0) g.suppressions = [marker('open-admin-port', { reason: `group ${i}` }, 10 * i + 4)];
      groups.push(g);
    }
    const findings = run([input(groups)]).filter((f) => f.ruleId === 'open-admin-port');
    expect(findings).toHaveLength(3 * N);
    const expected = (f: Finding): string | undefined => {
      const i = Number(f.resource.slice(2));
      if (f.message.endsWith('tcp/22') && i % 3 === 0) return `entry ${i}`;
      return i % 2 === 0 ? `group ${i}` : undefined;
    };
    const wrong = findings.filter((f) => f.suppression?.justification !== expected(f));
    expect(wrong).toEqual([]);
  });
});
