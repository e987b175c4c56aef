/**
 * Terraform's regular expressions: `regex`, `regexall` and `replace` with a `/pattern/`. Terraform uses Go's regexp,
 * which is RE2: its own syntax (POSIX classes, `\Q...\E`, `(?U)`, `\pL`; no lookaround or backreferences) and time
 * linear in the input whatever the pattern. JavaScript's RegExp backtracks, so a pattern such as `^(a+)+$` over 40
 * characters would never finish (issue #18); re2js is RE2 in JavaScript. Its work is still the program size times
 * the input length, so each match is charged to the evaluation's step budget by that product.
 *
 * The match loops follow Go's: `regexall` skips an empty match right after the previous match, and `replace`
 * expands `$1`, `${1}`, `$name`, `${name}` and `$$` in the replacement as Go's Regexp.Expand does.
 */
import { compileRe2, Re2SyntaxError } from '../../../../model/re2';
import type { RE2JS } from '../../../../model/re2';
import type { TfVal } from '../value';
import { list, str, tuple } from '../value';
import type { FnEnv } from './args';
import { fail, param } from './args';

/** Units of regular-expression work (program instructions x input characters) that cost one evaluation step. */
const UNITS_PER_STEP = 50;

interface Compiled {
  re: RE2JS;
  /** Capture group names by group number (index 0 unused); '' for an unnamed group. */
  names: string[];
}

const cache = new Map<string, Compiled>();
const CACHE_LIMIT = 256;

/** Compiles an RE2 pattern; Terraform's error for a pattern RE2 refuses. */
export function compileRegex(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = compileRe2(pattern);
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    return param('pattern', `invalid regexp pattern: ${e.message}`);
  }
  const names = Array.from({ length: re.groupCount() + 1 }, () => '');
  for (const [name, index] of Object.entries(re.namedGroups())) names[index] = name;
  const compiled = { re, names };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

/**
 * Charges a match over `text` to the step budget; a message when the budget is spent (the caller then returns an
 * unknown value instead of matching).
 */
function charge(c: Compiled, text: string, env: FnEnv): string | undefined {
  const units = c.re.programSize() * (text.length + 1);
  return env.ctx.budget?.charge(Math.ceil(units / UNITS_PER_STEP), env.loc);
}

/** Width in UTF-16 units of the character at `i` (0 at the end), as Go steps over one rune. */
function widthAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** One match: start and end of the whole match and of each group (-1 when the group did not take part). */
type Match = number[];

function matchAt(c: Compiled, m: ReturnType<RE2JS['matcher']>, from: number): Match | undefined {
  if (!m.find(from)) return undefined;
  const out: Match = [];
  for (let g = 0; g < c.names.length; g++) out.push(m.start(g), m.end(g));
  return out;
}

