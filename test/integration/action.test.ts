// Checks the composite GitHub Action (action.yml) and its example workflow: structure, cross-references between
// inputs, steps and outputs, and the behaviour of its shell steps. The shell steps run for real through
// scripts/run-action.mjs (the local runner) in action.run.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');

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
    expect(Object.keys(action.inputs)).toEqual(['paths', 'args', 'fail-on', 'config', 'sarif-file', 'category', 'upload', 'node-version']);
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

  it('never downloads sg-lint: it runs bin/sg-lint.js from the action\'s own checkout', () => {
    const scripts = steps.map((st) => st.run ?? '').join('\n');
    expect(scripts).not.toMatch(/npx|npm (exec|install)|sg-lint@/);
    expect(stepById('install').run).toContain('cd "$SG_LINT_ACTION_PATH"');
    expect(stepById('install').env).toEqual({ SG_LINT_ACTION_PATH: '${{ github.action_path }}' });
    expect(stepById('lint').run).toContain('node "$SG_LINT_BIN"');
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
