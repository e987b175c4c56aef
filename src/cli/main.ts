import { promises as fs, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createBaseline, serializeBaseline } from '../engine/baseline';
import { displayPath, optionDefaults } from '../engine/config';
import { createProgress } from './progress';
import type { ProgressStream } from './progress';
import { createResolver, lintRun, runDiff } from '../engine/lint';
import type { LintOptions, LintRun } from '../engine/lint';
import { ConfigError } from '../engine/run';
import type { Finding, LintResult, Severity } from '../engine/types';
import { SEVERITIES } from '../engine/types';
import { REPORTERS } from '../reporters';
import { escapeControl, helpUriOf } from '../reporters/common';
import type { Rule } from '../rules/api';
import type { CliArgs, FailOn } from './args';
import { LINT_OPTIONS, parseCli, UsageError } from './args';

export { outputTargets } from './args';
export type { OutputTarget } from './args';
import { optionHelp } from './options';
import { toolVersion } from './help';

export { toolVersion };
import { renderChanges } from './diff';
import type { GraphIo } from './graph';
import type { ModelIo } from './model';
import { maxOf } from '../model/arrays';

/** Exit codes: the contract with CI. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/** Where rule documentation lives; helpUri in SARIF and links in text output point here. */
export const DOCS_BASE_URL = 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/';

