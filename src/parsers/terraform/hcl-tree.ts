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
 * `limit + 1` (see opensLevel).
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

/** Pre-order walk keeping the open ancestors (with their nesting level) on an explicit stack. */
function copyWalk(cursor: Cursor, source: string, limit: number): CopyResult {
  const root = nodeAt(cursor, source, null);
  const levelOf = (n: CopiedNode, parentLevel: number): number => parentLevel + (opensLevel(n.type, n.field) ? 1 : 0);
  const stack: { node: CopiedNode; level: number }[] = [{ node: root, level: levelOf(root, 0) }];
  const enter = (parent: { node: CopiedNode; level: number }): CopyResult | undefined => {
    const child = nodeAt(cursor, source, cursor.currentFieldName);
    const level = levelOf(child, parent.level);
    if (level > limit) return { tooDeep: child.startPosition };
    parent.node.children.push(child);
    if (child.isNamed) parent.node.namedChildren.push(child);
    stack.push({ node: child, level });
    return undefined;
  };
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top) return { root };
    if (cursor.gotoFirstChild()) {
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
