// The command line people expect (issue #14): each flag and behaviour, end to end through the CLI.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useColor } from '../src/cli/main';
import { parseArguments } from '../src/cli/options';
import { LINT_OPTIONS } from '../src/cli/args';
import { runCli } from './helpers/cli';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';

const ROOT = join(__dirname, '..');
const ADMIN = 'fixtures/rules/open-admin-port/bad.cfn.yaml';
const SSH_GROUP = 'fixtures/rules/no-dedicated-ssh-group/bad.cfn.yaml';

interface JsonOut {
  findings: { ruleId: string; severity: string; line: number }[];
  summary: { errors: number; warnings: number; notes: number };
}

const json = (stdout: string): JsonOut => JSON.parse(stdout) as JsonOut;
const ruleIds = (stdout: string): string[] => [...new Set(json(stdout).findings.map((f) => f.ruleId))].sort();

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sg-lint-flags-'));
  mkdirSync(join(work, 'empty'));
  writeFileSync(join(work, 'empty', 'notes.md'), '# no templates here\n');
  mkdirSync(join(work, 'k8s'));
  writeFileSync(join(work, 'k8s', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\n');
  writeFileSync(join(work, 'package.json'), '{ "name": "x" }\n');
  writeFileSync(
    join(work, 'open.yaml'),
    ['Resources:', '  Sg:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: x',
      '      SecurityGroupIngress:', '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }', ''].join('\n'),
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--rule and --disable', () => {
  it('--rule id:severity re-grades a rule and id:off turns it off; both repeat', async () => {
    const base = await runCli(['-f', 'json', ADMIN], ROOT);
    expect(ruleIds(base.stdout)).toContain('open-admin-port');
    const regraded = await runCli(['-f', 'json', '--rule', 'open-admin-port:note', '--rule', 'shadowed-rule:off', ADMIN], ROOT);
    expect(ruleIds(regraded.stdout)).not.toContain('shadowed-rule');
    // A finding that folds in another rule's error stays an error; one about SSH alone is the note asked for.
    const alone = await runCli(['-f', 'json', '--rule', 'open-admin-port:note', 'open.yaml'], work);
    expect(json(alone.stdout).findings.map((f) => [f.ruleId, f.severity])).toEqual([['open-admin-port', 'note']]);
    expect(alone.code).toBe(0);
  });

  it('--rule turns on a rule outside the preset', async () => {
    const run = await runCli(['-f', 'json', '--rule', 'missing-description:warning', ADMIN], ROOT);
    expect(ruleIds(run.stdout)).toContain('missing-description');
  });

  it('--disable id turns rules off', async () => {
    const run = await runCli(['-f', 'json', '--disable', 'open-admin-port', '--disable', 'shadowed-rule', ADMIN], ROOT);
    expect(ruleIds(run.stdout)).not.toContain('open-admin-port');
    expect(ruleIds(run.stdout)).not.toContain('shadowed-rule');
  });

  it('an unknown rule or severity is a usage error with a suggestion', async () => {
    expect(await runCli(['--rule', 'open-admin-prot:off', ADMIN], ROOT)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sg-lint: --rule: unknown rule "open-admin-prot"; did you mean "open-admin-port"?\nRun "sg-lint --help" for usage.\n',
    });
    expect((await runCli(['--rule', 'open-admin-port:eror', ADMIN], ROOT)).stderr).toBe(
      'sg-lint: --rule open-admin-port: severity must be one of error, warning, note, off (got "eror"); did you mean "error"?\nRun "sg-lint --help" for usage.\n',
    );
    expect((await runCli(['--rule', 'open-admin-port', ADMIN], ROOT)).stderr).toContain('--rule needs a rule id and a severity');
    expect((await runCli(['--disable', 'nope', ADMIN], ROOT)).stderr).toContain('--disable: unknown rule "nope"');
  });
});

