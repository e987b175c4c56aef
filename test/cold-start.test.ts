// What a run loads (docs/performance.md, "Cold start"): a CloudFormation-only run evaluates no Terraform code and
// none of the packages only some runs need; `--help` and `--version` load neither the bundle nor the CLI. Checked on
// the built package: the modules in Node's require cache after a run, in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ensureBuilt, ROOT } from './helpers/built-cli';

let dir: string;
let hook: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-cold-'));
  // Prints the files in the require cache when the process exits (stderr, one JSON line).
  hook = join(dir, 'hook.js');
  writeFileSync(
    hook,
    `process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\nBUILTINS ' + JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (crypto|child_process)$/.test(m)).map((m) => m.slice(13))) + '\\n'));`,
  );
  writeFileSync(join(dir, 'clean.yaml'), CLEAN_TEMPLATE);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node -r hook <args>` and returns the loaded files relative to the repository (hook itself left out). */
function loaded(args: readonly string[]): { files: string[]; builtins: string[]; stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['-r', hook, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const line = (prefix: string): string => {
    const found = r.stderr.split('\n').find((l) => l.startsWith(prefix));
    if (!found) throw new Error(`no module list; stderr: ${r.stderr}`);
    return found.slice(prefix.length);
  };
  const files = (JSON.parse(line('LOADED ')) as string[]).filter((f) => f !== hook).map((f) => relative(ROOT, f).split(sep).join('/'));
  return { files, builtins: JSON.parse(line('BUILTINS ')) as string[], stdout: r.stdout, status: r.status };
}

/** A template the recommended rules find nothing in. */
const CLEAN_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  AppSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: App tier
      VpcId: vpc-0123456789abcdef0
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16, Description: HTTPS from the VPC }
      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16, Description: HTTPS to the VPC }
`;

/** Runs dist/cli/main.js (the unbundled build, where each source module is its own file) on `inputs`. */
function lintUnbundled(inputs: readonly string[]): string[] {
  const script = `require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}).main(${JSON.stringify(['-f', 'json', '--fail-on', 'none', ...inputs])}, { stdout: () => {}, stderr: (s) => process.stderr.write(s), isTTY: false, env: {}, cwd: ${JSON.stringify(ROOT)} }).then((c) => { process.exitCode = c; });`;
  const r = loaded(['-e', script]);
  expect(r.status).toBe(0);
  return r.files;
}

const TERRAFORM_CODE = /^dist\/parsers\/terraform\/(?!detect\.js$|suppressions\.js$)/;
const ON_DEMAND_PACKAGES = /node_modules\/(yaml|ip-num|tinyglobby|picomatch|ajv|web-tree-sitter)\//;

describe('cold start', () => {
  it('a CloudFormation-only run loads no Terraform code and no on-demand package', () => {
    const files = lintUnbundled(['examples/three-tier/stack.yaml', 'examples/mistakes/legacy-stack.yaml']);
    expect(files).toContain('dist/parsers/cloudformation/index.js');
    expect(files.filter((f) => TERRAFORM_CODE.test(f))).toEqual([]);
    expect(files.filter((f) => ON_DEMAND_PACKAGES.test(f))).toEqual([]);
    expect(files).not.toContain('dist/cli/graph.js');
  });

  it('a Terraform run loads the Terraform parsers (the check above can see them)', () => {
    const files = lintUnbundled(['examples/terraform/main.tf']);
    expect(files.filter((f) => TERRAFORM_CODE.test(f)).length).toBeGreaterThan(5);
  });

  it('the bundle loads no on-demand package for a CloudFormation template', () => {
    const r = loaded(['bin/sg-lint.js', '-f', 'json', '--fail-on', 'none', 'examples/three-tier/stack.yaml']);
    expect(r.status).toBe(0);
    // The bundle is compiled through its code cache (src/cli/code-cache.ts), outside Node's require cache.
    expect(r.files).toContain('dist/cli/code-cache.js');
    expect(r.files.filter((f) => ON_DEMAND_PACKAGES.test(f))).toEqual([]);
  });

  it('a run that finds nothing loads neither node:crypto nor node:child_process; a finding loads crypto', () => {
    const clean = loaded(['bin/sg-lint.js', join(dir, 'clean.yaml')]);
    expect(clean.status).toBe(0);
    expect(clean.builtins).toEqual([]);
    const findings = loaded(['bin/sg-lint.js', '--fail-on', 'none', 'examples/mistakes/legacy-stack.yaml']);
    expect(findings.status).toBe(0);
    expect(findings.builtins).toEqual(['crypto']);
  });

  it.each([['--version'], ['-v'], ['--help'], ['-h']])('%s loads only the help module and prints what main prints', (flag) => {
    const r = loaded(['bin/sg-lint.js', flag]);
    expect(r.status).toBe(0);
    expect(r.files.sort()).toEqual(['bin/sg-lint.js', 'dist/cli/help.js']);
    const script = `let out = ''; require(${JSON.stringify(join(ROOT, 'dist', 'cli', 'main.js'))}).main([${JSON.stringify(flag)}], { stdout: (s) => { out += s; }, stderr: () => {}, isTTY: false, env: {}, cwd: '.' }).then((c) => { process.stdout.write(out); process.exitCode = c; });`;
    const full = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(full.status).toBe(0);
    expect(r.stdout).toBe(full.stdout);
    expect(r.stdout.length).toBeGreaterThan(flag.includes('v') ? 4 : 500);
  });
});
