/**
 * Configuration error rendering: turns schema errors into one line per problem, `file:line:column: path: what is
 * wrong and what is allowed`, with "did you mean" suggestions for misspelt rule ids, option names and keys.
 */
import type { LineIndex } from '../parsers/shared/line-index';
import type { TreeNode } from '../parsers/shared/tree';
import { ROOT_KEYS } from './config-schema';
import type { SchemaError } from './config-schema';
import { POLICY_KEYS, POLICY_KINDS } from './policies';
import type { Rule } from './types';

export interface Problem {
  segments: (string | number)[];
  /** Point at the key of the last segment rather than its value. */
  key: boolean;
  text: string;
}

/** Drops summary errors (`if`) and duplicates, keeping ajv's order. */
export function pickErrors(errors: readonly SchemaError[]): SchemaError[] {
  const seen = new Set<string>();
  const out: SchemaError[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

function segmentsOf(instancePath: string, data: unknown): (string | number)[] {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const s: string | number = Array.isArray(cur) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(s);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(s)] : undefined;
  }
  return out;
}

function valueAt(data: unknown, segments: readonly (string | number)[]): unknown {
  let cur = data;
  for (const s of segments) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(s)] : undefined;
  return cur;
}

/** Is `segments` a rule setting path: rules.<id> or overrides[n].rules.<id>? Returns the rule id. */
function ruleIdAt(segments: readonly (string | number)[]): string | undefined {
  const n = segments.length;
  const isRules = (i: number): boolean => segments[i] === 'rules' && (i === 0 || (i === 2 && segments[0] === 'overrides'));
  if (n >= 2 && isRules(n - 2)) return String(segments[n - 1]);
  return undefined;
}

export function describe(e: SchemaError, data: unknown, rules: readonly Rule<object>[]): Problem {
  const segments = segmentsOf(e.instancePath, data);
  const value = valueAt(data, segments);
  const ruleId = ruleIdAt(segments);
  const last = segments[segments.length - 1];
  const parentRuleId = ruleIdAt(segments.slice(0, -1));
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const at = [...segments, extra];
      if (segments.length === 0) return { segments: at, key: true, text: unknownKey(extra, ROOT_KEYS) };
      if (last === 'rules') {
        const ids = rules.map((r) => r.meta.id);
        const hint = suggestion(extra, ids);
        return { segments: at, key: true, text: `unknown rule${hint || '; run sg-lint --list-rules for the rule ids'}` };
      }
      if (ruleId !== undefined) return { segments: at, key: true, text: unknownKey(extra, ['severity', 'options']) };
      if (last === 'options' && parentRuleId !== undefined) {
        const names = Object.keys(rules.find((r) => r.meta.id === parentRuleId)?.meta.options ?? {}).sort();
        const allowed = names.length > 0 ? `options are ${names.join(', ')}` : 'it has no options';
        return { segments: at, key: true, text: `unknown option of ${parentRuleId}; ${allowed}${suggestion(extra, names)}` };
      }
      if (typeof last === 'number' && segments[0] === 'overrides') return { segments: at, key: true, text: unknownKey(extra, ['files', 'rules', 'parameters']) };
      if (segments[0] === 'policies') {
        const keys = segments.length === 2 ? ['id', 'message', 'severity', 'url', ...POLICY_KINDS] : POLICY_KEYS[String(last)];
        if (keys) return { segments: at, key: true, text: unknownKey(extra, keys) };
      }
      return { segments: at, key: true, text: `unknown key` };
    }
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? suggestion(value, allowed) : '';
      return { segments, key: false, text: `must be one of ${allowed.join(', ')} (got ${got(value)})${hint}` };
    }
    case 'type': {
      if (isParameterPath(segments)) {
        return { segments, key: false, text: `a parameter value must be a string, number, boolean or a list of strings and numbers (got ${got(value)})` };
      }
      if (ruleId !== undefined) {
        return { segments, key: false, text: `must be off, error, warning, note or an object with severity and options (got ${got(value)})` };
      }
      return { segments, key: false, text: `must be ${String(e.params.type)} (got ${got(value)})` };
    }
    case 'required':
      return { segments, key: false, text: `missing required key "${String(e.params.missingProperty)}"` };
    case 'pattern': {
      if (segments[0] === 'networks' && segments.length === 3) {
        return { segments, key: false, text: `${got(value)} is not a CIDR block; expected address/prefix such as 203.0.113.0/24` };
      }
      if (segments[0] === 'policies' && last === 'id') {
        return { segments, key: false, text: `must be a namespaced id such as acme/ssh-from-vpn: lowercase words joined by "-", one "/" (got ${got(value)})` };
      }
      const option = optionAt(segments, rules);
      const expected = option ? `; expected: ${option.description}` : '';
      return { segments, key: false, text: `must match ${String(e.params.pattern)} (got ${got(value)})${expected}` };
    }
    case 'anyOf':
      if (isParameterPath(segments)) {
        return { segments, key: false, text: `a parameter value must be a string, number, boolean or a list of strings and numbers (got ${got(value)})` };
      }
      return { segments, key: false, text: `${e.message ?? 'is invalid'}${value !== undefined && typeof value !== 'object' ? ` (got ${got(value)})` : ''}` };
    case 'propertyNames':
      if (isParameterPath([...segments, ''])) {
        return { segments: [...segments, String(e.params.propertyName)], key: true, text: 'not a CloudFormation parameter name: letters and digits only' };
      }
      return { segments: [...segments, String(e.params.propertyName)], key: true, text: 'network names may use letters, digits, ".", "_" and "-" only' };
    default:
      return { segments, key: false, text: `${e.message ?? 'is invalid'}${value !== undefined && typeof value !== 'object' ? ` (got ${got(value)})` : ''}` };
  }
}

