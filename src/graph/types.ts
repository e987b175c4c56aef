/**
 * The security-group graph: who can reach which group on which ports, and what each group guards.
 *
 * Built from the model by `buildGraph`; rendered by the Mermaid, DOT and SVG renderers. Everything is plain data in a
 * deterministic order so renderings are stable across runs.
 */
import type { Severity } from '../engine/types';

/** What a node stands for. */
export type GraphNodeKind =
  /** 0.0.0.0/0 or ::/0. */
  | 'internet'
  /** Any other CIDR block. */
  | 'cidr'
  | 'prefix-list'
  /** A security group defined in the input. */
  | 'group'
  /** A security group referenced by id or name but not defined in the input. */
  | 'external-group'
  /** A resource a group guards (instance, database, load balancer, ...). */
  | 'resource'
  /** A peer the input does not determine (an ImportValue, a parameter without default, ...). */
  | 'unknown';

/** One node. */
export interface GraphNode {
  /** Identifier safe in Mermaid and DOT: letters, digits and underscores, never a keyword. */
  id: string;
  kind: GraphNodeKind;
  /** Lines of the label, plain text (renderers escape them). */
  label: string[];
  /** The input file the node belongs to; peers shared by several files have none. */
  cluster?: string;
  /** Most severe unsuppressed finding on the node. */
  severity?: Severity;
}

/** What an edge stands for. */
export type GraphEdgeKind = 'ingress' | 'egress' | 'guards';

/** One edge: peer -> group (ingress), group -> peer (egress), group -> resource (guards). */
export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** Lines of the label: one per distinct protocol/port/service the rules between the two nodes open. */
  label: string[];
  /** Most severe unsuppressed finding on the rules the edge stands for. */
  severity?: Severity;
}

/** A group of nodes drawn in one box: the groups and resources of one input file. */
export interface GraphCluster {
  id: string;
  /** The input file, as the user gave it. */
  label: string;
}

/** A whole graph, ready to render. */
export interface SgGraph {
  clusters: GraphCluster[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Options of `buildGraph`. */
export interface GraphOptions {
  /** Also draw egress rules as dashed edges group -> peer (default false). AWS's implicit allow-all egress is omitted. */
  egress?: boolean;
}

/** The highlight color of each severity, shared by the renderers. */
export const SEVERITY_COLORS: Readonly<Record<Severity, { stroke: string; fill: string; text: string }>> = {
  error: { stroke: '#d32f2f', fill: '#fdecea', text: '#b71c1c' },
  warning: { stroke: '#f57c00', fill: '#fff3e0', text: '#e65100' },
  note: { stroke: '#1976d2', fill: '#e3f2fd', text: '#0d47a1' },
};
