// The npm package as users get it (slow: builds, packs, and installs the tarball with npm).
//
// The working tree is copied to a temporary folder (node_modules linked, so no install is needed there) and packed
// there: `npm pack` runs `prepack`, which builds dist/, and the checkout's own dist/ is never touched. The tarball is
// then installed into an empty project, with its dependencies from the npm registry (or the npm cache), and run.
// The package has no install-time lifecycle script, and the optional peers (Graphviz for SVG, the CloudFormation diff)
// are not installed by default: the commands that need them say what to install.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLEAN_TEMPLATE, copyWorkingTree, OPEN_SSH_TEMPLATE, ROOT, run, runOk } from './helpers';

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** What may ship: the CLI, the compiled library with its types, the HCL grammar, the schemas and the docs users need. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^bin\/sg-lint\.js$/,
  /^dist\/.+\.c?js$/, // the compiled modules, and the CLI bundled into one file (dist/sg-lint.cjs)
  /^dist\/.+\.d\.ts$/,
  /^dist\/wasm\/tree-sitter-hcl\.(wasm|LICENSE)$/,
  /^dist\/cli\/help\.txt$/, // what `sg-lint --help` prints, written by the build (bin answers --help without the bundle)
  /^schemas\/[\w.-]+\.json$/,
];

const NPM_ENV: NodeJS.ProcessEnv = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

