// Bounded work for every input (issue #18): expansion bombs, evaluation blow-ups, prototype names, multi-document
// YAML, terminal injection. Each input is generated here (nothing large is committed) and run through the built CLI as
// a child process under a wall-clock bound and a V8 heap bound; each checks the exact outcome users rely on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChildRun } from './helpers/built-cli';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';

export const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

export interface JsonReport {
  findings: { ruleId: string; file: string; line: number; column: number; message: string; resource: string }[];
  errors: { file: string; message: string; line: number | null; column: number | null }[];
}

const SCRATCH = mkdtempSync(join(tmpdir(), 'sg-lint-bounds-'));
beforeAll(() => ensureBuilt(), 200_000);
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

/** Writes `files` (path -> content) into a fresh folder and returns it. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(SCRATCH, 'case-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Runs the built CLI and checks it ended by itself, in time, without a stack trace or an internal error. */
function run(args: string[], cwd: string, maxMs = 15_000, heapMb = 256): ChildRun {
  const r = runBuiltCli(args, { cwd, timeoutMs: maxMs, heapMb });
  expect(r.signal).toBeNull();
  expect(r.ms).toBeLessThan(maxMs);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/internal error|please report this/);
  return r;
}

function noticeLines(args: string[], cwd: string, maxMs?: number): string[] {
  return run(['--verbose', ...args], cwd, maxMs).stdout.split('\n').filter((l) => l.includes(': notice: '));
}

const BUDGET_TAIL = 'this input expands into more than 50000 items (count, for_each, dynamic blocks, Fn::If branches, AllowedValues); only the first 50000 are linted';

/** A `terraform show -json` plan written one resource per line: resource `i` is at line `i + 2`, column 1. */
function planOf(resources: object[]): string {
  return `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n${resources.map((r) => JSON.stringify(r)).join(',\n')}\n]}}}\n`;
}

function planGroup(name: string, id: string): object {
  return { address: `aws_security_group.${name}`, mode: 'managed', type: 'aws_security_group', name, values: { name, description: 'x', ingress: [], egress: [], vpc_id: 'vpc-1', id } };
}

function planRule(i: number, groupId: string, port: number, cidrs: string[]): object {
  return {
    address: `aws_security_group_rule.r${i}`,
    mode: 'managed',
    type: 'aws_security_group_rule',
    name: `r${i}`,
    values: { type: 'ingress', protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: cidrs, security_group_id: groupId },
  };
}

describe('one expansion budget per input', () => {
  it('stops a plan whose standalone rules expand past the budget, with a located notice, and lints what was expanded', () => {
    // 60 rules x 1,000 CIDRs = 60,000 rules; the 51st rule (line 52) crosses the 50,000 budget.
    const cidrs = (i: number): string[] => Array.from({ length: 1000 }, (_, j) => `10.${i}.${j >> 2}.${(j & 3) * 64}/26`);
    const resources = [planGroup('g', 'sg-1'), ...Array.from({ length: 60 }, (_, i) => planRule(i, 'sg-1', 22, cidrs(i)))];
    // One rule opens SSH to the world before the budget runs out: it must still be found.
    (resources[1] as { values: { cidr_blocks: string[] } }).values.cidr_blocks[999] = '0.0.0.0/0';
    const dir = folder({ 'plan.json': planOf(resources) });
    const r = run(['--verbose', 'plan.json'], dir, 40_000);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(': error: ');
    expect(r.stdout).toMatch(/^ {2}3:\d+ +error +Security group aws_security_group\.g allows SSH \(tcp\/22\) from the whole internet .*open-admin-port$/m);
    expect(r.stdout).toContain(`plan.json:53:1: notice: expansion stopped at aws_security_group_rule.r50: ${BUDGET_TAIL}`);
  }, 90_000);

  it('keeps a legitimate 20,000-rule group whole and fast', () => {
    const resources = [planGroup('g', 'sg-1'), ...Array.from({ length: 20_000 }, (_, i) => planRule(i, 'sg-1', 1 + i, [`10.${i >> 8}.${i & 255}.0/24`]))];
    const dir = folder({ 'plan.json': planOf(resources) });
    const r = run(['--verbose', 'plan.json'], dir, 40_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Security group aws_security_group.g has 20000 IPv4 ingress rules');
    expect(r.stdout).not.toContain('expansion stopped');
  }, 90_000);

  it('stops CloudFormation AllowedValues x rule entries past the budget', () => {
    // 20 groups x 50 entries x 64 variants (a Default and 63 other AllowedValues) = 64,000 rules.
    const allowed = Array.from({ length: 64 }, (_, i) => `10.0.${i}.0/24`);
    const lines = [HEAD.trimEnd(), 'Parameters:', '  P:', '    Type: String', `    Default: ${allowed[0]}`, `    AllowedValues: [${allowed.join(', ')}]`, 'Resources:'];
    for (let g = 0; g < 20; g++) {
      lines.push(`  Sg${g}:`, '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: x', '      SecurityGroupIngress:');
      for (let e = 0; e < 50; e++) lines.push(`        - {IpProtocol: tcp, FromPort: ${e + 1}, ToPort: ${e + 1}, CidrIp: !Ref P}`);
    }
    const dir = folder({ 'many.yaml': `${lines.join('\n')}\n` });
    // Entry 781 (group 15, entry 31) crosses 50,000: 15 x 55 lines of earlier groups, 7 lines of head, 5 of the group.
    const line = 7 + 15 * 55 + 5 + 31 + 1;
    expect(noticeLines(['many.yaml'], dir, 30_000)).toContain(`many.yaml:${line}:11: notice: expansion stopped at rule entry Sg15/SecurityGroupIngress/31: ${BUDGET_TAIL}`);
  }, 60_000);
});
