/**
 * Terraform HCL (`.tf`) through tree-sitter (web-tree-sitter + the tree-sitter-hcl grammar), which keeps positions
 * for every block and attribute. The grammar is loaded lazily on the first call, so runs without `.tf` files never
 * load it. Declarations are evaluated by the shared configuration evaluator (see config.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { Parser as TsParser, Node as TreeSitterNode } from 'web-tree-sitter';
import type { InputError, InputNotice, ParsedInput, SourceLocation, Suppression } from '../../model/types';
import type { ParseOptions } from '../types';
import type { BlockDecl, BodyDecl, EvalContext, Expr, ModuleDecl, ModuleLoader, Step } from './config';
import { applySteps, emptyModule, evaluateModule, shorten } from './config';
import { splitByFile } from './files';
import type { SourceFile } from './json-config';
import { addJsonFile, byDirectory, callFiles } from './json-config';
import type { SyntaxNode as TsNode } from './hcl-tree';
import { copyTree, descendantsOfType, fieldChild } from './hcl-tree';
import { TOO_DEEP_MESSAGE } from './limits';
import { buildModel } from './model';
import { suppressionsInComment } from './suppressions';
import type { TfVal } from './values';
import { scalar, scalarText, unknown, withVia } from './values';

/** Largest `.tf` file handed to tree-sitter: far larger inputs exhaust the WebAssembly heap and abort it. */
export const MAX_HCL_SIZE = 16 * 1024 * 1024;

let parserPromise: Promise<TsParser> | undefined;

/** Where the HCL grammar is: next to the build (`dist/wasm`), else in the grammar package (running from `src/`). */
export function grammarPath(): string {
  const built = join(__dirname, '..', '..', 'wasm', 'tree-sitter-hcl.wasm');
  if (existsSync(built)) return built;
  const pkg = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json');
  return join(dirname(pkg), 'tree-sitter-hcl.wasm');
}