describe('npm package (slow: builds, packs and installs)', () => {
  let work: string;
  let packed: PackResult;
  let project: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sg-lint-pack-'));
    const tree = join(work, 'tree');
    copyWorkingTree(tree, true);
    const out = runOk('npm', ['pack', '--json', '--pack-destination', work], { cwd: tree, env: NPM_ENV, timeoutMs: 170_000 });
    // npm prints the prepack script's output before the JSON.
    const parsed = JSON.parse(out.slice(out.indexOf('[\n'))) as PackResult[];
    packed = parsed[0] as PackResult;
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "user-project", "private": true }\n');
    writeFileSync(join(project, 'bastion.yaml'), OPEN_SSH_TEMPLATE);
    writeFileSync(join(project, 'app.yaml'), CLEAN_TEMPLATE);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('contains exactly what a user needs', () => {
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !ALLOWED.some((re) => re.test(p)))).toEqual([]);
    const required = [
      'package.json',
      'README.md',
      'LICENSE',
      'bin/sg-lint.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/engine/types.d.ts',
      'dist/model/types.d.ts',
      'dist/wasm/tree-sitter-hcl.wasm',
      ...readdirSync(join(ROOT, 'schemas')).map((f) => `schemas/${f}`),
    ];
    expect(required.filter((p) => !paths.includes(p))).toEqual([]);
    for (const forbidden of [/^src\//, /^test\//, /^fixtures\//, /^bench\//, /^examples\//, /^docs\//, /\.map$/, /(?<!\.d)\.ts$/]) {
      expect(paths.filter((p) => forbidden.test(p))).toEqual([]);
    }
  });

  it('declares no install-time lifecycle script and keeps the heavy optional features out of the default install', () => {
    const pkg = JSON.parse(run('tar', ['-xOzf', join(work, packed.filename), 'package/package.json'], { cwd: work }).stdout) as {
      scripts?: Record<string, string>;
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
    expect(Object.keys(pkg.scripts ?? {}).filter((k) => lifecycle.includes(k))).toEqual([]);
    for (const name of ['@viz-js/viz', '@aws-cdk/cloudformation-diff']) {
      expect([name, pkg.dependencies[name], pkg.peerDependenciesMeta[name]]).toEqual([name, undefined, { optional: true }]);
    }
  });

  describe('installed from the tarball into an empty project', () => {
    let installOutput = '';
    beforeAll(() => {
      const r = run('npm', ['install', '--no-progress', join(work, packed.filename)], { cwd: project, env: NPM_ENV, timeoutMs: 170_000 });
      if (r.status !== 0) throw new Error(`npm install failed:\n${r.output}`);
      installOutput = r.output;
    }, 180_000);

    it('installs without any install-script warning and without the optional peers', () => {
      expect(installOutput).not.toMatch(/install-scripts|allowScripts/);
      expect(existsSync(join(project, 'node_modules', '@viz-js'))).toBe(false);
      expect(existsSync(join(project, 'node_modules', '@aws-cdk'))).toBe(false);
      expect(existsSync(join(project, 'node_modules', '@aws-sdk'))).toBe(false);
    });

    it('says which package to install when `graph --format svg` or `diff` needs a missing optional peer', () => {
      const svg = run('npx', ['--no-install', 'sg-lint', 'graph', 'bastion.yaml', '--format', 'svg'], { cwd: project, env: NPM_ENV });
      expect(svg.status).toBe(2);
      expect(svg.stderr.replace(/^npm warn .*\n/gm, '')).toBe(
        'sg-lint graph: sg-lint graph --format svg needs the optional package @viz-js/viz, which is not installed: run "npm install @viz-js/viz@3.31.0" next to sg-lint\n',
      );
      const diff = run('npx', ['--no-install', 'sg-lint', 'diff', 'app.yaml', 'bastion.yaml'], { cwd: project, env: NPM_ENV });
      expect(diff.status).toBe(2);
      expect(diff.stderr.replace(/^npm warn .*\n/gm, '')).toBe(
        'sg-lint: sg-lint diff needs the optional package @aws-cdk/cloudformation-diff, which is not installed: run "npm install @aws-cdk/cloudformation-diff@2.187.5" next to sg-lint\n',
      );
    });

    it('fails on a template that opens SSH to the world, naming the finding', () => {
      const r = run('npx', ['--no-install', 'sg-lint', 'bastion.yaml'], { cwd: project, env: NPM_ENV });
      expect(r.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^bastion\.yaml\n/);
      expect(r.stdout).toMatch(/\d+:\d+\s+error\s+Security group BastionSecurityGroup allows SSH \(tcp\/22\) from the whole internet \(0\.0\.0\.0\/0\)\s+open-admin-port/);
    });

    it('passes a clean template and prints SARIF', () => {
      const r = run('npx', ['--no-install', 'sg-lint', 'app.yaml', '--format', 'sarif'], { cwd: project, env: NPM_ENV });
      expect(r.status).toBe(0);
      const sarif = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[] }[] };
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0]?.results).toEqual([]);
    });

    it('runs the example of docs/api.md', () => {
      const doc = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
      const example = /<!-- api:example -->\n```js\n([\s\S]*?)```\n<!-- \/api:example -->/.exec(doc)?.[1];
      expect(example).toContain("require('sg-lint')");
      writeFileSync(join(project, 'lint-groups.js'), example ?? '');
      const r = run('node', ['lint-groups.js', 'bastion.yaml'], { cwd: project });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        /^bastion\.yaml:\d+:\d+ error open-admin-port: Security group BastionSecurityGroup allows SSH \(tcp\/22\) from the whole internet \(0\.0\.0\.0\/0\)$/m,
      );
      expect(existsSync(join(project, 'sg-lint.sarif'))).toBe(true);
      const clean = run('node', ['lint-groups.js', 'app.yaml'], { cwd: project });
      expect([clean.status, clean.stdout, clean.stderr]).toEqual([0, '', '']);
    });

    it('serves the programmatic API', () => {
      const script = [
        "const { lint, format, RULES } = require('sg-lint');",
        '(async () => {',
        "  const result = await lint(['bastion.yaml']);",
        "  console.log(result.findings.map((f) => f.ruleId + '@' + f.line).join(','));",
        "  console.log(JSON.parse(format(result, 'json')).findings.length === result.findings.length);",
        "  console.log(RULES.some((r) => r.meta.id === 'open-admin-port'));",
        '})();',
      ].join('\n');
      const [ids, sameCount, hasRule] = runOk('node', ['-e', script], { cwd: project }).trim().split('\n');
      expect(ids).toMatch(/(^|,)open-admin-port@\d+(,|$)/);
      expect([sameCount, hasRule]).toEqual(['true', 'true']);
    });

    it('loads a plugin named by .sg-lint.yaml that requires sg-lint, the same plugin installed as a package with a preset, and serves sg-lint/testing and the documented deep imports', () => {
      mkdirSync(join(project, 'plugin-demo', 'tools'), { recursive: true });
      writeFileSync(join(project, 'plugin-demo', 'tools', 'acme.js'), readFileSync(join(ROOT, 'examples', 'plugin', 'index.js'), 'utf8'));
      writeFileSync(join(project, 'plugin-demo', '.sg-lint.yaml'), 'plugins: [./tools/acme.js]\n');
      writeFileSync(
        join(project, 'plugin-demo', 'db.yaml'),
        'Resources:\n  DbSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/8 }\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      VPCSecurityGroups: [!GetAtt DbSg.GroupId]\n',
      );
      const r = run('npx', ['--no-install', 'sg-lint', 'plugin-demo/db.yaml', '--format', 'json'], { cwd: project, env: NPM_ENV });
      expect(r.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
      const ids = (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId);
      expect(ids).toContain('acme/database-from-groups-only');

      // The same plugin installed as a package next to sg-lint, named by its package name, with one of its presets.
      const pkg = join(project, 'node_modules', 'sg-lint-plugin-acme');
      mkdirSync(pkg, { recursive: true });
      for (const f of ['package.json', 'index.js']) writeFileSync(join(pkg, f), readFileSync(join(ROOT, 'examples', 'plugin', f), 'utf8'));
      mkdirSync(join(project, 'plugin-pkg'), { recursive: true });
      writeFileSync(join(project, 'plugin-pkg', '.sg-lint.yaml'), 'plugins: [sg-lint-plugin-acme]\nextends: acme/strict\n');
      writeFileSync(join(project, 'plugin-pkg', 'db.yaml'), readFileSync(join(project, 'plugin-demo', 'db.yaml'), 'utf8'));
      const installed = run('npx', ['--no-install', 'sg-lint', 'plugin-pkg/db.yaml', '--format', 'json'], { cwd: project, env: NPM_ENV });
      expect(installed.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
      const report = JSON.parse(installed.stdout) as { findings: { ruleId: string; severity: string }[]; rules: { id: string; origin: string }[] };
      // acme/strict grades the plugin's rule as an error and adds its owner-tag policy.
      expect(report.findings.filter((f) => f.ruleId.startsWith('acme/')).map((f) => `${f.ruleId} ${f.severity}`)).toEqual([
        'acme/owner-tag warning',
        'acme/database-from-groups-only error',
      ]);
      expect(report.rules.filter((x) => x.id.startsWith('acme/')).map((x) => `${x.id} ${x.origin}`)).toEqual(['acme/database-from-groups-only plugin', 'acme/owner-tag policy']);
      const script = [
        "console.log(typeof require('sg-lint/testing').RuleTester);",
        "console.log(typeof require('sg-lint/dist/graph').buildGraph);",
        "console.log(require('sg-lint/schemas/report.schema.json').title);",
      ].join('\n');
      expect(runOk('node', ['-e', script], { cwd: project }).trim().split('\n')).toEqual(['function', 'function', 'sg-lint JSON report']);
    });

    it('draws the groups as SVG with `sg-lint graph` once the optional Graphviz package is installed', () => {
      runOk('npm', ['install', '--no-progress', '@viz-js/viz@3.31.0'], { cwd: project, env: NPM_ENV, timeoutMs: 170_000 });
      const r = run('npx', ['--no-install', 'sg-lint', 'graph', 'bastion.yaml', '--output', 'groups.svg'], { cwd: project, env: NPM_ENV });
      expect(r.stderr.replace(/^npm warn .*\n/gm, '')).toBe('');
      expect(r.status).toBe(0);
      const svg = readFileSync(join(project, 'groups.svg'), 'utf8');
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg).toContain('>BastionSecurityGroup</text>');
      expect(svg).toContain('>tcp/22 (SSH)</text>');
    });
  });
});
