// Issue #18 for the Terraform evaluator: inputs of a few kilobytes that ask the evaluator for unbounded work (huge
// ranges, self-referring locals, strings doubled through join/format, deeply nested for expressions, a heredoc of
// 100,000 lines) end within a time and heap bound, with the value unknown and a located notice or reason, and the
// rest of the module still linted (the open SSH rule beside them is found). Each takes a few seconds of CPU; the
// wall-clock bound is generous because the test machine is shared.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';

/** A group with SSH open to the world (found in every case) and a rule whose peer is the hostile value. */
function module(hostile: string, peer: string): string {
  return `${hostile}
resource "aws_security_group" "web" {
  name        = "web"
  description = "web"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "hostile"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ${peer}
  }
}
`;
}

const doubling = (fn: (prev: string) => string): string =>
  `locals {\n  s0 = "0123456789"\n${Array.from({ length: 40 }, (_x, i) => `  s${i + 1} = ${fn(`local.s${i}`)}`).join('\n')}\n}`;

/** YAML whose aliases expand ten-fold per level: 10^9 items (HCL escapes for the newlines). */
const YAML_BOMB = ['a: &a [1,1,1,1,1,1,1,1,1,1]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`), `i: [${Array(10).fill('*h').join(',')}]`].join('\\n');

const CASES: { name: string; tf: string; expect: RegExp }[] = [
  { name: 'range() past 1024 values', tf: module('locals {\n  r = range(100000000)\n}', '[for i in local.r : "10.0.0.${i}/32"]'), expect: /more than 1024 values were generated/ },
  { name: 'for_each over a huge range', tf: module('', '["10.0.0.0/8"]').replace('name        = "web"', 'for_each    = toset([for i in range(0, 1000000000000) : tostring(i)])\n  name        = "web"'), expect: /Terraform rejects its for_each/ },
  { name: 'locals that refer to each other', tf: module('locals {\n  a = local.b\n  b = [local.a]\n}', 'local.a'), expect: /refers to itself/ },
  { name: 'a string doubled through join()', tf: module(doubling((p) => `join("", [${p}, ${p}])`), '[local.s40]'), expect: /longer than 1000000 characters/ },
  { name: 'a string doubled through format()', tf: module(doubling((p) => `format("%s%s", ${p}, ${p})`), '[local.s40]'), expect: /longer than 1000000 characters/ },
  { name: 'a string doubled through a template', tf: module(doubling((p) => `"\${${p}}\${${p}}"`), '[local.s40]'), expect: /longer than 1000000 characters/ },
  {
    name: 'for expressions nested eight deep',
    tf: module('locals {\n  n = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : [for d in range(1000) : [for e in range(1000) : [for f in range(1000) : [for g in range(1000) : [for h in range(1000) : h]]]]]]]]\n}', 'flatten(local.n)'),
    expect: /evaluation stopped after 500000 steps|more than 100000 elements/,
  },
  {
    name: 'regular expressions whose linear work adds up (RE2 work is charged to the step budget)',
    tf: module(`locals {\n  big = join("", [for i in range(1000) : "${'a'.repeat(50)}"])\n  n   = [for i in range(1000) : length(regexall("(.*a){20}", local.big))]\n}`, '[for n in local.n : "10.0.0.${n}/32"]'),
    expect: /evaluation stopped after 500000 steps/,
  },
  {
    // The yaml package throws on too many aliases; that is an error of the call (as go-yaml's in Terraform), not an
    // internal error that dropped the whole file (found by hand, December 2026).
    name: 'yamldecode of an alias bomb',
    tf: module(`locals {\n  y = yamldecode("${YAML_BOMB}")\n}`, 'local.y.i'),
    expect: /Excessive alias count/,
  },
  {
    name: 'yamldecode of a flow sequence nested 100,000 deep',
    tf: module(`locals {\n  y = yamldecode("${'['.repeat(100_000)}${']'.repeat(100_000)}")\n}`, 'local.y'),
    expect: /nested too deeply/,
  },
  {
    name: 'a heredoc of 100,000 lines',
    tf: module(`locals {\n  doc = <<EOT\n${Array.from({ length: 100_000 }, (_x, i) => `line ${i} \${${i}}`).join('\n')}\nEOT\n}`, '[substr(local.doc, 0, 9)]'),
    expect: /string longer than 1000000 characters/,
  },
];

/** Runs `fn` in a fresh temporary folder, removed afterwards. */
function inScratch(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lint-tf-bounds-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(() => ensureBuilt(), 120_000);

describe('the Terraform evaluator stays bounded', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    inScratch((dir) => {
      writeFileSync(join(dir, 'main.tf'), c.tf);
      const run = runBuiltCli(['--verbose', '--fail-on', 'none', '--format', 'json', 'main.tf'], { cwd: dir, timeoutMs: 60_000, heapMb: 512 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; line: number; message: string }[]; errors: unknown[]; notices?: { message: string }[] };
      expect(report.findings.filter((f) => f.ruleId === 'open-admin-port').length).toBeGreaterThanOrEqual(1);
      const text = runBuiltCli(['--verbose', '--fail-on', 'none', 'main.tf'], { cwd: dir, timeoutMs: 60_000, heapMb: 512 });
      expect(`${text.stdout}\n${report.findings.map((f) => f.message).join('\n')}`).toMatch(c.expect);
    });
  }, 150_000);
});

