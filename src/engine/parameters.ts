/**
 * Parameter values for CloudFormation templates, from files and key=value pairs. Accepted file forms (JSON):
 * - the CloudFormation CLI / Quick Start form: `[{ "ParameterKey": "K", "ParameterValue": "V" }, ...]`
 *   (entries with `UsePreviousValue` and no value are skipped: the deployed value is not known here);
 * - the `aws cloudformation deploy --parameter-overrides file://` and CodePipeline template-configuration form:
 *   `{ "Parameters": { "K": "V" } }`;
 * - a plain object of names to values: `{ "K": "V" }`.
 * Lists are joined with commas, as CloudFormation receives CommaDelimitedList values.
 */
import { relative, resolve } from 'node:path';
import type { SourceLocation } from '../model/types';
import { readJson } from '../parsers/shared/json-positions';
import { readTextSync } from '../parsers/read';
import type { TreeNode } from '../parsers/shared/tree';
import { childOf, stringOf } from '../parsers/shared/tree';
import type { ParameterValue } from '../parsers/types';

/** The parameter values of one run, or the problems that kept a file from being read. */
export interface ParameterSet {
  values: Record<string, ParameterValue>;
  errors: { file: string; message: string }[];
}

/** Reads the files (later files override earlier ones), then applies `pairs` ("--parameter"). */
export function loadParameters(files: readonly string[], pairs: Readonly<Record<string, string>>, cwd: string): ParameterSet {
  const out: ParameterSet = { values: Object.create(null) as Record<string, ParameterValue>, errors: [] };
  for (const file of files) {
    const abs = resolve(cwd, file);
    const shown = relative(cwd, abs) || file;
    let data: unknown;
    const got = readTextSync(abs);
    if (!got.ok) {
      out.errors.push({ file: shown, message: `cannot read parameter file: ${got.message}` });
      continue;
    }
    const text = got.text;
    try {
      data = JSON.parse(text);
    } catch (e) {
      out.errors.push({ file: shown, message: `cannot read parameter file: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
      continue;
    }
    const read = parameterEntries(data);
    if (typeof read === 'string') {
      out.errors.push({ file: shown, message: `not a parameter file: ${read}` });
      continue;
    }
    const where = valueLocations(text, shown);
    for (const [key, value] of read) {
      const location = where.get(key);
      out.values[key] = { value, source: shown, ...(location ? { location } : {}) };
    }
  }
  for (const [key, value] of Object.entries(pairs)) out.values[key] = { value, source: '--parameter' };
  return out;
}

/** Splits "Key=Value" (the value may contain "="); undefined when there is no "=" or no key. */
export function parseParameterPair(text: string): [string, string] | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** The key/value pairs of a parameter file's JSON, or why it is not one. */
function parameterEntries(data: unknown): [string, string][] | string {
  if (Array.isArray(data)) {
    const out: [string, string][] = [];
    for (const item of data) {
      if (typeof item !== 'object' || item === null || typeof (item as Record<string, unknown>).ParameterKey !== 'string') {
        return 'a list must hold { "ParameterKey", "ParameterValue" } objects';
      }
      const entry = item as Record<string, unknown>;
      const value = asValue(entry.ParameterValue);
      if (value !== undefined) out.push([entry.ParameterKey as string, value]);
    }
    return out;
  }
  if (typeof data !== 'object' || data === null) return 'expected a list of ParameterKey/ParameterValue objects or an object of values';
  const obj = data as Record<string, unknown>;
  const inner = typeof obj.Parameters === 'object' && obj.Parameters !== null && !Array.isArray(obj.Parameters) ? (obj.Parameters as Record<string, unknown>) : obj;
  const out: [string, string][] = [];
  for (const [key, raw] of Object.entries(inner)) {
    if (inner === obj && (key === 'Tags' || key === 'StackPolicy')) continue;
    const value = asValue(raw);
    if (value === undefined) return `the value of ${key} is not a string, number, boolean or list`;
    out.push([key, value]);
  }
  return out;
}

function asValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(',');
  return undefined;
}

/**
 * Where each parameter's value is written in the file's text (the `ParameterValue` of the list form, the value of the
 * object forms), for related locations. Read with positions; empty when the text cannot be read that way.
 */
function valueLocations(text: string, file: string): Map<string, SourceLocation> {
  const out = new Map<string, SourceLocation>();
  const tree = readJson(text);
  const root = tree.root;
  const at = (node: TreeNode): SourceLocation => tree.lines.location(file, node.start, node.end);
  if (root?.kind === 'seq') {
    for (const item of root.items) {
      const key = stringOf(childOf(item, 'ParameterKey'));
      const value = childOf(item, 'ParameterValue');
      if (key !== undefined && value !== undefined) out.set(key, at(value));
    }
  } else if (root?.kind === 'map') {
    const inner = childOf(root, 'Parameters');
    const map = inner?.kind === 'map' ? inner : root;
    for (const [key, entry] of map.entries) out.set(key, at(entry.value));
  }
  return out;
}
