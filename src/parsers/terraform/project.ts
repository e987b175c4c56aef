/**
 * Terraform configurations as Terraform itself sees them: every scanned directory of `.tf`/`.tf.json` files is a
 * module; a module that another scanned configuration calls (through a local path) is linted through its callers,
 * with the inputs they pass, and not again as a root of its own with empty inputs; a module nothing scanned calls is a
 * root. Each root is evaluated with its variable values (tfvars files, `--var`/`--var-file`, `TF_VAR_`), and the
 * modules it calls are read from local paths or from where `terraform init` installed them (sources.ts).
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Parser as TsParser } from 'web-tree-sitter';
import { mergeConditions } from '../../model/conditions';
import type { InputError, InputNotice, ParsedInput, SourceLocation } from '../../model/types';
import type { ParseOptions } from '../types';
import type { ModuleDecl, ModuleLoader } from './config';
import { ExpansionBudget } from '../shared/budget';
import { emptyModule, evaluateModule, joinPath, moduleNames } from './config';
import { splitByFile } from './files';
import { addHclFile, loadParser, readHclBody } from './hcl';
import type { SourceFile } from './json-config';
import { addJsonFile, byDirectory, callFiles } from './json-config';
import type { TfResource } from './model';
import { buildModel } from './model';
import { isLocalSource, manifestPath, readManifest, resolveModuleSource } from './sources';
import { parseTerragrunt, TERRAGRUNT_FILE } from './terragrunt';
import type { TerraformOptions } from './variables';
import { rootVariables } from './variables';
import type { TfVal } from './values';
import { pushAll } from '../../model/arrays';
import { readTextSync } from '../read';

/** Parse options with the Terraform variable sources. */
export interface TerraformParseOptions extends ParseOptions {
  terraform?: TerraformOptions;
}

/** A scanned module directory: its files, declarations and syntax errors. */
interface Scanned {
  dir: string;
  key: string;
  files: SourceFile[];
  decl: ModuleDecl;
  errors: InputError[];
}

/** A module directory read once per run (scanned or read through a call), by absolute path. */
interface Loaded {
  decl: ModuleDecl;
  /** Problems in its files, reported as notices at each call (errors when the directory is scanned itself). */
  problems: InputError[];
  scanned: boolean;
}

/**
 * Parses Terraform configuration files (`.tf`, `.tf.json`, `terragrunt.hcl`) together and returns one ParsedInput per
 * file: the files of one directory form one module, as in Terraform. Never throws on bad input: syntax errors become
 * `errors` with line and column. The HCL grammar is loaded only when a `.tf` or `.hcl` file is given.
 */
export async function parseTerraformProject(files: readonly SourceFile[], options: TerraformParseOptions = {}): Promise<ParsedInput[]> {
  if (!files.some((f) => !f.file.endsWith('.json'))) return parseTerraformFiles(files, options, undefined);
  let parser: TsParser;
  try {
    parser = await loadParser();
  } catch (e) {
    const message = `cannot load the HCL parser (web-tree-sitter): ${e instanceof Error ? e.message : String(e)}`;
    const failed = files.filter((f) => !f.file.endsWith('.json')).map((f): ParsedInput => ({ file: f.file, format: 'terraform-hcl', groups: [], users: [], errors: [{ file: f.file, message }], notices: [] }));
    return [...failed, ...parseTerraformFiles(files.filter((f) => f.file.endsWith('.json')), options, undefined)];
  }
  return parseTerraformFiles(files, options, parser);
}

/** `.tf` files (and `.tf.json` files given with them); see parseTerraformProject. */
export async function parseTerraformHcl(files: readonly SourceFile[], options: TerraformParseOptions = {}): Promise<ParsedInput[]> {
  return parseTerraformProject(files, options);
}

/** `.tf.json` files, without loading the HCL grammar (`.tf` modules they call are not read). */
export function parseTerraformJson(files: readonly SourceFile[], options: TerraformParseOptions = {}): ParsedInput[] {
  return parseTerraformFiles(files, options, undefined);
}

