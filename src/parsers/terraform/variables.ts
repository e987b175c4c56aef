/**
 * Values of a root module's input variables, from every place Terraform takes them, in Terraform's order (a later
 * source overrides an earlier one; verified with `terraform console` 1.11.4, see fixtures/terraform/variables):
 *
 *   1. `TF_VAR_<name>` environment variables
 *   2. `terraform.tfvars`
 *   3. `terraform.tfvars.json`
 *   4. `*.auto.tfvars` and `*.auto.tfvars.json`, in lexical order of their file names
 *   5. `--var-file FILE` and `--var name=value`, in the order given
 *
 * A variable no source sets keeps its default (config.ts). Every value carries where it came from
 * ("via variable admin_cidrs from prod.auto.tfvars:3"), which findings show.
 *
 * Values given as text (`--var`, `TF_VAR_`) are read as Terraform reads them: as a literal string for a variable
 * without a type or with a primitive type (`string`, `number`, `bool`), else as an HCL expression (`["10.0.0.0/8"]`).
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputError, InputNotice, SourceLocation, ValueOrigin } from '../../model/types';
import { readJson } from '../shared/json-positions';
import type { LineIndex } from '../shared/line-index';
import type { TreeNode } from '../shared/tree';
import type { BodyDecl, EvalContext, ModuleDecl } from './config';
import { joinPath, Resolution } from './config';
import type { TfVal } from './values';
import { scalar, unknown, withVia } from './values';
import { pushAll } from '../../model/arrays';
import { readTextSync } from '../read';

/** One variable assignment from the command line or the API: a file of assignments, or one `name=value`. */
export type TerraformVarSource = { file: string } | { name: string; value: string };

/** Terraform-specific parse options (command line `--var`/`--var-file`, environment). */
export interface TerraformOptions {
  /** `--var-file` and `--var` in the order given; applied to every root module linted. */
  vars?: readonly TerraformVarSource[];
  /** Environment to read `TF_VAR_<name>` from (the CLI passes its own; the API defaults to `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Lint a named `.tf` / `.tf.json` file alone instead of with the other files of its module directory (the default,
   * as Terraform reads a module). The rule fixtures use it: they keep good and bad examples side by side.
   */
  fileOnly?: boolean;
}

/** Reads HCL attribute files (`.tfvars`); absent when no `.tf` file loaded the HCL grammar. */
export type HclBodyReader = (file: string, text: string) => { body: BodyDecl; errors: InputError[] };

/** What the variable sources of one root module give. */
export interface RootVariables {
  values: Map<string, TfVal>;
  /** Files that could not be read or parsed: input errors (exit 2), other files are still linted. */
  errors: InputError[];
  notices: InputNotice[];
}

