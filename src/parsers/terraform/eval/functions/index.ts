/**
 * The function table and the call rules every function shares: arity, null arguments, unknown arguments (the result
 * of a function that is not `partial` is unknown when any argument has unknown parts), sensitive marks carried to
 * the result, and errors turned into error values. `try` and `can` are in the evaluator (they see expressions).
 */
import { posix } from 'node:path';
import type { TfVal } from '../value';
import { bool, carry, error, firstUnknown, isNull, num, str, typeName } from '../value';
import { convert } from '../types';
import { parseTemplate, ParseError } from '../parse';
import type { EvalContext } from '../context';
import type { FnDef, FnEnv } from './args';
import { asString, fail, FnError } from './args';
import { BoundError, COLLECTION } from './collection';
import { ENCODING } from './encoding';
import { IPNET } from './ipnet';
import { NUMERIC } from './numeric';
import { STRING } from './string';
import { MAX_STRING_LENGTH } from '../budget';
import { Evaluator } from '../evaluate';

const TYPE: Record<string, FnDef> = {
  tostring: {
    params: ['v'],
    allowNull: true,
    partial: true,
    impl: ([v]) => (v?.kind === 'ref' ? v : v?.kind === 'list' || v?.kind === 'object' ? fail(`Invalid value for "v" parameter: cannot convert ${v.kind === 'list' ? 'tuple' : 'object'} to string.`) : convert(v as TfVal, { t: 'string' })),
  },
  tonumber: {
    params: ['v'],
    allowNull: true,
    impl: ([v]) => {
      const c = convert(v as TfVal, { t: 'number' });
      if (c.kind === 'unknown' && c.error) fail(`Invalid value for "v" parameter: cannot convert to number.`);
      return c;
    },
  },
  tobool: {
    params: ['v'],
    allowNull: true,
    impl: ([v]) => {
      const c = convert(v as TfVal, { t: 'bool' });
      if (c.kind === 'unknown' && c.error) fail(`Invalid value for "v" parameter: cannot convert to bool.`);
      return c;
    },
  },
  tolist: { params: ['v'], allowNull: true, partial: true, impl: ([v]) => collectionConvert(v as TfVal, 'list') },
  toset: { params: ['v'], allowNull: true, partial: true, impl: ([v]) => collectionConvert(v as TfVal, 'set') },
  tomap: { params: ['v'], allowNull: true, partial: true, impl: ([v]) => collectionConvert(v as TfVal, 'map') },
  type: { params: ['value'], allowNull: true, partial: true, impl: ([v]) => str(typeName(v as TfVal)) },
  sensitive: { params: ['value'], allowNull: true, partial: true, impl: ([v]) => ({ ...(v as TfVal), sensitive: true }) },
  nonsensitive: {
    params: ['value'],
    ownMarks: true,
    allowNull: true,
    partial: true,
    impl: ([v]) => {
      const out = { ...(v as TfVal) };
      delete out.sensitive;
      return out;
    },
  },
};

function collectionConvert(v: TfVal, to: 'list' | 'set' | 'map'): TfVal {
  if (v.kind === 'unknown' || v.kind === 'ref') return v;
  if (isNull(v)) return v;
  if (to === 'map' && v.kind !== 'object') fail(`Invalid value for "v" parameter: cannot convert ${v.kind === 'list' ? 'tuple' : 'primitive'} to map of any single type.`);
  if (to !== 'map' && v.kind !== 'list') fail(`Invalid value for "v" parameter: cannot convert ${v.kind === 'object' ? 'object' : 'primitive'} to ${to} of any single type.`);
  const c = convert(v, { t: to, elem: { t: 'any' } });
  if (c.kind === 'unknown' && c.error) fail(`Invalid value for "v" parameter: cannot convert ${v.kind === 'list' ? (v.type ?? 'tuple') : v.kind === 'object' ? (v.type ?? 'object') : 'value'} to ${to} of any single type.`);
  return c;
}

