/**
 * The options of `sg-lint` (lint) and `sg-lint diff`, as a table, and their reading into `CliArgs`. To add an
 * option: add a row to `LINT_OPTIONS` (it appears in `--help` and is parsed from then on), a field to `CliArgs`, and
 * read it in `parseCli`.
 */
import { parseParameterPair } from '../engine/parameters';
import type { PresetName } from '../engine/presets';
import type { RuleSettings } from '../engine/run';
import { suggestion } from '../engine/config-errors';
import { SEVERITIES } from '../engine/types';
import { DEFAULT_MAX_FILE_SIZE } from '../parsers/read';
import type { TerraformVarSource } from '../parsers/terraform';
import type { FormatName } from '../reporters';
import { FORMAT_NAMES } from '../reporters';
import { RULES } from '../rules';
import type { OptionSpec } from './options';
import { ArgumentError, flagValue, listValue, parseArguments, stringValue } from './options';

/** Thresholds of `--fail-on`. */
export const FAIL_ON = ['error', 'warning', 'note', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Every option of the lint and diff commands, in `--help` order. */
export const LINT_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'format',
    short: 'f',
    value: '<name>',
    repeatable: true,
    help: `${FORMAT_NAMES.join(', ')} (default text); repeat for several reports in one run; NAME:FILE writes that one to FILE`,
  },
  { name: 'output', short: 'o', value: '<file>', repeatable: true, help: 'write the report of the --format before it to a file (never over an input)' },
  { name: 'fail-on', value: '<level>', help: 'exit 1 on findings at or above: error (default), warning, note, none' },
  { name: 'max-warnings', value: '<n>', help: 'also exit 1 when there are more than n warnings' },
  { name: 'quiet', short: 'q', help: 'report only findings at or above --fail-on' },
  { name: 'config', short: 'c', value: '<file>', help: 'configuration file (default: .sg-lint.{yaml,yml,json} found upward)' },
  { name: 'print-config', value: '<file>', help: 'print the configuration that applies to a file (JSON) and exit' },
  { name: 'preset', value: '<name>', help: "rules to start from: recommended (default), strict or all; replaces the built-in preset of the config's extends (a plugin's presets still apply)" },
  { name: 'rule', value: '<id:severity>', repeatable: true, help: 'set a rule to error, warning, note or off, over the configuration (repeatable)' },
  { name: 'disable', value: '<id>', repeatable: true, help: 'turn a rule off (repeatable); the same as --rule id:off' },
  { name: 'only', value: '<id>', repeatable: true, help: 'run only this rule (repeatable), with its configured severity and options; every other rule is off, plugin rules and policies included' },
  { name: 'baseline', value: '<file>', help: 'report only findings not recorded in this baseline' },
  { name: 'write-baseline', value: '<file>', help: "record today's findings as the baseline and exit" },
  { name: 'diff-base', value: '<ref>', help: 'report only findings the inputs did not have at this git ref' },
  { name: 'only-changed', help: 'Terraform plans: report only findings on resources the plan changes' },
  { name: 'var', value: '<name=value>', repeatable: true, help: 'Terraform: set a root module variable (repeatable; like terraform -var)' },
  { name: 'var-file', value: '<file>', repeatable: true, help: 'Terraform: read variable values from a .tfvars or .tfvars.json file (repeatable)' },
  { name: 'parameters', value: '<file>', repeatable: true, help: 'CloudFormation parameter values (CLI, deploy or CodePipeline JSON form); repeatable' },
  { name: 'parameter', value: '<key=value>', repeatable: true, help: 'one CloudFormation parameter value; repeatable, overrides --parameters' },
  { name: 'plugin', value: '<path>', repeatable: true, help: 'load a plugin (a path or a package name; repeatable) for every input' },
  { name: 'stdin-filename', value: '<path>', help: 'the name standard input (-) is reported and configured as' },
  { name: 'no-error-on-unmatched', help: 'exit 0 instead of 2 when no input was linted' },
  { name: 'max-file-size', value: '<n>', help: `refuse inputs larger than n bytes (default ${DEFAULT_MAX_FILE_SIZE})` },
  { name: 'color', help: 'force colors on (default: on for a terminal; FORCE_COLOR and NO_COLOR are honoured)' },
  { name: 'no-color', help: 'force colors off' },
  { name: 'list-rules', help: 'list the rules (built-in, plugins, policies) with their default severity and exit (--format json for JSON)' },
  { name: 'verbose', help: 'also list skipped files and other notices' },
  { name: 'debug', help: 'show stack traces of internal errors' },
  { name: 'version', short: 'v', help: 'print the version and exit' },
  { name: 'help', short: 'h', help: 'print this help and exit' },
];