/** Parses the files with the HCL parser given (`.tf` files need it). */
function parseTerraformFiles(files: readonly SourceFile[], options: TerraformParseOptions, parser: TsParser | undefined): ParsedInput[] {
  if (files.length === 0) return [];
  const cwd = options.cwd ?? process.cwd();
  const terragrunt = files.filter((f) => basename(f.file) === TERRAGRUNT_FILE);
  const config = files.filter((f) => basename(f.file) !== TERRAGRUNT_FILE);
  const project = new Project(cwd, parser, options.terraform ?? {}, options.expansionBudget);
  const scanned = byDirectory(config).map((group) => project.scan(group));
  const units = terragrunt.map((f) => parseTerragrunt(f, parser, cwd));

  // Who calls whom among the scanned directories (local sources only: installed modules live under .terraform,
  // which is never scanned).
  const byKey = new Map(scanned.map((s) => [s.key, s]));
  const callers = new Map<string, string[]>();
  const callees = new Map<string, string[]>();
  const edge = (from: string, to: string): void => {
    if (from === to || !byKey.has(to)) return;
    callers.set(to, [...(callers.get(to) ?? []), from]);
    callees.set(from, [...(callees.get(from) ?? []), to]);
  };
  for (const s of scanned) {
    for (const call of s.decl.modules) {
      const source = literalSource(call.body.attributes.get('source')?.text);
      if (source !== undefined && isLocalSource(source)) edge(s.key, resolve(cwd, joinPath(s.dir, source)));
    }
  }
  for (const u of units) if (u.moduleDir !== undefined) edge(`terragrunt:${u.file}`, resolve(cwd, u.moduleDir));

  // Roots: nothing scanned calls them; then, for call cycles, the first directory of each cycle nothing reached.
  const roots = new Set<string>();
  const reached = new Set<string>();
  const reach = (key: string): void => {
    if (reached.has(key)) return;
    reached.add(key);
    for (const next of callees.get(key) ?? []) reach(next);
  };
  for (const s of scanned) if (!callers.has(s.key)) roots.add(s.key);
  for (const u of units) if (u.moduleDir !== undefined) reach(resolve(cwd, u.moduleDir));
  for (const key of roots) reach(key);
  for (const s of [...scanned].sort((a, b) => compare(a.key, b.key))) {
    if (reached.has(s.key)) continue;
    roots.add(s.key);
    reach(s.key);
  }

  const out: ParsedInput[] = [];
  for (const s of scanned) {
    if (roots.has(s.key)) pushAll(out, project.evaluateRoot(s));
    else pushAll(out, project.calledOnly(s, (callers.get(s.key) ?? []).map((k) => byKey.get(k)?.dir ?? k.replace(/^terragrunt:/, ''))));
  }
  for (const u of units) pushAll(out, project.evaluateTerragrunt(u));
  return out;
}

/** The literal text of a `source` argument (Terraform requires a literal string). */
function literalSource(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(text);
  return m ? m[1] : text.includes('"') || text.includes('$') ? undefined : text.trim();
}

class Project {
  private readonly loaded = new Map<string, Loaded>();
  /** Errors already reported (a --var-file shared by every root is reported once). */
  private readonly reported = new Set<string>();

  constructor(
    private readonly cwd: string,
    private readonly parser: TsParser | undefined,
    private readonly terraform: TerraformOptions,
    /** Units of expansion one root module may use (shared/budget.ts); default DEFAULT_EXPANSION_BUDGET. */
    private readonly expansionBudget?: number,
  ) {}

  /** Reads the declarations of one scanned directory from the given files. */
  scan(files: SourceFile[]): Scanned {
    const dir = dirname(files[0]?.file ?? '.');
    const decl = emptyModule(dir);
    const errors: InputError[] = [];
    for (const f of files) pushAll(errors, this.addFile(decl, f));
    const key = resolve(this.cwd, dir);
    this.loaded.set(key, { decl, problems: errors, scanned: true });
    return { dir, key, files, decl, errors };
  }

  private addFile(decl: ModuleDecl, f: SourceFile): InputError[] {
    if (f.file.endsWith('.json')) return addJsonFile(decl, f);
    if (!this.parser) return [];
    return addHclFile(this.parser, decl, f);
  }