// Found by the 100,000-input fuzz run 2 (input 81320, docs/robustness.md): 1,000 instances that each evaluated the
// same 1,000-element attribute ran into the step bound, and the later instances' rules were unknown. The attribute
// does not read `each`, so it is evaluated once and every instance is linted.
describe('an attribute shared by 1,000 instances', () => {
  test('is evaluated once: all 1,000 groups are linted and no bound is hit', () => {
    inScratch((dir) => {
      writeFileSync(
        join(dir, 'main.tf'),
        `resource "aws_security_group" "g" {
  valueOf     = toset([for i in range(1000) : tostring(i)])
  for_each    = toset([for i in range(1000) : tostring(i)])
  name        = "g"
  description = "g"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
      );
      const run = runBuiltCli(['--verbose', '--format', 'json', 'main.tf'], { cwd: dir, timeoutMs: 60_000, heapMb: 512 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: string; line: number }[]; notices?: { message: string }[] };
      const open = report.findings.filter((f) => f.ruleId === 'open-admin-port');
      expect(open).toHaveLength(1000);
      expect(new Set(open.map((f) => f.resource)).size).toBe(1000);
      expect(open.find((f) => f.resource === 'aws_security_group.g["999"]')?.line).toBe(11);
      expect(report.findings.filter((f) => f.ruleId === 'unknown-peer')).toEqual([]);
      expect((report.notices ?? []).map((n) => n.message).filter((m) => /bounded|stopped after/.test(m))).toEqual([]);
    });
  }, 150_000);
});

// Terraform's regular expressions are RE2 (linear time). JavaScript's backtracking RegExp never finished this
// pattern over 40 characters; with RE2 the 41-character string does not match, so regexall gives an empty list and
// the rule opens SSH to the world, as Terraform would plan it.
describe('a regular expression that backtracks exponentially in JavaScript', () => {
  test('is matched in linear time and its value is used', () => {
    inScratch((dir) => {
      const text = `resource "aws_security_group" "g" {
  name        = "g"
  description = "g"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = length(regexall("^(a+)+$", "${'a'.repeat(40)}!")) == 0 ? ["0.0.0.0/0"] : ["10.0.0.0/8"]
  }
}
`;
      writeFileSync(join(dir, 'main.tf'), text);
      const run = runBuiltCli(['--format', 'json', 'main.tf'], { cwd: dir, timeoutMs: 30_000, heapMb: 256 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; line: number; column: number }[] };
      // Located at the value that opens it, the literal in the conditional's true branch.
      const column = (text.split('\n')[8] ?? '').indexOf('["0.0.0.0/0"]') + 2;
      expect(report.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => [f.line, f.column])).toEqual([[9, column]]);
    });
  }, 60_000);
});

// Once one runaway expression has spent the step budget, only what repeats work (for expressions, splats, function
// calls, template for directives) is refused. Before, every later value was unknown, so a group opening SSH to the
// world, written with literals below it, gave two unknown-peer notes and exit 0: a silent pass with a warning.
describe('a rule written plainly after the step budget is spent', () => {
  test('is still linted: open-admin-port, exit 1, and the bound is noticed where it was hit', () => {
    inScratch((dir) => {
      writeFileSync(
        join(dir, 'main.tf'),
        `locals {
  n = [for a in range(1000) : [for b in range(1000) : b]]
}
resource "aws_security_group" "a" {
  name        = "a"
  description = "holds \${length(flatten(local.n))} values"
}
resource "aws_security_group" "b" {
  name        = "b"
  description = "b"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
      );
      const run = runBuiltCli(['--format', 'json', 'main.tf'], { cwd: dir, timeoutMs: 60_000, heapMb: 512 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; resource: string; line: number }[]; notices?: { message: string; line: number }[] };
      expect(report.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => [f.resource, f.line])).toEqual([['aws_security_group.b', 15]]);
      expect((report.notices ?? []).filter((n) => /evaluation bounded/.test(n.message)).map((n) => n.line)).toEqual([2]);
    });
  }, 150_000);
});

