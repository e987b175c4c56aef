// Hostile and broken input, end to end: each case is generated into a temp dir (nothing huge is committed) and run
// through the built CLI as a child process under a time bound and a heap bound. Each asserts the exact one-line
// messages, the exit code, and that the other inputs of the run are still linted.
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildRun } from './helpers/built-cli';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';
import { validateSarif } from './helpers/sarif';

/** A template whose group admits SSH from anywhere: one open-admin-port finding at line 8, column 11. */
const OPEN_SSH = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 22',
  '          ToPort: 22',
  '          CidrIp: 0.0.0.0/0',
  '',
].join('\n');

const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; column: number; message: string }[];
  errors: { file: string; message: string; line?: number; column?: number }[];
}

/** One hostile input: files to write, CLI arguments, and what must come out. */
interface Case {
  name: string;
  write: (dir: string) => void;
  args: string[];
  code: number;
  /** Exact input-error lines on stderr (`file:line:col: error: message`). */
  errors?: string[];
  /** Findings as `file:line:col rule-id`, exactly. */
  findings?: string[];
  /** Notice lines (`--verbose` text output) that must be present. */
  notices?: string[];
  /** Substrings of finding messages that must be present. */
  messages?: string[];
  maxMs?: number;
}

/** A Terraform group opening SSH to the world: the peer at line 6, column 20. */
const TF_OPEN_SSH = 'resource "aws_security_group" "g" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';

function put(dir: string, name: string, content: string | Buffer): void {
  writeFileSync(join(dir, name), content);
}

function utf16be(text: string): Buffer {
  const b = Buffer.from(text, 'utf16le');
  b.swap16();
  return b;
}

/** A billion-laughs document: nine levels of nine aliases each. */
function aliasBomb(): string {
  const lines = [HEAD.trimEnd(), 'Metadata:', '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  lines.push('Resources:', '  Sg:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: *a9', '');
  return lines.join('\n');
}

/** A rule entry whose CidrIp is the join of `n` Fn::If choices: 2^n alternatives. */
function ifExplosion(n: number): string {
  const conditions = Array.from({ length: n }, (_, i) => `  C${i}: !Equals [!Ref P, "${i}"]`);
  const parts = Array.from({ length: n }, (_, i) => `!If [C${i}, "1", "2"]`).join(', ');
  return [
    HEAD.trimEnd(),
    'Parameters:',
    '  P:',
    '    Type: String',
    'Conditions:',
    ...conditions,
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: x',
    '      SecurityGroupIngress:',
    '        - IpProtocol: tcp',
    '          FromPort: 22',
    '          ToPort: 22',
    `          CidrIp: !Join ["", ["10.0.0.", !Join ["", [${parts}]], "/32"]]`,
    '',
  ].join('\n');
}

const LOOPS = [
  HEAD.trimEnd(),
  'Parameters:',
  '  P:',
  '    Type: String',
  '    Default: !Ref Q',
  '  Q:',
  '    Type: String',
  '    Default: !Ref P',
  'Conditions:',
  '  A: !Condition B',
  '  B: !Not [!Condition A]',
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Condition: A',
  '    Properties:',
  '      GroupDescription: x',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: 22',
  '          ToPort: 22',
  '          CidrIp: !Ref P',
  '',
].join('\n');

const WRONG_TYPES = [
  HEAD.trimEnd(),
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '      SecurityGroupIngress:',
  '        - IpProtocol: tcp',
  '          FromPort: {a: 1}',
  '          ToPort: [22]',
  '          CidrIp: 10.0.0.0/8',
  '        - IpProtocol: {Fn::Bogus: 1}',
  '          FromPort: 1',
  '          ToPort: 2',
  '          CidrIp: 10.0.0.0/8',
  '        - IpProtocol: tcp',
  '          FromPort: 3',
  '          ToPort: 3',
  '          CidrIp: [0.0.0.0/0]',
  '  NoType:',
  '    Properties: {}',
  '  Scalar: hello',
  '',
].join('\n');

/** 1,000 world-open rules on one 1 MB+ line of JSON. */
function longJsonLine(): string {
  const ingress = Array.from({ length: 1000 }, (_, i) => ({ IpProtocol: 'tcp', FromPort: 1000 + i, ToPort: 1000 + i, CidrIp: '0.0.0.0/0', Description: 'x'.repeat(1000) }));
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: ingress } } } });
}

