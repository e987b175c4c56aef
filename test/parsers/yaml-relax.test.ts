// Flow scalars and flow collections continued at any indentation, as CloudFormation's PyYAML-style scanner reads them.
import { readYaml } from '../../src/parsers/cloudformation/yaml-reader';
import { relaxFlowIndentation } from '../../src/parsers/cloudformation/yaml-relax';
import type { TreeNode } from '../../src/parsers/shared/tree';

/** The plain JavaScript value of a tree (values only), for comparing with what PyYAML loads. */
function plain(node: TreeNode | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries([...node.entries].map(([k, e]) => [k, plain(e.value)]));
}

describe('relaxFlowIndentation', () => {
  // Expected values are what PyYAML 6.0 loads (yaml.safe_load) for the same text.
  it.each([
    ["a:\n  b: 'x\n  y'\n", { a: { b: 'x y' } }],
    ['a:\n  b: "x\ny"\n', { a: { b: 'x y' } }],
    ['a:\n  b: "x\\\n  y"\n', { a: { b: 'xy' } }],
    ["- k: 'one\n  two'\n  j: 1\n", [{ k: 'one two', j: 1 }]],
    ['a:\n  b: {\n  "c": [1,\n  2]\n  }\n', { a: { b: { c: [1, 2] } } }],
    ["a:\n  b: 'p\n\n  q'\n", { a: { b: 'p\nq' } }],
  ])('reads %j as PyYAML does', (text, value) => {
    const tree = readYaml(text);
    expect(tree.errors).toEqual([]);
    expect(plain(tree.root)).toEqual(value);
  });

  it('keeps offsets of the text as written', () => {
    const text = "A:\n  B: 'x\n  y'\n  C: 1\n";
    const tree = readYaml(text);
    const a = tree.root?.kind === 'map' ? tree.root.entries.get('A')?.value : undefined;
    const c = a?.kind === 'map' ? a.entries.get('C') : undefined;
    expect(c && text.slice(c.keyStart, c.keyEnd)).toBe('C');
    const b = a?.kind === 'map' ? a.entries.get('B')?.value : undefined;
    expect(b && text.slice(b.start, b.end).trimEnd()).toBe("'x\n  y'");
  });

  it('leaves quotes inside plain and block scalars alone', () => {
    expect(relaxFlowIndentation("a: it's\nb: |\n  'x\nc: 'y'\n")).toBeUndefined();
    expect(relaxFlowIndentation('a: >\n  "not\n  closed\nb: 1\n')).toBeUndefined();
  });

  it('gives up on an unterminated quote or a document marker inside a flow node', () => {
    expect(relaxFlowIndentation("a:\n  b: 'x\n")).toBeUndefined();
    expect(relaxFlowIndentation("a:\n  b: 'x\n---\n  y'\n")).toBeUndefined();
    expect(readYaml("a:\n  b: 'x\n---\n  y'\n").errors.length).toBeGreaterThan(0);
  });

  it('does not rescue a plain scalar continued at its key\'s indentation (PyYAML rejects it too)', () => {
    expect(readYaml('a:\n  b: x\n  y\n').errors.length).toBeGreaterThan(0);
  });
});