/** Loads web-tree-sitter and the HCL grammar once per process. */
function loadParser(): Promise<TsParser> {
  parserPromise ??= (async () => {
    // Lazy on purpose: only `.tf` inputs pay for loading the WebAssembly runtime and grammar.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as typeof WebTreeSitter;
    await ts.Parser.init();
    // Bytes rather than a path: Language.load(path) uses a dynamic import(), which Jest's VM does not allow.
    const language = await ts.Language.load(new Uint8Array(readFileSync(grammarPath())));
    const parser = new ts.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  parserPromise.catch(() => (parserPromise = undefined));
  return parserPromise;
}

/**
 * Parses the `.tf` files of one directory as one module (`.tf.json` files given with them join the module, as in
 * Terraform) and returns one ParsedInput per file. Local modules (`source = "./modules/sg"`) are read and
 * evaluated with the call's arguments. Never throws: syntax errors become `errors` with line and column.
 */
export async function parseTerraformHcl(files: readonly SourceFile[], options: ParseOptions = {}): Promise<ParsedInput[]> {
  let parser: TsParser;
  try {
    parser = await loadParser();
  } catch (e) {
    const message = `cannot load the HCL parser (web-tree-sitter): ${e instanceof Error ? e.message : String(e)}`;
    return files.map((f) => ({ file: f.file, format: 'terraform-hcl', groups: [], users: [], errors: [{ file: f.file, message }], notices: [] }));
  }
  const out: ParsedInput[] = [];
  for (const group of byDirectory(files)) out.push(...parseModule(parser, group, options));
  return out;
}

function parseModule(parser: TsParser, files: readonly SourceFile[], options: ParseOptions): ParsedInput[] {
  const dir = dirname(files[0]?.file ?? '.');
  const decl = emptyModule(dir);
  const errors: InputError[] = [];
  for (const f of files) errors.push(...(f.file.endsWith('.json') ? addJsonFile(decl, f) : addHclFile(parser, decl, f)));
  const evaluated = evaluateModule(decl, hclModuleLoader(parser, options.cwd ?? process.cwd()));
  const inputs = splitByFile(buildModel(evaluated.resources), files.map((f) => f.file), 'terraform-hcl', errors, evaluated.notices, callFiles(decl));
  for (const input of inputs) if (input.file.endsWith('.json')) input.format = 'terraform-json';
  return inputs;
}

/** A loader for local modules: every `.tf` and `.tf.json` file of the directory (resolved against `cwd`). */
function hclModuleLoader(parser: TsParser, cwd: string): ModuleLoader {
  return (dir, notices, at) => {
    let names: string[];
    try {
      names = readdirSync(resolve(cwd, dir)).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).sort();
    } catch {
      notices.push({ file: at.file, message: `module directory ${dir} cannot be read; its resources are not linted`, line: at.line, column: at.column });
      return undefined;
    }
    const decl = emptyModule(dir);
    for (const name of names) {
      const file = join(dir, name);
      let text: string;
      try {
        text = readFileSync(resolve(cwd, file), 'utf8');
      } catch {
        notices.push({ file: at.file, message: `module file ${file} cannot be read`, line: at.line, column: at.column });
        continue;
      }
      const errs = name.endsWith('.json') ? addJsonFile(decl, { file, text }) : addHclFile(parser, decl, { file, text });
      for (const e of errs) notices.push({ ...e, message: `in module ${dir}: ${e.message}` } as InputNotice);
    }
    return decl;
  };
}

/** Adds the declarations of one `.tf` file to a module; returns its syntax errors (the file is then skipped). */
export function addHclFile(parser: TsParser, decl: ModuleDecl, f: SourceFile): InputError[] {
  if (f.text.length > MAX_HCL_SIZE) {
    return [{ file: f.file, message: `file is larger than ${MAX_HCL_SIZE / 1024 / 1024} MB; not parsed as HCL`, line: 1, column: 1 }];
  }
  const text = f.text.charCodeAt(0) === 0xfeff ? f.text.slice(1) : f.text;
  let tree;
  try {
    tree = parser.parse(text);
  } catch (e) {
    return [{ file: f.file, message: `HCL parser failed: ${e instanceof Error ? e.message : String(e)}`, line: 1, column: 1 }];
  }
  if (!tree) return [{ file: f.file, message: 'HCL parser returned no tree', line: 1, column: 1 }];
  try {
    if (tree.rootNode.hasError) return [syntaxError(f.file, tree.rootNode)];
    const copy = copyTree(tree, text);
    if ('tooDeep' in copy) return [{ file: f.file, message: TOO_DEEP_MESSAGE, line: copy.tooDeep.row + 1, column: copy.tooDeep.column + 1 }];
    new HclReader(f.file, text, copy.root).read(decl);
    return [];
  } finally {
    tree.delete();
  }
}

function syntaxError(file: string, root: TreeSitterNode): InputError {
  const bad = firstError(root) ?? root;
  const p = bad.startPosition;
  const what = bad.isMissing ? `missing ${bad.type}` : `unexpected ${JSON.stringify(shorten(bad.text).slice(0, 40))}`;
  return { file, message: `HCL syntax error: ${what}`, line: p.row + 1, column: p.column + 1 };
}

/** The first ERROR or MISSING node in document order (a loop down one path, so any depth is safe). */
function firstError(root: TreeSitterNode): TreeSitterNode | undefined {
  let node = root;
  for (;;) {
    if (node.isError || node.isMissing) {
      // An ERROR node's first problem is usually inside it (a MISSING token); else report the ERROR itself.
      const inner = node.children.find((c) => c && (c.isMissing || c.isError));
      if (!inner) return node;
      node = inner;
      continue;
    }
    const next = node.children.find((c) => c?.hasError || c?.isMissing);
    if (!next) return undefined;
    node = next;
  }
}

interface Comment {
  text: string;
  node: TsNode;
}

class HclReader {
  /** Comments by the 0-based row they start on. */
  private readonly commentsByRow = new Map<number, Comment[]>();
  /** Comments alone on their line(s), by the 0-based row they end on. */
  private readonly aloneByEndRow = new Map<number, Comment>();
  private readonly lines: string[];

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly root: TsNode,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
    for (const c of descendantsOfType(root, 'comment')) {
      const row = c.startPosition.row;
      const before = (this.lines[row] ?? '').slice(0, c.startPosition.column);
      const comment: Comment = { text: c.text, node: c };
      const list = this.commentsByRow.get(row) ?? [];
      list.push(comment);
      this.commentsByRow.set(row, list);
      if (before.trim() === '') this.aloneByEndRow.set(c.endPosition.row, comment);
    }
  }

  read(decl: ModuleDecl): void {
    const body = this.root.namedChildren.find((n) => n.type === 'body');
    if (!body) return;
    for (const block of children(body, 'block')) {
      const b = this.block(block);
      switch (b.type) {
        case 'resource':
          decl.resources.push(b);
          break;
        case 'module':
          decl.modules.push(b);
          break;
        case 'variable': {
          const name = b.labels[0];
          const def = b.body.attributes.get('default');
          if (name !== undefined) decl.variables.set(name, def ? { default: def, loc: b.loc } : { loc: b.loc });
          break;
        }
        case 'output': {
          const value = b.body.attributes.get('value');
          if (b.labels[0] !== undefined && value) decl.outputs.set(b.labels[0], value);
          break;
        }
        case 'locals':
          for (const [k, v] of b.body.attributes) decl.locals.set(k, v);
          break;
      }
    }
  }

  loc(n: TsNode): SourceLocation {
    return {
      file: this.file,
      line: n.startPosition.row + 1,
      column: n.startPosition.column + 1,
      endLine: n.endPosition.row + 1,
      endColumn: n.endPosition.column + 1,
    };
  }

  private block(n: TsNode): BlockDecl {
    const named = n.namedChildren;
    const type = named.find((c) => c.type === 'identifier')?.text ?? '';
    const labels = named.filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== named[0])).map(labelText);
    const bodyNode = named.find((c) => c.type === 'body');
    return { type, labels, body: this.body(bodyNode), loc: this.loc(n), suppressions: this.suppressionsAt(n), comments: [] };
  }

  private body(n: TsNode | undefined): BodyDecl {
    const attributes = new Map<string, Expr>();
    const blocks: BlockDecl[] = [];
    for (const c of n?.namedChildren ?? []) {
      if (c.type === 'attribute') {
        const name = c.namedChildren.find((x) => x.type === 'identifier')?.text;
        const expr = c.namedChildren.find((x) => x.type === 'expression');
        if (name !== undefined && expr) attributes.set(name, this.expr(expr));
      } else if (c.type === 'block') blocks.push(this.block(c));
    }
    return { attributes, blocks };
  }

  /** Suppression comments on the block's first line, or on the comment-only lines directly above it. */
  private suppressionsAt(n: TsNode): Suppression[] {
    const row = n.startPosition.row;
    const found: Comment[] = [...(this.commentsByRow.get(row) ?? [])];
    let r = row - 1;
    for (;;) {
      const above = this.aloneByEndRow.get(r);
      if (!above) break;
      found.push(above);
      r = above.node.startPosition.row - 1;
    }
    return found.flatMap((c) => suppressionsInComment(c.text, this.loc(c.node)));
  }


  private expr(n: TsNode): Expr {
    const loc = this.loc(n);
    const text = n.text;
    const first = n.namedChildren.length === 1 ? n.namedChildren[0] : undefined;
    const identifier = first?.type === 'variable_expr' ? first.text : undefined;
    const e: Expr = { text, loc, evaluate: (ctx) => this.evaluate(n, ctx) };
    return identifier !== undefined ? { ...e, identifier } : e;
  }

  /** Evaluates a node: one nesting level, counted by the context so chains through references stay bounded. */
  private evaluate(n: TsNode, ctx: EvalContext): TfVal {
    const loc = this.loc(n);
    const refused = ctx.nesting.enter(loc);
    if (refused) return refused;
    try {
      return this.evaluateAt(n, ctx, loc);
    } finally {
      ctx.nesting.leave();
    }
  }

  private evaluateAt(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    switch (n.type) {
      case 'expression':
        return this.expression(n, ctx, loc);
      case 'literal_value':
        return this.literal(n, loc);
      case 'template_expr':
        return this.template(n.namedChildren[0] ?? n, ctx, loc);
      case 'collection_value':
        return this.collection(n.namedChildren[0] ?? n, ctx, loc);
      case 'function_call':
        return this.call(n, ctx, loc);
      case 'conditional':
        return this.conditional(n, ctx, loc);
      case 'operation':
        return this.operation(n.namedChildren[0] ?? n, ctx, loc);
      case 'variable_expr':
        return ctx.traverse(n.text, [], n.text, loc);
      default:
        return unknown(shorten(n.text), loc);
    }
  }

  /** A primary followed by `.attr`, `[index]` and splat steps. */
  private expression(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const parts = n.namedChildren.filter((c) => c.type !== 'comment');
    const [primary, ...postfix] = parts;
    if (!primary) return unknown(shorten(n.text), loc);
    if (primary.type === 'expression' && postfix.length === 0) return this.evaluate(primary, ctx);
    const steps: Step[] = [];
    for (const p of postfix) {
      const s = this.steps(p, ctx);
      if (!s) return unknown(shorten(n.text), loc);
      steps.push(...s);
    }
    if (primary.type === 'variable_expr') return ctx.traverse(primary.text, steps, n.text.trim(), loc);
    return applySteps(this.evaluate(primary, ctx), steps, shorten(n.text), loc);
  }

  private steps(p: TsNode, ctx: EvalContext): Step[] | undefined {
    if (p.type === 'get_attr') return [{ kind: 'attr', name: p.namedChildren[0]?.text ?? '' }];
    if (p.type === 'index') {
      const inner = p.namedChildren[0];
      if (inner?.type === 'legacy_index') return [{ kind: 'index', key: scalar(Number(inner.text.replace(/^\./, ''))) }];
      const e = inner?.namedChildren.find((x) => x.type === 'expression');
      return e ? [{ kind: 'index', key: this.evaluate(e, ctx) }] : undefined;
    }
    if (p.type === 'splat') {
      const s = p.namedChildren[0];
      const out: Step[] = [{ kind: 'splat' }];
      for (const c of s?.namedChildren ?? []) {
        const more = this.steps(c, ctx);
        if (!more) return undefined;
        out.push(...more);
      }
      return out;
    }
    return undefined;
  }

  private literal(n: TsNode, loc: SourceLocation): TfVal {
    const c = n.namedChildren[0];
    switch (c?.type) {
      case undefined:
        return unknown(shorten(n.text), loc);
      case 'numeric_lit':
        return scalar(Number(c.text), loc);
      case 'bool_lit':
        return scalar(c.text === 'true', loc);
      case 'null_lit':
        return scalar(null, loc);
      case 'string_lit':
        return scalar(unescapeHcl(c.text.slice(1, -1)), loc);
      default:
        return unknown(shorten(n.text), loc);
    }
  }

  /**
   * A quoted or heredoc template. Literal text is cut from the source between the delimiters and interpolations
   * (tree-sitter's template_literal nodes leave out surrounding whitespace).
   */
  private template(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const all = n.children;
    if (all.some((p) => p.type === 'template_directive')) return unknown(shorten(n.text), loc);
    const heredoc = n.type === 'heredoc_template';
    const idents = all.filter((c) => c.type === 'heredoc_identifier');
    const open = heredoc ? idents[0] : all.find((c) => c.type === 'quoted_template_start');
    const close = heredoc ? (idents.length > 1 ? idents[idents.length - 1] : undefined) : all.find((c) => c.type === 'quoted_template_end');
    if (!open) return unknown(shorten(n.text), loc);
    const interps = all.filter((c) => c.type === 'template_interpolation');
    let cursor = open.endIndex;
    if (heredoc) cursor = this.text.indexOf('\n', cursor) + 1;
    const stop = close ? close.startIndex : n.endIndex;
    const literal = (a: number, b: number): string => {
      const raw = this.text.slice(a, Math.max(a, b));
      return heredoc ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescapeHcl(raw);
    };
    if (interps.length === 1 && interps[0] && cursor === interps[0].startIndex && interps[0].endIndex === stop) {
      return this.interpolation(interps[0], ctx, loc);
    }
    let out = '';
    const via: string[] = [];
    for (const p of interps) {
      out += literal(cursor, p.startIndex);
      cursor = p.endIndex;
      const v = this.interpolation(p, ctx, loc);
      if (v.kind === 'unknown') return { ...v, loc };
      const s = scalarText(v);
      if (s === undefined) return unknown(shorten(n.text), loc);
      out += s;
      via.push(...(v.via ?? []));
    }
    out += literal(cursor, stop);
    if (heredoc) out = heredocText(n, out);
    return withVia(scalar(out, loc), via);
  }

  private interpolation(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const e = n.namedChildren.find((c) => c.type === 'expression');
    return e ? this.evaluate(e, ctx) : unknown(shorten(n.text), loc);
  }

  private collection(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    if (n.type === 'tuple') {
      // A loop rather than map(): one stack frame less per nesting level.
      const items: TfVal[] = [];
      for (const c of n.namedChildren) if (c.type === 'expression') items.push(this.evaluate(c, ctx));
      return { kind: 'list', items, loc };
    }
    if (n.type === 'object') {
      const fields = new Map<string, TfVal>();
      for (const el of n.namedChildren) {
        if (el.type !== 'object_elem') continue;
        const keyNode = fieldChild(el, 'key');
        const valNode = fieldChild(el, 'val');
        if (!keyNode || !valNode) continue;
        const key = this.objectKey(keyNode, ctx);
        if (key === undefined) return unknown(shorten(n.text), loc);
        fields.set(key, this.evaluate(valNode, ctx));
      }
      return { kind: 'object', fields, loc };
    }
    return unknown(shorten(n.text), loc);
  }

  /** An object key: a bare word is the key itself; `(expr)` or a template is evaluated. */
  private objectKey(n: TsNode, ctx: EvalContext): string | undefined {
    const inner = n.namedChildren.length === 1 ? n.namedChildren[0] : undefined;
    if (inner?.type === 'variable_expr') return inner.text;
    return scalarText(this.evaluate(n, ctx));
  }

  private call(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const name = n.namedChildren.find((c) => c.type === 'identifier')?.text ?? '';
    const argsNode = n.namedChildren.find((c) => c.type === 'function_arguments');
    const argNodes = argsNode?.namedChildren.filter((c) => c.type === 'expression') ?? [];
    if (argsNode?.namedChildren.some((c) => c.type === 'ellipsis')) return unknown(shorten(n.text), loc);
    return ctx.call(name, argNodes.map((a) => this.evaluate(a, ctx)), n.text, loc);
  }

  private conditional(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const [cond, yes, no] = n.namedChildren.filter((c) => c.type === 'expression');
    if (!cond || !yes || !no) return unknown(shorten(n.text), loc);
    const c = this.evaluate(cond, ctx);
    if (c.kind !== 'scalar' || typeof c.value !== 'boolean') return unknown(shorten(n.text), loc);
    return withVia(this.evaluate(c.value ? yes : no, ctx), c.via ?? []);
  }

  private operation(n: TsNode, ctx: EvalContext, loc: SourceLocation): TfVal {
    const operands = n.namedChildren;
    const op = n.children.find((c) => !c.isNamed)?.text ?? '';
    const values = operands.map((o) => this.evaluate(o, ctx));
    const via = values.flatMap((v) => v.via ?? []);
    const bad = values.find((v) => v.kind === 'unknown');
    if (bad) return bad;
    const raw = values.map((v) => (v.kind === 'scalar' ? v.value : undefined));
    const result = n.type === 'unary_operation' ? unary(op, raw[0]) : binary(op, raw[0], raw[1]);
    return result === undefined ? unknown(shorten(n.text), loc) : withVia(scalar(result, loc), via);
  }
}