const DEEP = 100_000;

const CASES: Case[] = [
  {
    name: 'a YAML alias bomb (billion laughs)',
    write: (d) => put(d, 'bomb.yaml', aliasBomb()),
    args: ['bomb.yaml'],
    code: 2,
    errors: ['bomb.yaml:5:12: error: YAML alias not expanded: more than 100 alias expansions'],
  },
  {
    name: '100,000-level YAML flow nesting',
    write: (d) => put(d, 'flow.yaml', `${HEAD}Resources: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`),
    args: ['flow.yaml'],
    code: 2,
    errors: ['flow.yaml:2:511: error: nesting deeper than 500 levels; not read'],
  },
  {
    name: '100,000-level YAML block nesting',
    write: (d) => put(d, 'block.yaml', `${HEAD}Resources:\n  X:\n    ${'- '.repeat(DEEP)}x\n`),
    args: ['block.yaml'],
    code: 2,
    errors: ['block.yaml:4:1001: error: nesting deeper than 500 levels; not read'],
  },
  {
    name: '2,000-level YAML block mappings by indentation',
    write: (d) => put(d, 'indent.yaml', `${HEAD}Resources:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n')} x\n`),
    args: ['indent.yaml'],
    code: 2,
    errors: ['indent.yaml:502:502: error: nesting deeper than 500 levels; not read'],
  },
  {
    name: '100,000-level JSON arrays',
    write: (d) => put(d, 'arrays.json', `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`),
    args: ['arrays.json'],
    code: 2,
    errors: ['arrays.json:1:3056: error: nesting deeper than 3000 levels'],
  },
  {
    name: '100,000-level JSON objects',
    write: (d) => put(d, 'objects.json', `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ${'{"a": '.repeat(DEEP)}1${'}'.repeat(DEEP)}}`),
    args: ['objects.json'],
    code: 2,
    errors: ['objects.json:1:18051: error: nesting deeper than 3000 levels'],
  },
  {
    name: 'a 200 MB file (sparse), refused before reading',
    write: (d) => {
      const fd = openSync(join(d, 'huge.json'), 'w');
      ftruncateSync(fd, 200 * 1024 * 1024);
      closeSync(fd);
    },
    args: ['huge.json'],
    code: 2,
    errors: ['huge.json: error: file is 200.0 MB, larger than --max-file-size 50.0 MB; not linted'],
    maxMs: 5000,
  },
  {
    name: 'a file over a smaller --max-file-size',
    write: (d) => put(d, 'small.yaml', OPEN_SSH),
    args: ['--max-file-size', '100', 'small.yaml'],
    code: 2,
    errors: ['small.yaml: error: file is 260 bytes, larger than --max-file-size 100 bytes; not linted'],
  },
  {
    name: 'a 1 MB single line of JSON',
    write: (d) => put(d, 'line.json', longJsonLine()),
    args: ['line.json'],
    code: 1,
    findings: [
      'line.json:1:55 excessive-rules',
      'line.json:1:471751 open-db-port',
      'line.json:1:472840 open-db-port',
      'line.json:1:567583 open-db-port',
      'line.json:1:568672 open-db-port',
      'line.json:1:961801 open-sensitive-port',
    ],
  },
  {
    name: 'a 1 MB single YAML line',
    write: (d) => put(d, 'line.yaml', OPEN_SSH.replace('GroupDescription: web', `GroupDescription: ${'w'.repeat(1 << 20)}`)),
    args: ['line.yaml'],
    code: 1,
    findings: ['line.yaml:11:19 open-admin-port'],
  },
  {
    name: 'Fn::If alternatives in the thousands (2^2000), capped with a notice',
    write: (d) => put(d, 'ifs.yaml', ifExplosion(2000)),
    args: ['--verbose', 'ifs.yaml'],
    code: 0,
    notices: ['ifs.yaml:2012:11: notice: rule entry Sg/SecurityGroupIngress/0 has more than 64 variants; kept none and marked them all unknown'],
    messages: ['more than 64 variants (capped)'],
  },
  {
    name: 'conditions and parameters that refer to each other in a loop',
    write: (d) => put(d, 'loop.yaml', LOOPS),
    args: ['--verbose', 'loop.yaml'],
    code: 1,
    findings: ['loop.yaml:22:19 invalid-cidr'],
    notices: ['loop.yaml:10:3: notice: condition A refers to itself (directly or through other conditions); it is treated as undecided'],
    messages: ['the Default of parameter P must be a literal value'],
  },
  {
    name: 'a group with 20,000 rule entries (AWS allows 1,000)',
    write: (d) =>
      put(
        d,
        'many.yaml',
        `${HEAD}Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      SecurityGroupIngress:\n${Array.from(
          { length: 20000 },
          (_, i) => `        - {IpProtocol: tcp, FromPort: ${i + 1}, ToPort: ${i + 1}, CidrIp: 10.${(i >> 8) & 255}.${i & 255}.0/24}`,
        ).join('\n')}\n`,
      ),
    args: ['many.yaml'],
    code: 2,
    errors: ['many.yaml:3:3: error: security group Sg has 20000 ingress rule entries, more than the 1000 AWS allows in one group; only the first 1000 are linted'],
  },
  {
    name: '100,000-level Terraform nesting (the other inputs are still linted)',
    write: (d) => {
      mkdirSync(join(d, 'tf'));
      put(d, 'tf/main.tf', `resource "aws_security_group" "a" {\n  tags = ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n}\n`);
      put(d, 'ok.yaml', OPEN_SSH);
    },
    args: ['tf/main.tf', 'ok.yaml'],
    code: 2,
    errors: ['tf/main.tf:2:509: error: nesting deeper than 500 levels; not read'],
    findings: ['ok.yaml:11:19 open-admin-port'],
  },
  {
    name: 'binary data named on the command line',
    write: (d) => put(d, 'bin.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff])),
    args: ['bin.yaml'],
    code: 2,
    errors: ['bin.yaml: error: binary file (contains NUL bytes), not a template'],
  },
  {
    name: 'binary data found by a directory scan (a notice, not an error)',
    write: (d) => {
      mkdirSync(join(d, 'scan'));
      put(d, 'scan/bin.json', Buffer.from([0, 1, 2]));
      put(d, 'scan/ok.yaml', OPEN_SSH);
    },
    args: ['--verbose', 'scan'],
    code: 1,
    findings: ['scan/ok.yaml:11:19 open-admin-port'],
    notices: ['scan/bin.json: notice: binary file (contains NUL bytes), not a template'],
  },
  {
    name: 'invalid UTF-8',
    write: (d) => put(d, 'bad.yaml', Buffer.concat([Buffer.from(OPEN_SSH), Buffer.from([0xc3, 0x28])])),
    args: ['bad.yaml'],
    code: 2,
    errors: ['bad.yaml: error: file is not valid UTF-8 text'],
  },
  {
    name: 'UTF-16 LE with BOM',
    write: (d) => put(d, 'le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OPEN_SSH, 'utf16le')])),
    args: ['le.yaml'],
    code: 1,
    findings: ['le.yaml:11:19 open-admin-port'],
  },
  {
    name: 'UTF-16 BE with BOM',
    write: (d) => put(d, 'be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(OPEN_SSH)])),
    args: ['be.yaml'],
    code: 1,
    findings: ['be.yaml:11:19 open-admin-port'],
  },
  {
    name: 'UTF-8 BOM',
    write: (d) => put(d, 'bom.yaml', `\ufeff${OPEN_SSH}`),
    args: ['bom.yaml'],
    code: 1,
    findings: ['bom.yaml:11:19 open-admin-port'],
  },
  {
    name: 'CRLF line endings, and a JSON template with CRLF',
    write: (d) => {
      put(d, 'crlf.yaml', `# comment\r\n${OPEN_SSH.replace(/\n/g, '\r\n')}`);
      put(d, 'crlf.json', JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } } }, null, 2).replace(/\n/g, '\r\n'));
    },
    args: ['crlf.yaml', 'crlf.json'],
    code: 1,
    findings: ['crlf.json:13:23 open-admin-port', 'crlf.yaml:12:19 open-admin-port'],
  },
  {
    name: 'lone CR line endings',
    write: (d) => put(d, 'cr.yaml', `# comment\r\r${OPEN_SSH.replace(/\n/g, '\r')}`),
    args: ['cr.yaml'],
    code: 1,
    findings: ['cr.yaml:13:19 open-admin-port'],
  },
  {
    name: 'an empty file',
    write: (d) => put(d, 'empty.yaml', ''),
    args: ['--verbose', 'empty.yaml'],
    // Named explicitly, it is a warning; nothing else was linted, which is exit 2 (issue #14).
    code: 2,
    notices: ['empty.yaml: warning: not a CloudFormation template, Terraform file or plan; skipped'],
  },
  {
    name: 'a directory named like a template, named and inside a scan',
    write: (d) => {
      mkdirSync(join(d, 'x.yaml'));
      mkdirSync(join(d, 'tree/y.json'), { recursive: true });
      put(d, 'tree/ok.yaml', OPEN_SSH);
    },
    args: ['--verbose', 'x.yaml', 'tree'],
    code: 1,
    findings: ['tree/ok.yaml:11:19 open-admin-port'],
    notices: ['x.yaml: notice: directory holds no templates; nothing to lint'],
  },
  {
    name: 'a symlink loop in a directory scan',
    write: (d) => {
      mkdirSync(join(d, 'loop/sub'), { recursive: true });
      symlinkSync('..', join(d, 'loop/sub/back'));
      symlinkSync('self.yaml', join(d, 'loop/self.yaml'));
      put(d, 'loop/sub/ok.yaml', OPEN_SSH);
    },
    args: ['loop'],
    code: 1,
    findings: ['loop/sub/ok.yaml:11:19 open-admin-port'],
  },
  {
    name: 'a symlink loop named on the command line',
    write: (d) => symlinkSync('me.yaml', join(d, 'me.yaml')),
    args: ['me.yaml'],
    code: 2,
    errors: ['me.yaml: error: too many levels of symbolic links'],
  },
  {
    name: 'a symlink to a device (endless data)',
    write: (d) => symlinkSync('/dev/zero', join(d, 'zero.yaml')),
    args: ['zero.yaml'],
    code: 2,
    errors: ['zero.yaml: error: not a regular file (device, FIFO or socket); not linted'],
    maxMs: 5000,
  },
  // Files a parser opens by itself while reading an input (found by hand, December 2026): each was read with
  // readFileSync, which reads a link to /dev/zero until memory runs out (7-8 GB in 30 s before).
  {
    name: 'a file of a called Terraform module that is a symlink to a device',
    write: (d) => {
      put(d, 'main.tf', 'module "m" {\n  source = "./mod"\n}\n');
      mkdirSync(join(d, 'mod'));
      put(d, 'mod/main.tf', TF_OPEN_SSH);
      symlinkSync('/dev/zero', join(d, 'mod/zero.tf'));
    },
    args: ['main.tf'],
    code: 1,
    findings: ['mod/main.tf:6:20 open-admin-port'],
    notices: ['mod/zero.tf: warning: in module mod: module file mod/zero.tf cannot be read: not a regular file (device, FIFO or socket); not read'],
    maxMs: 10_000,
  },
  {
    name: 'terraform.tfvars that is a symlink to a device',
    write: (d) => {
      put(d, 'main.tf', TF_OPEN_SSH);
      symlinkSync('/dev/zero', join(d, 'terraform.tfvars'));
    },
    args: ['main.tf'],
    code: 2,
    errors: ['terraform.tfvars: error: cannot read variables file: not a regular file (device, FIFO or socket); not read'],
    findings: ['main.tf:6:20 open-admin-port'],
    maxMs: 10_000,
  },
  {
    name: 'paths with spaces and unicode',
    write: (d) => {
      mkdirSync(join(d, 'my stacks/ünïcödé'), { recursive: true });
      put(d, 'my stacks/ünïcödé/wéb stack.yaml', OPEN_SSH);
    },
    args: ['my stacks'],
    code: 1,
    findings: ['my stacks/ünïcödé/wéb stack.yaml:11:19 open-admin-port'],
  },
  {
    name: 'Resources as a list',
    write: (d) => put(d, 'list.yaml', `${HEAD}Resources:\n  - Type: AWS::EC2::SecurityGroup\n`),
    args: ['list.yaml'],
    code: 2,
    errors: ['list.yaml:3:3: error: Resources must be a mapping of logical IDs to resources, got a list'],
  },
  {
    name: 'ports as objects, CIDRs as lists, unknown intrinsics, missing Type, a resource that is a string',
    write: (d) => put(d, 'types.yaml', WRONG_TYPES),
    args: ['types.yaml'],
    code: 2,
    errors: ['types.yaml:20:3: error: resource NoType has no Type', 'types.yaml:22:3: error: resource Scalar must be a mapping, got a string'],
    findings: ['types.yaml:9:21 invalid-port-range', 'types.yaml:12:23 unknown-peer', 'types.yaml:19:19 invalid-cidr'],
    messages: ['port must be a whole number, got {"a":"…"}', 'unsupported intrinsic function Fn::Bogus', 'CidrIp must be a string, got a list'],
  },
  {
    // CloudFormation deploys such templates with the last value of the key (see docs/formats.md).
    name: 'duplicate keys in YAML and JSON: the last value wins, as in CloudFormation',
    write: (d) => {
      put(d, 'dup.yaml', OPEN_SSH.replace('          CidrIp: 0.0.0.0/0', '          CidrIp: 0.0.0.0/0\n          CidrIp: 10.0.0.0/8'));
      put(d, 'dup.json', '{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"A": {"Type": "AWS::EC2::SecurityGroup"},\n "A": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "d"}}}}');
    },
    args: ['dup.yaml', 'dup.json'],
    code: 0,
    errors: [],
    findings: [],
  },
  {
    name: 'a YAML syntax error beside a good template (the good one is still linted)',
    write: (d) => {
      put(d, 'broken.yaml', `${HEAD}Resources:\n  Sg:\n    Type: [unclosed\n`);
      put(d, 'good.yaml', OPEN_SSH);
    },
    args: ['broken.yaml', 'good.yaml'],
    code: 2,
    errors: ['broken.yaml:5:1: error: bad indentation: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    findings: ['good.yaml:11:19 open-admin-port'],
  },
];