/** One report to write: its format and its file (standard output when absent). */
export interface OutputTarget {
  format: FormatName;
  file?: string;
}

/** The command line of a lint or diff run, read and checked. */
export interface CliArgs {
  inputs: string[];
  /** The reports to write, in command-line order; at most one goes to standard output. */
  outputs: OutputTarget[];
  failOn: FailOn;
  maxWarnings?: number;
  quiet: boolean;
  color?: boolean;
  verbose: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
  config?: string;
  maxFileSize?: number;
  preset?: PresetName;
  printConfig?: string;
  /** `--rule` and `--disable`, in order (later ones win). */
  rules: RuleSettings;
  /** `--only`: the rules to run (empty: as configured). */
  only: string[];
  baseline?: string;
  writeBaseline?: string;
  diffBase?: string;
  onlyChanged: boolean;
  stdinFilename?: string;
  errorOnUnmatched: boolean;
  /** `--var-file` and `--var` in the order given. */
  tfVars: TerraformVarSource[];
  parameterFiles: string[];
  parameters: Record<string, string>;
  plugins: string[];
}

/** A command-line problem: one line on stderr, exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showHelp = true,
  ) {
    super(message);
  }
}

/** Reads the arguments of a lint or diff run. Throws `UsageError` with one line in sg-lint's words. */
export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArguments(argv, LINT_OPTIONS);
  } catch (e) {
    if (e instanceof ArgumentError) throw new UsageError(e.message);
    throw e;
  }
  const v = parsed.values;
  const str = (name: string): string | undefined => stringValue(v, name);
  const outputs = outputTargets(parsed.tokens);
  const failOn = oneOf('--fail-on', str('fail-on') ?? 'error', FAIL_ON);
  let maxFileSize: number | undefined;
  if (str('max-file-size') !== undefined) {
    maxFileSize = parseSize(str('max-file-size') as string);
    if (maxFileSize === undefined) throw new UsageError(`--max-file-size must be a size in bytes such as 5000000 or 5MB (got "${str('max-file-size')}")`);
  }
  let maxWarnings: number | undefined;
  if (str('max-warnings') !== undefined) {
    const text = str('max-warnings') as string;
    if (!/^\d+$/.test(text)) throw new UsageError(`--max-warnings must be a whole number such as 0 or 10 (got "${text}")`);
    maxWarnings = Number(text);
  }
  const tfVars: TerraformVarSource[] = [];
  for (const token of parsed.tokens) {
    if (token.name === 'var-file') tfVars.push({ file: token.value });
    else if (token.name === 'var') {
      const eq = token.value.indexOf('=');
      const name = eq > 0 ? token.value.slice(0, eq).trim() : '';
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new UsageError(`--var must be name=value with a variable name before "=" (got "${token.value}")`);
      tfVars.push({ name, value: token.value.slice(eq + 1) });
    }
  }
  const parameters: Record<string, string> = {};
  for (const pair of listValue(v, 'parameter')) {
    const kv = parseParameterPair(pair);
    if (!kv) throw new UsageError(`--parameter must be Key=Value (got "${pair}")`);
    parameters[kv[0]] = kv[1];
  }
  const stdinFilename = str('stdin-filename');
  if (stdinFilename !== undefined && stdinFilename.trim() === '') throw new UsageError('--stdin-filename needs a file name');
  return {
    inputs: parsed.positionals,
    outputs,
    failOn,
    maxWarnings,
    quiet: flagValue(v, 'quiet'),
    color: flagValue(v, 'no-color') ? false : flagValue(v, 'color') ? true : undefined,
    verbose: flagValue(v, 'verbose'),
    listRules: flagValue(v, 'list-rules'),
    version: flagValue(v, 'version'),
    help: flagValue(v, 'help'),
    config: str('config'),
    maxFileSize,
    preset: str('preset') as PresetName | undefined,
    printConfig: str('print-config'),
    rules: ruleSettings(listValue(v, 'rule'), listValue(v, 'disable'), listValue(v, 'only')),
    only: listValue(v, 'only'),
    baseline: str('baseline'),
    writeBaseline: str('write-baseline'),
    diffBase: str('diff-base'),
    onlyChanged: flagValue(v, 'only-changed'),
    stdinFilename,
    errorOnUnmatched: !flagValue(v, 'no-error-on-unmatched'),
    tfVars,
    parameterFiles: listValue(v, 'parameters'),
    parameters,
    plugins: listValue(v, 'plugin'),
  };
}