/** file, fileexists, templatefile and the path functions; reads stay inside the scanned tree (see FileAccess). */
const FILESYSTEM: Record<string, FnDef> = {
  file: {
    params: ['path'],
    impl: ([p], env) => {
      const files = env.ctx.files;
      if (!files) return { kind: 'unknown', reason: `file(${asString(p, 'path')}): files are not read here` };
      const r = files.read(asString(p, 'path'));
      if ('error' in r) return fail(r.error);
      return str(r.text);
    },
  },
  fileexists: {
    params: ['path'],
    impl: ([p], env) => {
      const files = env.ctx.files;
      if (!files) return { kind: 'unknown', reason: `fileexists(${asString(p, 'path')}): files are not read here` };
      const r = files.exists(asString(p, 'path'));
      if (typeof r !== 'boolean') return fail(r.error);
      return bool(r);
    },
  },
  templatefile: {
    params: ['path', 'vars'],
    impl: ([p, vars], env) => {
      const files = env.ctx.files;
      const path = asString(p, 'path');
      if (!files) return { kind: 'unknown', reason: `templatefile(${path}): files are not read here` };
      if (vars?.kind !== 'object') return fail('Invalid value for "vars" parameter: a map or object is required.');
      const r = files.read(path);
      if ('error' in r) return fail(r.error);
      let tree;
      try {
        tree = parseTemplate(r.text);
      } catch (e) {
        return fail(`failed to parse template ${path}: ${e instanceof ParseError ? e.message : String(e)}`);
      }
      const lines = r.text.split('\n');
      const file = posix.join(files.moduleDir, path);
      const ctx: EvalContext = {
        traverse: (root, _steps, text, loc) => error(`Invalid reference in ${path}: ${text} (${root} is not one of the template's variables)`, loc),
        nesting: env.ctx.nesting,
        ...(env.ctx.files ? { files: env.ctx.files } : {}),
        ...(env.ctx.budget ? { budget: env.ctx.budget } : {}),
      };
      const src = {
        file,
        locate: (start: number, end: number) => offsetLocation(file, lines, start, end),
        slice: (a: number, b: number) => r.text.slice(a, b),
      };
      return new Evaluator(ctx, src).evalNode(tree, new Map(vars.fields));
    },
  },
  basename: { params: ['path'], impl: ([p]) => str(posix.basename(asString(p, 'path'))) },
  dirname: { params: ['path'], impl: ([p]) => str(posix.dirname(asString(p, 'path'))) },
};

function offsetLocation(file: string, lines: string[], start: number, end: number): { file: string; line: number; column: number; endLine: number; endColumn: number } {
  const pos = (o: number): [number, number] => {
    let line = 0;
    let rest = o;
    while (line < lines.length - 1 && rest > (lines[line]?.length ?? 0)) {
      rest -= (lines[line]?.length ?? 0) + 1;
      line++;
    }
    return [line + 1, rest + 1];
  };
  const [line, column] = pos(start);
  const [endLine, endColumn] = pos(end);
  return { file, line, column, endLine, endColumn };
}

/** Functions whose value is not known until apply (or differs between runs). */
const IMPURE = new Set(['timestamp', 'uuid', 'bcrypt', 'uuidv5', 'plantimestamp', 'filemd5', 'filesha1', 'filesha256', 'filesha512', 'filebase64', 'filebase64sha256', 'filebase64sha512', 'fileset', 'abspath', 'pathexpand', 'timeadd', 'timecmp', 'formatdate', 'rsadecrypt', 'textdecodebase64', 'textencodebase64', 'base64gzip', 'ephemeralasnull', 'issensitive', 'templatestring', 'cidrcontains', 'startswith']);

export const FUNCTIONS: ReadonlyMap<string, FnDef> = new Map(Object.entries({ ...NUMERIC, ...STRING, ...COLLECTION, ...ENCODING, ...IPNET, ...TYPE, ...FILESYSTEM }));

/** Calls a built-in function on evaluated arguments. */
export function callFunction(name: string, args: TfVal[], env: FnEnv): TfVal {
  const def = FUNCTIONS.get(name);
  if (!def) {
    if (name.startsWith('provider::') || IMPURE.has(name)) return { kind: 'unknown', reason: `function ${name} is not evaluated by sg-lint`, loc: env.loc };
    return error(`Call to unknown function: There is no function named "${name}".`, env.loc);
  }
  const min = def.params.length - (def.optional ?? 0);
  if (args.length < min || (!def.variadic && args.length > def.params.length)) {
    return error(`Invalid function argument count: Function "${name}" expects ${def.variadic ? 'at least ' : ''}${min} argument(s), not ${args.length}.`, env.loc);
  }
  for (const a of args) if (a.kind === 'unknown' && a.error) return a;
  if (!def.allowNull) {
    const i = args.findIndex(isNull);
    if (i >= 0) return error(`Invalid function argument: Invalid value for "${def.params[i] ?? def.variadic ?? 'args'}" parameter: argument must not be null.`, env.loc);
  }
  if (!def.partial) {
    for (const a of args) {
      const u = firstUnknown(a);
      if (u) return carry({ ...u, loc: env.loc }, args);
    }
  }
  try {
    const v = def.impl(args, env);
    if (v.kind === 'scalar' && typeof v.value === 'string' && v.value.length > MAX_STRING_LENGTH) {
      const why = env.ctx.budget?.hit(`${name}() produces a string longer than ${MAX_STRING_LENGTH} characters; not evaluated`, env.loc);
      return { kind: 'unknown', reason: why ?? 'string too long', loc: env.loc };
    }
    if (v.kind === 'unknown') return { ...v, loc: v.loc ?? env.loc };
    return def.ownMarks ? { ...v, loc: v.loc ?? env.loc } : carry(v, args, env.loc);
  } catch (e) {
    if (e instanceof BoundError) return { kind: 'unknown', reason: e.message, loc: env.loc };
    if (e instanceof FnError) return error(`Call to function "${name}" failed: ${e.message}`, env.loc);
    if (e instanceof RangeError) return { kind: 'unknown', reason: `${name}(): ${e.message}`, loc: env.loc };
    throw e;
  }
}

export { num };
