import { parseParameterPair } from '../engine/parameters';
import { promises as fs, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBaseline, serializeBaseline } from '../engine/baseline';
import { displayPath, optionDefaults } from '../engine/config';
import type { PresetName } from '../engine/presets';
import { createProgress } from './progress';
import type { ProgressStream } from './progress';
import { createResolver, lintRun } from '../engine/lint';
import type { LintOptions, LintRun } from '../engine/lint';
import { ConfigError } from '../engine/run';
import type { Finding, LintResult, Severity } from '../engine/types';
import { SEVERITIES } from '../engine/types';
import type { FormatName } from '../reporters';
import { FORMAT_NAMES, REPORTERS } from '../reporters';
import type { Rule } from '../rules/api';
import { escapeControl } from '../reporters/common';
import { DEFAULT_MAX_FILE_SIZE } from '../parsers/read';
import type { TerraformVarSource } from '../parsers/terraform';
import { renderChanges, runDiff } from './diff';
import type { GraphIo } from './graph';
import type { ModelIo } from './model';

/** Exit codes: the contract with CI. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/** Where rule documentation lives; helpUri in SARIF and links in text output point here. */
export const DOCS_BASE_URL = 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/';

const FORMATS: readonly FormatName[] = FORMAT_NAMES;
const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;
type FailOn = (typeof FAIL_ON)[number];

const HELP = `Usage: sg-lint [options] [file|dir|glob|-]...
       sg-lint diff OLD NEW [options]
       sg-lint graph INPUT [--format mermaid|dot|svg]
       sg-lint model [file|dir|glob|-]... [--format json]

Lints AWS Security Groups in CloudFormation (YAML/JSON), Terraform (plan JSON, .tf.json, .tf)
and CDK output (cdk.out). With no input, lints the current directory.

Options:
  -f, --format <name>       text (default), json, sarif, github, junit, gitlab, markdown;
                            repeat for several reports in one run; NAME:FILE writes that one to FILE
  -o, --output <file>       write the report of the --format before it to a file instead of standard output
      --fail-on <level>     exit 1 on findings at or above: error (default), warning, note, none
  -q, --quiet               report only findings at or above --fail-on
  -c, --config <file>       configuration file (default: .sg-lint.{yaml,yml,json} found upward)
      --print-config <file> print the configuration that applies to a file (JSON) and exit
      --baseline <file>     report only findings not recorded in this baseline
      --write-baseline <file>  record today's findings as the baseline and exit
      --diff-base <ref>     report only findings the inputs did not have at this git ref
      --only-changed        Terraform plans: report only findings on resources the plan changes
      --var <name=value>    Terraform: set a root module variable (repeatable; like terraform -var)
      --var-file <file>     Terraform: read variable values from a .tfvars or .tfvars.json file (repeatable)
      --plugin <path>       load a plugin (a path or a package name; repeatable) for every input
      --preset <name>       rules to start from: recommended (default), strict or all; overrides the config's extends
      --parameters <file>   CloudFormation parameter values (CLI, deploy or CodePipeline JSON form); repeatable
      --parameter <k=v>     one CloudFormation parameter value; repeatable, overrides --parameters
      --max-file-size <n>   refuse inputs larger than n bytes (default ${DEFAULT_MAX_FILE_SIZE})
      --color, --no-color   force colors on or off (default: on for a terminal, off with NO_COLOR)
      --list-rules          list the rules (built-in, plugins, policies) with their default severity and exit
      --verbose             also list skipped files and other notices
      --debug               show stack traces of internal errors
  -v, --version             print the version and exit
  -h, --help                print this help and exit

"sg-lint diff OLD NEW" compares two CloudFormation templates (or cdk.out folders): it lists the
security group rules added and removed, then reports only the findings NEW adds.
"sg-lint model PATHS" prints the normalized model (schemas/model.schema.json) for other policy
engines (OPA/Rego, cfn-guard, jq).

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage error or an input that
could not be read or parsed (all other inputs are still reported).`;

