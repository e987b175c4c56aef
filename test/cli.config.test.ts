// CLI end to end (in-process): --config errors, --print-config, --only-changed, suppressed findings and exit codes.
import { join } from 'node:path';
import { runCli } from './helpers/cli';

const ROOT = join(__dirname, '..');

interface JsonOut {
  findings: { ruleId: string; resource: string; introduced?: boolean; suppressed?: { kind: string; origin: string } }[];
  summary: { errors: number; suppressed: number };
}

describe('configuration on the command line', () => {
  it('a bad config file is one line per problem on stderr and exit code 2', async () => {
    const run = await runCli(['--config', 'fixtures/config/bad.sg-lint.yaml', 'fixtures/config/project'], ROOT);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sg-lint: fixtures/config/bad.sg-lint.yaml:3:3: rules.open-db-prot: unknown rule; did you mean "open-db-port"?\n',
    });
  });

  it('--print-config shows the effective configuration of one file', async () => {
    const run = await runCli(['--print-config', 'fixtures/config/project/legacy/stack.yaml'], ROOT);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({
      file: 'fixtures/config/project/legacy/stack.yaml',
      configFile: 'fixtures/config/project/.sg-lint.yaml',
      ignored: false,
      extends: 'recommended',
      networks: { office: ['146.75.0.0/24'] },
    });
    expect(out.rules['open-admin-port']).toEqual({ severity: 'warning', options: expect.any(Object) });
    expect(out.rules['open-db-port']).toEqual({ severity: 'default', options: { ports: ['tcp/5432'], reportPublic: true } });
    expect(out.rules['no-dedicated-ssh-group']).toBeUndefined();
    const ignored = JSON.parse((await runCli(['--print-config', 'fixtures/config/project/generated/stack.yaml'], ROOT)).stdout);
    expect(ignored.ignored).toBe(true);
  });

  it('ignored files are not linted: a file named explicitly is a warning, and nothing linted is exit 2', async () => {
    const run = await runCli(['-f', 'json', 'fixtures/config/project/generated/stack.yaml'], ROOT);
    expect((JSON.parse(run.stdout) as JsonOut).findings).toEqual([]);
    expect(run.stderr).toBe(
      [
        'fixtures/config/project/generated/stack.yaml: warning: not linted: matches ignorePatterns of the configuration',
        'sg-lint: no input was linted',
        'sg-lint: pass --no-error-on-unmatched to accept a run that lints nothing',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(2);
    const allowed = await runCli(['-f', 'json', '--no-error-on-unmatched', 'fixtures/config/project/generated/stack.yaml'], ROOT);
    expect(allowed.code).toBe(0);
  });
});

describe('suppressed findings', () => {
  it('stay in JSON with their justification but do not fail the run', async () => {
    const run = await runCli(['-f', 'json', 'fixtures/suppressions/cdk.out', '--fail-on', 'error'], ROOT);
    const out = JSON.parse(run.stdout) as JsonOut;
    expect(out.findings.map((f) => [f.resource, f.suppressed?.origin])).toEqual([
      ['BastionSgC0FFEE01', 'sg-lint'],
      ['WebSgD00D0001', undefined],
    ]);
    expect(out.summary).toMatchObject({ errors: 1, suppressed: 1 });
    expect(run.code).toBe(1);
  });
});

describe('--only-changed (Terraform plans)', () => {
  it('marks findings on created or updated resources as introduced', async () => {
    const all = JSON.parse((await runCli(['-f', 'json', 'fixtures/diff/plan.json'], ROOT)).stdout) as JsonOut;
    expect(all.findings.map((f) => [f.resource, f.introduced])).toEqual([
      ['aws_security_group.legacy', false],
      ['aws_security_group.web', true],
    ]);
  });

  it('reports only those with --only-changed', async () => {
    const run = await runCli(['-f', 'json', '--only-changed', 'fixtures/diff/plan.json'], ROOT);
    expect((JSON.parse(run.stdout) as JsonOut).findings.map((f) => f.resource)).toEqual(['aws_security_group.web']);
    expect(run.code).toBe(1);
  });
});

describe('--preset', () => {
  it('turns on rules outside the recommended set, and rejects an unknown preset with a suggestion', async () => {
    const recommended = await runCli(['-f', 'json', 'examples/mistakes'], ROOT);
    const all = await runCli(['-f', 'json', '--preset', 'all', 'examples/mistakes'], ROOT);
    const ids = (out: string): string[] => [...new Set((JSON.parse(out) as JsonOut).findings.map((f) => f.ruleId))];
    expect(ids(recommended.stdout)).not.toContain('missing-description');
    expect(ids(all.stdout)).toContain('missing-description');
    expect(await runCli(['--preset', 'alll', 'examples/mistakes'], ROOT)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sg-lint: preset must be one of recommended, strict, all (got "alll"); did you mean "all"?\n',
    });
  });
});
