/**
 * Terraform HCL (`.tf`) through tree-sitter (web-tree-sitter + the tree-sitter-hcl grammar), which keeps positions
 * for every block and attribute. The grammar is loaded lazily on the first call, so runs without `.tf` files never
 * load it. Declarations are evaluated by the shared configuration evaluator (see config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { Parser as TsParser, Node as TreeSitterNode } from 'web-tree-sitter';
import type { InputError, SourceLocation, Suppression } from '../../model/types';
import type { BlockDecl, BodyDecl, Expr, ModuleDecl } from './config';
import { emptyModule, shorten } from './config';
import type { Source } from './eval/evaluate';
import { makeExpr, textSource, variableDecl } from './exprs';
import type { SourceFile } from './json-config';
import type { SyntaxNode as TsNode } from './hcl-tree';
import { maskNumberLiterals } from './hcl-numbers';
import { copyTree, descendantsOfType } from './hcl-tree';
import { TOO_DEEP_MESSAGE } from './limits';
import { isFileWide, suppressionsInComment } from './suppressions';
import { pushAll } from '../../model/arrays';

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
export function loadParser(): Promise<TsParser> {
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
 * Syntax trees already read in this process, by file text: generated module libraries repeat whole files
 * (`versions.tf`, templated `variables.tf`), and a copied tree depends on nothing but the text, so each distinct text
 * is parsed once. Only files up to 256 KB are kept (repeated files are small), at most 8 MB of text; cleared when full.
 */
const trees = new Map<string, TsNode>();
let treeChars = 0;
const MAX_TREE_CHARS = 8 * 1024 * 1024;
const MAX_KEPT_FILE = 256 * 1024;

