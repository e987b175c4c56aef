// One problem, one finding (issue #14): overlapping exposure rules fold into the most specific one, defined once in
// rules/kit/overlap.ts. Covers every pair of overlapping rules, suppressions by a folded id, and whole repositories.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createResolver, evaluate, lint } from '../src/engine/lint';
import { foldKey } from '../src/engine/fold';
import type { ObservedFinding } from '../src/engine/suppressions';
import { parseTargets } from '../src/parsers';
import { discover } from '../src/parsers/discover';
import type { RuleSettings } from '../src/engine/run';
import type { Finding } from '../src/engine/types';
import { RULES } from '../src/rules';
import { runCli } from './helpers/cli';
import { EXPOSURE_PRECEDENCE } from '../src/rules/kit/overlap';

const ROOT = join(__dirname, '..');

/** A database group whose one entry opens every TCP port to the whole internet: every exposure rule fires on it. */
const WIDE_OPEN_DB = (suppress?: string): string =>
  [
    'Resources:',
    '  DbSg:',
    '    Type: AWS::EC2::SecurityGroup',
    ...(suppress ? ['    Metadata:', `      sg-lint: { suppress: [ { rule: ${suppress}, reason: accepted for the test } ] }`] : []),
    '    Properties:',
    '      GroupDescription: Database',
    '      VpcId: vpc-0123456789abcdef0',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: 0.0.0.0/0, Description: everything }',
    '  Database:',
    '    Type: AWS::RDS::DBInstance',
    '    Properties:',
    '      Engine: postgres',
    '      DBInstanceClass: db.t3.micro',
    '      VPCSecurityGroups: [!Ref DbSg]',
    '',
  ].join('\n');

/** Options that let every exposure rule see an all-ports rule (open-sensitive-port leaves it to open-all-ports by default). */
const OPTIONS: Record<string, Record<string, unknown>> = { 'open-sensitive-port': { leaveAllPortsToOpenAllPorts: false } };

function only(ids: readonly string[]): RuleSettings {
  const rules: RuleSettings = {};
  for (const r of RULES) rules[r.meta.id] = ids.includes(r.meta.id) ? { options: OPTIONS[r.meta.id] ?? {} } : 'off';
  return rules;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-fold-'));
  writeFileSync(join(dir, 'db.yaml'), WIDE_OPEN_DB());
  writeFileSync(join(dir, 'suppressed.yaml'), WIDE_OPEN_DB('open-admin-port'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The line of the one ingress entry in a fixture written by WIDE_OPEN_DB. */
const entryLine = (text: string): number => text.split('\n').findIndex((l) => l.includes('IpProtocol')) + 1;

const findingsOn = async (file: string, ids: readonly string[], suppress?: string): Promise<Finding[]> =>
  (await lint([file], { cwd: dir, config: false, preset: 'all', rules: only(ids) })).findings.filter((f) => f.line === entryLine(WIDE_OPEN_DB(suppress)));
const run = (file: string, ids: readonly string[]): Promise<Finding[]> => findingsOn(file, ids);

describe('overlap precedence', () => {
  it('names only rules that exist, each once', () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of EXPOSURE_PRECEDENCE) expect(ids).toContain(id);
    expect(new Set(EXPOSURE_PRECEDENCE).size).toBe(EXPOSURE_PRECEDENCE.length);
  });

  it.each(EXPOSURE_PRECEDENCE.map((id) => [id]))('%s fires on the wide-open entry by itself', async (id) => {
    const findings = await run('db.yaml', [id]);
    expect(findings.map((f) => f.ruleId)).toEqual([id]);
    expect(findings[0]?.foldedRuleIds).toBeUndefined();
  });

  const pairs = EXPOSURE_PRECEDENCE.flatMap((a, i) => EXPOSURE_PRECEDENCE.slice(i + 1).map((b) => [a, b] as const));
  it.each(pairs)('%s and %s on one entry: one finding, by the first', async (first, second) => {
    const findings = await run('db.yaml', [second, first]);
    expect(findings.map((f) => [f.ruleId, f.foldedRuleIds])).toEqual([[first, [second]]]);
    // On the value to change: the CIDR (the ports for wide-port-range).
    if (RULES.find((r) => r.meta.id === first)?.meta.locate !== 'peer') return;
    const line = WIDE_OPEN_DB().split('\n')[entryLine(WIDE_OPEN_DB()) - 1] ?? '';
    expect(findings[0]?.column).toBe(line.indexOf('0.0.0.0/0') + 1);
  });

  it('all of them together: one finding that names what the others add', async () => {
    const findings = await run('db.yaml', EXPOSURE_PRECEDENCE);
    expect(findings).toHaveLength(1);
    const [f] = findings as [Finding];
    expect(f.ruleId).toBe('exposed-database-group');
    expect(f.severity).toBe('error');
    expect(f.foldedRuleIds).toEqual([...EXPOSURE_PRECEDENCE.slice(1)].sort());
    expect(f.message).toMatch(/, including SSH, RDP, \d+ database, cache and search services and \d+ other sensitive services$/);
  });

  it('a suppression naming a folded rule silences that rule only; the rest still fold', async () => {
    const all = await findingsOn('suppressed.yaml', EXPOSURE_PRECEDENCE, 'open-admin-port');
    const suppressed = all.filter((f) => f.suppression);
    const shown = all.filter((f) => !f.suppression);
    expect(suppressed.map((f) => f.ruleId)).toEqual(['open-admin-port']);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.foldedRuleIds).not.toContain('open-admin-port');
    expect(shown[0]?.message).not.toContain('SSH');
  });

  it('the JSON and SARIF reports describe the folded rules too, so filters by any of their ids find their metadata', async () => {
    const json = await runCli(['db.yaml', '--preset', 'all', '-f', 'json'], dir);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; foldedRuleIds?: string[] }[]; rules: { id: string }[] };
    const kept = report.findings.find((f) => f.ruleId === 'exposed-database-group');
    expect(kept?.foldedRuleIds).toContain('open-admin-port');
    for (const id of kept?.foldedRuleIds ?? []) expect(report.rules.map((r) => r.id)).toContain(id);
    const sarif = JSON.parse((await runCli(['db.yaml', '--preset', 'all', '-f', 'sarif'], dir)).stdout) as {
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; properties?: { foldedRuleIds?: string[] } }[] }[];
    };
    const result = sarif.runs[0]?.results.find((r) => r.ruleId === 'exposed-database-group');
    for (const id of result?.properties?.foldedRuleIds ?? []) expect(sarif.runs[0]?.tool.driver.rules.map((r) => r.id)).toContain(id);
  });

  it('--disable of the kept rule leaves the next one to speak', async () => {
    const findings = await run('db.yaml', EXPOSURE_PRECEDENCE.slice(1));
    expect(findings.map((f) => f.ruleId)).toEqual(['open-all-ports']);
  });
});