/** The files Terraform loads automatically from a root module directory, in its order. */
export function autoVarFiles(names: readonly string[]): string[] {
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort(byCodePoint);
  return [...['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n)), ...auto];
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The values of the root module `decl` from the environment, its tfvars files and `options.vars`. Assignments to
 * variables the module does not declare are ignored (Terraform warns about them; sg-lint may lint several roots with
 * one set of `--var`s). `cliErrorFile` names where errors in `--var` values are reported.
 */
export function rootVariables(decl: ModuleDecl, cwd: string, options: TerraformOptions, readHcl: HclBodyReader | undefined): RootVariables {
  const out: RootVariables = { values: new Map(), errors: [], notices: [] };
  const set = (name: string, v: TfVal): void => {
    if (decl.variables.has(name)) out.values.set(name, v);
  };
  // 1. TF_VAR_<name>
  const env = options.env ?? {};
  for (const name of [...decl.variables.keys()].sort(byCodePoint)) {
    const text = env[`TF_VAR_${name}`];
    if (text === undefined) continue;
    const v = textValue(decl, name, text, `TF_VAR_${name}`, readHcl, out);
    if (v) set(name, withVia(v, [{ kind: 'variable', name, from: { source: `environment variable TF_VAR_${name}` } }]));
  }
  // 2-4. files in the root module directory
  let names: string[] = [];
  try {
    names = readdirSync(resolve(cwd, decl.dir));
  } catch {
    names = [];
  }
  for (const name of autoVarFiles(names)) readVarFile(joinPath(decl.dir, name), cwd, readHcl, out, set);
  // 5. command line, in order
  for (const src of options.vars ?? []) {
    if ('file' in src) readVarFile(src.file, cwd, readHcl, out, set, true);
    else if (decl.variables.has(src.name)) {
      const v = textValue(decl, src.name, src.value, `--var ${src.name}`, readHcl, out);
      if (v) set(src.name, withVia(v, [{ kind: 'variable', name: src.name, from: { source: '--var' } }]));
    }
  }
  return out;
}

/** Reads one `.tfvars` / `.tfvars.json` file into `set`. */
function readVarFile(
  file: string,
  cwd: string,
  readHcl: HclBodyReader | undefined,
  out: RootVariables,
  set: (name: string, v: TfVal) => void,
  explicit = false,
): void {
  const read = readTextSync(resolve(cwd, file));
  if (!read.ok) {
    const why = read.message === 'no such file or directory' ? 'no such file' : read.message;
    out.errors.push({ file, message: `cannot read variables file: ${why}${explicit ? ' given with --var-file' : ''}` });
    return;
  }
  const text = read.text;
  if (file.endsWith('.json')) {
    readJsonVars(file, text, out, set);
    return;
  }
  if (!readHcl) {
    out.notices.push({ file, message: 'variables file not read: the HCL parser is not loaded' });
    return;
  }
  const { body, errors } = readHcl(file, text);
  pushAll(out.errors, errors);
  const ctx = literalContext();
  for (const [name, expr] of body.attributes) {
    const v = expr.evaluate(ctx);
    set(name, withVia(v, [{ kind: 'variable', name, from: { source: file, line: expr.loc.line } }], [valueOrigin(name, file, expr.loc)]));
  }
  for (const b of body.blocks) out.errors.push({ file, message: `a variables file holds only assignments (name = value), not a ${b.type} block`, line: b.loc.line, column: b.loc.column });
}

function readJsonVars(file: string, text: string, out: RootVariables, set: (name: string, v: TfVal) => void): void {
  const tree = readJson(text);
  if (tree.errors.length > 0 || !tree.root) {
    for (const e of tree.errors) out.errors.push({ file, message: e.message, ...tree.lines.position(e.offset) });
    return;
  }
  if (tree.root.kind !== 'map') {
    out.errors.push({ file, message: 'a variables file in JSON must hold an object', line: 1, column: 1 });
    return;
  }
  for (const [name, entry] of tree.root.entries) {
    const line = tree.lines.position(entry.keyStart).line;
    const v = jsonValue(entry.value, file, tree.lines);
    set(name, withVia(v, [{ kind: 'variable', name, from: { source: file, line } }], v.loc ? [valueOrigin(name, file, v.loc)] : []));
  }
}

/** A JSON variables value: literal (Terraform does not evaluate templates in a variables file). */
function jsonValue(node: TreeNode, file: string, lines: LineIndex): TfVal {
  const loc: SourceLocation = lines.location(file, node.start, node.end);
  if (node.kind === 'seq') return { kind: 'list', items: node.items.map((i) => jsonValue(i, file, lines)), loc };
  if (node.kind === 'map') {
    const fields = new Map<string, TfVal>();
    for (const [k, e] of node.entries) fields.set(k, jsonValue(e.value, file, lines));
    return { kind: 'object', fields, loc };
  }
  return scalar(node.value, loc);
}

/** A value given as text for variable `name`: a literal string, or an HCL expression for complex types. */
function textValue(decl: ModuleDecl, name: string, text: string, what: string, readHcl: HclBodyReader | undefined, out: RootVariables): TfVal | undefined {
  if (!isComplexType(decl.variables.get(name)?.type?.text)) return scalar(text);
  if (!readHcl) return unknown(`${what} is an HCL expression and the HCL parser is not loaded`);
  const { body, errors } = readHcl(what, `value = ${text}\n`);
  const expr = body.attributes.get('value');
  if (errors.length > 0 || !expr) {
    out.errors.push({ file: what, message: `value of ${what} is not a valid expression: ${errors[0]?.message ?? 'no value'}` });
    return undefined;
  }
  return stripLoc(expr.evaluate(literalContext()));
}

/** True for a type constraint that is not a primitive type: Terraform then parses text values as HCL. */
export function isComplexType(type: string | undefined): boolean {
  if (type === undefined) return false;
  return !['string', 'number', 'bool'].includes(type.trim().replace(/^"|"$/g, ''));
}

/** Values written as text have no position of their own: they are located where the variable is used. */
function stripLoc(v: TfVal): TfVal {
  const { loc: _loc, ...rest } = v;
  void _loc;
  if (rest.kind === 'list') return { ...rest, items: rest.items.map(stripLoc) };
  if (rest.kind === 'object') {
    const fields = new Map<string, TfVal>();
    for (const [k, f] of rest.fields) fields.set(k, stripLoc(f));
    return { ...rest, fields };
  }
  return rest;
}

/** Variables files hold literal values: references are not allowed in them. */
function literalContext(): EvalContext {
  return {
    traverse: (_root, _steps, text, loc) => unknown(`${text} (a variables file cannot refer to other values)`, loc),
    nesting: new Resolution(),
  };
}

/** Where a root variable's value is written in a variables file: a related location of findings it produces. */
function valueOrigin(name: string, file: string, loc: SourceLocation): ValueOrigin {
  return { field: 'peer', kind: 'variable-value', label: `variable ${name} value`, location: { ...loc, file } };
}