/** Reads the package version without loading package.json through the module system. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Where the CLI writes and what it knows about its environment (tests pass their own). */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Where a progress indicator may draw (a terminal's stderr); absent means no progress display. */
  progress?: ProgressStream;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stdout.isTTY),
  env: process.env,
  cwd: process.cwd(),
  progress: process.stderr.isTTY ? process.stderr : undefined,
});

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. Never throws. */
export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    if (argv[0] === 'diff') return await runDiffCommand(argv.slice(1), io);
    if (argv[0] === 'graph') {
      // Loaded on demand: the graph command brings its own renderers.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runGraph } = require('./graph') as { runGraph(argv: readonly string[], io: GraphIo): Promise<number> };
      return await runGraph(argv.slice(1), io);
    }
    if (argv[0] === 'model') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runModel } = require('./model') as { runModel(argv: readonly string[], io: ModelIo, version: string): Promise<number> };
      return await runModel(argv.slice(1), io, toolVersion());
    }
    return await runLint(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      for (const line of e.message.split('\n')) io.stderr(`sg-lint: ${line}\n`);
      if (e instanceof UsageError && e.showHelp) io.stderr(`Run "sg-lint --help" for usage.\n`);
      return EXIT.error;
    }
    debug ||= io.env.SG_LINT_DEBUG === '1';
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(`sg-lint: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT.error;
  }
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly showHelp = true,
  ) {
    super(message);
  }
}

async function runLint(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCli(argv);
  if (args.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.clean;
  }
  if (args.version) {
    io.stdout(`${toolVersion()}\n`);
    return EXIT.clean;
  }
  const options = lintOptions(args, io);
  if (args.listRules) {
    io.stdout(listRules(createResolver(options, io.cwd).effective('<stdin>').ruleSet));
    return EXIT.clean;
  }
  if (args.printConfig !== undefined) {
    io.stdout(printConfig(args.printConfig, options, io.cwd));
    return EXIT.clean;
  }
  // Many files on a terminal: a progress line on stderr, never in the report, cleared before the report is written.
  const progress = createProgress(io.progress ?? process.stderr, io.progress !== undefined && !args.quiet);
  const run = await lintRun(args.inputs.length > 0 ? args.inputs : ['.'], {
    ...options,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  if (args.writeBaseline !== undefined) {
    const baseline = createBaseline(run.result, toolVersion());
    const path = resolve(io.cwd, args.writeBaseline);
    await fs.mkdir(dirname(path), { recursive: true });
    await fs.writeFile(path, serializeBaseline(baseline));
    const n = baseline.findings.length;
    io.stderr(`sg-lint: wrote ${n} ${n === 1 ? 'finding' : 'findings'} to ${displayPath(path, io.cwd)}\n`);
    for (const e of run.result.errors) io.stderr(formatInputError(e));
    return run.result.errors.length > 0 ? EXIT.error : EXIT.clean;
  }
  return emitReport(run, args, io);
}

/** The lint options the command line asks for. */
function lintOptions(args: CliArgs, io: Io): LintOptions {
  return {
    cwd: io.cwd,
    maxFileSize: args.maxFileSize,
    ...(args.preset !== undefined ? { preset: args.preset as PresetName } : {}),
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
    ...(args.diffBase !== undefined ? { diffBase: args.diffBase } : {}),
    ...(args.onlyChanged ? { onlyChanged: true } : {}),
    terraform: { vars: args.tfVars, env: io.env },
    ...(args.parameterFiles.length > 0 ? { parameterFiles: args.parameterFiles } : {}),
    ...(Object.keys(args.parameters).length > 0 ? { parameters: args.parameters } : {}),
    ...(args.plugins.length > 0 ? { plugins: args.plugins } : {}),
  };
}

/** Formats each requested report, writes it (standard output or its file) and returns the exit code. */
async function emitReport(run: LintRun, args: CliArgs, io: Io, before = ''): Promise<number> {
  const { result, sources } = run;
  const shown = args.quiet ? filterQuiet(result, args.failOn) : result;
  const textOnStdout = args.outputs.some((o) => o.format === 'text' && o.file === undefined);
  for (const target of args.outputs) {
    const toStdout = target.file === undefined;
    const color = args.color ?? (io.isTTY && toStdout && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
    const report = REPORTERS[target.format]({
      result: shown,
      source: (file) => sources.get(file),
      color: target.format === 'text' && color,
      toolVersion: toolVersion(),
      verbose: args.verbose,
      docsBaseUrl: DOCS_BASE_URL,
      workingDirectory: io.cwd,
    });
    // Text reports get the preamble (the diff table) in front; other formats keep it out to stay parseable.
    const text = target.format === 'text' ? before + report : report;
    if (target.file !== undefined) {
      const path = resolve(io.cwd, target.file);
      await fs.mkdir(dirname(path), { recursive: true });
      await fs.writeFile(path, text);
    } else {
      io.stdout(text);
    }
  }
  // With no text report the preamble goes to stderr; with none on standard output, the input problems too.
  if (before && !args.outputs.some((o) => o.format === 'text')) io.stderr(before);
  if (!textOnStdout) for (const e of result.errors) io.stderr(formatInputError(e));
  return exitCode(result, args.failOn);
}

function formatInputError(e: LintResult['errors'][number]): string {
  // One line whatever the file name or message holds: control characters are shown escaped (`\x1b`, `\n`).
  return `${escapeControl(e.file)}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: error: ${escapeControl(e.message)}\n`;
}

async function runDiffCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCli(argv);
  if (args.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.clean;
  }
  const [oldPath, newPath, ...rest] = args.inputs;
  if (oldPath === undefined || newPath === undefined || rest.length > 0) {
    throw new UsageError('diff needs exactly two inputs: sg-lint diff OLD NEW');
  }
  const run = await runDiff(oldPath, newPath, lintOptions(args, io));
  return emitReport(run, args, io, renderChanges(run.changes, oldPath, newPath));
}

/** The effective configuration of one file, as pretty JSON. */
function printConfig(file: string, options: LintOptions, cwd: string): string {
  const resolver = createResolver(options, cwd);
  const config = resolver.effective(file);
  const rules: Record<string, { severity: string; options: Record<string, unknown> }> = {};
  for (const a of resolver.activeRules(config)) {
    rules[a.rule.meta.id] = { severity: a.severity ?? 'default', options: { ...optionDefaults(a.rule.meta), ...a.options } };
  }
  const networks: Record<string, string[]> = {};
  for (const n of config.trustedNetworks) networks[n.name] = n.cidrs.map((c) => c.cidr);
  const out = {
    file,
    configFile: config.configFile !== undefined ? displayPath(config.configFile, cwd) : null,
    ignored: config.ignored,
    extends: config.preset,
    presets: config.presets,
    plugins: config.plugins.map((p) => ({ name: p.name, version: p.version, path: displayPath(p.path, cwd) })),
    rules,
    networks,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** 2 when an input could not be read or parsed; 1 when an unsuppressed finding is at or above the threshold. */
export function exitCode(result: LintResult, failOn: FailOn): number {
  if (result.errors.length > 0) return EXIT.error;
  if (failOn === 'none') return EXIT.clean;
  return result.findings.some((f) => !f.suppression && atLeast(f.severity, failOn)) ? EXIT.findings : EXIT.clean;
}

function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) <= SEVERITIES.indexOf(threshold);
}

function filterQuiet(result: LintResult, failOn: FailOn): LintResult {
  const keep = (f: Finding): boolean => failOn !== 'none' && atLeast(f.severity, failOn);
  return { ...result, findings: result.findings.filter(keep), notices: result.notices.filter((n) => n.visible) };
}

function listRules(rules: readonly Rule<object>[]): string {
  const rows = [...rules]
    .sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))
    .map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.recommended ? 'recommended' : '', r.meta.description]);
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return (
    rows
      .map((r) => r.map((c, i) => (i < 3 ? c.padEnd(width[i] ?? 0) : c)).join('  ').trimEnd())
      .join('\n') + '\n'
  );
}

/** One report to write: its format and its file (standard output when absent). */
export interface OutputTarget {
  format: FormatName;
  file?: string;
}

interface CliArgs {
  inputs: string[];
  outputs: OutputTarget[];
  failOn: FailOn;
  quiet: boolean;
  color?: boolean;
  verbose: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
  config?: string;
  maxFileSize?: number;
  preset?: string;
  printConfig?: string;
  baseline?: string;
  writeBaseline?: string;
  diffBase?: string;
  onlyChanged: boolean;
  /** `--var-file` and `--var` in the order given. */
  tfVars: TerraformVarSource[];
  parameterFiles: string[];
  parameters: Record<string, string>;
  plugins: string[];
}

function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        var: { type: 'string', multiple: true },
        'var-file': { type: 'string', multiple: true },
        format: { type: 'string', short: 'f', multiple: true },
        output: { type: 'string', short: 'o', multiple: true },
        'fail-on': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        config: { type: 'string', short: 'c' },
        'print-config': { type: 'string' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'diff-base': { type: 'string' },
        'only-changed': { type: 'boolean' },
        'max-file-size': { type: 'string' },
        preset: { type: 'string' },
        parameters: { type: 'string', multiple: true },
        parameter: { type: 'string', multiple: true },
        plugin: { type: 'string', multiple: true },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        verbose: { type: 'boolean' },
        debug: { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0] ?? 'bad arguments' : 'bad arguments');
  }
  const v = parsed.values;
  const outputs = outputTargets(parsed.tokens);
  const failOn = (v['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')} (got "${v['fail-on']}")`);
  let maxFileSize: number | undefined;
  if (v['max-file-size'] !== undefined) {
    maxFileSize = parseSize(v['max-file-size']);
    if (maxFileSize === undefined) throw new UsageError(`--max-file-size must be a size in bytes such as 5000000 or 5MB (got "${v['max-file-size']}")`);
  }
  const tfVars: TerraformVarSource[] = [];
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'var-file') tfVars.push({ file: token.value });
    else if (token.name === 'var') {
      const eq = token.value.indexOf('=');
      const name = eq > 0 ? token.value.slice(0, eq).trim() : '';
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new UsageError(`--var must be name=value with a variable name before "=" (got "${token.value}")`);
      tfVars.push({ name, value: token.value.slice(eq + 1) });
    }
  }
  const parameters: Record<string, string> = {};
  for (const pair of v.parameter ?? []) {
    const kv = parseParameterPair(pair);
    if (!kv) throw new UsageError(`--parameter must be Key=Value (got "${pair}")`);
    parameters[kv[0]] = kv[1];
  }
  return {
    inputs: parsed.positionals,
    outputs,
    failOn,
    quiet: v.quiet ?? false,
    color: v['no-color'] ? false : v.color ? true : undefined,
    verbose: v.verbose ?? false,
    listRules: v['list-rules'] ?? false,
    version: v.version ?? false,
    help: v.help ?? false,
    config: v.config,
    maxFileSize,
    preset: v.preset,
    printConfig: v['print-config'],
    baseline: v.baseline,
    writeBaseline: v['write-baseline'],
    diffBase: v['diff-base'],
    onlyChanged: v['only-changed'] ?? false,
    tfVars,
    parameterFiles: v.parameters ?? [],
    parameters,
    plugins: v.plugin ?? [],
  };
}