describe('--max-warnings', () => {
  it('exits 1 when there are more warnings than allowed, even with no errors (ESLint meaning)', async () => {
    // no-dedicated-ssh-group reports warnings only on this fixture; count them first.
    const base = await runCli(['-f', 'json', '--disable', 'open-admin-port', SSH_GROUP], ROOT);
    const warnings = json(base.stdout).summary.warnings;
    expect(json(base.stdout).summary.errors).toBe(0);
    expect(warnings).toBeGreaterThan(0);
    expect(base.code).toBe(0);
    const at = await runCli(['-f', 'json', '--max-warnings', String(warnings), SSH_GROUP], ROOT);
    expect(at.code).toBe(0);
    const over = await runCli(['-f', 'json', '--max-warnings', String(warnings - 1), SSH_GROUP], ROOT);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(`sg-lint: ${warnings} warnings, more than --max-warnings ${warnings - 1} allows\n`);
    expect((await runCli(['--max-warnings', 'many', SSH_GROUP], ROOT)).stderr).toContain('--max-warnings must be a whole number');
  });
});

describe('mistyped flags', () => {
  it.each([
    [['--formt', 'json'], 'unknown option --formt; did you mean "--format"?'],
    [['--fail-onn', 'none'], 'unknown option --fail-onn; did you mean "--fail-on"?'],
    [['-format', 'json'], 'unknown option -format; did you mean "--format"?'],
    [['-qx'], 'unknown option -x'],
    [['--quiet=yes'], '--quiet is a flag and takes no value (got "yes")'],
    [['--format'], '--format needs a value: --format <name>'],
    [['-f', '--quiet'], '-f needs a value: -f <name>'],
    [['--format', 'jsn'], '--format must be one of text, compact, json, sarif, github, junit, gitlab, markdown (got "jsn"); did you mean "json"?'],
  ])('%j: one line in our words, exit 2', async (argv, message) => {
    const run = await runCli([ADMIN, ...argv], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`sg-lint: ${message}\nRun "sg-lint --help" for usage.\n`);
    expect(run.stderr).not.toMatch(/ERR_PARSE_ARGS|To specify an option argument/);
  });

  it('parses --name=value, -xvalue, grouped short flags and -- the way users write them', () => {
    expect(parseArguments(['--format=json', '-qo', 'out.txt', '-fsarif', '--', '--not-an-option', '-'], LINT_OPTIONS)).toEqual({
      values: { format: ['json', 'sarif'], quiet: true, output: ['out.txt'] },
      tokens: [
        { name: 'format', value: 'json' },
        { name: 'output', value: 'out.txt' },
        { name: 'format', value: 'sarif' },
      ],
      positionals: ['--not-an-option', '-'],
    });
    expect(parseArguments(['-', 'a.yaml', '--rule', 'a:off', '--rule=b:note'], LINT_OPTIONS)).toMatchObject({
      values: { rule: ['a:off', 'b:note'] },
      positionals: ['-', 'a.yaml'],
    });
  });

  it('--help lists every option of the table', async () => {
    const help = (await runCli(['--help'], ROOT)).stdout;
    for (const o of LINT_OPTIONS) expect(help).toContain(`--${o.name}`);
  });
});

describe('--list-rules', () => {
  it('--format json lists every rule with its metadata', async () => {
    const run = await runCli(['--list-rules', '--format', 'json'], ROOT);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { version: number; rules: { id: string; defaultSeverity: string; docs: string; options: object }[] };
    expect(out.version).toBe(1);
    const admin = out.rules.find((r) => r.id === 'open-admin-port');
    expect(admin).toMatchObject({
      defaultSeverity: 'error',
      recommended: true,
      docs: 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md',
      fix: expect.stringContaining('Session Manager'),
      options: { ports: ['tcp/22', 'tcp/3389', 'udp/3389'] },
    });
    expect(out.rules.map((r) => r.id)).toEqual([...out.rules.map((r) => r.id)].sort());
  });

  it('other formats are a usage error', async () => {
    expect((await runCli(['--list-rules', '-f', 'sarif'], ROOT)).code).toBe(2);
  });
});

