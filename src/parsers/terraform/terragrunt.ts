/**
 * Terragrunt units: a `terragrunt.hcl` whose `terraform { source = ... }` names a module is linted as that module with
 * the `inputs = { ... }` it sets. A local source (`../modules/sg`, `../..//modules/sg`, `${get_terragrunt_dir()}/...`)
 * is read where it points; any other source is read from the copy Terragrunt downloaded into `.terragrunt-cache`
 * beside the file, when there is one. Otherwise the unit gets a visible notice.
 *
 * Read: `locals { ... }` (literal values and references between locals), `inputs`, `terraform { source }`, and the
 * files `include` blocks name (inputs merged shallowly, the including file winning; `find_in_parent_folders`,
 * `path_relative_to_include`, `get_terragrunt_dir`, `get_parent_terragrunt_dir`), within the scanned tree. Not read:
 * `dependency` outputs (unknown values with their reason), other Terragrunt functions.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Parser as TsParser } from 'web-tree-sitter';
import type { InputError, InputNotice, SourceLocation, ValueOrigin } from '../../model/types';
import type { BodyDecl, EvalContext, Expr } from './config';
import { applySteps, joinPath, Resolution } from './config';
import { readHclBody } from './hcl';
import type { SourceFile } from './json-config';
import type { TfVal } from './values';
import { scalar, scalarText, unknown, withVia } from './values';
import { pushAll } from '../../model/arrays';
import { readTextSync } from '../read';

/** The file name Terragrunt reads. */
export const TERRAGRUNT_FILE = 'terragrunt.hcl';

/** What a terragrunt.hcl says. */
export interface TerragruntUnit {
  file: string;
  /** The module directory to lint (relative to cwd), when it could be found. */
  moduleDir?: string;
  /** Where `source` is written (notices about the module point here). */
  sourceLoc: SourceLocation;
  inputs: Map<string, TfVal>;
  errors: InputError[];
  notices: InputNotice[];
}

/** One configuration file of a unit: the unit's own terragrunt.hcl or one it includes. */
interface Layer {
  file: string;
  body: BodyDecl;
  ctx: EvalContext;
}

