/**
 * The options of `sg-lint` (lint) and `sg-lint diff`, as a table, and their reading into `CliArgs`. To add an
 * option: add a row to `LINT_OPTIONS` (it appears in `--help` and is parsed from then on), a field to `CliArgs`, and
 * read it in `parseCli`.
 */
import type { PresetName } from '../engine/presets';
import type { RuleSettings } from '../engine/run';
import { suggestion } from '../engine/config';
import { SEVERITIES } from '../engine/types';
import { DEFAULT_MAX_FILE_SIZE } from '../parsers/read';
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
  { name: 'format', short: 'f', value: '<name>', help: `${FORMAT_NAMES.join(', ')} (default text)` },
  { name: 'output', short: 'o', value: '<file>', help: 'write the report to a file instead of standard output (never over an input)' },
  { name: 'fail-on', value: '<level>', help: 'exit 1 on findings at or above: error (default), warning, note, none' },
  { name: 'max-warnings', value: '<n>', help: 'also exit 1 when there are more than n warnings' },
  { name: 'quiet', short: 'q', help: 'report only findings at or above --fail-on' },
  { name: 'config', short: 'c', value: '<file>', help: 'configuration file (default: .sg-lint.{yaml,yml,json} found upward)' },
  { name: 'print-config', value: '<file>', help: 'print the configuration that applies to a file (JSON) and exit' },
  { name: 'preset', value: '<name>', help: "rules to start from: recommended (default), strict or all; overrides the config's extends" },
  { name: 'rule', value: '<id:severity>', repeatable: true, help: 'set a rule to error, warning, note or off, over the configuration (repeatable)' },
  { name: 'disable', value: '<id>', repeatable: true, help: 'turn a rule off (repeatable); the same as --rule id:off' },
  { name: 'only', value: '<id>', repeatable: true, help: 'run only this rule (repeatable), with its configured severity and options' },
  { name: 'baseline', value: '<file>', help: 'report only findings not recorded in this baseline' },
  { name: 'write-baseline', value: '<file>', help: "record today's findings as the baseline and exit" },
  { name: 'diff-base', value: '<ref>', help: 'report only findings the inputs did not have at this git ref' },
  { name: 'only-changed', help: 'Terraform plans: report only findings on resources the plan changes' },
  { name: 'stdin-filename', value: '<path>', help: 'the name standard input (-) is reported and configured as' },
  { name: 'no-error-on-unmatched', help: 'exit 0 instead of 2 when no input was linted' },
  { name: 'max-file-size', value: '<n>', help: `refuse inputs larger than n bytes (default ${DEFAULT_MAX_FILE_SIZE})` },
  { name: 'color', help: 'force colors on (default: on for a terminal; FORCE_COLOR and NO_COLOR are honoured)' },
  { name: 'no-color', help: 'force colors off' },
  { name: 'list-rules', help: 'list the rules with their default severity and exit (--format json for JSON)' },
  { name: 'verbose', help: 'also list skipped files and other notices' },
  { name: 'debug', help: 'show stack traces of internal errors' },
  { name: 'version', short: 'v', help: 'print the version and exit' },
  { name: 'help', short: 'h', help: 'print this help and exit' },
];

/** The command line of a lint or diff run, read and checked. */
export interface CliArgs {
  inputs: string[];
  format: FormatName;
  output?: string;
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
  /** `--rule` and `--disable`, in order (later ones win); with `--only`, every other rule off. */
  rules: RuleSettings;
  /** `--only`: the rules to run (empty: as configured). */
  only: string[];
  baseline?: string;
  writeBaseline?: string;
  diffBase?: string;
  onlyChanged: boolean;
  stdinFilename?: string;
  errorOnUnmatched: boolean;
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
  const format = oneOf('--format', str('format') ?? 'text', FORMAT_NAMES);
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
  const stdinFilename = str('stdin-filename');
  if (stdinFilename !== undefined && stdinFilename.trim() === '') throw new UsageError('--stdin-filename needs a file name');
  return {
    inputs: parsed.positionals,
    format,
    output: str('output'),
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
  };
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")${suggestion(value, allowed)}`);
}

/**
 * `--rule id:severity`, `--disable id` and `--only id` as rule settings (`--only` turns every other rule off); unknown
 * ids and severities are usage errors.
 */
function ruleSettings(rules: readonly string[], disabled: readonly string[], only: readonly string[]): RuleSettings {
  const ids = RULES.map((r) => r.meta.id as string);
  const known = (id: string, flag: string): string => {
    if (!ids.includes(id)) throw new UsageError(`${flag}: unknown rule "${id}"${suggestion(id, ids)}`);
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
  if (only.length > 0) {
    for (const id of only) known(id, '--only');
    for (const id of ids) if (!only.includes(id)) settings[id] = 'off';
  }
  return settings;
}

/** Parses "5000000", "500KB", "5MB", "1GB". */
function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 * 1024 * 1024 : 1;
  return Number(m[1]) * mult;
}
