// What the long fuzz run of issue #18 found (100,000 inputs), and what was found while re-checking it.
//
// Bounded reports: a value the input writes is quoted in a message at
// most 100 characters long, and every message and name a report carries is cut to a fixed length, so one input of a
// few hundred kilobytes cannot make a report of hundreds of megabytes. Before, a 100 kB heredoc given as `from_port`
// of a resource with 1,000 instances made a 140 MB JSON report (880 MB RSS), and the fuzzer's worker (1 GB heap, all
// formats) died with SIGABRT inside JSON.stringify. Inputs are generated here and run through the built CLI as a child
// process under a wall-clock bound and a 256 MB V8 heap bound.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundText, MAX_MESSAGE_LENGTH, MAX_NAME_LENGTH } from '../src/engine/bounds';
import { quoteInput } from '../src/model/quote';
import type { ChildRun } from './helpers/built-cli';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';

interface JsonReport {
  findings: { ruleId: string; message: string; resource: string; securityGroup: string | null; line: number }[];
  errors: { message: string }[];
}

const SCRATCH = mkdtempSync(join(tmpdir(), 'sg-lint-report-'));
beforeAll(() => ensureBuilt(), 200_000);
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

function folder(name: string, content: string): string {
  const dir = mkdtempSync(join(SCRATCH, 'case-'));
  writeFileSync(join(dir, name), content);
  return dir;
}

function run(args: string[], cwd: string, maxMs = 30_000): ChildRun {
  const r = runBuiltCli(args, { cwd, timeoutMs: maxMs, heapMb: 256 });
  expect(r.signal).toBeNull();
  expect(r.ms).toBeLessThan(maxMs);
  expect(r.stderr).not.toMatch(/internal error|please report this|heap out of memory|^\s+at .+:\d+:\d+\)?$/m);
  return r;
}

/** A heredoc of `lines` lines of "line" (5 characters each with its newline). */
function heredoc(lines: number): string {
  return `<<EOT\n${'line\n'.repeat(lines)}EOT`;
}

