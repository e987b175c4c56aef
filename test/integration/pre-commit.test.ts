// End to end with the real pre-commit (slow: pre-commit installs the hook repository with npm, which builds it).
//
// pre-commit clones a hook repository at a commit, so it only sees committed code. To exercise the hook definition
// and the package exactly as they are in this working tree, the test copies the tree (committed or not) into a
// temporary repository, commits it there, and points a user repository's .pre-commit-config.yaml at that commit:
// pre-commit then does what it does for every user (clone, `npm install`, which builds dist/ through `prepare`,
// `npm pack`, and a global install of the tarball into its own environment) and runs the hook on `git commit`.
//
// The install takes minutes. The commit id depends only on the files, so the hook repository and pre-commit's home
// are kept in one cache folder under the system temporary folder, keyed by the tree's hash: an unchanged tree reuses
// the installed hook, a changed one wipes the cache and installs afresh.
//
// Note: pre-commit takes the tarball name from `npm pack`'s standard output. npm 10+ prints the `prepare` script's
// banner there too, unless `foreground-scripts=false` is set (the repository's .npmrc does that).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CLEAN_TEMPLATE,
  commitAll,
  copyWorkingTree,
  GIT_ENV,
  hasCommand,
  OPEN_SSH_TEMPLATE,
  ROOT,
  run,
  runOk,
  workingTreeHash,
} from './helpers';

/** Where the installed hook is kept between runs (one tree at a time). */
const CACHE = join(tmpdir(), 'sg-lint-pre-commit-e2e');
const INSTALL_TIMEOUT_MS = 540_000;

const available = hasCommand('pre-commit') && hasCommand('git');
if (!available) console.log('pre-commit end-to-end test skipped: `pre-commit` (or git) is not installed (apt-get install pre-commit)');

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  const hook = hooks[0] ?? {};
  const files = new RegExp(String(hook.files));
  const exclude = new RegExp(String(hook.exclude));
  const selected = (path: string): boolean => files.test(path) && !exclude.test(path);

  it('defines one node hook running the sg-lint binary on all files in one process', () => {
    expect(hooks).toHaveLength(1);
    expect(hook).toMatchObject({ id: 'sg-lint', language: 'node', entry: 'sg-lint --no-error-on-unmatched', require_serial: true });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin)).toContain(String(hook.entry).split(' ')[0]);
  });

  it('selects templates and Terraform files and skips vendored and generated folders', () => {
    for (const path of ['stack.yaml', 'a/b.yml', 'cfn/app.template', 'main.tf', 'main.tf.json', 'plan.json', 'x.json']) {
      expect([path, selected(path)]).toEqual([path, true]);
    }
    for (const path of [
      'README.md',
      'main.tfvars',
      'node_modules/pkg/stack.yaml',
      'infra/.terraform/modules/x/main.tf',
      'cdk.out/App.template.json',
      'app/cdk.out/manifest.json',
      'stack.yaml.bak',
    ]) {
      expect([path, selected(path)]).toEqual([path, false]);
    }
  });
});

(available ? describe : describe.skip)('pre-commit hook, end to end (slow)', () => {
  let work: string;
  let user: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    const key = workingTreeHash();
    const hookRepo = join(CACHE, `hook-${key}`);
    if (!existsSync(join(hookRepo, '.git'))) {
      rmSync(CACHE, { recursive: true, force: true });
      mkdirSync(CACHE, { recursive: true });
      copyWorkingTree(hookRepo, false);
      commitAll(hookRepo, 'snapshot of the sg-lint working tree');
    }
    expect(readdirSync(CACHE).filter((f) => f.startsWith('hook-'))).toEqual([`hook-${key}`]);
    const rev = runOk('git', ['rev-parse', 'HEAD'], { cwd: hookRepo }).trim();
    work = mkdtempSync(join(tmpdir(), 'sg-lint-pre-commit-'));
    user = join(work, 'user-repo');
    env = {
      ...GIT_ENV,
      PRE_COMMIT_HOME: join(CACHE, 'pre-commit-home'),
      // Dependencies come from the npm cache when they are there; the registry is asked only for what is missing.
      npm_config_prefer_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    runOk('git', ['init', '--quiet', user], { cwd: work, env });
    writeFileSync(
      join(user, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: sg-lint\n`,
    );
    writeFileSync(join(user, 'package.json'), '{ "name": "not-a-template", "version": "1.0.0" }\n');
    runOk('pre-commit', ['install'], { cwd: user, env });
    const install = run('pre-commit', ['install-hooks'], { cwd: user, env, timeoutMs: INSTALL_TIMEOUT_MS });
    if (install.status !== 0) {
      const hint = install.output.includes('> sg-lint@')
        ? '\nThe `prepare` banner leaked into `npm pack` output: set foreground-scripts=false in the repository .npmrc.'
        : '';
      throw new Error(`pre-commit install-hooks failed (${install.status ?? install.signal}):\n${install.output}${hint}`);
    }
  }, INSTALL_TIMEOUT_MS + 30_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('blocks a commit of a template that opens SSH to the world, showing the finding', () => {
    writeFileSync(join(user, 'bastion.yaml'), OPEN_SSH_TEMPLATE);
    runOk('git', ['add', 'bastion.yaml', 'package.json', '.pre-commit-config.yaml'], { cwd: user, env });
    const commit = run('git', ['commit', '-m', 'add bastion'], { cwd: user, env, timeoutMs: 60_000 });
    expect(commit.status).toBe(1);
    expect(commit.output).toMatch(/sg-lint \(AWS security groups\)\.+Failed/);
    expect(commit.output).toContain('bastion.yaml');
    expect(commit.output).toMatch(/(8|11):\d+\s+error\s+.*SSH \(tcp\/22\).*0\.0\.0\.0\/0.*open-admin-port/);
    // Nothing was committed.
    expect(run('git', ['rev-parse', '--verify', 'HEAD'], { cwd: user, env }).status).not.toBe(0);
  });

  it('lets a clean template (and a JSON file that is no template) through', () => {
    runOk('git', ['rm', '--cached', '--quiet', 'bastion.yaml'], { cwd: user, env });
    writeFileSync(join(user, 'app.yaml'), CLEAN_TEMPLATE);
    runOk('git', ['add', 'app.yaml', 'package.json', '.pre-commit-config.yaml'], { cwd: user, env });
    const commit = run('git', ['commit', '-m', 'add app'], { cwd: user, env, timeoutMs: 60_000 });
    expect(commit.output).toMatch(/sg-lint \(AWS security groups\)\.+Passed/);
    expect(commit.status).toBe(0);
    expect(runOk('git', ['log', '--format=%s'], { cwd: user, env })).toBe('add app\n');
  });
});
