// Baselines: write, then report only new findings; fingerprints survive line shifts and unrelated edits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyBaseline, createBaseline, parseBaseline, serializeBaseline } from '../src/engine/baseline';
import { ConfigError } from '../src/engine/run';
import type { Finding, LintResult } from '../src/engine/types';
import { runCli } from './helpers/cli';

const V1 = `Resources:
  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh }
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0, Description: postgres }
`;

// The same groups, reordered and moved down by comments and an unrelated resource, plus one new problem (RDP appended
// to AdminSg). Inline entries are identified by their position in the list, so the new rule goes last.
const V2 = `# Edited: comments and a new parameter shift every line.
# Another comment.
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 0.0.0.0/0, Description: postgres }
  AdminSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh }
        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0, Description: rdp }
`;

interface JsonOut {
  findings: { ruleId: string; line: number; resource: string; suppressed?: { kind: string; origin: string; justification: string } }[];
}

describe('baseline round trip', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-baseline-'));
    writeFileSync(join(dir, '.git'), ''); // stop config lookup here
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a sorted, human-readable baseline and exits 0', async () => {
    writeFileSync(join(dir, 'stack.yaml'), V1);
    const run = await runCli(['--write-baseline', 'sg-lint-baseline.json', 'stack.yaml'], dir);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: 'sg-lint: wrote 2 findings to sg-lint-baseline.json\n' });
    const baseline = JSON.parse(readFileSync(join(dir, 'sg-lint-baseline.json'), 'utf8'));
    expect(baseline).toMatchObject({ version: 2, tool: 'sg-lint' });
    expect(baseline.findings.map((f: Record<string, string>) => [f.ruleId, f.file, f.resource, f.message])).toEqual([
      ['open-admin-port', 'stack.yaml', 'AdminSg', 'Security group AdminSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)'],
      ['open-db-port', 'stack.yaml', 'DbSg', 'Security group DbSg allows PostgreSQL (tcp/5432) from the whole internet (0.0.0.0/0)'],
    ]);
    // Deterministic: writing again gives the same bytes.
    const first = readFileSync(join(dir, 'sg-lint-baseline.json'), 'utf8');
    await runCli(['--write-baseline', 'sg-lint-baseline.json', 'stack.yaml'], dir);
    expect(readFileSync(join(dir, 'sg-lint-baseline.json'), 'utf8')).toBe(first);
  });

  it('reports only findings not in the baseline after lines shift', async () => {
    writeFileSync(join(dir, 'stack.yaml'), V1);
    await runCli(['--write-baseline', 'base.json', 'stack.yaml'], dir);
    writeFileSync(join(dir, 'stack.yaml'), V2);
    const run = await runCli(['--baseline', 'base.json', '--format', 'json', 'stack.yaml'], dir);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout) as JsonOut;
    const rows = out.findings
      .filter((f) => f.ruleId.startsWith('open-'))
      .map((f) => `${f.line} ${f.ruleId} ${f.resource} ${f.suppressed ? `${f.suppressed.kind}/${f.suppressed.origin}` : 'NEW'}`);
    expect(rows).toEqual(['15 open-db-port DbSg external/baseline', '21 open-admin-port AdminSg external/baseline', '22 open-admin-port AdminSg NEW']);
    expect(out.findings.find((f) => f.suppressed)?.suppressed?.justification).toBe('recorded in baseline base.json');
  });

  it('exits 0 when nothing new appears, and notes entries that match nothing any more', async () => {
    writeFileSync(join(dir, 'stack.yaml'), V1);
    await runCli(['--write-baseline', 'base.json', 'stack.yaml'], dir);
    writeFileSync(join(dir, 'stack.yaml'), V1.replace('0.0.0.0/0, Description: postgres', '10.0.0.0/8, Description: postgres'));
    const run = await runCli(['--baseline', 'base.json', '--verbose', 'stack.yaml'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 baseline entry matches no finding any more (fixed or changed); refresh it with --write-baseline');
  });

  it('refuses a file that is not a baseline with exit code 2', async () => {
    writeFileSync(join(dir, 'stack.yaml'), V1);
    writeFileSync(join(dir, 'base.json'), '{"findings": 3}');
    const run = await runCli(['--baseline', 'base.json', 'stack.yaml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'sg-lint: base.json: not a baseline file (expected an object with "version" and "findings"; write one with --write-baseline)\n',
    );
    expect((await runCli(['--baseline', 'missing.json', 'stack.yaml'], dir)).stderr).toBe('sg-lint: missing.json: cannot read baseline file: ENOENT\n');
  });
});

describe('baseline functions', () => {
  const finding = (fingerprint: string, extra: Partial<Finding> = {}): Finding => ({
    ruleId: 'open-admin-port', severity: 'error', message: 'm', file: 'a.yaml', line: 1, column: 1, endLine: 1, endColumn: 2,
    resource: 'Sg', fingerprint, ...extra,
  });
  const result = (findings: Finding[]): LintResult => ({ findings, errors: [], notices: [], files: ['a.yaml'], rules: [] });

  it('leaves suppressed findings out and sorts entries', () => {
    const b = createBaseline(result([finding('b2', { file: 'b.yaml' }), finding('a1'), finding('s', { suppression: { kind: 'inSource', justification: 'x', origin: 'sg-lint' } })]), '1.2.3');
    expect(b.findings.map((f) => f.fingerprint)).toEqual(['a1', 'b2']);
    expect(parseBaseline(serializeBaseline(b), 'x.json')).toEqual(b);
  });

  it('marks matches as external suppressions and counts them', () => {
    const r = result([finding('a1'), finding('n1')]);
    expect(applyBaseline(r, { version: 2, tool: 'sg-lint', toolVersion: '', findings: [{ fingerprint: 'a1', ruleId: '', file: '', resource: '', message: '' }] }, 'b.json')).toBe(1);
    expect(r.findings.map((f) => f.suppression?.kind)).toEqual(['external', undefined]);
    expect(r.notices).toEqual([]);
  });

  it('rejects other versions', () => {
    expect(() => parseBaseline('{"version": 3, "findings": []}', 'b.json')).toThrow(ConfigError);
    expect(() => parseBaseline('{"version": 1, "findings": []}', 'b.json')).toThrow('baseline version 1 was written by sg-lint 0.1');
    expect(() => parseBaseline('nope', 'b.json')).toThrow(/^b\.json: not a baseline file: /);
  });
});