describe('colors', () => {
  const tty = { isTTY: true, env: {} };
  const pipe = { isTTY: false, env: {} };
  it('FORCE_COLOR turns colors on in CI logs, FORCE_COLOR=0 off; flags win; files never get colors by default', () => {
    expect(useColor({}, pipe)).toBe(false);
    expect(useColor({}, tty)).toBe(true);
    expect(useColor({}, { isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(useColor({}, { isTTY: false, env: { FORCE_COLOR: '' } })).toBe(true);
    expect(useColor({}, { isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(useColor({}, { isTTY: true, env: { FORCE_COLOR: 'false' } })).toBe(false);
    expect(useColor({}, { isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).toBe(true);
    expect(useColor({}, { isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(useColor({}, { isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(useColor({ color: false }, { isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(false);
    expect(useColor({ output: 'report.txt' }, { isTTY: true, env: { FORCE_COLOR: '1' } })).toBe(false);
    expect(useColor({ output: 'report.txt', color: true }, pipe)).toBe(true);
  });

  it('FORCE_COLOR colors the text report written to a pipe', async () => {
    const run = await runCli([ADMIN], ROOT, { FORCE_COLOR: '1', NO_COLOR: undefined });
    expect(run.stdout).toContain('\u001b[');
    expect((await runCli([ADMIN], ROOT)).stdout).not.toContain('\u001b[');
  });
});

describe('--output', () => {
  it('refuses to overwrite an input, before and after discovery', async () => {
    const copy = join(work, 'copy.yaml');
    writeFileSync(copy, readFileSync(join(work, 'open.yaml')));
    const named = await runCli(['copy.yaml', '-o', 'copy.yaml'], work);
    expect(named).toEqual({ code: 2, stdout: '', stderr: 'sg-lint: --output copy.yaml is an input of this run; refusing to overwrite it\n' });
    const scanned = await runCli(['.', '-o', './copy.yaml'], work);
    expect(scanned.code).toBe(2);
    expect(scanned.stderr).toContain('refusing to overwrite it');
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(join(work, 'open.yaml'), 'utf8'));
    rmSync(copy);
  });
});

describe('--quiet', () => {
  it('-q --fail-on none does not claim "No problems found" when it hid findings', async () => {
    const run = await runCli(['-q', '--fail-on', 'none', ADMIN], ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('No problems found');
    expect(run.stdout).toMatch(/^No problems shown in 1 file \(\d+ hidden by --quiet\)\n$/);
  });

  it('-q keeps the errors and says how many warnings it hid', async () => {
    const run = await runCli(['-q', ADMIN], ROOT);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\d+ problems \(\d+ errors, 0 warnings, 0 notes\) in 1 file \(\d+ hidden by --quiet\)\n$/);
  });
});

describe('JUnit', () => {
  const failures = (xml: string): string[] => [...xml.matchAll(/<failure message="[^"]*" type="(\w+)"/g)].map((m) => m[1] ?? '');
  it('failures follow --fail-on and test names are unique', async () => {
    const byDefault = await runCli(['-f', 'junit', ADMIN], ROOT);
    expect(new Set(failures(byDefault.stdout))).toEqual(new Set(['error']));
    const warning = await runCli(['-f', 'junit', '--fail-on', 'warning', ADMIN], ROOT);
    expect(new Set(failures(warning.stdout))).toEqual(new Set(['error', 'warning']));
    expect(failures((await runCli(['-f', 'junit', '--fail-on', 'none', ADMIN], ROOT)).stdout)).toEqual([]);
    const names = [...byDefault.stdout.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('SARIF', () => {
  it('carries no machine path: the same input gives the same bytes from another checkout', async () => {
    const here = await runCli(['-f', 'sarif', ADMIN], ROOT);
    const other = mkdtempSync(join(tmpdir(), 'sg-lint-checkout-'));
    try {
      mkdirSync(join(other, 'fixtures', 'rules', 'open-admin-port'), { recursive: true });
      writeFileSync(join(other, ADMIN), readFileSync(join(ROOT, ADMIN)));
      const there = await runCli(['-f', 'sarif', ADMIN], other);
      expect(there.stdout).toBe(here.stdout);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    expect(here.stdout).not.toContain(ROOT);
    expect(JSON.parse(here.stdout).runs[0].originalUriBaseIds).toEqual({
      '%SRCROOT%': { description: { text: 'The directory sg-lint ran in; result paths are relative to it.' } },
    });
  });
});

describe('nothing linted is not success', () => {
  const advice = 'sg-lint: pass --no-error-on-unmatched to accept a run that lints nothing\n';
  it('a folder without templates: exit 2 with the reason, unless --no-error-on-unmatched', async () => {
    const run = await runCli(['empty'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`sg-lint: no input was linted:\n  empty: directory holds no templates; nothing to lint\n${advice}`);
    expect(run.stdout).toBe('\u26A0 No input was linted\n');
    expect((await runCli(['empty', '--no-error-on-unmatched'], work)).code).toBe(0);
  });

  it('every file skipped: exit 2', async () => {
    const run = await runCli(['k8s'], work);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('k8s/deploy.yaml: not a CloudFormation template, Terraform file or plan; skipped');
  });

  it('a file named explicitly that is no template is a warning, in every format', async () => {
    const text = await runCli(['package.json', 'open.yaml'], work);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('package.json: warning: not a CloudFormation template, Terraform file or plan; skipped\n');
    const sarif = await runCli(['-f', 'sarif', 'package.json', 'open.yaml'], work);
    expect(sarif.stderr).toBe('package.json: warning: not a CloudFormation template, Terraform file or plan; skipped\n');
    // Found by a folder scan, it is only a notice (--verbose).
    const scan = await runCli(['k8s', 'open.yaml'], work);
    expect(scan.stdout).not.toContain('warning: not a CloudFormation');
    expect(scan.code).toBe(1);
  });

  it('only skipped named files: warning and exit 2', async () => {
    const run = await runCli(['package.json'], work);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('package.json: warning: not a CloudFormation template');
    expect(run.stderr).toBe(`sg-lint: no input was linted\n${advice}`);
  });
});

describe('standard input', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it('empty standard input lints nothing: exit 2', () => {
    const run = runBuiltCli(['-'], { cwd: work, input: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sg-lint: no input was linted');
    expect(runBuiltCli(['-', '--no-error-on-unmatched'], { cwd: work, input: '' }).code).toBe(0);
  });

  it('--stdin-filename names standard input in the report', () => {
    const text = readFileSync(join(work, 'open.yaml'), 'utf8');
    const run = runBuiltCli(['-', '--stdin-filename', 'infra/web.yaml', '-f', 'compact'], { cwd: work, input: text });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('infra/web.yaml:7:64: error: ');
    expect(run.stdout).not.toContain('<stdin>');
    const unnamed = runBuiltCli(['-', '-f', 'compact'], { cwd: work, input: text });
    expect(unnamed.stdout).toContain('<stdin>:7:64: error: ');
  });

  it('--stdin-filename ending in .tf reads HCL', () => {
    const hcl = 'resource "aws_security_group" "x" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const run = runBuiltCli(['-', '--stdin-filename', 'net/main.tf', '-f', 'compact'], { cwd: work, input: hcl });
    expect(run.stdout).toMatch(/^net\/main\.tf:\d+:\d+: error: .*open-admin-port/m);
  });
});

describe('--format compact', () => {
  it('prints one line per finding, then input errors and a count', async () => {
    const run = await runCli(['-f', 'compact', 'open.yaml', 'missing.yaml'], work);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      [
        "open.yaml:7:64: error: Security group Sg allows SSH (tcp/22) from the whole internet (0.0.0.0/0) (fix: Admit only your VPN or office range, a bastion's security group, or use Session Manager and remove the rule) [open-admin-port]",
        'missing.yaml:1:1: error: no such file or directory [input-error]',
        '',
        '2 problems',
        '',
      ].join('\n'),
    );
    // The input error is on standard output already: not printed a second time on stderr.
    expect(run.stderr).toBe('');
  });

  it('shows a visible notice once, on standard output, and nothing on stderr', async () => {
    const run = await runCli(['-f', 'compact', 'open.yaml', 'k8s/deploy.yaml'], work);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('k8s/deploy.yaml'))).toHaveLength(1);
    expect(run.stderr).toBe('');
  });
});
