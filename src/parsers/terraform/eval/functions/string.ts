/**
 * String functions: chomp endswith format formatlist indent join lower regex regexall replace split startswith
 * strcontains strrev substr title trim trimprefix trimsuffix trimspace upper.
 */
import type { TfRef } from '../../values';
import type { TfVal } from '../value';
import { bool, carry, firstUnknown, isNull, kindName, list, numberText, pieces, str, tuple } from '../value';
import { attributeFormat } from '../../provider-attributes';
import { convert } from '../types';
import { jsonText } from './encoding';
import type { FnDef } from './args';
import { parseNumber } from '../value';
import { asBool, asInteger, asList, asNumber, asString, fail, graphemes, param } from './args';
import { pushAll } from '../../../../model/arrays';
import { regexAll, regexFirst, regexReplace } from './regex';

const s1 = (f: (s: string) => string): FnDef => ({ params: ['str'], impl: ([a]) => str(f(asString(a, 'str'))) });

/** What a function that is not partial gives when an argument has unknown parts: the first unknown part. */
export function unknownOf(args: readonly (TfVal | undefined)[]): TfVal {
  for (const a of args) {
    const u = a && firstUnknown(a);
    if (u) {
      const { loc: _loc, ...rest } = u;
      void _loc;
      return carry(rest, args.filter((x): x is TfVal => x !== undefined));
    }
  }
  return fail('no unknown argument');
}

/**
 * `split(sep, pieces)` when it does not depend on the references' values: every reference has a documented format
 * (an AWS id, a CIDR block: never empty) without any character of the separator, so the separator occurs only in
 * the known text. Undefined when that cannot be shown.
 */
function splitPieces(parts: readonly (string | TfRef)[], sep: string): TfVal[] | undefined {
  if (sep === '') return undefined;
  for (const p of parts) {
    if (typeof p === 'string') continue;
    const format = attributeFormat(p.address, p.attribute);
    if (!format || [...sep].some((c) => format.chars.test(c))) return undefined;
  }
  const elements: (string | TfRef)[][] = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') {
      (elements[elements.length - 1] as (string | TfRef)[]).push(p);
      continue;
    }
    const [head, ...rest] = p.split(sep);
    (elements[elements.length - 1] as (string | TfRef)[]).push(head ?? '');
    for (const r of rest) elements.push([r]);
  }
  return elements.map(pieces);
}

