/**
 * Terraform JSON configuration (`.tf.json`): blocks in object and array forms, `"//"` comments, and string
 * templates (`"${var.admin_cidr}"`) evaluated through the shared configuration evaluator.
 */
import { dirname } from 'node:path';
import type { InputError, SourceLocation, Suppression } from '../../model/types';
import { readJson } from '../shared/json-positions';
import type { LineIndex } from '../shared/line-index';
import type { MapNode, TreeNode } from '../shared/tree';
import type { BlockDecl, BodyDecl, EvalContext, Expr, ModuleDecl } from './config';
import type { Source } from './eval/evaluate';
import { makeExpr, variableDecl } from './exprs';
import { firstTooDeep, TOO_DEEP_MESSAGE } from './limits';
import { suppressionsInComment } from './suppressions';
import type { TfVal } from './values';
import { scalar } from './values';
import { pushAll } from '../../model/arrays';

/** An input file: path as given and its text. */
export interface SourceFile {
  file: string;
  text: string;
}

/** Root module call name -> file declaring it. */
export function callFiles(decl: ModuleDecl): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of decl.modules) if (m.labels[0] !== undefined) out.set(m.labels[0], m.loc.file);
  return out;
}

/** Groups files by directory, keeping input order. */
export function byDirectory<T extends { file: string }>(files: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const f of files) {
    const d = dirname(f.file);
    groups.set(d, [...(groups.get(d) ?? []), f]);
  }
  return [...groups.values()];
}

/** Adds the declarations of one `.tf.json` file to a module; returns the file's syntax errors. */
export function addJsonFile(decl: ModuleDecl, f: SourceFile): InputError[] {
  const tree = readJson(f.text);
  const errors: InputError[] = tree.errors.map((e) => ({ file: f.file, message: e.message, ...tree.lines.position(e.offset) }));
  if (!tree.root || errors.length > 0) return errors;
  if (tree.root.kind !== 'map') return [{ file: f.file, message: 'a Terraform JSON file must hold an object', line: 1, column: 1 }];
  const deep = firstTooDeep(tree.root);
  if (deep) return [{ file: f.file, message: TOO_DEEP_MESSAGE, ...tree.lines.position(deep.start) }];
  const r = new JsonReader(f.file, tree.lines);
  r.read(tree.root, decl);
  return errors;
}

class JsonReader {
  constructor(
    private readonly file: string,
    private readonly lines: LineIndex,
  ) {}

  loc(node: { start: number; end: number }): SourceLocation {
    return this.lines.location(this.file, node.start, node.end);
  }

  read(root: MapNode, decl: ModuleDecl): void {
    for (const [key, entry] of root.entries) {
      const v = entry.value;
      if (key === 'resource') this.labelled(v, 2, (labels, body, node) => decl.resources.push(this.block('resource', labels, body, node)));
      else if (key === 'module') this.labelled(v, 1, (labels, body, node) => decl.modules.push(this.block('module', labels, body, node)));
      else if (key === 'data') this.labelled(v, 2, (labels, body, node) => decl.data.push(this.block('data', labels, body, node)));
      else if (key === 'variable') {
        this.labelled(v, 1, (labels, body) => {
          const attrs = new Map<string, Expr>();
          for (const [k, e] of body.entries) {
            if (k === 'default') attrs.set(k, this.expr(e.value, true));
            else if (k === 'type') attrs.set(k, this.typeExpr(e.value));
            else if (k === 'nullable' || k === 'sensitive') attrs.set(k, this.expr(e.value));
          }
          decl.variables.set(labels[0] ?? '', variableDecl(attrs, this.loc(body)));
        });
      } else if (key === 'output') {
        this.labelled(v, 1, (labels, body) => {
          const value = body.entries.get('value');
          if (value && labels[0] !== undefined) decl.outputs.set(labels[0], this.expr(value.value));
        });
      } else if (key === 'locals') {
        for (const obj of v.kind === 'seq' ? v.items : [v]) {
          if (obj.kind !== 'map') continue;
          for (const [name, e] of obj.entries) if (name !== '//') decl.locals.set(name, this.expr(e.value));
        }
      }
    }
  }