/** Reads a terragrunt.hcl: its module source, resolved to a directory, and its inputs (included files merged). */
export function parseTerragrunt(f: SourceFile, parser: TsParser | undefined, cwd: string): TerragruntUnit {
  const start: SourceLocation = { file: f.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  const unit: TerragruntUnit = { file: f.file, sourceLoc: start, inputs: new Map(), errors: [], notices: [] };
  if (!parser) return unit;
  const { body, errors } = readHclBody(parser, f);
  pushAll(unit.errors, errors);
  if (errors.length > 0) return unit;
  const dir = dirname(f.file);
  const childAbs = resolve(cwd, dir);
  const own: Layer = { file: f.file, body, ctx: terragruntContext({ dir: childAbs, cwd, locals: localsOf(body) }) };
  const layers: Layer[] = [...includes(own, parser, cwd, unit), own];
  // inputs: a shallow merge, the including file last (Terragrunt's default merge strategy).
  for (const layer of layers) {
    const inputs = layer.body.attributes.get('inputs');
    if (!inputs) continue;
    const v = inputs.evaluate(layer.ctx);
    if (v.kind === 'object') {
      for (const [name, value] of v.fields) {
        const origins: ValueOrigin[] = value.loc ? [{ field: 'peer', kind: 'variable-value', label: `variable ${name} input`, location: { ...value.loc, file: layer.file } }] : [];
        unit.inputs.set(name, withVia(value, [{ kind: 'variable', name, from: { source: layer.file, line: value.loc?.line ?? inputs.loc.line } }], origins));
      }
    } else {
      unit.notices.push({ file: layer.file, message: `inputs are not known (${v.kind === 'unknown' ? v.reason : 'not an object'}); the module's variables keep their defaults`, line: inputs.loc.line, column: inputs.loc.column, visible: true });
    }
  }
  // terraform { source }: the last file that sets it (the including file overrides what it includes).
  let found: { expr: Expr; ctx: EvalContext } | undefined;
  for (const layer of layers) {
    const expr = layer.body.blocks.find((b) => b.type === 'terraform')?.body.attributes.get('source');
    if (expr) found = { expr, ctx: layer.ctx };
  }
  if (!found) {
    unit.notices.push({ file: f.file, message: 'no terraform { source } in this Terragrunt configuration or the files it includes; nothing to lint', line: 1, column: 1 });
    return unit;
  }
  const sourceExpr = found.expr;
  unit.sourceLoc = sourceExpr.loc;
  const source = scalarText(sourceExpr.evaluate(found.ctx));
  if (source === undefined) {
    unit.notices.push({ file: sourceExpr.loc.file, message: `terraform source ${sourceExpr.text} is not known; its module is not linted`, line: sourceExpr.loc.line, column: sourceExpr.loc.column, visible: true });
    return unit;
  }
  // Relative sources are relative to the unit's own directory, wherever they are written.
  const local = localSourceDir(dir, source, cwd);
  if (local !== undefined) {
    unit.moduleDir = local;
    return unit;
  }
  const cached = cachedModuleDir(dir, source, cwd);
  if (cached !== undefined) {
    unit.moduleDir = cached;
    return unit;
  }
  unit.notices.push({ file: f.file, message: `Terragrunt module ${source} is not downloaded (no .terragrunt-cache beside this file): run terragrunt init`, line: sourceExpr.loc.file === f.file ? sourceExpr.loc.line : 1, column: sourceExpr.loc.file === f.file ? sourceExpr.loc.column : 1, visible: true });
  return unit;
}

function localsOf(body: BodyDecl): Map<string, Expr> {
  const locals = new Map<string, Expr>();
  for (const b of body.blocks) if (b.type === 'locals') for (const [k, v] of b.body.attributes) locals.set(k, v);
  return locals;
}

/** The files `include` blocks name (`path = find_in_parent_folders("root.hcl")`), read within the scanned tree. */
function includes(own: Layer, parser: TsParser, cwd: string, unit: TerragruntUnit): Layer[] {
  const out: Layer[] = [];
  for (const b of own.body.blocks) {
    if (b.type !== 'include') continue;
    const label = b.labels[0] ? ` "${b.labels[0]}"` : '';
    const pathExpr = b.body.attributes.get('path');
    const path = pathExpr ? scalarText(pathExpr.evaluate(own.ctx)) : undefined;
    const notice = (message: string): void => {
      unit.notices.push({ file: own.file, message: `include${label}: ${message}; its inputs and source are not applied`, line: b.loc.line, column: b.loc.column, visible: true });
    };
    if (path === undefined) {
      notice(`path ${pathExpr?.text ?? '(none)'} is not known`);
      continue;
    }
    const abs = resolve(dirname(resolve(cwd, own.file)), path);
    const rel = relative(cwd, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      notice(`${path} is outside the scanned tree`);
      continue;
    }
    const got = readTextSync(abs);
    if (!got.ok) {
      notice(`${rel} cannot be read (${got.message})`);
      continue;
    }
    const text = got.text;
    const read = readHclBody(parser, { file: rel, text });
    if (read.errors.length > 0) {
      notice(`${rel} has a syntax error (${read.errors[0]?.message ?? ''})`);
      continue;
    }
    const ctx = terragruntContext({ dir: resolve(cwd, dirname(own.file)), parentDir: dirname(abs), cwd, locals: localsOf(read.body) });
    out.push({ file: rel, body: read.body, ctx });
  }
  return out;
}

/**
 * A local source as a directory relative to cwd (absolute when outside it); `//` only marks the module's
 * subdirectory.
 */
function localSourceDir(dir: string, source: string, cwd: string): string | undefined {
  const plain = source.replace(/^file:\/\//, '');
  if (/^\.\.?([\\/]|$)/.test(plain)) return joinPath(dir, plain);
  if (!isAbsolute(plain) || source.includes('::')) return undefined;
  const abs = resolve(plain.replace(/\/\/+/g, '/'));
  const rel = relative(cwd, abs);
  return rel === '' ? '.' : isAbsolute(rel) ? abs : rel;
}

/**
 * The module a remote source names, as Terragrunt downloaded it: `.terragrunt-cache/<hash>/<hash>/<subdir>` (the part
 * of the source after `//`). With several downloads, the newest.
 */
function cachedModuleDir(dir: string, source: string, cwd: string): string | undefined {
  const cache = joinPath(dir, '.terragrunt-cache');
  const subdir = /^(?:[a-z0-9+]+::)?(?:[a-z0-9+]+:\/\/)?[^?]*?\/\/([^?]*)/i.exec(source)?.[1] ?? '';
  const candidates: { dir: string; mtime: number }[] = [];
  for (const a of list(resolve(cwd, cache))) {
    for (const b of list(resolve(cwd, cache, a))) {
      const candidate = joinPath(joinPath(joinPath(cache, a), b), subdir);
      const abs = resolve(cwd, candidate);
      if (!list(abs).some((n) => n.endsWith('.tf') || n.endsWith('.tf.json'))) continue;
      candidates.push({ dir: candidate, mtime: mtimeOf(abs) });
    }
  }
  candidates.sort((x, y) => y.mtime - x.mtime || (x.dir < y.dir ? -1 : 1));
  return candidates[0]?.dir;
}

function list(abs: string): string[] {
  try {
    return readdirSync(abs).sort();
  } catch {
    return [];
  }
}

function mtimeOf(abs: string): number {
  try {
    return statSync(abs).mtimeMs;
  } catch {
    return 0;
  }
}

/** Where a Terragrunt expression is evaluated: the unit's directory, the included file's, and that file's locals. */
interface TerragruntScope {
  /** Absolute directory of the unit (the terragrunt.hcl being linted). */
  dir: string;
  /** Absolute directory of the included file whose expressions these are (absent for the unit's own file). */
  parentDir?: string;
  cwd: string;
  locals: Map<string, Expr>;
}

/** Terragrunt's evaluation context: its locals, a few path functions; dependencies and other functions unknown. */
function terragruntContext(scope: TerragruntScope): EvalContext {
  const resolution = new Resolution();
  const cache = new Map<string, TfVal>();
  const ctx: EvalContext = {
    traverse: (root, steps, text, loc) => {
      const [first, ...rest] = steps;
      const name = first?.kind === 'attr' ? first.name : undefined;
      if (root === 'local' && name !== undefined) {
        const expr = scope.locals.get(name);
        if (!expr) return unknown(`local ${name} is not declared`, loc);
        let v = cache.get(name);
        if (!v) {
          v = resolution.follow(`local.${name}`, () => expr.evaluate(ctx), (reason) => unknown(reason, loc));
          cache.set(name, v);
        }
        return applySteps(v, rest, text, loc);
      }
      if (root === 'dependency') return unknown(`${text} (an output of Terragrunt dependency ${name ?? '?'}, known only after it is applied)`, loc);
      return unknown(text, loc);
    },
    extraFunctions: new Map<string, (args: TfVal[], loc: SourceLocation) => TfVal>([
      ['get_terragrunt_dir', (_args, loc) => scalar(scope.dir, loc)],
      ['get_parent_terragrunt_dir', (_args, loc) => scalar(scope.parentDir ?? scope.dir, loc)],
      ['path_relative_to_include', (_args, loc) => scalar(scope.parentDir ? relative(scope.parentDir, scope.dir) || '.' : '.', loc)],
      [
        'find_in_parent_folders',
        (args, loc) => {
          const name = (args[0] ? scalarText(args[0]) : undefined) ?? 'terragrunt.hcl';
          const found = findInParents(scope.dir, name, scope.cwd);
          return found ? scalar(found, loc) : unknown(`find_in_parent_folders: no ${name} above ${relative(scope.cwd, scope.dir) || '.'} in the scanned tree`, loc);
        },
      ],
      ...['read_terragrunt_config', 'get_env', 'run_cmd', 'sops_decrypt_file', 'get_aws_account_id', 'get_aws_caller_identity_arn', 'get_terraform_commands_that_need_vars'].map(
        (name): [string, (args: TfVal[], loc: SourceLocation) => TfVal] => [name, (_args, loc) => unknown(`Terragrunt function ${name} is not evaluated`, loc)],
      ),
    ]),
    nesting: resolution,
  };
  return ctx;
}

/** The nearest `name` in a folder above `dir` (not `dir` itself), not above `cwd`: Terragrunt's find_in_parent_folders. */
function findInParents(dir: string, name: string, cwd: string): string | undefined {
  let cur = dirname(dir);
  for (;;) {
    const rel = relative(cwd, cur);
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
    const candidate = resolve(cur, name);
    if (existsSync(candidate)) return candidate;
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}
