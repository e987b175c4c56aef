/**
 * A plain JavaScript copy of a tree-sitter syntax tree, built in one iterative cursor walk. Reading nodes through
 * web-tree-sitter crosses into WebAssembly and allocates on every access; the copy is read many times during
 * evaluation (once per count/for_each instance) and needs no explicit `delete()`.
 */
import type { Tree } from 'web-tree-sitter';
import { MAX_NESTING_DEPTH } from './limits';

/** 0-based row and column (UTF-16 code units). */
export interface Point {
  row: number;
  column: number;
}

/** One syntax node. */
export interface SyntaxNode {
  type: string;
  isNamed: boolean;
  /** Field name under the parent (`key`, `val`), if any. */
  field: string | null;
  startIndex: number;
  endIndex: number;
  startPosition: Point;
  endPosition: Point;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  /** Source text of the node. */
  readonly text: string;
}

/**
 * Whether a node opens a nesting level: blocks (`resource`, `ingress`, ...) and expressions (`[`, `{`, `f(`, `(`,
 * `a ? b : c`), except an object's keys, which sit at their object's level.
 */
function opensLevel(type: string, field: string | null): boolean {
  return type === 'block' || (type === 'expression' && field !== 'key');
}

/** The copied tree, or where the nesting first went past the limit (the node that opens level `limit + 1`). */
export type CopyResult = { root: SyntaxNode } | { tooDeep: Point };

/**
 * Copies the tree in one iterative cursor walk (no recursion, so any depth is safe); `source` is the text that was
 * parsed (node text is sliced from it). Stops at the first node, in document order, that opens nesting level
 * `limit + 1` (see opensLevel). The inside of an expression without comments that cannot reach the limit is not
 * copied (an expression node is then a leaf of the copy): its text is all sg-lint reads of it.
 */
export function copyTree(tree: Tree, source: string, limit: number = MAX_NESTING_DEPTH): CopyResult {
  const cursor = tree.walk();
  try {
    return copyWalk(cursor, source, limit);
  } finally {
    cursor.delete();
  }
}

type Cursor = ReturnType<Tree['walk']>;

class CopiedNode implements SyntaxNode {
  readonly children: SyntaxNode[] = [];
  readonly namedChildren: SyntaxNode[] = [];

  constructor(
    private readonly source: string,
    readonly type: string,
    readonly isNamed: boolean,
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly startPosition: Point,
    readonly endPosition: Point,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
}

function nodeAt(cursor: Cursor, source: string, field: string | null): CopiedNode {
  return new CopiedNode(source, cursor.nodeType, cursor.nodeIsNamed, field, cursor.startIndex, cursor.endIndex, cursor.startPosition, cursor.endPosition);
}

/**
 * Characters one of which every nesting level inside an expression writes itself (brackets, braces and `${`, `%{`,
 * parentheses, `?` of a conditional, operators): the number of them in an expression's text bounds how deep
 * expressions nest inside it.
 */
const NESTING_CHARS = new Set('([{?!-+*/%=<>&|'.split('').map((c) => c.charCodeAt(0)));
const HASH = 35;
const SLASH = 47;
const STAR = 42;

/**
 * Whether the inside of an expression can be left out of the copy: sg-lint reads an attribute's expression from its
 * text (eval/parse.ts), so its nodes are needed only to find comments (suppressions) and to bound the nesting. Left
 * out when the text has no comment (`#`, `//`, `/*`) and cannot nest past the limit (fewer nesting characters than
 * the levels left). The scan stops as soon as either fails.
 */
function opaqueExpression(source: string, start: number, end: number, levelsLeft: number): boolean {
  let budget = levelsLeft;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === HASH) return false;
    if (c === SLASH) {
      const next = source.charCodeAt(i + 1);
      if (next === SLASH || next === STAR) return false;
    }
    if (NESTING_CHARS.has(c) && --budget < 0) return false;
  }
  return true;
}

interface Open {
  node: CopiedNode;
  level: number;
  /** The node's children are not copied (see opaqueExpression). */
  opaque: boolean;
}

/** Pre-order walk keeping the open ancestors (with their nesting level) on an explicit stack. */
function copyWalk(cursor: Cursor, source: string, limit: number): CopyResult {
  const root = nodeAt(cursor, source, null);
  const levelOf = (n: CopiedNode, parentLevel: number): number => parentLevel + (opensLevel(n.type, n.field) ? 1 : 0);
  const stack: Open[] = [{ node: root, level: levelOf(root, 0), opaque: false }];
  const enter = (parent: Open): CopyResult | undefined => {
    const child = nodeAt(cursor, source, cursor.currentFieldName);
    const level = levelOf(child, parent.level);
    if (level > limit) return { tooDeep: child.startPosition };
    parent.node.children.push(child);
    if (child.isNamed) parent.node.namedChildren.push(child);
    const opaque = child.type === 'expression' && opaqueExpression(source, child.startIndex, child.endIndex, limit - level);
    stack.push({ node: child, level, opaque });
    return undefined;
  };
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top) return { root };
    if (!top.opaque && cursor.gotoFirstChild()) {
      const deep = enter(top);
      if (deep) return deep;
      continue;
    }
    // A leaf: move to the next sibling of the nearest open ancestor that has one.
    for (;;) {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) return { root };
      if (cursor.gotoNextSibling()) {
        const deep = enter(parent);
        if (deep) return deep;
        break;
      }
      cursor.gotoParent();
    }
  }
}

/** The child under a field name. */
export function fieldChild(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.children.find((c) => c.field === name);
}

/** Every descendant of a type, in document order. */
export function descendantsOfType(node: SyntaxNode, type: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const pending: SyntaxNode[] = [node];
  for (let n = pending.pop(); n; n = pending.pop()) {
    if (n.type === type) out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i];
      if (c) pending.push(c);
    }
  }
  return out;
}