/** One security group with 1,000 instances whose ingress rule sets `field` to a 100,000-character heredoc. */
function instancesWithHugeValue(field: 'from_port' | 'protocol'): string {
  const values = { from_port: '22', to_port: '22', protocol: '"tcp"' };
  values[field] = heredoc(20_000);
  return `resource "aws_security_group" "big" {
  for_each = toset([for i in range(1000) : tostring(i)])
  ingress {
    from_port   = ${values.from_port}
    to_port     = ${values.to_port}
    protocol    = ${values.protocol}
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
}

describe('a value quoted in a message is at most 100 characters of it', () => {
  it('quotes short values whole and long ones by their start and length', () => {
    expect(quoteInput('tcpp')).toBe('"tcpp"');
    expect(quoteInput('a\nb', { json: true })).toBe('"a\\nb"');
    expect(quoteInput('x'.repeat(100))).toBe(`"${'x'.repeat(100)}"`);
    expect(quoteInput('x'.repeat(100_000))).toBe(`"${'x'.repeat(100)}…" (100000 characters)`);
    // Never half of a surrogate pair.
    expect(quoteInput(`${'x'.repeat(99)}😀${'y'.repeat(10)}`)).toBe(`"${'x'.repeat(99)}…" (111 characters)`);
  });

  it('cuts a message once, to at most the bound, and says how long it was', () => {
    const cut = boundText('m'.repeat(10_000), MAX_MESSAGE_LENGTH);
    expect(cut.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(cut.endsWith('… (cut: 10000 characters)')).toBe(true);
    expect(boundText(cut, MAX_MESSAGE_LENGTH)).toBe(cut);
    expect(boundText('short', MAX_MESSAGE_LENGTH)).toBe('short');
  });
});

describe('reports stay small when an input repeats a huge value in many findings', () => {
  it('a 100 kB from_port in 1,000 instances: 1,000 findings, each quoting 100 characters of it (fuzz input 72942)', () => {
    const dir = folder('main.tf', instancesWithHugeValue('from_port'));
    const r = run(['-f', 'json', 'main.tf'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const invalid = report.findings.filter((f) => f.ruleId === 'invalid-port-range');
    expect(invalid).toHaveLength(1000);
    expect(invalid[0]?.message).toBe(
      `The tcp ingress rule of security group aws_security_group.big["0"] has an invalid port range: port must be a whole number, got "${'line\\n'.repeat(20)}…" (100000 characters)`,
    );
    expect(r.stdout.length).toBeLessThan(2_000_000);
  }, 60_000);

  it('a 100 kB protocol in 1,000 instances, in the text report too', () => {
    const dir = folder('main.tf', instancesWithHugeValue('protocol'));
    const r = run(['main.tf'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('has an invalid IP protocol: unknown protocol "line\\nline\\n');
    expect(r.stdout).toContain('…" (100000 characters)');
    expect(r.stdout.length).toBeLessThan(3_000_000);
  }, 60_000);

  // Fuzz run 5, input 20740: the notice for a standalone rule whose type is neither ingress nor egress quoted the
  // whole value, once per instance: 1,000 notices of 200 kB, 947 MB in the fuzz worker.
  it('a 100 kB type of 1,000 standalone rules: the notice quotes 100 characters of it', () => {
    const dir = folder('main.tf', `resource "aws_security_group_rule" "r" {\n  count             = 1000\n  type              = ${heredoc(20_000)}\n  security_group_id = "sg-0123456789abcdef0"\n  from_port         = 22\n  to_port           = 22\n  protocol          = "tcp"\n  cidr_blocks       = ["0.0.0.0/0"]\n}\n`);
    const r = run(['--verbose', 'main.tf'], dir);
    const notices = r.stdout.split('\n').filter((l) => /: notice: aws_security_group_rule\.r\[\d+\]: rule type/.test(l));
    expect(notices).toHaveLength(1000);
    expect(notices[0]).toBe(`main.tf:1:1: notice: aws_security_group_rule.r[0]: rule type "${'line\\n'.repeat(20)}…" (100000 characters) is not ingress or egress (AWS rejects it)`);
    expect(r.stdout.length).toBeLessThan(3_000_000);
  }, 60_000);

  it('instance keys of 100 kB: names and messages are cut, the findings are all there', () => {
    const tf = `locals {
  big = ${heredoc(20_000)}
}
resource "aws_security_group" "k" {
  for_each = toset([for i in range(100) : "\${i}\${local.big}"])
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
    const dir = folder('main.tf', tf);
    const r = run(['-f', 'json', 'main.tf'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const ssh = report.findings.filter((f) => f.ruleId === 'open-admin-port');
    expect(ssh).toHaveLength(100);
    for (const f of ssh) {
      expect(f.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(f.message).toMatch(/… \(cut: \d+ characters\)$/);
      expect(f.resource.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(f.resource.startsWith('aws_security_group.k["')).toBe(true);
    }
    // 100 distinct instances keep 100 distinct fingerprints (computed before the names are cut).
    expect(new Set(report.findings.map((f) => (f as unknown as { fingerprint: string }).fingerprint)).size).toBe(report.findings.length);
    expect(r.stdout.length).toBeLessThan(2_000_000);
  }, 60_000);
});

describe('the expansion budget leaves rules to lint', () => {
  it('instances and dynamic blocks that use up the budget still leave the first rules linted (before: none, exit 0)', () => {
    // 1,000 instances x 51 generated ingress blocks: evaluation takes 1,000 + 51 per instance and runs out in the
    // 961st instance (at its 41st block). Every rule expanded must be linted: SSH (port 22) is open to the world in
    // each of the 961 instances expanded far enough.
    const tf = `resource "aws_security_group" "g" {
  for_each = toset([for i in range(1000) : tostring(i)])
  dynamic "ingress" {
    for_each = range(1, 52)
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`;
    const dir = folder('main.tf', tf);
    const r = run(['-f', 'json', 'main.tf'], dir, 90_000);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport & { notices: { message: string; line: number; column: number }[] };
    expect(report.findings.filter((f) => f.ruleId === 'open-admin-port')).toHaveLength(961);
    expect(report.findings.find((f) => f.ruleId === 'open-admin-port')?.message).toBe(
      'Security group aws_security_group.g["0"] allows SSH (tcp/22) from the whole internet (0.0.0.0/0)',
    );
    expect(report.notices).toEqual([
      {
        file: 'main.tf',
        line: 3,
        column: 3,
        message: 'expansion stopped at dynamic "ingress": this input expands into more than 50000 items (count, for_each, dynamic blocks, Fn::If branches, AllowedValues); only the first 50000 are linted',
      },
    ]);
  }, 120_000);
});
