/**
 * Mermaid rendering of the security-group graph (`flowchart LR`), which GitHub renders inside ```mermaid blocks.
 */
import type { Severity } from '../engine/types';
import type { GraphEdge, GraphNode, GraphNodeKind, SgGraph } from './types';
import { SEVERITY_COLORS } from './types';
import { pushAll } from '../model/arrays';

const SHAPES: Record<GraphNodeKind, [string, string]> = {
  internet: ['((', '))'],
  cidr: ['[', ']'],
  'prefix-list': ['[', ']'],
  'external-group': ['[', ']'],
  unknown: ['[', ']'],
  group: ['[[', ']]'],
  resource: ['(', ')'],
};

const KIND_CLASSES: Record<GraphNodeKind, string> = {
  internet: 'internet',
  cidr: 'network',
  'prefix-list': 'network',
  'external-group': 'external',
  unknown: 'unknown',
  group: 'group',
  resource: 'resource',
};

/** Class definitions, in the order they are written. */
const CLASS_DEFS: readonly [string, string][] = [
  ['internet', 'fill:#eceff1,stroke:#455a64,color:#263238'],
  ['network', 'fill:#f5f5f5,stroke:#9e9e9e,color:#212121'],
  ['external', 'fill:#f5f5f5,stroke:#9e9e9e,color:#212121,stroke-dasharray:4 3'],
  ['unknown', 'fill:#fafafa,stroke:#bdbdbd,color:#616161,stroke-dasharray:2 2'],
  ['group', 'fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20'],
  ['resource', 'fill:#ede7f6,stroke:#5e35b1,color:#311b92'],
  ...(['error', 'warning', 'note'] as const).map((s): [string, string] => [
    severityClass(s),
    `fill:${SEVERITY_COLORS[s].fill},stroke:${SEVERITY_COLORS[s].stroke},color:${SEVERITY_COLORS[s].text},stroke-width:2px`,
  ]),
];

const ARROWS: Record<GraphEdge['kind'], string> = { ingress: '-->', egress: '-.->', guards: '==>' };

/**
 * Renders the graph as a Mermaid flowchart: one subgraph per input file, shared peers outside, ingress as solid
 * arrows, egress dashed, group -> guarded resource thick; nodes and edges with findings in red (error), orange
 * (warning) or blue (note). Labels are escaped with Mermaid entity codes, so any text is safe.
 */
export function renderMermaid(graph: SgGraph): string {
  const lines = ['flowchart LR'];
  if (graph.nodes.length === 0) {
    lines.push('  empty["no security groups found"]');
    return `${lines.join('\n')}\n`;
  }
  for (const node of graph.nodes.filter((n) => n.cluster === undefined)) lines.push(`  ${nodeLine(node)}`);
  for (const cluster of graph.clusters) {
    lines.push(`  subgraph ${cluster.id}["${escapeMermaid(cluster.label)}"]`);
    for (const node of graph.nodes.filter((n) => n.cluster === cluster.id)) lines.push(`    ${nodeLine(node)}`);
    lines.push('  end');
  }
  for (const edge of graph.edges) lines.push(`  ${edgeLine(edge)}`);
  pushAll(pushAll(lines, classLines(graph.nodes)), linkStyleLines(graph.edges));
  return `${lines.join('\n')}\n`;
}

/**
 * Escapes text for a double-quoted Mermaid label: `#`, quotes, angle brackets, ampersands, pipes and backticks
 * become entity codes (`#35;`, `#quot;`, ...), so nothing is read as Markdown, HTML or syntax.
 */
export function escapeMermaid(text: string): string {
  return text.replace(/[#"<>&|`]/g, (c) => `#${c.charCodeAt(0)};`).replace(/[\r\n]+/g, ' ');
}

function nodeLine(node: GraphNode): string {
  const [open, close] = SHAPES[node.kind];
  return `${node.id}${open}"${multiline(node.label)}"${close}`;
}

function edgeLine(edge: GraphEdge): string {
  const arrow = ARROWS[edge.kind];
  return edge.label.length > 0 ? `${edge.from} ${arrow}|"${multiline(edge.label)}"| ${edge.to}` : `${edge.from} ${arrow} ${edge.to}`;
}

function multiline(lines: readonly string[]): string {
  return lines.map(escapeMermaid).join('<br/>');
}

function classLines(nodes: readonly GraphNode[]): string[] {
  const members = new Map<string, string[]>();
  for (const node of nodes) {
    const cls = node.severity !== undefined ? severityClass(node.severity) : KIND_CLASSES[node.kind];
    members.set(cls, [...(members.get(cls) ?? []), node.id]);
  }
  const out: string[] = [];
  for (const [cls, style] of CLASS_DEFS) if (members.has(cls)) out.push(`  classDef ${cls} ${style}`);
  for (const [cls] of CLASS_DEFS) {
    const ids = members.get(cls);
    if (ids) out.push(`  class ${ids.join(',')} ${cls}`);
  }
  return out;
}

function linkStyleLines(edges: readonly GraphEdge[]): string[] {
  const out: string[] = [];
  for (const severity of ['error', 'warning', 'note'] as const) {
    const indexes = edges.flatMap((e, i) => (e.severity === severity ? [i] : []));
    if (indexes.length === 0) continue;
    const c = SEVERITY_COLORS[severity];
    out.push(`  linkStyle ${indexes.join(',')} stroke:${c.stroke},stroke-width:2px,color:${c.text}`);
  }
  return out;
}

function severityClass(severity: Severity): string {
  return `sev${severity[0]?.toUpperCase() ?? ''}${severity.slice(1)}`;
}
