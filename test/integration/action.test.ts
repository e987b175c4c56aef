// Checks the composite GitHub Action (action.yml) and its example workflow: structure, cross-references between
// inputs, steps and outputs, and the behaviour of its shell steps (run with a stand-in `npx`).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
/** How GitHub runs `shell: bash` steps: `bash --noprofile --norc -eo pipefail {0}`. */
const GITHUB_BASH = ['--noprofile', '--norc', '-eo', 'pipefail', '-c'];

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;
const steps = action.runs.steps;

/** Every `${{ ... }}` expression and every bare `if:` condition of a step, as text. */
function expressionsOf(value: unknown): string[] {
  const text = JSON.stringify(value);
  return [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1] ?? '');
}

function stepById(id: string): Step {
  const step = steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual([
      'paths',
      'fail-on',
      'config',
      'sarif-file',
      'category',
      'upload',
      'version',
      'node-version',
    ]);
    expect(action.inputs['fail-on']?.default).toBe('error');
    expect(action.inputs['sarif-file']?.default).toBe('sg-lint.sarif');
    expect(Object.keys(action.outputs)).toEqual(['sarif-file', 'exit-code']);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, typeof input.description]).toEqual([name, 'string']);
    }
  });

  it('uses every input it declares and declares every input it uses', () => {
    const used = new Set<string>();
    for (const step of steps) {
      const conditions = step.if ? [step.if] : [];
      for (const expr of [...expressionsOf(step), ...conditions]) {
        for (const m of expr.matchAll(/inputs\.([\w-]+)/g)) used.add(m[1] ?? '');
      }
    }
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it('refers only to outputs that an earlier step writes', () => {
    const references: [number, string, string][] = [];
    steps.forEach((step, index) => {
      const conditions = step.if ? [step.if] : [];
      for (const expr of [...expressionsOf(step), ...conditions]) {
        for (const m of expr.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) references.push([index, m[1] ?? '', m[2] ?? '']);
      }
    });
    for (const output of Object.values(action.outputs)) {
      for (const m of output.value.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) references.push([steps.length, m[1] ?? '', m[2] ?? '']);
    }
    expect(references.length).toBeGreaterThan(5);
    for (const [index, id, name] of references) {
      const producer = stepById(id);
      expect(steps.indexOf(producer)).toBeLessThan(index);
      expect(producer.run).toContain(`echo "${name}=`);
    }
  });

  it('gives every script a shell, pins every action and never pastes an expression into a script', () => {
    for (const step of steps) {
      if (step.run !== undefined) {
        expect([step.name, step.shell]).toEqual([step.name, 'bash']);
        expect(step.run).not.toContain('${{');
      } else {
        expect(step.uses).toMatch(/^[\w-]+\/[\w/-]+@v\d+$/);
      }
    }
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual([
      'actions/setup-node@v4',
      'github/codeql-action/upload-sarif@v4',
    ]);
  });

  it('uploads the SARIF file the lint step wrote, with the category, even when the lint step found problems', () => {
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.with).toEqual({
      sarif_file: '${{ steps.lint.outputs.sarif-file }}',
      category: '${{ inputs.category }}',
    });
    expect(upload?.if).toMatch(/^always\(\) && /);
    const order = steps.map((s) => s.id ?? s.uses ?? s.name);
    expect(order.indexOf('lint')).toBeLessThan(order.indexOf('github/codeql-action/upload-sarif@v4'));
    expect(order[order.length - 1]).toBe('Fail on findings');
  });
});

