/**
 * A plain JavaScript copy of a tree-sitter syntax tree, built in one cursor walk. Reading nodes through
 * web-tree-sitter crosses into WebAssembly and allocates on every access; the copy is read many times during
 * evaluation (once per count/for_each instance) and needs no explicit `delete()`.
 */
import type { Tree } from 'web-tree-sitter';

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

/** Copies the tree; `source` is the text that was parsed (node text is sliced from it). */
export function copyTree(tree: Tree, source: string): SyntaxNode {
  const cursor = tree.walk();
  try {
    return copyNode(cursor, source, null);
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

function copyNode(cursor: Cursor, source: string, field: string | null): SyntaxNode {
  const node = new CopiedNode(
    source,
    cursor.nodeType,
    cursor.nodeIsNamed,
    field,
    cursor.startIndex,
    cursor.endIndex,
    cursor.startPosition,
    cursor.endPosition,
  );
  if (cursor.gotoFirstChild()) {
    do {
      const child = copyNode(cursor, source, cursor.currentFieldName);
      node.children.push(child);
      if (child.isNamed) node.namedChildren.push(child);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return node;
}

/** The child under a field name. */
export function fieldChild(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.children.find((c) => c.field === name);
}

/** Every descendant of a type, in document order. */
export function descendantsOfType(node: SyntaxNode, type: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode): void => {
    if (n.type === type) out.push(n);
    for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}