/** `--help`: usage, the option table, and what the exit codes mean. */
function helpText(): string {
  return `Usage: sg-lint [options] [file|dir|glob|-]...
       sg-lint diff OLD NEW [options]
       sg-lint graph INPUT [--format mermaid|dot|svg]
       sg-lint model [file|dir|glob|-]... [--format json]

Lints AWS Security Groups in CloudFormation (YAML/JSON), Terraform (plan JSON, .tf.json, .tf)
and CDK output (cdk.out). With no input, lints the current directory.

Options:
${optionHelp(LINT_OPTIONS)}

"sg-lint diff OLD NEW" compares two CloudFormation templates (or cdk.out folders): it lists the
security group rules added and removed, then reports only the findings NEW adds.
"sg-lint model PATHS" prints the normalized model (schemas/model.schema.json) for other policy
engines (OPA/Rego, cfn-guard, jq).

Exit codes: 0 no findings at or above --fail-on, 1 findings (or more warnings than --max-warnings),
2 usage error, an input that could not be read or parsed (all other inputs are still reported),
or no input linted at all (unless --no-error-on-unmatched).`;
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

async function runLint(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCli(argv);
  if (args.help) {
    io.stdout(`${helpText()}\n`);
    return EXIT.clean;
  }
  if (args.version) {
    io.stdout(`${toolVersion()}\n`);
    return EXIT.clean;
  }
  const options = lintOptions(args, io);
  if (args.listRules) {
    const format = args.outputs[0]?.format ?? 'text';
    if (args.outputs.length > 1 || (format !== 'text' && format !== 'json')) throw new UsageError(`--list-rules writes one list, as text or json`);
    const rules = createResolver(options, io.cwd).effective('<stdin>').ruleSet;
    io.stdout(format === 'json' ? listRulesJson(rules) : listRules(rules));
    return EXIT.clean;
  }
  if (args.printConfig !== undefined) {
    io.stdout(printConfig(args.printConfig, options, io.cwd));
    return EXIT.clean;
  }
  for (const t of args.outputs) if (t.file !== undefined) refuseOutputOverInput(t.file, args.inputs, io.cwd);
  // Many files on a terminal: a progress line on stderr, never in the report, cleared before the report is written.
  const progress = createProgress(io.progress ?? process.stderr, io.progress !== undefined && !args.quiet);
  const run = await lintRun(args.inputs.length > 0 ? args.inputs : ['.'], {
    ...options,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  for (const t of args.outputs) if (t.file !== undefined) refuseOutputOverInput(t.file, run.result.files, io.cwd);
  if (args.writeBaseline !== undefined) {
    const baseline = createBaseline(run.result, toolVersion());
    const path = resolve(io.cwd, args.writeBaseline);
    await fs.mkdir(dirname(path), { recursive: true });
    await fs.writeFile(path, serializeBaseline(baseline));
    const n = baseline.findings.length;
    io.stderr(`sg-lint: wrote ${n} ${n === 1 ? 'finding' : 'findings'} to ${displayPath(path, io.cwd)}\n`);
    for (const e of run.result.errors) io.stderr(formatInputError(e));
    if (run.result.errors.length > 0) return EXIT.error;
    return nothingLinted(run.result, args, io) ? EXIT.error : EXIT.clean;
  }
  const code = await emitReport(run, args, io);
  return nothingLinted(run.result, args, io) ? EXIT.error : code;
}

/**
 * True (after saying so on stderr) when no input was linted and that counts as a failure: a folder without templates,
 * empty standard input, every file skipped or ignored. Input errors already explain themselves and fail the run.
 */
function nothingLinted(result: LintResult, args: CliArgs, io: Io): boolean {
  if (result.files.length > 0 || result.errors.length > 0 || !args.errorOnUnmatched) return false;
  const why = result.notices.filter((n) => !n.visible).map((n) => `  ${n.file}: ${n.message}\n`);
  io.stderr(`sg-lint: no input was linted${why.length > 0 ? ':' : ''}\n${why.join('')}`);
  io.stderr('sg-lint: pass --no-error-on-unmatched to accept a run that lints nothing\n');
  return true;
}

/** Refuses (usage error) to write the report over one of the inputs. */
function refuseOutputOverInput(output: string, inputs: readonly string[], cwd: string): void {
  const target = realPath(resolve(cwd, output));
  const hit = inputs.find((input) => input !== '-' && realPath(resolve(cwd, input)) === target);
  if (hit !== undefined) throw new UsageError(`--output ${output} is an input of this run; refusing to overwrite it`, false);
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The lint options the command line asks for. */
function lintOptions(args: CliArgs, io: Io): LintOptions {
  return {
    cwd: io.cwd,
    maxFileSize: args.maxFileSize,
    // --only runs the named rules whatever the preset (every other rule is off in args.rules).
    ...(args.preset !== undefined ? { preset: args.preset } : args.only.length > 0 ? { preset: 'all' as const } : {}),
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(Object.keys(args.rules).length > 0 ? { rules: args.rules } : {}),
    ...(args.only.length > 0 ? { only: args.only } : {}),
    ...(args.baseline !== undefined ? { baseline: args.baseline } : {}),
    ...(args.diffBase !== undefined ? { diffBase: args.diffBase } : {}),
    ...(args.onlyChanged ? { onlyChanged: true } : {}),
    terraform: { vars: args.tfVars, env: io.env },
    ...(args.parameterFiles.length > 0 ? { parameterFiles: args.parameterFiles } : {}),
    ...(Object.keys(args.parameters).length > 0 ? { parameters: args.parameters } : {}),
    ...(args.plugins.length > 0 ? { plugins: args.plugins } : {}),
    ...(args.stdinFilename !== undefined ? { stdinFilename: args.stdinFilename } : {}),
  };
}

/**
 * Whether the text report is colored: `--color`/`--no-color` first; never in a file written with --output; then
 * FORCE_COLOR (any value but "0" or "false" turns colors on, as in Node), NO_COLOR (any non-empty value turns them
 * off), and finally whether standard output is a terminal that is not "dumb".
 */
export function useColor(args: { color?: boolean; output?: string }, io: Pick<Io, 'isTTY' | 'env'>): boolean {
  if (args.color !== undefined) return args.color;
  if (args.output !== undefined) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (io.env.NO_COLOR) return false;
  return io.isTTY && io.env.TERM !== 'dumb';
}

/** Formats each requested report, writes it (standard output or its file) and returns the exit code. */
async function emitReport(run: LintRun, args: CliArgs, io: Io, before = ''): Promise<number> {
  const { result, sources } = run;
  const shown = args.quiet ? filterQuiet(result, args.failOn) : result;
  const hidden = unsuppressed(result.findings).length - unsuppressed(shown.findings).length;
  // The human formats print input errors and visible notices themselves; any other report on stdout leaves them to stderr.
  const textOnStdout = args.outputs.some((o) => (o.format === 'text' || o.format === 'compact') && o.file === undefined);
  for (const target of args.outputs) {
    const report = REPORTERS[target.format]({
      result: shown,
      source: (file) => sources.get(file),
      color: target.format === 'text' && useColor({ ...(args.color !== undefined ? { color: args.color } : {}), ...(target.file !== undefined ? { output: target.file } : {}) }, io),
      toolVersion: toolVersion(),
      verbose: args.verbose,
      docsBaseUrl: DOCS_BASE_URL,
      workingDirectory: io.cwd,
      failOn: args.failOn,
      ...(hidden > 0 ? { hiddenByQuiet: hidden } : {}),
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
  // With no text report the preamble goes to stderr; with none on standard output, input problems and warnings too.
  if (before && !args.outputs.some((o) => o.format === 'text')) io.stderr(before);
  if (!textOnStdout) {
    for (const e of result.errors) io.stderr(formatInputError(e));
    for (const w of result.notices.filter((n) => n.visible)) io.stderr(formatInputError(w, 'warning'));
  }
  const code = exitCode(result, args.failOn);
  if (code === EXIT.clean && args.maxWarnings !== undefined) {
    const warnings = unsuppressed(result.findings).filter((f) => f.severity === 'warning').length;
    if (warnings > args.maxWarnings) {
      io.stderr(`sg-lint: ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, more than --max-warnings ${args.maxWarnings} allows\n`);
      return EXIT.findings;
    }
  }
  return code;
}

function unsuppressed(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppression);
}

function formatInputError(e: LintResult['errors'][number], kind = 'error'): string {
  // One line whatever the file name or message holds: control characters are shown escaped (`\x1b`, `\n`).
  return `${escapeControl(e.file)}${e.line ? `:${e.line}:${e.column ?? 1}` : ''}: ${kind}: ${escapeControl(e.message)}\n`;
}

async function runDiffCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCli(argv);
  if (args.help) {
    io.stdout(`${helpText()}\n`);
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
    parameters: Object.fromEntries(Object.entries(config.parameters).map(([k, v]) => [k, v.value])),
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

/** `--list-rules --format json`: every rule's public metadata (built-in, plugins, policies), sorted by id. */
function listRulesJson(rules: readonly Rule<object>[]): string {
  const list = [...rules]
    .sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))
    .map((r) => ({
      id: r.meta.id,
      description: r.meta.description,
      defaultSeverity: r.meta.defaultSeverity,
      recommended: r.meta.recommended,
      tags: r.meta.tags,
      ...(r.meta.securitySeverity !== undefined ? { securitySeverity: r.meta.securitySeverity } : {}),
      ...(r.meta.fix !== undefined ? { fix: r.meta.fix } : {}),
      ...(docsUrl(r.meta) !== undefined ? { docs: docsUrl(r.meta) } : {}),
      ...(r.meta.references !== undefined ? { references: r.meta.references } : {}),
      options: optionDefaults(r.meta),
    }));
  return `${JSON.stringify({ version: 1, rules: list }, null, 2)}\n`;
}

/** A rule's documentation: its own `meta.url`, else the built-in rule's page; plugin and policy rules may have none. */
function docsUrl(meta: Rule<object>['meta']): string | undefined {
  return helpUriOf(meta, DOCS_BASE_URL);
}

function listRules(rules: readonly Rule<object>[]): string {
  const rows = [...rules]
    .sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))
    .map((r) => [r.meta.id, r.meta.defaultSeverity, r.meta.recommended ? 'recommended' : '', r.meta.description]);
  const width = [0, 1, 2].map((i) => maxOf(rows.map((r) => (r[i] ?? '').length)));
  return (
    rows
      .map((r) => r.map((c, i) => (i < 3 ? c.padEnd(width[i] ?? 0) : c)).join('  ').trimEnd())
      .join('\n') + '\n'
  );
}