/**
 * Pairs `--format` and `--output` in the order written: an `--output` belongs to the `--format` before it (or, written
 * first, to the next `--format` without a file, else to the default text report); `-f NAME:FILE` carries its own file.
 * At most one report goes to standard output, and no two reports share a file.
 */
export function outputTargets(tokens: readonly { name: string; value: string }[]): OutputTarget[] {
  const targets: OutputTarget[] = [];
  const pending: string[] = [];
  for (const token of tokens) {
    if (token.name === 'format') {
      const colon = token.value.indexOf(':');
      const name = oneOf('--format', colon > 0 ? token.value.slice(0, colon) : token.value, FORMAT_NAMES);
      const target: OutputTarget = { format: name };
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

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")${suggestion(value, allowed)}`);
}

/**
 * `--rule id:severity` and `--disable id` as rule settings, and the `--only` ids checked (the engine turns every other rule off); unknown
 * built-in ids and bad severities are usage errors. Namespaced ids (`plugin/rule`, `policy/name`) are checked by the
 * engine once plugins and policies are loaded.
 */
function ruleSettings(rules: readonly string[], disabled: readonly string[], only: readonly string[]): RuleSettings {
  const ids = RULES.map((r) => r.meta.id as string);
  const known = (id: string, flag: string): string => {
    if (!ids.includes(id) && !id.includes('/')) throw new UsageError(`${flag}: unknown rule "${id}"${suggestion(id, ids)}`);
    return id;
  };
  const settings: RuleSettings = {};
  for (const spec of rules) {
    const colon = spec.lastIndexOf(':');
    if (colon <= 0) throw new UsageError(`--rule needs a rule id and a severity, such as --rule open-db-port:warning (got "${spec}")`);
    const id = known(spec.slice(0, colon), '--rule');
    const severity = spec.slice(colon + 1);
    const levels: readonly string[] = [...SEVERITIES, 'off'];
    if (!levels.includes(severity)) {
      throw new UsageError(`--rule ${id}: severity must be one of ${levels.join(', ')} (got "${severity}")${suggestion(severity, levels)}`);
    }
    settings[id] = severity as RuleSettings[string];
  }
  for (const id of disabled) settings[known(id, '--disable')] = 'off';
  // The engine turns every other rule off (plugin and policy rules included: it knows them once they are loaded).
  for (const id of only) known(id, '--only');
  return settings;
}

/** Parses "5000000", "500KB", "5MB", "1GB". */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 * 1024 * 1024 : 1;
  return Number(m[1]) * mult;
}