type Raw = string | number | boolean | null | undefined;

function unary(op: string, a: Raw): string | number | boolean | undefined {
  if (op === '-' && typeof a === 'number') return -a;
  if (op === '!' && typeof a === 'boolean') return !a;
  return undefined;
}

function binary(op: string, a: Raw, b: Raw): string | number | boolean | undefined {
  if (op === '==' || op === '!=') {
    if (a === undefined || b === undefined) return undefined;
    return (a === b) === (op === '==');
  }
  if ((op === '&&' || op === '||') && typeof a === 'boolean' && typeof b === 'boolean') return op === '&&' ? a && b : a || b;
  const x = typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
  const y = typeof b === 'string' && b.trim() !== '' ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(x) || Number.isNaN(y)) return undefined;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : x / y;
    case '%':
      return y === 0 ? undefined : x % y;
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    default:
      return undefined;
  }
}

function children(n: TsNode, type: string): TsNode[] {
  return n.namedChildren.filter((c) => c.type === type);
}

/** The text of a block label (a quoted string or a bare identifier), escapes resolved. */
function labelText(n: TsNode): string {
  if (n.type === 'identifier') return n.text;
  return unescapeHcl(n.text.replace(/^"|"$/g, ''));
}

function unescapeHcl(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    switch (esc?.[0]) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc ?? m;
    }
  });
}

/** `<<-EOT` heredocs drop the common leading indentation. */
function heredocText(n: TsNode, text: string): string {
  const start = n.namedChildren.find((c) => c.type === 'heredoc_start')?.text ?? '<<';
  let lines = text.split('\n');
  if (lines[lines.length - 1]?.trim() === '') lines = lines.slice(0, -1);
  lines = lines.map((l) => l.replace(/\r$/, ''));
  if (start.includes('-')) {
    const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0));
    if (Number.isFinite(indent)) lines = lines.map((l) => l.slice(indent));
  }
  return lines.join('\n');
}
