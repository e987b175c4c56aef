/**
 * Graphviz DOT rendering of the security-group graph.
 */
import type { GraphEdge, GraphNode, GraphNodeKind, SgGraph } from './types';
import { SEVERITY_COLORS } from './types';

type Attrs = [string, string][];

const NODE_ATTRS: Record<GraphNodeKind, Attrs> = {
  internet: [['shape', 'ellipse'], ['style', 'filled'], ['fillcolor', '#eceff1'], ['color', '#455a64']],
  cidr: [['shape', 'box'], ['style', 'filled'], ['fillcolor', '#f5f5f5'], ['color', '#9e9e9e']],
  'prefix-list': [['shape', 'box'], ['style', 'filled'], ['fillcolor', '#f5f5f5'], ['color', '#9e9e9e']],
  'external-group': [['shape', 'box'], ['style', 'dashed,filled'], ['fillcolor', '#f5f5f5'], ['color', '#9e9e9e']],
  unknown: [['shape', 'box'], ['style', 'dotted,filled'], ['fillcolor', '#fafafa'], ['color', '#bdbdbd']],
  group: [['shape', 'box'], ['style', 'rounded,filled'], ['fillcolor', '#e8f5e9'], ['color', '#2e7d32']],
  resource: [['shape', 'component'], ['style', 'filled'], ['fillcolor', '#ede7f6'], ['color', '#5e35b1']],
};

const EDGE_ATTRS: Record<GraphEdge['kind'], Attrs> = {
  ingress: [],
  egress: [['style', 'dashed']],
  guards: [['style', 'bold'], ['color', '#5e35b1']],
};

/**
 * Renders the graph as Graphviz DOT (`digraph`, left to right): one `cluster_` subgraph per input file, shared peers
 * outside, egress dashed, group -> guarded resource bold; nodes and edges with findings in red (error), orange
 * (warning) or blue (note). Every ID and label is a quoted, escaped string.
 */
export function renderDot(graph: SgGraph): string {
  const lines = [
    'digraph "sg-lint" {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11, margin="0.2,0.1"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  if (graph.nodes.length === 0) lines.push('  "empty" [label="no security groups found", shape=plaintext];');
  for (const node of graph.nodes.filter((n) => n.cluster === undefined)) lines.push(`  ${nodeLine(node)}`);
  for (const cluster of graph.clusters) {
    lines.push(`  subgraph ${quote(`cluster_${cluster.id}`)} {`);
    lines.push(`    label=${quote(cluster.label)};`, '    style="rounded"; color="#bdbdbd"; fontname="Helvetica"; fontsize=10;');
    for (const node of graph.nodes.filter((n) => n.cluster === cluster.id)) lines.push(`    ${nodeLine(node)}`);
    lines.push('  }');
  }
  for (const edge of graph.edges) lines.push(`  ${edgeLine(edge)}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * Quotes text as a DOT string: backslashes and quotes escaped, `&` written as `&amp;` (Graphviz reads entities in
 * labels), line breaks dropped.
 */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/&/g, '&amp;').replace(/[\r\n]+/g, ' ')}"`;
}

/** A label of several lines: each line quoted-escaped, joined with DOT's centered line break `\n`. */
function multiline(lines: readonly string[]): string {
  return `"${lines.map((l) => quote(l).slice(1, -1)).join('\\n')}"`;
}

function nodeLine(node: GraphNode): string {
  const attrs: Attrs = [...NODE_ATTRS[node.kind]];
  if (node.severity !== undefined) {
    const c = SEVERITY_COLORS[node.severity];
    set(attrs, 'fillcolor', c.fill);
    set(attrs, 'color', c.stroke);
    attrs.push(['fontcolor', c.text], ['penwidth', '2']);
  }
  return `${quote(node.id)} [label=${multiline(node.label)}${formatAttrs(attrs)}];`;
}

function edgeLine(edge: GraphEdge): string {
  const attrs: Attrs = [...EDGE_ATTRS[edge.kind]];
  if (edge.severity !== undefined) {
    const c = SEVERITY_COLORS[edge.severity];
    set(attrs, 'color', c.stroke);
    attrs.push(['fontcolor', c.text], ['penwidth', '2']);
  }
  const label = edge.label.length > 0 ? `label=${multiline(edge.label)}` : '';
  const all = `${label}${formatAttrs(attrs)}`.replace(/^, /, '');
  return `${quote(edge.from)} -> ${quote(edge.to)}${all ? ` [${all}]` : ''};`;
}

function set(attrs: Attrs, name: string, value: string): void {
  const existing = attrs.findIndex(([n]) => n === name);
  if (existing >= 0) attrs.splice(existing, 1);
  attrs.push([name, value]);
}

function formatAttrs(attrs: Attrs): string {
  return attrs.map(([n, v]) => `, ${n}=${quote(v)}`).join('');
}
