/**
 * Nesting limits shared by the Terraform front-ends. Real configurations, plans and state stay below 20 levels; the
 * readers and the evaluator recurse per level, so far deeper input is refused with its position instead of running
 * out of call stack.
 */
import type { TreeNode } from '../shared/tree';

/** Deepest nesting read from a `.tf` file (blocks and expressions) or a Terraform JSON file (objects and arrays). */
export const MAX_NESTING_DEPTH = 500;

/** The message of an input refused for its nesting. */
export const TOO_DEEP_MESSAGE = `nesting deeper than ${MAX_NESTING_DEPTH} levels; not read`;

/**
 * The first node, in document order, that opens nesting level `limit + 1` (every object and array is a level, the
 * outermost one being level 1), or undefined when the tree stays within. Iterative, so any depth is safe.
 */
export function firstTooDeep(root: TreeNode, limit: number = MAX_NESTING_DEPTH): TreeNode | undefined {
  const pending: { node: TreeNode; level: number }[] = [{ node: root, level: 1 }];
  for (let top = pending.pop(); top; top = pending.pop()) {
    const { node, level } = top;
    if (node.kind === 'scalar') continue;
    if (level > limit) return node;
    const children = node.kind === 'seq' ? node.items : [...node.entries.values()].map((e) => e.value);
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c) pending.push({ node: c, level: level + 1 });
    }
  }
  return undefined;
}
