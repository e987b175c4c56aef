// Several reports from one run: `--format A --output FILE --format B`, `-f NAME:FILE`, and the Markdown job summary.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli';

const OPEN_SSH = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  BastionSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Bastion
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
          Description: SSH from anywhere
      SecurityGroupEgress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
          Description: HTTPS inside
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-outputs-'));
  writeFileSync(join(dir, 'bastion.yaml'), OPEN_SSH);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ANNOTATION =
  '::error file=bastion.yaml,line=11,col=19,endLine=11,endColumn=28,title=open-admin-port::Security group BastionSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)' +
  "%0Afix: Admit only your VPN or office range, a bastion's security group, or use Session Manager and remove the rule" +
  ' (https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md)\n';

describe('several outputs in one run', () => {
  it('writes SARIF to the --output after --format sarif and the annotations to standard output', async () => {
    const r = await runCli(['bastion.yaml', '--format', 'sarif', '--output', 'out/results.sarif', '--format', 'github'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(ANNOTATION);
    const sarif = JSON.parse(readFileSync(join(dir, 'out', 'results.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toEqual(['open-admin-port']);
  });

  it('accepts -f NAME:FILE pairs, each report written once', async () => {
    const r = await runCli(['bastion.yaml', '-f', 'json:r.json', '-f', 'markdown:summary.md', '-f', 'sarif:r.sarif'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { findings: unknown[] }).findings).toHaveLength(1);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| [`open-admin-port`](');
    expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).toContain('"ruleId": "open-admin-port"');
  });

  it('keeps the single --output before --format working as before', async () => {
    const r = await runCli(['bastion.yaml', '--output', 'r.sarif', '--format', 'sarif'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'r.sarif'), 'utf8')).toContain('"ruleId": "open-admin-port"');
  });

  it('refuses two reports on standard output, two reports in one file and an unknown format (exit 2)', async () => {
    const both = await runCli(['bastion.yaml', '-f', 'sarif', '-f', 'github'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('only one report can go to standard output (got sarif, github)');
    const same = await runCli(['bastion.yaml', '-f', 'sarif:x', '-f', 'json:x'], dir);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('two reports would be written to x');
    const unknown = await runCli(['bastion.yaml', '-f', 'html:x.html'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--format must be one of text, compact, json, sarif, github, junit, gitlab, markdown (got "html")');
  });
});

describe('markdown report', () => {
  it('counts findings per rule, suppressed ones apart, and lists the unsuppressed findings', async () => {
    writeFileSync(
      join(dir, 'bastion.yaml'),
      OPEN_SSH.replace(
        '    Type: AWS::EC2::SecurityGroup\n',
        '    Type: AWS::EC2::SecurityGroup\n    Metadata:\n      sg-lint:\n        suppress:\n          - rule: open-admin-port\n            reason: VPN only\n',
      ),
    );
    writeFileSync(join(dir, 'db.yaml'), OPEN_SSH.replace('BastionSg', 'OtherSg').replace(/22/g, '3389'));
    const r = await runCli(['bastion.yaml', 'db.yaml', '-f', 'markdown'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        '## sg-lint',
        '',
        '2 files linted: 1 error, 0 warnings, 0 notes, 1 suppressed.',
        '',
        '| Rule | Severity | Findings | Suppressed | How to fix |',
        '| --- | --- | ---: | ---: | --- |',
        "| [`open-admin-port`](https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md) | error | 1 | 1 | Admit only your VPN or office range, a bastion's security group, or use Session Manager and remove the rule |",
        '',
        '### Findings',
        '',
        '- **error** `db.yaml:11:19` Security group OtherSg allows RDP (tcp/3389) from the whole internet (0.0.0.0/0) (`open-admin-port`)',
        '',
        '',
      ].join('\n'),
    );
  });
});
