// `sg-lint diff OLD NEW` and `--diff-base <ref>`: the change table, only new findings, exit codes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderChanges } from '../src/cli/diff';
import { runCli } from './helpers/cli';

const ROOT = join(__dirname, '..');
const BASE = 'fixtures/diff/base.yaml';

interface JsonOut {
  findings: { ruleId: string; line: number; resource: string; introduced?: boolean }[];
}

function found(stdout: string): string[] {
  return (JSON.parse(stdout) as JsonOut).findings.map((f) => `${f.line} ${f.ruleId} ${f.resource}${f.introduced ? ' introduced' : ''}`);
}

describe('sg-lint diff OLD NEW', () => {
  it('a rule added: table first, then only the findings it introduces; exit 1', async () => {
    const run = await runCli(['diff', BASE, 'fixtures/diff/rule-added.yaml'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith(
      [
        'Security group rule changes between fixtures/diff/base.yaml and fixtures/diff/rule-added.yaml: 1 added, 0 removed',
        '   Group  Dir      Traffic  Peer',
        '+  WebSg  ingress  tcp 22   0.0.0.0/0',
        '',
        'fixtures/diff/rule-added.yaml',
        '',
      ].join('\n'),
    )).toBe(true);
    // DbSg's world-open PostgreSQL was there before: not reported.
    expect(run.stdout).not.toContain('DbSg');
    expect(run.stdout).toContain('Security group WebSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)');
  });

  it('a rule removed: exit 0 and no findings', async () => {
    const run = await runCli(['diff', BASE, 'fixtures/diff/rule-removed.yaml', '--format', 'json'], ROOT);
    expect(run.code).toBe(0);
    expect(found(run.stdout)).toEqual([]);
    // Non-text formats keep stdout parseable: the table goes to stderr.
    expect(run.stderr).toBe(
      [
        'Security group rule changes between fixtures/diff/base.yaml and fixtures/diff/rule-removed.yaml: 1 added, 1 removed',
        '   Group      Dir      Traffic  Peer',
        '-  BastionSg  ingress  tcp 22   146.75.0.10/32',
        '+  BastionSg  ingress  tcp 443  146.75.0.0/24',
        '',
        '',
      ].join('\n'),
    );
  });

  it('a rule widened from /32 to /0: shown as removed + added, one new error', async () => {
    const run = await runCli(['diff', BASE, 'fixtures/diff/widened.yaml', '-f', 'json'], ROOT);
    expect(run.code).toBe(1);
    expect(found(run.stdout)).toEqual(['14 open-admin-port BastionSg introduced']);
    expect(run.stderr).toContain('-  BastionSg  ingress  tcp 22   146.75.0.10/32\n+  BastionSg  ingress  tcp 22   0.0.0.0/0\n');
  });

  it('nothing changed (lines moved only): exit 0, nothing reported', async () => {
    const run = await runCli(['diff', BASE, 'fixtures/diff/unchanged.yaml', '--verbose'], ROOT);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('No security group rule changes between fixtures/diff/base.yaml and fixtures/diff/unchanged.yaml.\n\n')).toBe(true);
    expect(run.stdout).toContain('1 finding already present in fixtures/diff/base.yaml not reported');
  });

  it('--fail-on decides whether new findings fail the change', async () => {
    expect((await runCli(['diff', BASE, 'fixtures/diff/widened.yaml', '--fail-on', 'none'], ROOT)).code).toBe(0);
  });

  it('compares cdk.out assemblies stack by stack', async () => {
    const run = await runCli(['diff', 'fixtures/diff/cdk-old.out', 'fixtures/diff/cdk-new.out', '-f', 'json'], ROOT);
    expect(run.code).toBe(1);
    expect(found(run.stdout)).toEqual(['18 open-admin-port WebSgfromAdmin3389 introduced']); // on the CidrIp value (line 18), not the resource
    expect(run.stderr).toBe(
      [
        'Security group rule changes between fixtures/diff/cdk-old.out and fixtures/diff/cdk-new.out: 1 added, 0 removed',
        '   Stack     Group          Dir      Traffic   Peer',
        '+  AppStack  WebSgD00D0001  ingress  tcp 3389  0.0.0.0/0',
        '',
        '',
      ].join('\n'),
    );
  });

  it('usage errors exit 2', async () => {
    const run = await runCli(['diff', BASE], ROOT);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'sg-lint: diff needs exactly two inputs: sg-lint diff OLD NEW\nRun "sg-lint --help" for usage.\n' });
    expect((await runCli(['diff', BASE, 'fixtures/diff/nope.yaml'], ROOT)).stderr).toBe('sg-lint: fixtures/diff/nope.yaml: cannot read: no such file or directory\n');
  });
});

describe('renderChanges', () => {
  it('describes protocols and peers in words', () => {
    const table = renderChanges(
      [
        { change: '+', direction: 'egress', group: 'A', traffic: 'all traffic', peer: 'prefix list pl-1' },
        { change: '-', direction: 'ingress', group: 'A', traffic: 'icmp all', peer: 'group B' },
      ],
      'a',
      'b',
    );
    expect(table).toBe(
      'Security group rule changes between a and b: 1 added, 1 removed\n' +
        '   Group  Dir      Traffic      Peer\n' +
        '+  A      egress   all traffic  prefix list pl-1\n' +
        '-  A      ingress  icmp all     group B\n\n',
    );
  });
});

describe('--diff-base <git ref>', () => {
  let repo: string;
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  };
  const V1 = `Resources:
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0, Description: old problem }
`;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'sg-lint-diffbase-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    writeFileSync(join(repo, 'stack.yaml'), V1);
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    // The pull request: an extra comment line, a new SSH rule, and a new file.
    writeFileSync(join(repo, 'stack.yaml'), `# edited\n${V1}        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: new }\n`);
    writeFileSync(join(repo, 'new.yaml'), V1.replace('DbSg', 'OtherSg'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reports only the findings the change adds; a file absent at the ref is all new', async () => {
    const run = await runCli(['--diff-base', 'main', '-f', 'json', 'stack.yaml', 'new.yaml'], repo);
    expect(run.code).toBe(1);
    expect(found(run.stdout)).toEqual(['7 open-db-port OtherSg introduced', '3 no-dedicated-ssh-group DbSg introduced', '9 open-admin-port DbSg introduced']);
  });

  it('exits 0 when the change adds nothing', async () => {
    const run = await runCli(['--diff-base', 'HEAD', '-f', 'json', 'stack.yaml', '--fail-on', 'error', '--quiet'], repo);
    expect(found(run.stdout)).toEqual(['9 open-admin-port DbSg introduced']);
    git('stash', '-q', '-u');
    try {
      const clean = await runCli(['--diff-base', 'HEAD', 'stack.yaml'], repo);
      expect(clean.code).toBe(0);
    } finally {
      git('stash', 'pop', '-q');
    }
  });

  it('rejects an unknown ref with exit code 2', async () => {
    const run = await runCli(['--diff-base', 'no-such-branch', 'stack.yaml'], repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`sg-lint: --diff-base: "no-such-branch" is not a commit of the git repository in ${repo}\n`);
  });
});
