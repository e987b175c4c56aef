/**
 * The command line as a table: every option is one row (name, short form, value, help line), and both the argument
 * parser and `--help` are derived from the table. Adding an option means adding a row here and reading its value
 * where it is used.
 */
import { suggestion } from '../engine/config-errors';
import { maxOf, pushAll } from '../model/arrays';

/** One command-line option. */
export interface OptionSpec {
  /** Long name without the leading dashes: "format" for `--format`. */
  name: string;
  /** One-letter short form without the dash. */
  short?: string;
  /** Placeholder of the value (`<name>`); options without one are flags. */
  value?: string;
  /** May be given more than once; the values are kept in order. */
  repeatable?: boolean;
  /** One line for `--help`. */
  help: string;
  /** Not listed in `--help` (accepted, e.g. for compatibility). */
  hidden?: boolean;
}

/** Thrown for arguments the table does not accept; the message is one line in sg-lint's words. */
export class ArgumentError extends Error {}

/** The values given on the command line, by long name: a string, a list of strings (repeatable) or true. */
export type OptionValues = Record<string, string | string[] | true>;

/** Parsed arguments: option values by long name, the options with values in the order written, and positionals. */
export interface ParsedArgs {
  values: OptionValues;
  /** Every option given a value, in command-line order (pairs `--format` with the `--output` after it). */
  tokens: { name: string; value: string }[];
  positionals: string[];
}

/** "--name" of every option `--help` lists. */
function visibleNames(table: readonly OptionSpec[]): string[] {
  return table.filter((s) => !s.hidden).map((s) => `--${s.name}`);
}

/**
 * Parses `argv` against the table. Accepts `--name value`, `--name=value`, `-x value`, `-xvalue`, grouped short
 * flags (`-qv`), `-` as a positional (standard input) and `--` to end the options. Unknown options, missing values
 * and values given to flags are `ArgumentError`s with a suggestion when a known option is close.
 */
export function parseArguments(argv: readonly string[], table: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(table.map((s) => [s.name, s]));
  const byShort = new Map(table.filter((s) => s.short !== undefined).map((s) => [s.short as string, s]));
  const values: OptionValues = {};
  const tokens: ParsedArgs['tokens'] = [];
  const positionals: string[] = [];
  const set = (spec: OptionSpec, value: string | true): void => {
    if (typeof value === 'string') tokens.push({ name: spec.name, value });
    if (spec.repeatable && typeof value === 'string') {
      const list = values[spec.name];
      values[spec.name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      values[spec.name] = value;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      pushAll(positionals, argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    // The value of an option that takes one: inline, else the next argument (which must not look like an option).
    const valueOf = (spec: OptionSpec, inline: string | undefined, shown: string): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) {
        throw new ArgumentError(`${shown} needs a value: ${shown} ${spec.value ?? '<value>'}`);
      }
      i++;
      return next;
    };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      const spec = byName.get(name);
      if (spec === undefined) {
        throw new ArgumentError(`unknown option --${name}${suggestion(`--${name}`, visibleNames(table))}`);
      }
      if (spec.value === undefined) {
        if (inline !== undefined) throw new ArgumentError(`--${name} is a flag and takes no value (got "${inline}")`);
        set(spec, true);
      } else {
        set(spec, valueOf(spec, inline, `--${name}`));
      }
      continue;
    }
    // "-format" is "--format" with one dash missing, not "-f ormat".
    const word = arg.slice(1).split('=')[0] ?? '';
    if (word.length > 2) {
      const hint = byName.has(word) ? `; did you mean "--${word}"?` : suggestion(`--${word}`, visibleNames(table));
      if (hint) throw new ArgumentError(`unknown option ${arg.split('=')[0]}${hint}`);
    }
    // Short options: "-f json", "-fjson", "-qv".
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k] as string;
      const spec = byShort.get(letter);
      if (spec === undefined) throw new ArgumentError(`unknown option -${letter}`);
      if (spec.value === undefined) {
        set(spec, true);
        continue;
      }
      const rest = arg.slice(k + 1);
      set(spec, valueOf(spec, rest === '' ? undefined : rest.replace(/^=/, ''), `-${letter}`));
      break;
    }
  }
  return { values, tokens, positionals };
}

/** The options part of `--help`: one aligned line per visible option. */
export function optionHelp(table: readonly OptionSpec[]): string {
  const heads = table
    .filter((s) => !s.hidden)
    .map((s) => [`${s.short !== undefined ? `-${s.short}, ` : '    '}--${s.name}${s.value !== undefined ? ` ${s.value}` : ''}`, s.help] as const);
  const width = maxOf(heads.map(([h]) => h.length)) + 2;
  return heads.map(([h, text]) => `  ${h.padEnd(width)}${text}`).join('\n');
}

/** A string option's value (the last one when repeated). */
export function stringValue(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v[v.length - 1];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable option's values, in order; empty when absent. */
export function listValue(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (Array.isArray(v)) return v;
  return typeof v === 'string' ? [v] : [];
}

/** True when a flag was given. */
export function flagValue(values: OptionValues, name: string): boolean {
  return values[name] === true;
}