/** Every match as Go's FindAll finds them: an empty match right after the previous match is skipped. */
function allMatches(c: Compiled, text: string): Match[] {
  const m = c.re.matcher(text);
  const out: Match[] = [];
  let prevEnd = -1;
  for (let pos = 0; pos <= text.length; ) {
    const a = matchAt(c, m, pos);
    if (!a) break;
    const [start = 0, end = 0] = a;
    let accept = true;
    if (end === pos) {
      if (start === prevEnd) accept = false;
      const w = widthAt(text, pos);
      pos = w > 0 ? pos + w : text.length + 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(a);
  }
  return out;
}

/** The kind of value a match gives: the matched text, a tuple of the groups, or an object of the named groups. */
function resultShape(c: Compiled): 'string' | 'tuple' | 'object' {
  let named = 0;
  let unnamed = 0;
  for (let g = 1; g < c.names.length; g++) {
    if (c.names[g] === '') unnamed++;
    else named++;
  }
  if (named === 0 && unnamed === 0) return 'string';
  if (named > 0 && unnamed > 0) return param('pattern', 'invalid regexp pattern: cannot mix both named and unnamed capture groups');
  return named > 0 ? 'object' : 'tuple';
}

function groupValue(text: string, a: Match, g: number): TfVal {
  const s = a[2 * g] ?? -1;
  const e = a[2 * g + 1] ?? -1;
  return s < 0 || e < 0 ? { kind: 'scalar', value: null } : str(text.slice(s, e));
}

function matchValue(c: Compiled, shape: 'string' | 'tuple' | 'object', text: string, a: Match): TfVal {
  if (shape === 'string') return groupValue(text, a, 0);
  if (shape === 'tuple') return tuple(Array.from({ length: c.names.length - 1 }, (_x, i) => groupValue(text, a, i + 1)));
  const byName = new Map<string, TfVal>();
  for (let g = 1; g < c.names.length; g++) byName.set(c.names[g] as string, groupValue(text, a, g));
  return { kind: 'object', fields: new Map([...byName].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) };
}

/** `regex(pattern, string)`: the first match; an error when there is none. */
export function regexFirst(pattern: string, text: string, env: FnEnv): TfVal {
  const c = compileRegex(pattern);
  const shape = resultShape(c);
  const over = charge(c, text, env);
  if (over !== undefined) return { kind: 'unknown', reason: over };
  const a = matchAt(c, c.re.matcher(text), 0);
  if (!a) return fail('pattern did not match any part of the given string');
  return matchValue(c, shape, text, a);
}

/** `regexall(pattern, string)`: every match, as a list. */
export function regexAll(pattern: string, text: string, env: FnEnv): TfVal {
  const c = compileRegex(pattern);
  const shape = resultShape(c);
  const over = charge(c, text, env);
  if (over !== undefined) return { kind: 'unknown', reason: over };
  return list(allMatches(c, text).map((a) => matchValue(c, shape, text, a)));
}

/** `replace(string, "/pattern/", replacement)`: Go's ReplaceAllString. */
export function regexReplace(text: string, pattern: string, replacement: string, env: FnEnv): TfVal {
  const c = compileRegex(pattern);
  const over = charge(c, text, env);
  if (over !== undefined) return { kind: 'unknown', reason: over };
  const m = c.re.matcher(text);
  let out = '';
  let lastEnd = 0;
  for (let pos = 0; pos <= text.length; ) {
    const a = matchAt(c, m, pos);
    if (!a) break;
    const [start = 0, end = 0] = a;
    out += text.slice(lastEnd, start);
    // No replacement for an empty match right after another match.
    if (end > lastEnd || start === 0) out += expand(c, replacement, text, a);
    lastEnd = end;
    const w = widthAt(text, pos);
    if (pos + w > end) pos += w;
    else if (pos + 1 > end) pos++;
    else pos = end;
  }
  return str(out + text.slice(lastEnd));
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's Regexp.Expand: `$$` is `$`; `$name`/`${name}` a group by number or name (empty when absent); else `$` as is. */
function expand(c: Compiled, template: string, text: string, a: Match): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = reference(template, i);
    if (!ref) {
      out += '$';
      continue;
    }
    i = ref.next;
    if (ref.num >= 0) {
      if (ref.num < c.names.length) out += groupText(text, a, ref.num);
    } else {
      const g = c.names.findIndex((n, k) => k > 0 && n === ref.name && (a[2 * k] ?? -1) >= 0);
      if (g > 0) out += groupText(text, a, g);
    }
  }
  return out + template.slice(i);
}

function groupText(text: string, a: Match, g: number): string {
  const s = a[2 * g] ?? -1;
  const e = a[2 * g + 1] ?? -1;
  return s < 0 || e < 0 ? '' : text.slice(s, e);
}

/** Reads `name` or `{name}` at `i` (Go's extract): the name, its group number (-1 if not a number) and where it ends. */
function reference(template: string, at: number): { name: string; num: number; next: number } | undefined {
  let i = at;
  const brace = template[i] === '{';
  if (brace) i++;
  const start = i;
  for (const ch of template.slice(i)) {
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = template.slice(start, i);
  if (brace) {
    if (template[i] !== '}') return undefined;
    i++;
  }
  let num = /^\d+$/.test(name) && name.length <= 8 ? Number(name) : -1;
  if (name.length > 1 && name.startsWith('0')) num = -1;
  return { name, num, next: i };
}