describe('one finding per problem over examples/ and the fixtures', () => {
  it('no two unsuppressed exposure findings are about one rule entry', async () => {
    const resolver = createResolver({ preset: 'all' }, ROOT);
    const found = await discover(['examples', 'fixtures/rules', 'fixtures/cross-format'], { cwd: ROOT });
    const parsed = await parseTargets(found.targets, { cwd: ROOT });
    let kept: readonly ObservedFinding[] = [];
    evaluate(parsed.inputs, resolver, new Date('2026-01-01'), (k) => (kept = k));
    const exposure = new Set<string>(EXPOSURE_PRECEDENCE);
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const o of kept) {
      if (o.finding.suppression || !exposure.has(o.finding.ruleId)) continue;
      const key = foldKey(o);
      if (key === undefined) continue;
      const other = seen.get(key);
      if (other !== undefined && other !== o.finding.ruleId) clashes.push(`${o.finding.file}:${o.finding.line} ${other} and ${o.finding.ruleId}`);
      seen.set(key, o.finding.ruleId);
    }
    expect(kept.length).toBeGreaterThan(100);
    expect(clashes).toEqual([]);
  }, 120_000);
});

describe('rules fire only where the thing exists', () => {
  let here: string;
  beforeAll(() => {
    here = mkdtempSync(join(tmpdir(), 'sg-lint-exists-'));
    writeFileSync(
      join(here, 'main.tf'),
      [
        'variable "enabled" {',
        '  default = false',
        '}',
        'resource "aws_security_group" "g" {',
        '  name        = "g"',
        '  description = "g"',
        '}',
        '# count = 0: the rule does not exist, so it has no missing peer to report.',
        'resource "aws_security_group_rule" "nopeer" {',
        '  count             = 0',
        '  type              = "ingress"',
        '  from_port         = 22',
        '  to_port           = 22',
        '  protocol          = "tcp"',
        '  security_group_id = aws_security_group.g.id',
        '}',
        '# count is 0 with the variable default: no SSH from the internet.',
        'resource "aws_security_group_rule" "cond" {',
        '  count             = var.enabled ? 1 : 0',
        '  type              = "ingress"',
        '  from_port         = 22',
        '  to_port           = 22',
        '  protocol          = "tcp"',
        '  cidr_blocks       = ["0.0.0.0/0"]',
        '  security_group_id = aws_security_group.g.id',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(here, 'stack.yaml'),
      [
        'Conditions:',
        "  IsProd: !Equals [!Ref 'AWS::StackName', prod]",
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Condition: IsProd',
        '    Properties:',
        '      GroupDescription: x',
        '      SecurityGroupIngress:',
        '        # The group exists only when IsProd is true, so the 0.0.0.0/0 branch never applies.',
        '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [IsProd, 10.0.0.0/8, 0.0.0.0/0] }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(here, { recursive: true, force: true }));

  it('no rule-without-peer for a rule whose count is 0, no finding for a count that is 0 by default', async () => {
    const result = await lint(['main.tf'], { cwd: here, config: false, preset: 'all' });
    expect(result.findings.filter((f) => f.ruleId === 'rule-without-peer' || f.ruleId === 'open-admin-port')).toEqual([]);
  });

  it('no finding for a variant the resource condition excludes', async () => {
    const result = await lint(['stack.yaml'], { cwd: here, config: false, preset: 'all' });
    expect(result.findings.filter((f) => f.ruleId === 'open-admin-port' || f.message.includes('0.0.0.0/0) when condition IsProd is false'))).toEqual([]);
  });
});