/** True for a path to a value (or inside a value) of `parameters` or `overrides[i].parameters`. */
function isParameterPath(segments: readonly (string | number)[]): boolean {
  return (segments[0] === 'parameters' && segments.length >= 2) || (segments[0] === 'overrides' && segments[2] === 'parameters' && segments.length >= 4);
}

/** The option declaration a path inside `rules.<id>.options.<name>` refers to. */
function optionAt(segments: readonly (string | number)[], rules: readonly Rule<object>[]): { description: string } | undefined {
  const i = segments.indexOf('options');
  const id = i > 0 ? ruleIdAt(segments.slice(0, i)) : undefined;
  const name = segments[i + 1];
  if (id === undefined || typeof name !== 'string') return undefined;
  const options = rules.find((r) => r.meta.id === id)?.meta.options as Record<string, { description: string }> | undefined;
  return options && Object.prototype.hasOwnProperty.call(options, name) ? options[name] : undefined;
}

function unknownKey(key: string, allowed: readonly string[]): string {
  return `unknown key; allowed keys are ${allowed.join(', ')}${suggestion(key, allowed)}`;
}

export function got(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** `; did you mean "x"?` for the closest candidate within a small edit distance, else ''. */
export function suggestion(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestDistance <= limit && best !== word ? `; did you mean "${best}"?` : '';
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

/** `rules.open-db-port.options.ports[1]` */
export function formatConfigPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return '(root)';
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function render(p: Problem, root: TreeNode | undefined, lines: LineIndex, display: string): string {
  const offset = locate(root, p.segments, p.key);
  const where = offset === undefined ? display : `${display}:${lines.position(offset).line}:${lines.position(offset).column}`;
  return `${where}: ${formatConfigPath(p.segments)}: ${p.text}`;
}

/** Character offset of the value (or key) at `segments`, or of the nearest ancestor that exists. */
export function locate(root: TreeNode | undefined, segments: readonly (string | number)[], key: boolean): number | undefined {
  let node = root;
  let offset = root?.start;
  for (let i = 0; i < segments.length && node; i++) {
    const s = segments[i] as string | number;
    if (node.kind === 'map') {
      const entry = node.entries.get(String(s));
      if (!entry) break;
      offset = key && i === segments.length - 1 ? entry.keyStart : entry.value.start;
      node = entry.value;
    } else if (node.kind === 'seq' && typeof s === 'number') {
      const item = node.items[s];
      if (!item) break;
      offset = item.start;
      node = item;
    } else break;
  }
  return offset;
}