/** The syntax tree of an HCL text (a byte order mark left out), or the one error that stops reading it. */
function syntaxTree(parser: TsParser, f: SourceFile): { root: TsNode; text: string } | { error: InputError } {
  const fail = (message: string, line = 1, column = 1): { error: InputError } => ({ error: { file: f.file, message, line, column } });
  if (f.text.length > MAX_HCL_SIZE) return fail(`file is larger than ${MAX_HCL_SIZE / 1024 / 1024} MB; not parsed as HCL`);
  const text = f.text.charCodeAt(0) === 0xfeff ? f.text.slice(1) : f.text;
  const known = trees.get(text);
  if (known) return { root: known, text };
  let tree;
  try {
    tree = parser.parse(maskNumberLiterals(text));
  } catch (e) {
    return fail(`HCL parser failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!tree) return fail('HCL parser returned no tree');
  try {
    if (tree.rootNode.hasError) return { error: syntaxError(f.file, tree.rootNode, text) };
    const copy = copyTree(tree, text);
    if ('tooDeep' in copy) return fail(TOO_DEEP_MESSAGE, copy.tooDeep.row + 1, copy.tooDeep.column + 1);
    if (text.length <= MAX_KEPT_FILE) {
      if (treeChars + text.length > MAX_TREE_CHARS) {
        trees.clear();
        treeChars = 0;
      }
      trees.set(text, copy.root);
      treeChars += text.length;
    }
    return { root: copy.root, text };
  } finally {
    tree.delete();
  }
}

/** Adds the declarations of one `.tf` file to a module; returns its syntax errors (the file is then skipped). */
export function addHclFile(parser: TsParser, decl: ModuleDecl, f: SourceFile): InputError[] {
  const t = syntaxTree(parser, f);
  if ('error' in t) return [t.error];
  new HclReader(f.file, t.text, t.root).read(decl);
  return [];
}

/**
 * Reads the top-level attributes and blocks of an HCL file that is not a module file (`.tfvars`, `terragrunt.hcl`, a
 * `--var` value wrapped in `x = ...`). Syntax errors come back in `errors` with the body empty.
 */
export function readHclBody(parser: TsParser, f: SourceFile): { body: BodyDecl; errors: InputError[] } {
  const t = syntaxTree(parser, f);
  if ('error' in t) return { body: { attributes: new Map(), blocks: [] }, errors: [t.error] };
  return { body: new HclReader(f.file, t.text, t.root).topLevel(), errors: [] };
}

/** The first syntax error of a tree; `text` is the file as written (tree-sitter parsed it with numbers masked). */
function syntaxError(file: string, root: TreeSitterNode, text: string): InputError {
  const bad = firstError(root) ?? root;
  const p = bad.startPosition;
  const what = bad.isMissing ? `missing ${bad.type}` : `unexpected ${JSON.stringify(shorten(text.slice(bad.startIndex, bad.endIndex)).slice(0, 40))}`;
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
  private readonly source: Source;

  constructor(
    private readonly file: string,
    text: string,
    private readonly root: TsNode,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
    this.source = textSource(file, text);
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
      const b = this.block(block, false);
      switch (b.type) {
        case 'resource':
          decl.resources.push(b);
          break;
        case 'module':
          decl.modules.push(b);
          break;
        case 'data':
          decl.data.push(b);
          break;
        case 'variable': {
          const name = b.labels[0];
          if (name !== undefined) decl.variables.set(name, variableDecl(b.body.attributes, b.loc));
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

  /** The attributes written at the top level of the file (a `.tfvars` file, a `terragrunt.hcl`), and its blocks. */
  topLevel(): BodyDecl {
    return this.body(this.root.namedChildren.find((n) => n.type === 'body'));
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

  private block(n: TsNode, nested: boolean): BlockDecl {
    const named = n.namedChildren;
    const type = named.find((c) => c.type === 'identifier')?.text ?? '';
    const labels = named.filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== named[0])).map(labelText);
    const bodyNode = named.find((c) => c.type === 'body');
    // checkov reads its markers anywhere inside a resource's block, for the whole resource; KICS file-wide markers
    // cover every resource of the file. Nested blocks (ingress, egress) keep the markers written at them.
    const at = this.suppressionsAt(n).filter((s) => !isFileWide(s) && !(nested && s.origin === 'checkov'));
    const suppressions = nested ? at : [...at, ...this.checkovInside(n), ...this.fileWide()];
    return { type, labels, body: this.body(bodyNode), loc: this.loc(n), suppressions, comments: [] };
  }

  /** checkov markers in the comments after a block's first line, through its last line (nested blocks included). */
  private checkovInside(n: TsNode): Suppression[] {
    const out: Suppression[] = [];
    for (let row = n.startPosition.row + 1; row <= n.endPosition.row; row++) {
      for (const c of this.commentsByRow.get(row) ?? []) {
        pushAll(out, suppressionsInComment(c.text, this.loc(c.node)).filter((s) => s.origin === 'checkov'));
      }
    }
    return out;
  }

  private fileWideMarkers: Suppression[] | undefined;

  /** KICS markers that cover the whole file, wherever they are written. */
  private fileWide(): Suppression[] {
    this.fileWideMarkers ??= [...this.commentsByRow.values()].flat().flatMap((c) => suppressionsInComment(c.text, this.loc(c.node)).filter(isFileWide));
    return this.fileWideMarkers;
  }

  private body(n: TsNode | undefined): BodyDecl {
    const attributes = new Map<string, Expr>();
    const blocks: BlockDecl[] = [];
    for (const c of n?.namedChildren ?? []) {
      if (c.type === 'attribute') {
        const name = c.namedChildren.find((x) => x.type === 'identifier')?.text;
        const expr = c.namedChildren.find((x) => x.type === 'expression');
        if (name !== undefined && expr) attributes.set(name, this.expr(expr));
      } else if (c.type === 'block') blocks.push(this.block(c, true));
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
    return makeExpr(this.source, n.text, n.startIndex, this.loc(n), 'expression');
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
      case 'U': {
        // A code point above 10FFFF (Unicode has none) stays as written instead of throwing.
        const code = parseInt(esc.slice(1), 16);
        return code > 0x10ffff ? m : String.fromCodePoint(code);
      }
      default:
        return esc ?? m;
    }
  });
}

/**
 * Reads `.tf` files into one module declaration (used by tests that evaluate expressions in a configuration, such
 * as the differential test against `terraform console`). Syntax errors are returned beside it.
 */
export async function readHclModule(dir: string, files: readonly SourceFile[]): Promise<{ decl: ModuleDecl; errors: InputError[] }> {
  const parser = await loadParser();
  const decl = emptyModule(dir);
  const errors: InputError[] = [];
  for (const f of files) pushAll(errors, addHclFile(parser, decl, f));
  return { decl, errors };
}
