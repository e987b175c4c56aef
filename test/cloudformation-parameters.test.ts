// Parameter values from files and --parameter: CloudFormation templates are linted at the given values, and a
// finding says which file set the value.
import path from 'node:path';
import { runCli } from './helpers/cli';
import { lint } from '../src/engine/lint';
import { loadParameters } from '../src/engine/parameters';

const ROOT = path.resolve(__dirname, '..');
const DIR = 'fixtures/cloudformation/parameters';

describe('parameter values', () => {
  it('reads the CLI form and the deploy/CodePipeline form; later files and --parameter win', () => {
    const set = loadParameters([`${DIR}/cli-form.json`, `${DIR}/deploy-form.json`], { Extra: 'x=y' }, ROOT);
    expect(set.errors).toEqual([]);
    expect({ ...set.values }).toEqual({
      // With where each value is written (the quoted value), for related locations of findings.
      AdminCidr: { value: '0.0.0.0/0', source: `${DIR}/cli-form.json`, location: { file: `${DIR}/cli-form.json`, line: 1, column: 50, endLine: 1, endColumn: 61 } },
      DbPort: { value: '3306', source: `${DIR}/deploy-form.json`, location: { file: `${DIR}/deploy-form.json`, line: 1, column: 27, endLine: 1, endColumn: 33 } },
      Extra: { value: 'x=y', source: '--parameter' },
    });
  });

  it('lints the template at the given values and names the file that set each', async () => {
    const result = await lint([`${DIR}/stack.yaml`], { cwd: ROOT, config: false, parameterFiles: [`${DIR}/cli-form.json`, `${DIR}/deploy-form.json`] });
    expect(result.errors).toEqual([]);
    const messages = result.findings.map((f) => `${f.ruleId} ${f.line}: ${f.message}`);
    expect(messages).toContain(
      `open-admin-port 20: Security group AdminSecurityGroup allows SSH (tcp/22) from the whole internet (0.0.0.0/0) via parameter AdminCidr = 0.0.0.0/0 from ${DIR}/cli-form.json`,
    );
    expect(messages.some((m) => m.startsWith('open-db-port 24:') && m.includes('MySQL/Aurora (tcp/3306)') && m.includes(`from ${DIR}/deploy-form.json`))).toBe(true);
  });

  it('takes --parameter Key=Value on the command line and refuses a pair without "="', async () => {
    const run = await runCli([`${DIR}/stack.yaml`, '--parameter', 'AdminCidr=0.0.0.0/0', '-f', 'json'], ROOT);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('via parameter AdminCidr = 0.0.0.0/0 from --parameter');
    const bad = await runCli([`${DIR}/stack.yaml`, '--parameter', 'AdminCidr'], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--parameter must be Key=Value');
  });

  it('reports an unreadable parameter file as an input error (exit 2)', async () => {
    const run = await runCli([`${DIR}/stack.yaml`, '--parameters', `${DIR}/stack.yaml`], ROOT);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('cannot read parameter file');
  });
});