/** Folders m0..m<depth>: each module calls the next `fanOut` times; the last holds a group opening SSH to the world. */
function moduleChain(dir: string, depth: number, fanOut: number): void {
  for (let i = 0; i <= depth; i++) {
    mkdirSync(join(dir, `m${i}`));
    const body =
      i < depth
        ? Array.from({ length: fanOut }, (_x, k) => `module "c${k}" {\n  source = "../m${i + 1}"\n}\n`).join('')
        : 'resource "aws_security_group" "g" {\n  name        = "g"\n  description = "g"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    writeFileSync(join(dir, `m${i}`, 'main.tf'), body);
  }
}

// Module calls without count or for_each multiply too: each module calling the next three times, eleven deep, is
// 177,147 instances of the last one. Before, nothing bounded that (14 deep: over 4 GB and no output in a minute);
// now each module instance takes a unit of the input's expansion budget.
describe('module calls that fan out', () => {
  test('stop at the expansion budget with its notice, and what was expanded is linted', () => {
    inScratch((dir) => {
      moduleChain(dir, 11, 3);
      const run = runBuiltCli(['--format', 'json', 'main.tf'], { cwd: join(dir, 'm0'), timeoutMs: 90_000, heapMb: 512 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string; line: number }[]; notices: { file: string; message: string }[] };
      const ssh = report.findings.filter((f) => f.ruleId === 'open-admin-port');
      expect(ssh.length).toBeGreaterThan(10_000);
      expect(ssh.length).toBeLessThanOrEqual(50_000);
      expect(new Set(ssh.map((f) => `${f.file}:${f.line}`))).toEqual(new Set(['../m11/main.tf:8']));
      expect(report.notices.map((n) => n.message)).toEqual([expect.stringMatching(/^expansion stopped at module module\.c\d(\.module\.c\d)+: this input expands into more than 50000 items/)]);
    });
  }, 150_000);

  test('nested deeper than 16 levels: one warning per module block that is not followed, shown without --verbose', () => {
    inScratch((dir) => {
      moduleChain(dir, 18, 1);
      const run = runBuiltCli(['main.tf'], { cwd: join(dir, 'm0'), timeoutMs: 60_000, heapMb: 256 });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n').filter((l) => /warning|notice/.test(l))).toEqual([
        '../m16/main.tf:1:1: warning: module c0 (../m17): modules nested deeper than 16 levels are not followed; the resources below this call are not linted',
      ]);
    });
  }, 90_000);
});
