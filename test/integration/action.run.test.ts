// The composite action run for real by the local runner (scripts/run-action.mjs) from a clean checkout of a release
// tree (scripts/release.mjs --out): the only network use is the action's own `npm ci --omit=dev` of sg-lint's runtime
// dependencies (answered from the npm cache when it has them). One sg-lint run must give a valid SARIF file, the
// workflow annotations and the job summary; the example workflow's inputs must pass on a repository without cdk.out.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateSarif } from '../helpers/sarif';
import { CLEAN_TEMPLATE, OPEN_SSH_TEMPLATE, ROOT, run, runOk } from './helpers';

interface StepLog {
  name: string;
  result: string;
  uses?: string;
  with?: Record<string, string>;
  stdout?: string;
  stderr?: string;
}
interface ActionRun {
  status: number;
  outputs: Record<string, string>;
  summary: string;
  log: StepLog[];
}

const NPM_ENV: NodeJS.ProcessEnv = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

describe('the action, run by scripts/run-action.mjs from a release checkout (slow)', () => {
  let work: string;
  let release: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sg-lint-action-e2e-'));
    release = join(work, 'action');
    runOk(process.execPath, [join(ROOT, 'scripts', 'release.mjs'), '--out', release], { cwd: ROOT, timeoutMs: 170_000 });
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs the local runner as a user would, with --report to read back every step. */
  function runAction(options: { workspace: string; inputs: Record<string, string> }): ActionRun {
    const report = join(options.workspace, '..', `${options.workspace.split('/').pop() ?? 'ws'}.report.json`);
    const args = [join(ROOT, 'scripts', 'run-action.mjs'), '--action', release, '--workspace', options.workspace, '--report', report];
    for (const [name, value] of Object.entries(options.inputs)) args.push('--with', `${name}=${value}`);
    const r = run(process.execPath, args, { cwd: options.workspace, env: NPM_ENV, timeoutMs: 170_000 });
    const result = JSON.parse(readFileSync(report, 'utf8')) as ActionRun;
    expect(r.status).toBe(result.status);
    return result;
  }

  function workspace(name: string, files: Record<string, string>): string {
    const dir = join(work, name);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    return dir;
  }

  it('writes SARIF, annotations and the job summary in one run and fails the job on an error', () => {
    const ws = workspace('ws-open', { 'infra/bastion.yaml': OPEN_SSH_TEMPLATE, 'infra/app.yaml': CLEAN_TEMPLATE });
    const r = runAction({ workspace: ws, inputs: { paths: 'infra/', args: '--preset recommended' } });
    const byName = Object.fromEntries(r.log.map((s) => [s.name, s]));
    expect(r.log.map((s) => [s.name, s.result.replace(/\(\d+\)/, '(n)')])).toEqual([
      ['Check for Node.js 20 or later', 'success'],
      ['Set up Node.js', 'skipped'],
      ["Prepare sg-lint from the action's checkout", 'success'],
      ['Run sg-lint', 'success'],
      ['Upload SARIF to code scanning', 'not run (uses)'],
      ['Fail on findings', 'failed (n)'],
    ]);
    expect(r.status).toBe(1);
    expect(r.outputs).toEqual({ 'sarif-file': 'sg-lint.sarif', 'exit-code': '1' });
    expect(byName['Upload SARIF to code scanning']?.with).toEqual({ sarif_file: 'sg-lint.sarif', category: 'sg-lint' });
    // One sg-lint run: its standard output is exactly the annotations.
    expect(byName['Run sg-lint']?.stdout).toMatch(
      /^::error file=infra\/bastion\.yaml,line=11,col=19,endLine=11,endColumn=28,title=open-admin-port::Security group BastionSecurityGroup allows SSH \(tcp\/22\) from the whole internet \(0\.0\.0\.0\/0\)%0Afix: Admit only your VPN or office range, a bastion's security group, or use Session Manager and remove the rule \(https:\/\/github\.com\/sg-lint\/sg-lint\/blob\/main\/docs\/rules\/open-admin-port\.md\)\n$/,
    );
    const sarif = JSON.parse(readFileSync(join(ws, 'sg-lint.sarif'), 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results.map((x) => x.ruleId)).toEqual(['open-admin-port']);
    expect(r.summary).toContain('| [`open-admin-port`](https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md) | error | 1 | 0 |');
    expect(byName['Fail on findings']?.stdout).toBe(
      "::error title=sg-lint::findings at or above 'error' (see the annotations, the job summary and the code scanning alerts)\n",
    );
  });

  it('keeps the example workflow green on a repository without cdk.out', () => {
    const workflow = parse(readFileSync(join(ROOT, 'docs', 'examples', 'github-workflow.yml'), 'utf8')) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    const step = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.startsWith('sg-lint/sg-lint@'));
    const ws = workspace('ws-clean', { 'stacks/app.yaml': CLEAN_TEMPLATE, 'package.json': '{ "name": "x" }\n' });
    const r = runAction({ workspace: ws, inputs: step?.with ?? {} });
    expect(r.log.find((s) => s.name === 'Run sg-lint')?.stderr).toBe('');
    expect(r.outputs).toEqual({ 'sarif-file': 'sg-lint.sarif', 'exit-code': '0' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain('1 file linted: 0 errors, 0 warnings, 0 notes.');
  });
});