  /** A module directory read through a call: from the scan when it was scanned, else from disk (once). */
  private load(dir: string, notices: InputNotice[], at: SourceLocation): ModuleDecl | undefined {
    const key = resolve(this.cwd, dir);
    let entry = this.loaded.get(key);
    if (!entry) {
      let names: string[];
      try {
        names = readdirSync(key)
          .filter((n) => n.endsWith('.tf.json') || (this.parser !== undefined && n.endsWith('.tf')))
          .sort();
      } catch {
        notices.push({ file: at.file, message: `module directory ${dir} cannot be read; its resources are not linted`, line: at.line, column: at.column, visible: true });
        return undefined;
      }
      const decl = emptyModule(dir);
      const problems: InputError[] = [];
      for (const name of names) {
        const file = joinPath(dir, name);
        const read = readTextSync(join(key, name));
        if (!read.ok) {
          problems.push({ file, message: `module file ${file} cannot be read: ${read.message}` });
          continue;
        }
        pushAll(problems, this.addFile(decl, { file, text: read.text }));
      }
      entry = { decl, problems, scanned: false };
      this.loaded.set(key, entry);
    }
    if (!entry.scanned) {
      for (const e of entry.problems) notices.push({ ...e, message: `in module ${dir}: ${e.message}`, visible: true });
    }
    return entry.decl;
  }

  /** A loader for the modules a root calls: local paths, or where `terraform init` installed them for `rootDir`. */
  private loader(rootDir: string, callSites: Map<string, SourceLocation>, notices: InputNotice[]): ModuleLoader {
    // TF_DATA_DIR moves .terraform, as it does for terraform init (relative to the root module's directory).
    const dataDir = this.terraform.env?.['TF_DATA_DIR'] || undefined;
    const { manifest, error } = readManifest(rootDir, this.cwd, dataDir);
    if (error) notices.push({ file: manifestPath(rootDir, dataDir), message: error, visible: true });
    return (request, into, at) => {
      callSites.set(request.key, at);
      const resolved = resolveModuleSource(request, rootDir, manifest);
      if ('missing' in resolved) {
        into.push({ file: at.file, message: resolved.missing, line: at.line, column: at.column, visible: true });
        return undefined;
      }
      return this.load(resolved.dir, into, at);
    };
  }

  /** Lints a root module: its variables from every source, the modules it calls, one ParsedInput per file. */
  evaluateRoot(s: Scanned): ParsedInput[] {
    const vars = rootVariables(s.decl, this.cwd, this.terraform, this.hclReader());
    return this.evaluate(s.decl, s.files.map((f) => f.file), s.errors, vars.values, [...this.once(vars.errors)], vars.notices, formatOf);
  }

  /** Evaluates `decl` as a root with `values` for its variables and distributes the model over `files`. */
  private evaluate(
    decl: ModuleDecl,
    files: string[],
    errors: InputError[],
    values: Map<string, TfVal>,
    moreErrors: InputError[],
    moreNotices: InputNotice[],
    format: (file: string) => ParsedInput['format'],
    callFileOf: ReadonlyMap<string, string> = callFiles(decl),
  ): ParsedInput[] {
    const notices: InputNotice[] = [...moreNotices];
    const callSites = new Map<string, SourceLocation>();
    const budget = new ExpansionBudget(this.expansionBudget);
    const evaluated = evaluateModule(decl, this.loader(decl.dir, callSites, notices), { cwd: this.cwd, variables: values, budget });
    addCallChains(evaluated.resources, callSites);
    // Rules get a budget of their own: instances and blocks that used up the evaluation's budget must not leave the
    // model without any rule (the notice would say "only the first 50000 are linted" over an input linted for nothing).
    const rules = new ExpansionBudget(this.expansionBudget);
    const built = buildModel(evaluated.resources, { budget: rules });
    const noticeFile = evaluated.budgetFile ?? files[0] ?? decl.dir;
    const budgetNotices = budget.exhausted ? budget.notices(noticeFile) : rules.notices(noticeFile);
    // A module called once per instance of its caller (count, for_each) says the same thing once, not once per instance.
    const unique = uniqueNotices([...notices, ...evaluated.notices, ...budgetNotices]);
    const inputs = splitByFile(built, files, 'terraform-hcl', [...errors, ...moreErrors], unique, callFileOf);
    for (const input of inputs) input.format = format(input.file);
    return inputs;
  }