export const STRING: Record<string, FnDef> = {
  lower: s1((s) => s.toLowerCase()),
  upper: s1((s) => s.toUpperCase()),
  chomp: s1((s) => s.replace(/(\r\n|\n|\r)+$/, '')),
  trimspace: s1((s) => s.replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, '')),
  strrev: s1((s) => graphemes(s).reverse().join('')),
  title: s1((s) => s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase())),
  startswith: { params: ['str', 'prefix'], impl: ([a, b]) => bool(asString(a, 'str').startsWith(asString(b, 'prefix'))) },
  endswith: { params: ['str', 'suffix'], impl: ([a, b]) => bool(asString(a, 'str').endsWith(asString(b, 'suffix'))) },
  strcontains: { params: ['str', 'substr'], impl: ([a, b]) => bool(asString(a, 'str').includes(asString(b, 'substr'))) },
  trimprefix: {
    params: ['str', 'prefix'],
    impl: ([a, b]) => {
      const s = asString(a, 'str');
      const p = asString(b, 'prefix');
      return str(s.startsWith(p) ? s.slice(p.length) : s);
    },
  },
  trimsuffix: {
    params: ['str', 'suffix'],
    impl: ([a, b]) => {
      const s = asString(a, 'str');
      const p = asString(b, 'suffix');
      return str(p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s);
    },
  },
  trim: {
    params: ['str', 'cutset'],
    impl: ([a, b]) => {
      const chars = new Set(Array.from(asString(b, 'cutset')));
      const cs = Array.from(asString(a, 'str'));
      let i = 0;
      let j = cs.length;
      while (i < j && chars.has(cs[i] ?? '')) i++;
      while (j > i && chars.has(cs[j - 1] ?? '')) j--;
      return str(cs.slice(i, j).join(''));
    },
  },
  indent: {
    params: ['spaces', 'str'],
    impl: ([n, a]) => {
      const pad = ' '.repeat(Math.max(0, asInteger(n, 'spaces')));
      return str(asString(a, 'str').replace(/\n/g, `\n${pad}`));
    },
  },
  join: {
    params: ['separator'],
    variadic: 'lists',
    // Elements known only after apply (references) give a string of known pieces and references (see `pieces`).
    partial: true,
    impl: (args) => {
      const [sep, ...lists] = args;
      if (lists.length === 0) fail('at least one list is required');
      const whole = [sep, ...lists].find((a) => a !== undefined && (a.kind === 'unknown' || a.kind === 'ref'));
      if (whole) return unknownOf(args);
      const s = asString(sep, 'separator');
      const parts: (string | TfRef)[] = [];
      let first = true;
      for (const l of lists) {
        for (const i of asList(l, 'lists')) {
          if (!first) parts.push(s);
          first = false;
          if (i.kind === 'ref' || (i.kind === 'unknown' && i.parts && !i.error)) {
            pushAll(parts, i.kind === 'ref' ? [i] : (i.parts ?? []));
            continue;
          }
          if (firstUnknown(i)) return unknownOf(args);
          if (isNull(i)) fail('element is null; cannot concatenate null values');
          const c = convert(i, { t: 'string' });
          if (c.kind !== 'scalar' || typeof c.value !== 'string') fail(`element must be a string, but have ${kindName(i)}`);
          parts.push(c.value);
        }
      }
      return pieces(parts);
    },
  },
  split: {
    params: ['separator', 'str'],
    // A string of known pieces and references is split where the references' formats cannot hold the separator.
    partial: true,
    impl: (args) => {
      const [sep, a] = args;
      if (sep?.kind === 'unknown' || sep?.kind === 'ref') return unknownOf(args);
      if (a?.kind === 'ref' || a?.kind === 'unknown') {
        const parts = a.kind === 'ref' ? [a] : a.parts;
        const out = parts && !(a.kind === 'unknown' && a.error) ? splitPieces(parts, asString(sep, 'separator')) : undefined;
        return out ? list(out) : unknownOf(args);
      }
      const s = asString(a, 'str');
      const p = asString(sep, 'separator');
      if (s === '') return list([str('')]);
      return list((p === '' ? graphemes(s) : s.split(p)).map(str));
    },
  },
  replace: {
    params: ['str', 'substr', 'replace'],
    impl: ([a, b, c], env) => {
      const s = asString(a, 'str');
      const sub = asString(b, 'substr');
      const rep = asString(c, 'replace');
      if (sub.length > 1 && sub.startsWith('/') && sub.endsWith('/')) return regexReplace(s, sub.slice(1, -1), rep, env);
      if (sub === '') return str(s);
      return str(s.split(sub).join(rep));
    },
  },
  substr: {
    params: ['str', 'offset', 'length'],
    impl: ([a, o, l]) => {
      const cs = graphemes(asString(a, 'str'));
      let offset = asInteger(o, 'offset');
      let length = asInteger(l, 'length');
      if (offset < 0) offset += cs.length;
      if (offset < 0) return param('offset', 'offset must be within the string');
      if (offset >= cs.length) return str('');
      if (length < 0) length = cs.length - offset;
      return str(cs.slice(offset, offset + length).join(''));
    },
  },
  regex: { params: ['pattern', 'string'], impl: ([p, s], env) => regexFirst(asString(p, 'pattern'), asString(s, 'string'), env) },
  regexall: { params: ['pattern', 'string'], impl: ([p, s], env) => regexAll(asString(p, 'pattern'), asString(s, 'string'), env) },
  format: { params: ['format'], variadic: 'args', impl: ([f, ...args]) => str(format(asString(f, 'format'), args)) },
  formatlist: {
    params: ['format'],
    variadic: 'args',
    impl: ([f, ...args]) => {
      const fmt = asString(f, 'format');
      let n: number | undefined;
      for (const a of args) {
        if (a.kind !== 'list') continue;
        if (n !== undefined && a.items.length !== n) fail(`argument ${args.indexOf(a) + 1} has length ${a.items.length}, which is inconsistent with argument 1 of length ${n}`);
        n = a.items.length;
      }
      if (n === undefined) return list([str(format(fmt, args))]);
      const out: TfVal[] = [];
      for (let i = 0; i < n; i++) out.push(str(format(fmt, args.map((a) => (a.kind === 'list' ? (a.items[i] as TfVal) : a)))));
      return list(out);
    },
  },
};

