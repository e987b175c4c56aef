/** Argument checks shared by the function families: each throws FnError with Terraform's wording. */
import type { SourceLocation } from '../../../../model/types';
import type { EvalContext } from '../context';
import type { TfVal } from '../value';
import { kindName, numberText, parseNumber } from '../value';
import { convert } from '../types';

/** A failed call; the dispatcher turns it into an error value. */
export class FnError extends Error {}

/** What a function sees besides its arguments. */
export interface FnEnv {
  loc: SourceLocation;
  ctx: EvalContext;
  /** Evaluates template text for templatefile(); see functions/filesystem.ts. */
  evaluator: { src: { file: string } };
}

export interface FnDef {
  /** Fixed parameter names (for messages); `variadic` takes any number after them. */
  params: string[];
  variadic?: string;
  /** Arguments may be null. */
  allowNull?: boolean;
  /** The function handles unknown parts of its arguments itself (partial evaluation). */
  partial?: boolean;
  /** The function sets the result's marks itself (sensitive, nonsensitive). */
  ownMarks?: boolean;
  /** Optional trailing parameters. */
  optional?: number;
  impl(args: TfVal[], env: FnEnv): TfVal;
}

export function fail(message: string): never {
  throw new FnError(message);
}

export function param(name: string, message: string): never {
  throw new FnError(`Invalid value for "${name}" parameter: ${message}.`);
}

export function asString(v: TfVal | undefined, name: string): string {
  if (v === undefined) return fail('missing argument');
  if (v.kind === 'scalar' && v.value !== null) return typeof v.value === 'number' ? numberText(v.value) : String(v.value);
  if (v.kind === 'scalar') return param(name, 'argument must not be null');
  return param(name, `string required, but have ${kindName(v)}`);
}

export function asNumber(v: TfVal | undefined, name: string): number {
  if (v === undefined) return fail('missing argument');
  if (v.kind === 'scalar' && typeof v.value === 'number') return v.value;
  if (v.kind === 'scalar' && typeof v.value === 'string') {
    const n = parseNumber(v.value);
    if (n !== undefined) return n;
    return param(name, 'a number is required');
  }
  if (v.kind === 'scalar' && v.value === null) return param(name, 'argument must not be null');
  return param(name, `number required, but have ${kindName(v)}`);
}

export function asInteger(v: TfVal | undefined, name: string): number {
  const n = asNumber(v, name);
  if (!Number.isInteger(n)) return param(name, 'value must be a whole number');
  return n;
}

export function asBool(v: TfVal | undefined, name: string): boolean {
  if (v?.kind === 'scalar' && typeof v.value === 'boolean') return v.value;
  if (v?.kind === 'scalar' && (v.value === 'true' || v.value === 'false')) return v.value === 'true';
  return param(name, `bool required, but have ${v ? kindName(v) : 'nothing'}`);
}

/** Elements of a list, tuple or set. */
export function asList(v: TfVal | undefined, name: string): TfVal[] {
  if (v?.kind === 'list') return v.items;
  if (v?.kind === 'scalar' && v.value === null) return param(name, 'argument must not be null');
  return param(name, `list of any single type required, but have ${v ? kindName(v) : 'nothing'}`);
}

export function asMap(v: TfVal | undefined, name: string): Map<string, TfVal> {
  if (v?.kind === 'object') return v.fields;
  return param(name, `map of any single type required, but have ${v ? kindName(v) : 'nothing'}`);
}

/** Strings of a list of strings (numbers and bools converted). */
export function asStrings(v: TfVal | undefined, name: string): string[] {
  return asList(v, name).map((i, n) => {
    const c = convert(i, { t: 'string' });
    if (c.kind === 'scalar' && typeof c.value === 'string') return c.value;
    if (c.kind === 'scalar' && c.value === null) return param(name, `element ${n} must not be null`);
    return param(name, `element ${n}: string required`);
  });
}

/** Grapheme clusters of a string (Terraform counts characters this way). */
export function graphemes(s: string): string[] {
  if (/^[\x20-\x7e]*$/.test(s)) return s.split('');
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (x) => x.segment);
}
