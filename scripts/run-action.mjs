// Runs the composite action (action.yml) locally, the way a GitHub runner runs its steps, to try it and to test it:
//
//   node scripts/run-action.mjs [--action DIR] [--workspace DIR] [--summary FILE] [--report FILE] [--with NAME=VALUE]...
//
// Each `run:` step is executed with `bash --noprofile --norc -eo pipefail` in the workspace, with its `env:`, the
// `${{ inputs.* }}`, `${{ steps.*.outputs.* }}` and `${{ github.action_path | workspace }}` expressions evaluated,
// `$GITHUB_OUTPUT` read back after each step and `$GITHUB_STEP_SUMMARY` pointing at --summary (default: a file in
// the system's temporary folder, printed at the end). `if:` conditions are evaluated (always(), success(), failure(),
// ==, !=, &&, ||, !). `uses:` steps (setup-node, upload-sarif) need GitHub and are not run: the script prints what they
// would have been given. Exit status: that of the first failing step, else 0. The action's outputs are printed as
// JSON on the last line of standard error; --report FILE also writes the whole run (each step's result and output,
// the outputs, the job summary) as JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Splits an expression into tokens: strings, numbers, names (with dots and dashes), operators, parentheses. */
function tokenize(text) {
  const tokens = [];
  const re = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][\w.-]*)|(==|!=|&&|\|\||!|\(|\)|,))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot read the expression "${text}" at "${text.slice(pos)}"`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'value', value: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) tokens.push({ kind: 'value', value: Number(m[2]) });
    else if (m[3] !== undefined) tokens.push({ kind: 'name', value: m[3] });
    else tokens.push({ kind: 'op', value: m[4] });
  }
  return tokens;
}

/** Evaluates a GitHub Actions expression over `context` (a small subset: enough for composite actions). */
export function evaluate(text, context) {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (value) => {
    const t = tokens[i];
    if (value !== undefined && t?.value !== value) throw new Error(`expected "${value}" in "${text}"`);
    i++;
    return t;
  };
  const truthy = (v) => v !== '' && v !== 0 && v !== false && v !== null && v !== undefined;
  const loose = (v) => (typeof v === 'string' ? v.toLowerCase() : v);
  function primary() {
    const t = take();
    if (!t) throw new Error(`unexpected end of "${text}"`);
    if (t.kind === 'value') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.value === '!') return !truthy(primary());
    if (t.kind === 'name') {
      if (peek()?.value === '(') {
        take('(');
        take(')');
        const fn = context.functions[t.value];
        if (!fn) throw new Error(`unknown function ${t.value}() in "${text}"`);
        return fn();
      }
      if (t.value === 'true' || t.value === 'false') return t.value === 'true';
      if (t.value === 'null') return null;
      return t.value.split('.').reduce((obj, key) => (obj === undefined || obj === null ? undefined : obj[key]), context.values) ?? '';
    }
    throw new Error(`unexpected "${t.value}" in "${text}"`);
  }
  function comparison() {
    let v = primary();
    while (peek()?.value === '==' || peek()?.value === '!=') {
      const op = take().value;
      const w = primary();
      v = op === '==' ? loose(v) === loose(w) : loose(v) !== loose(w);
    }
    return v;
  }
  function and() {
    let v = comparison();
    while (peek()?.value === '&&') {
      take();
      const w = comparison();
      v = truthy(v) ? w : v;
    }
    return v;
  }
  function or() {
    let v = and();
    while (peek()?.value === '||') {
      take();
      const w = and();
      v = truthy(v) ? v : w;
    }
    return v;
  }
  const v = or();
  if (i !== tokens.length) throw new Error(`unexpected "${tokens[i].value}" in "${text}"`);
  return v;
}

/** Replaces every `${{ expr }}` in a string. */
function interpolate(text, context) {
  return String(text).replace(/\$\{\{(.*?)\}\}/g, (_, expr) => String(evaluate(expr, context)));
}

/** A step's `if:`, which may be written with or without `${{ }}`; success() when absent. */
function condition(step, context) {
  if (step.if === undefined) return context.functions.success();
  const expr = String(step.if).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const v = evaluate(expr, context);
  return v !== '' && v !== 0 && v !== false && v !== null && v !== undefined;
}

/** Reads `name=value` lines and `name<<DELIM` blocks of a GITHUB_OUTPUT file. */
function readOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/**
 * Runs the action's steps. Returns { status, outputs, summary, summaryFile, log }: `summary` is what the steps wrote to
 * the job summary, `log` what happened to each step (with its output when `stdio` is 'pipe').
 */
export function runAction({ actionDir = root, workspace = process.cwd(), inputs = {}, summaryFile, env = process.env, stdio = 'inherit' } = {}) {
  const action = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8'));
  const values = { inputs: {}, steps: {}, github: { action_path: resolve(actionDir), workspace: resolve(workspace) }, runner: { os: 'Linux', temp: tmpdir() } };
  for (const [name, spec] of Object.entries(action.inputs ?? {})) values.inputs[name] = spec.default ?? '';
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in values.inputs)) throw new Error(`the action has no input "${name}"`);
    values.inputs[name] = value;
  }
  let failed = false;
  const context = { values, functions: { always: () => true, success: () => !failed, failure: () => failed, cancelled: () => false } };
  const scratch = mkdtempSync(join(tmpdir(), 'sg-lint-action-run-'));
  const summary = summaryFile ?? join(scratch, 'step-summary.md');
  writeFileSync(summary, '');
  const log = [];
  let status = 0;
  try {
    action.runs.steps.forEach((step, index) => {
      const name = step.name ?? step.id ?? step.uses ?? `step ${index + 1}`;
      if (!condition(step, context)) {
        log.push({ name, result: 'skipped' });
        return;
      }
      if (step.uses !== undefined) {
        const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(v, context)]));
        log.push({ name, result: 'not run (uses)', uses: step.uses, with: given });
        return;
      }
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, context)]));
      const outputFile = join(scratch, `output-${index}`);
      writeFileSync(outputFile, '');
      const script = join(scratch, `step-${index}.sh`);
      writeFileSync(script, interpolate(step.run, context));
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: resolve(workspace),
        stdio,
        encoding: 'utf8',
        env: {
          ...env,
          ...stepEnv,
          CI: 'true',
          GITHUB_ACTION_PATH: resolve(actionDir),
          GITHUB_WORKSPACE: resolve(workspace),
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summary,
          RUNNER_TEMP: scratch,
        },
      });
      if (step.id !== undefined) values.steps[step.id] = { outputs: readOutputs(readFileSync(outputFile, 'utf8')) };
      if (stdio === 'pipe') {
        process.stdout.write(r.stdout ?? '');
        process.stderr.write(r.stderr ?? '');
      }
      const code = r.status ?? 1;
      log.push({ name, result: code === 0 ? 'success' : `failed (${code})`, stdout: r.stdout, stderr: r.stderr });
      if (code !== 0 && !failed) {
        failed = true;
        status = code;
      }
    });
    const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, o]) => [k, interpolate(o.value, context)]));
    return { status, outputs, summaryFile: summaryFile ?? null, summary: readFileSync(summary, 'utf8'), log };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const options = { inputs: {} };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--action') options.actionDir = value;
    else if (flag === '--workspace') options.workspace = value;
    else if (flag === '--summary') options.summaryFile = value;
    else if (flag === '--report') options.report = value;
    else if (flag === '--with' && value.includes('=')) options.inputs[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else {
      process.stderr.write('Usage: node scripts/run-action.mjs [--action DIR] [--workspace DIR] [--summary FILE] [--report FILE] [--with NAME=VALUE]...\n');
      process.exit(2);
    }
    i++;
  }
  options.summaryFile ??= join(tmpdir(), `sg-lint-step-summary-${process.pid}.md`);
  if (options.report) options.stdio = 'pipe';
  const result = runAction(options);
  if (options.report) writeFileSync(options.report, `${JSON.stringify(result, null, 2)}\n`);
  for (const entry of result.log) {
    const extra = entry.uses ? ` ${entry.uses} with ${JSON.stringify(entry.with)}` : '';
    process.stderr.write(`run-action: ${entry.name}: ${entry.result}${extra}\n`);
  }
  process.stderr.write(`run-action: job summary in ${result.summaryFile}\n`);
  process.stderr.write(`${JSON.stringify(result.outputs)}\n`);
  process.exit(result.status);
}