  /** Walks `depth` label levels (each an object, or an array of objects) down to block bodies. */
  private labelled(node: TreeNode, depth: number, visit: (labels: string[], body: MapNode, node: TreeNode) => void, labels: string[] = []): void {
    for (const obj of node.kind === 'seq' ? node.items : [node]) {
      if (obj.kind !== 'map') continue;
      if (depth === 0) {
        visit(labels, obj, obj);
        continue;
      }
      for (const [key, e] of obj.entries) if (key !== '//') this.labelled(e.value, depth - 1, visit, [...labels, key]);
    }
  }

  private block(type: string, labels: string[], body: MapNode, node: TreeNode): BlockDecl {
    const comments: string[] = [];
    const suppressions: Suppression[] = [];
    const comment = body.entries.get('//');
    for (const c of comment ? (comment.value.kind === 'seq' ? comment.value.items : [comment.value]) : []) {
      if (c.kind !== 'scalar' || typeof c.value !== 'string') continue;
      comments.push(c.value);
      pushAll(suppressions, suppressionsInComment(c.value, this.loc(c)).filter((s) => s.origin === 'sg-lint'));
    }
    return { type, labels, body: this.body(body), loc: this.loc(node), suppressions, comments };
  }

  private body(node: MapNode): BodyDecl {
    const attributes = new Map<string, Expr>();
    const blocks: BlockDecl[] = [];
    for (const [key, e] of node.entries) {
      if (key === '//') continue;
      if (key === 'dynamic') {
        this.labelled(e.value, 1, (labels, body, n) => {
          const decl = this.block('dynamic', labels, body, n);
          const content = body.entries.get('content');
          if (content?.value.kind === 'map') decl.body.blocks.push(this.block('content', [], content.value, content.value));
          decl.body.attributes.delete('content');
          blocks.push(decl);
        });
        continue;
      }
      attributes.set(key, this.expr(e.value));
    }
    return { attributes, blocks };
  }

  /** A value of the JSON syntax: strings are templates, arrays and objects hold expressions. */
  private expr(node: TreeNode, literal = false): Expr {
    const loc = this.loc(node);
    if (node.kind === 'scalar' && typeof node.value === 'string' && !literal) {
      const text = node.value;
      const source = fixedSource(this.file, loc, text);
      const e = makeExpr(source, text, 0, loc, 'template');
      return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(text) ? { ...e, identifier: text } : e;
    }
    const text = node.kind === 'scalar' ? String(node.value) : '(value)';
    return { text, loc, evaluate: (ctx) => this.evaluate(node, ctx, literal) };
  }

  /** A type constraint written as a string (`"list(string)"`): expression syntax. */
  private typeExpr(node: TreeNode): Expr {
    const loc = this.loc(node);
    if (node.kind !== 'scalar' || typeof node.value !== 'string') return this.expr(node, true);
    return makeExpr(fixedSource(this.file, loc, node.value), node.value, 0, loc, 'expression');
  }

  /** Evaluates a node: one nesting level, counted by the context so chains through references stay bounded. */
  private evaluate(node: TreeNode, ctx: EvalContext, literal: boolean): TfVal {
    const loc = this.loc(node);
    const refused = ctx.nesting.enter(loc);
    if (refused) return refused;
    try {
      if (node.kind === 'seq') return { kind: 'list', items: node.items.map((i) => this.expr(i, literal).evaluate(ctx)), loc };
      if (node.kind === 'map') {
        const fields = new Map<string, TfVal>();
        for (const [k, e] of node.entries) fields.set(k, this.expr(e.value, literal).evaluate(ctx));
        return { kind: 'object', fields, loc };
      }
      return scalar(node.value, loc);
    } finally {
      ctx.nesting.leave();
    }
  }
}

/** A Source for a JSON string: its text is decoded, so every offset is located at the string itself. */
function fixedSource(file: string, loc: SourceLocation, text: string): Source {
  return { file, locate: () => loc, slice: (a, b) => text.slice(a, b) };
}