  /** A directory another scanned configuration calls: linted through its callers; here only its syntax errors. */
  calledOnly(s: Scanned, callers: string[]): ParsedInput[] {
    const first = s.files[0]?.file;
    return s.files.map((f) => {
      const input: ParsedInput = { file: f.file, format: formatOf(f.file), groups: [], users: [], errors: s.errors.filter((e) => e.file === f.file), notices: [] };
      if (f.file === first) {
        const list = [...new Set(callers)].sort();
        input.notices.push({ file: s.dir, message: `module directory linted through the configurations that call it (${list.join(', ')}), not as a root module of its own` });
      }
      return input;
    });
  }

  /** A terragrunt.hcl: its module evaluated with the `inputs` it sets, located in the module's files. */
  evaluateTerragrunt(unit: ReturnType<typeof parseTerragrunt>): ParsedInput[] {
    const base: ParsedInput = { file: unit.file, format: 'terraform-hcl', groups: [], users: [], errors: [...unit.errors], notices: [...unit.notices] };
    if (unit.moduleDir === undefined) return [base];
    const notices: InputNotice[] = [];
    const decl = this.load(unit.moduleDir, notices, unit.sourceLoc);
    if (!decl) return [{ ...base, notices: [...base.notices, ...notices] }];
    // Terragrunt passes `inputs` as TF_VAR_ variables: the environment, the module's tfvars files and --var override them.
    const values = new Map<string, TfVal>();
    for (const [name, v] of unit.inputs) if (decl.variables.has(name)) values.set(name, v);
    const vars = rootVariables(decl, this.cwd, this.terraform, this.hclReader());
    for (const [name, v] of vars.values) values.set(name, v);
    const [input] = this.evaluate(decl, [unit.file], unit.errors, values, [...this.once(vars.errors)], [...unit.notices, ...notices, ...vars.notices], () => 'terraform-hcl', new Map());
    return input ? [input] : [base];
  }

  private hclReader(): ((file: string, text: string) => ReturnType<typeof readHclBody>) | undefined {
    const parser = this.parser;
    return parser ? (file, text) => readHclBody(parser, { file, text }) : undefined;
  }

  private *once(errors: InputError[]): Iterable<InputError> {
    for (const e of errors) {
      const id = `${e.file}:${e.line ?? ''}:${e.column ?? ''}:${e.message}`;
      if (this.reported.has(id)) continue;
      this.reported.add(id);
      yield e;
    }
  }
}

function formatOf(file: string): ParsedInput['format'] {
  return file.endsWith('.json') ? 'terraform-json' : 'terraform-hcl';
}

/**
 * Adds to every resource written in a called module the chain of calls that leads to it, so a finding says which
 * caller's inputs produced it: "in module.app.module.sg (called from main.tf → modules/app/main.tf)". Files, not
 * lines: the text is part of findings' fingerprints, which must survive unrelated edits.
 */
function addCallChains(resources: TfResource[], callSites: ReadonlyMap<string, SourceLocation>): void {
  for (const r of resources) {
    const m = /^(?:module\.[A-Za-z0-9_-]+(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+|\*)\])?\.)+/.exec(r.address);
    if (!m) continue;
    const names = moduleNames(m[0]);
    const files = names.map((_, i) => callSites.get(names.slice(0, i + 1).join('.'))?.file).filter((f): f is string => f !== undefined);
    r.conditions = mergeConditions(r.conditions ?? [], [{ kind: 'module-call', module: m[0].slice(0, -1), files }]);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Notices in order, each distinct one (same place, same words) once. */
function uniqueNotices(notices: readonly InputNotice[]): InputNotice[] {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const key = JSON.stringify([n.file, n.line ?? null, n.column ?? null, n.message, n.visible ?? false]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