const SCRATCH = mkdtempSync(join(tmpdir(), 'sg-lint-hostile-'));

beforeAll(() => ensureBuilt(), 200_000);
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

function lines(text: string, pattern: RegExp): string[] {
  return text.split('\n').filter((l) => pattern.test(l));
}

function expectBounded(run: ChildRun, maxMs: number): void {
  expect(run.signal).toBeNull();
  expect(run.ms).toBeLessThan(maxMs);
  // Never a stack trace without --debug.
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(run.stderr).not.toContain('internal error');
}

describe('hostile input through the built CLI (time and heap bounded)', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const dir = mkdtempSync(join(SCRATCH, 'case-'));
    c.write(dir);
    const maxMs = c.maxMs ?? 15_000;
    const json = runBuiltCli(['-f', 'json', ...c.args.filter((a) => a !== '--verbose')], { cwd: dir, timeoutMs: maxMs });
    expectBounded(json, maxMs);
    expect({ code: json.code, stderr: lines(json.stderr, /: error: /) }).toEqual({ code: c.code, stderr: c.errors ?? [] });
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.errors).toHaveLength((c.errors ?? []).length);
    if (c.findings) expect(report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`)).toEqual(c.findings);
    for (const m of c.messages ?? []) expect(report.findings.map((f) => f.message).join('\n')).toContain(m);
    if (c.notices) {
      const text = runBuiltCli(c.args, { cwd: dir, timeoutMs: maxMs });
      expectBounded(text, maxMs);
      expect(text.code).toBe(c.code);
      const shown = lines(text.stdout, /: (notice|warning): /);
      for (const n of c.notices) expect(shown).toContain(n);
    }
  });

  it('reports an unreadable file as one error line, and still lints the rest', () => {
    const dir = mkdtempSync(join(SCRATCH, 'perm-'));
    put(dir, 'locked.yaml', OPEN_SSH);
    put(dir, 'open.yaml', OPEN_SSH);
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    if (process.getuid?.() === 0) {
      console.log('hostile.test: running as root, where chmod 000 does not block reads; the unreadable-file case is skipped');
      return;
    }
    const run = runBuiltCli(['locked.yaml', 'open.yaml'], { cwd: dir });
    expectBounded(run, 15_000);
    expect(run.code).toBe(2);
    expect(lines(run.stdout, /: error: /)).toEqual(['locked.yaml: error: permission denied']);
    expect(run.stdout).toContain('open.yaml');
  });

  it('sniffs a megabyte of blank lines on standard input in linear time', () => {
    const run = runBuiltCli(['--verbose', '-'], { cwd: SCRATCH, input: `${'\n'.repeat(1 << 20)}x` });
    expectBounded(run, 10_000);
    // Standard input is named explicitly: a warning, and nothing linted is exit 2 (issue #14).
    expect(run.code).toBe(2);
    expect(lines(run.stdout, /: warning: /)).toEqual(['<stdin>: warning: not a CloudFormation template, Terraform file or plan; skipped']);
  });

  it('reads a hostile template from standard input', () => {
    const run = runBuiltCli(['-f', 'json', '-'], { cwd: SCRATCH, input: `${HEAD}Resources: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n` });
    expectBounded(run, 15_000);
    expect(run.code).toBe(2);
    expect(lines(run.stderr, /: error: /)).toEqual(['<stdin>:2:2008: error: nesting deeper than 500 levels; not read']);
  });
});

describe('input errors reach every output format, beside the findings of the other inputs', () => {
  const dir = join(SCRATCH, 'formats');
  beforeAll(() => {
    mkdirSync(dir);
    put(dir, 'good.yaml', OPEN_SSH);
    put(dir, 'bad.yaml', Buffer.from([0xc3, 0x28]));
  });

  const cases: [string, (out: string) => void][] = [
    ['text', (out) => expect(out).toMatch(/^bad\.yaml: error: file is not valid UTF-8 text$/m)],
    [
      'json',
      (out) => {
        const r = JSON.parse(out) as JsonReport;
        expect(r.errors).toEqual([{ file: 'bad.yaml', message: 'file is not valid UTF-8 text', line: null, column: null }]);
        expect(r.findings.map((f) => f.file)).toEqual(['good.yaml']);
      },
    ],
    [
      'sarif',
      (out) => {
        const log = JSON.parse(out) as { runs: { results: unknown[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
        const run = log.runs[0];
        expect(run?.results).toHaveLength(1);
        expect(run?.invocations[0]?.toolExecutionNotifications.map((n) => n.message.text)).toEqual(['file is not valid UTF-8 text']);
        expect(validateSarif(log)).toEqual([]);
      },
    ],
    ['github', (out) => expect(out).toContain('::error file=bad.yaml,title=sg-lint input error::file is not valid UTF-8 text')],
    ['junit', (out) => expect(out).toContain('<error message="file is not valid UTF-8 text" type="input-error">')],
    ['gitlab', (out) => expect(out).toContain('"description": "Input error: file is not valid UTF-8 text"')],
  ];

  it.each(cases)('%s', (format, check) => {
    const run = runBuiltCli(['-f', format, 'good.yaml', 'bad.yaml'], { cwd: dir });
    expectBounded(run, 15_000);
    expect(run.code).toBe(2);
    check(run.stdout);
    expect(run.stdout).toContain('good.yaml');
    if (format !== 'text') expect(lines(run.stderr, /: error: /)).toEqual(['bad.yaml: error: file is not valid UTF-8 text']);
  });
});