/**
 * Pairs `--format` and `--output` in the order written: an `--output` belongs to the `--format` before it (or, written
 * first, to the next `--format` without a file, else to the default text report); `-f NAME:FILE` carries its own file.
 * At most one report goes to standard output, and no two reports share a file.
 */
export function outputTargets(tokens: readonly { kind: string; name?: string; value?: string | undefined }[]): OutputTarget[] {
  const targets: OutputTarget[] = [];
  const pending: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    if (token.name === 'format') {
      const colon = token.value.indexOf(':');
      const name = colon > 0 ? token.value.slice(0, colon) : token.value;
      if (!(FORMATS as readonly string[]).includes(name)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${name}")`);
      }
      const target: OutputTarget = { format: name as FormatName };
      if (colon > 0) {
        if (colon === token.value.length - 1) throw new UsageError(`--format ${token.value} names no file after the colon`);
        target.file = token.value.slice(colon + 1);
      } else if (pending.length > 0) {
        target.file = pending.shift();
      }
      targets.push(target);
    } else if (token.name === 'output') {
      const last = targets[targets.length - 1];
      if (last && last.file === undefined) last.file = token.value;
      else pending.push(token.value);
    }
  }
  if (targets.length === 0) targets.push({ format: 'text' });
  for (const file of pending) {
    const free = targets.find((t) => t.file === undefined);
    if (!free) throw new UsageError(`--output ${file} follows a --format that already has a file: give each report its own --format`);
    free.file = file;
  }
  if (targets.filter((t) => t.file === undefined).length > 1) {
    const names = targets.filter((t) => t.file === undefined).map((t) => t.format);
    throw new UsageError(`only one report can go to standard output (got ${names.join(', ')}): give the others a file with --output FILE or -f NAME:FILE`);
  }
  const files = new Set<string>();
  for (const t of targets) {
    if (t.file === undefined) continue;
    if (files.has(t.file)) throw new UsageError(`two reports would be written to ${t.file}`);
    files.add(t.file);
  }
  return targets;
}

/** Parses "5000000", "500KB", "5MB", "1GB". */
function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 * 1024 * 1024 : 1;
  return Number(m[1]) * mult;
}
