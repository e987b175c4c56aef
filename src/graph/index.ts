/**
 * A picture of the security groups: the graph, and its Mermaid, DOT and SVG renderings.
 */
import { renderDot } from './dot';
import { renderMermaid } from './mermaid';
import { renderSvg } from './svg';
import type { SgGraph } from './types';

export { buildGraph, maxSeverity } from './build';
export { renderDot } from './dot';
export { renderMermaid } from './mermaid';
export { renderSvg } from './svg';
export { ruleLabel } from './labels';
export type { GraphCluster, GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind, GraphOptions, SgGraph } from './types';

/** The graph output formats. */
export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Renders a graph in one of the output formats (SVG loads Graphviz on first use). */
export async function renderGraph(graph: SgGraph, format: GraphFormat): Promise<string> {
  switch (format) {
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
    case 'svg':
      return renderSvg(graph);
  }
}