describe('action.yml shell steps', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sg-lint-action-'));
    // A stand-in npx: records its arguments, writes the --output file, exits with $FAKE_EXIT.
    writeFileSync(
      join(dir, 'npx'),
      [
        '#!/usr/bin/env bash',
        'printf "%s\\n" "$*" >> "$FAKE_LOG"',
        'prev=""; for a in "$@"; do if [ "$prev" = "--output" ]; then echo "{}" > "$a"; fi; prev="$a"; done',
        'exit "${FAKE_EXIT:-0}"',
      ].join('\n'),
    );
    chmodSync(join(dir, 'npx'), 0o755);
    writeFileSync(join(dir, 'package.json'), '{"version":"9.8.7"}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function runStep(id: string, env: Record<string, string>): { status: number | null; outputs: string; log: string } {
    const script = stepById(id).run ?? '';
    writeFileSync(join(dir, 'out'), '');
    writeFileSync(join(dir, 'log'), '');
    const result = spawnSync('bash', GITHUB_BASH.concat(script), {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        GITHUB_OUTPUT: join(dir, 'out'),
        FAKE_LOG: join(dir, 'log'),
        SG_LINT_ACTION_PATH: dir,
        ...env,
      },
    });
    return { status: result.status, outputs: readFileSync(join(dir, 'out'), 'utf8'), log: readFileSync(join(dir, 'log'), 'utf8') };
  }

  const inputs = {
    SG_LINT_PATHS: 'infra/\nstacks/**/*.yaml  cdk.out',
    SG_LINT_FAIL_ON: 'warning',
    SG_LINT_CONFIG: '',
    SG_LINT_SARIF_FILE: 'sg-lint.sarif',
    SG_LINT_VERSION: '',
  };

  it('runs the action release version with the inputs, globs unexpanded, and records the exit code', () => {
    // A file the glob would match if the shell expanded it.
    mkdirSync(join(dir, 'stacks', 'a'), { recursive: true });
    writeFileSync(join(dir, 'stacks', 'a', 'x.yaml'), '');
    const r = runStep('lint', { ...inputs, FAKE_EXIT: '1' });
    expect(r.status).toBe(0);
    expect(r.log).toBe(
      [
        '--yes sg-lint@9.8.7 --fail-on warning --fail-on none -- infra/ stacks/**/*.yaml cdk.out',
        '--yes sg-lint@9.8.7 --fail-on warning --format sarif --output sg-lint.sarif -- infra/ stacks/**/*.yaml cdk.out',
        '',
      ].join('\n'),
    );
    expect(r.outputs).toBe('exit-code=1\nsarif-file=sg-lint.sarif\n');
  });

  it('passes the config file and an explicit version', () => {
    const r = runStep('lint', { ...inputs, SG_LINT_CONFIG: '.sg-lint.yaml', SG_LINT_VERSION: '0.2.0', SG_LINT_PATHS: '.' });
    expect(r.log.split('\n')[1]).toBe(
      '--yes sg-lint@0.2.0 --fail-on warning --config .sg-lint.yaml --format sarif --output sg-lint.sarif -- .',
    );
    expect(r.outputs).toBe('exit-code=0\nsarif-file=sg-lint.sarif\n');
  });

  it('fails the job with sg-lint\'s exit code in the last step', () => {
    const script = steps[steps.length - 1]?.run ?? '';
    const r = spawnSync('bash', GITHUB_BASH.concat(script), {
      encoding: 'utf8',
      env: { SG_LINT_EXIT_CODE: '1', SG_LINT_FAIL_ON: 'warning', PATH: process.env.PATH ?? '' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("::error title=sg-lint::findings at or above 'warning' (see the report above and the code scanning alerts)\n");
  });
});

describe('docs/examples/github-workflow.yml', () => {
  const workflow = parse(readFileSync(join(ROOT, 'docs', 'examples', 'github-workflow.yml'), 'utf8')) as {
    permissions: Record<string, string>;
    jobs: Record<string, { steps: Step[] }>;
  };

  it('grants the upload permission and passes only inputs the action declares', () => {
    expect(workflow.permissions['security-events']).toBe('write');
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('sg-lint/sg-lint@'));
    expect(uses).toHaveLength(1);
    const keys = Object.keys(uses[0]?.with ?? {});
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(Object.keys(action.inputs)).toContain(key);
  });
});