/** Terraform's format(): Go-style verbs %v %s %q %d %f %e %g %t %b %o %x %X %% with flags, width and precision. */
export function format(fmt: string, args: TfVal[]): string {
  let out = '';
  let next = 0;
  const re = /%(?:(%)|([-+# 0]*)(?:\[(\d+)\])?(\d+|\*)?(?:\.(\d*))?(?:\[(\d+)\])?([a-zA-Z]))/gy;
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    re.lastIndex = pct;
    const m = re.exec(fmt);
    if (!m) fail(`invalid format verb at offset ${pct}`);
    i = re.lastIndex;
    if (m[1]) {
      out += '%';
      continue;
    }
    const flags = m[2] ?? '';
    const index = m[3] ?? m[6];
    if (index !== undefined) next = Number(index) - 1;
    const width = m[4] === undefined ? undefined : Number(m[4]);
    const precision = m[5] === undefined ? undefined : Number(m[5] || '0');
    const verb = m[7] ?? 'v';
    const arg = args[next];
    if (arg === undefined) fail(`not enough arguments for "%${verb}" at ${pct}: need index ${next + 1} but have ${args.length} total`);
    next++;
    out += pad(formatOne(verb, arg, flags, precision, pct), width, flags);
  }
  if (next < args.length && !/%\[\d+\]/.test(fmt)) fail(`too many arguments; no verbs left to use them`);
  return out;
}

function pad(s: string, width: number | undefined, flags: string): string {
  if (width === undefined || s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width, ' ');
  if (flags.includes('0') && /^[+-]?[0-9.]/.test(s)) {
    const sign = /^[+-]/.test(s) ? (s[0] as string) : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width, ' ');
}

function formatOne(verb: string, arg: TfVal, flags: string, precision: number | undefined, at: number): string {
  const sign = (n: number, s: string): string => (n >= 0 && flags.includes('+') ? `+${s}` : n >= 0 && flags.includes(' ') ? ` ${s}` : s);
  switch (verb) {
    case 'v':
      if (arg.kind === 'scalar' && typeof arg.value === 'string') return arg.value;
      if (arg.kind === 'scalar' && typeof arg.value === 'number') return numberText(arg.value);
      if (arg.kind === 'scalar' && typeof arg.value === 'boolean') return String(arg.value);
      if (arg.kind === 'scalar') return 'null';
      return jsonText(arg);
    case 's': {
      if (isNull(arg)) fail(`unsupported value for "%s" at ${at}: null value cannot be formatted`);
      const c = convert(arg, { t: 'string' });
      if (c.kind !== 'scalar' || typeof c.value !== 'string') fail(`unsupported value for "%s" at ${at}: string required`);
      return precision === undefined ? c.value : graphemes(c.value).slice(0, precision).join('');
    }
    case 'q': {
      const c = convert(arg, { t: 'string' });
      if (c.kind !== 'scalar' || typeof c.value !== 'string') fail(`unsupported value for "%q" at ${at}: string required`);
      return JSON.stringify(c.value);
    }
    case 't':
      return String(asBool(arg, 'args'));
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const n = arg.kind === 'scalar' && typeof arg.value === 'string' && parseNumber(arg.value) === undefined ? fail(`unsupported value for "%${verb}" at ${at}: a number is required`) : asNumber(arg, 'args');
      if (!Number.isInteger(n)) fail(`unsupported value for "%${verb}" at ${at}: an integer is required`);
      const base = verb === 'd' ? 10 : verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let s = (Math.abs(n) < 2 ** 53 ? Math.abs(n).toString(base) : BigInt(Math.abs(n)).toString(base));
      if (verb === 'X') s = s.toUpperCase();
      if (flags.includes('#')) s = (verb === 'o' ? '0' : verb === 'x' ? '0x' : verb === 'X' ? '0X' : verb === 'b' ? '0b' : '') + s;
      return sign(n, n < 0 ? `-${s}` : s);
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      const n = asNumber(arg, 'args');
      let s: string;
      if (verb === 'f' || verb === 'F') s = n.toFixed(precision ?? 6);
      else if (verb === 'e' || verb === 'E') s = goExp(n.toExponential(precision ?? 6));
      else s = precision === undefined ? numberText(n) : goExp(String(Number(n.toPrecision(precision || 1))));
      if (verb === 'E' || verb === 'G') s = s.toUpperCase();
      return sign(n, s);
    }
    default:
      return fail(`unsupported format verb %${verb} at ${at}`);
  }
}

/** Go writes exponents with at least two digits: `1e+06`. */
function goExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

export { tuple };
