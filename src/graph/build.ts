/**
 * Builds the security-group graph from parsed inputs and the findings of a lint run.
 */
import type { Finding, Severity } from '../engine/types';
import { SEVERITIES } from '../engine/types';
import type { Attachment, ParsedInput, Peer, SecurityGroup, SgRule, SourceLocation, Value } from '../model/types';
import { IdAllocator } from './ids';
import { ruleLabel } from './labels';
import type { GraphCluster, GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind, GraphOptions, SgGraph } from './types';

const PEER_KIND_ORDER: readonly GraphNodeKind[] = ['internet', 'cidr', 'prefix-list', 'external-group', 'unknown'];
const EDGE_KIND_ORDER: readonly GraphEdgeKind[] = ['ingress', 'egress', 'guards'];

/**
 * Builds the graph of who reaches which group: nodes for the internet (0.0.0.0/0, ::/0), other CIDR blocks, prefix
 * lists, groups (in one cluster per input file), groups defined elsewhere, unknown peers and the resources each group
 * guards; edges peer -> group for ingress (labelled with protocol, ports and service names), group -> resource for
 * attachments and, with `options.egress`, group -> peer for declared egress. Groups, resources and edges carry the
 * severity of the most severe unsuppressed finding on them. The output order is deterministic.
 */
export function buildGraph(inputs: readonly ParsedInput[], findings: readonly Finding[] = [], options: GraphOptions = {}): SgGraph {
  const builder = new GraphBuilder(findings.filter((f) => !f.suppression));
  const withGroups = [...inputs].filter((i) => i.groups.length > 0).sort((a, b) => compare(a.file, b.file));
  withGroups.forEach((input, index) => builder.addInput(input, withGroups.length > 1 ? `f${index + 1}_` : '', options));
  return builder.finish();
}

/** The most severe of two severities (undefined = none). */
export function maxSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

interface EdgeDraft {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  label: string[];
  severity?: Severity;
}

class GraphBuilder {
  private readonly ids = new IdAllocator();
  private readonly nodes = new Map<string, GraphNode>();
  private readonly peerSort = new Map<string, string>();
  private readonly clusters: GraphCluster[] = [];
  private readonly edges = new Map<string, EdgeDraft>();

  constructor(private readonly findings: readonly Finding[]) {}

  addInput(input: ParsedInput, prefix: string, options: GraphOptions): void {
    const cluster: GraphCluster = { id: this.ids.idFor(`cluster|${input.file}`, `${prefix}file`), label: input.file };
    this.clusters.push(cluster);
    const files = new Set([input.file]);
    const groups = [...input.groups].sort((a, b) => compare(a.address, b.address));
    const groupIds = new Map<string, string>();
    for (const group of groups) {
      const id = this.ids.idFor(`group|${input.file}|${group.address}`, `${prefix}sg_${group.address}`);
      groupIds.set(group.address, id);
      files.add(group.location.file);
      this.addNode({ id, kind: 'group', label: groupLabel(group), cluster: cluster.id, severity: this.groupSeverity(group, files) });
    }
    const resources = groups.flatMap((g) => g.attachments.map((a) => ({ group: g, attachment: a })));
    resources.sort((a, b) => compare(a.attachment.resource, b.attachment.resource));
    for (const { group, attachment } of resources) {
      const id = this.addResource(input, prefix, cluster.id, attachment, files);
      this.addEdge(requireId(groupIds, group.address), id, 'guards', attachmentLabel(attachment), undefined);
    }
    const ruleSeverities = this.ruleSeverities(groups);
    for (const group of groups) {
      const groupId = requireId(groupIds, group.address);
      const rules = options.egress ? [...group.ingress, ...group.egress.filter((r) => r.declaredAs !== 'implicit')] : group.ingress;
      for (const rule of rules) {
        const peerId = this.peerNode(rule.peer, groupId, groupIds);
        if (peerId === undefined) continue;
        const [from, to] = rule.direction === 'ingress' ? [peerId, groupId] : [groupId, peerId];
        this.addEdge(from, to, rule.direction, [ruleLabel(rule)], ruleSeverities.get(rule));
      }
    }
  }

  finish(): SgGraph {
    const peers = [...this.nodes.values()].filter((n) => n.cluster === undefined);
    peers.sort(
      (a, b) =>
        PEER_KIND_ORDER.indexOf(a.kind) - PEER_KIND_ORDER.indexOf(b.kind) ||
        compare(this.peerSort.get(a.id) ?? a.id, this.peerSort.get(b.id) ?? b.id),
    );
    const clustered = [...this.nodes.values()].filter((n) => n.cluster !== undefined);
    const nodes = [...peers, ...clustered];
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    const edges: GraphEdge[] = [...this.edges.values()]
      .sort(
        (a, b) =>
          EDGE_KIND_ORDER.indexOf(a.kind) - EDGE_KIND_ORDER.indexOf(b.kind) ||
          (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) ||
          (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0),
      )
      .map((e) => withSeverity({ from: e.from, to: e.to, kind: e.kind, label: e.label }, e.severity));
    return { clusters: this.clusters, nodes, edges };
  }

  private addNode(node: GraphNode): void {
    const existing = this.nodes.get(node.id);
    if (existing) {
      const severity = maxSeverity(existing.severity, node.severity);
      if (severity !== undefined) existing.severity = severity;
      return;
    }
    const fresh: GraphNode = { id: node.id, kind: node.kind, label: node.label };
    if (node.cluster !== undefined) fresh.cluster = node.cluster;
    this.nodes.set(node.id, withSeverity(fresh, node.severity));
  }

  private addResource(input: ParsedInput, prefix: string, cluster: string, attachment: Attachment, files: Set<string>): string {
    const id = this.ids.idFor(`resource|${input.file}|${attachment.resource}`, `${prefix}res_${attachment.resource}`);
    const severity = this.severityOf(
      (f) => f.securityGroup === undefined && f.resource === attachment.resource && (files.has(f.file) || f.file === attachment.location.file),
    );
    this.addNode({ id, kind: 'resource', label: [attachment.resource, attachment.type], cluster, severity });
    return id;
  }

  private addEdge(from: string, to: string, kind: GraphEdgeKind, label: readonly string[], severity: Severity | undefined): void {
    const key = `${kind}|${from}|${to}`;
    const edge = this.edges.get(key) ?? { from, to, kind, label: [] };
    for (const line of label) if (!edge.label.includes(line)) edge.label.push(line);
    const merged = maxSeverity(edge.severity, severity);
    if (merged !== undefined) edge.severity = merged;
    this.edges.set(key, edge);
  }

  /** The node id of a rule's peer, adding a shared peer node when needed; undefined for a rule without a peer. */
  private peerNode(peer: Value<Peer>, groupId: string, groupIds: ReadonlyMap<string, string>): string | undefined {
    if (!peer.known) return this.sharedPeer('unknown', `unknown|${peer.reason}`, `unknown_${peer.reason}`, ['unknown peer', peer.reason], peer.reason);
    const p = peer.value;
    switch (p.kind) {
      case 'none':
        return undefined;
      case 'cidr':
        if (p.prefix === 0) {
          return this.sharedPeer('internet', `internet|${p.cidr}`, `internet_v${p.family}`, ['Internet', p.cidr], String(p.family));
        }
        return this.sharedPeer('cidr', `cidr|${p.cidr}`, `cidr_${p.cidr}`, cidrLabel(p.cidr, p.raw), cidrSortKey(p.family, p.first, p.prefix));
      case 'prefix-list':
        return this.sharedPeer('prefix-list', `pl|${p.id}`, p.id.startsWith('pl-') ? p.id : `pl_${p.id}`, ['prefix list', p.id], p.id);
      case 'vpc-range':
        // Sorted after every written CIDR ("~" is after digits and hex letters).
        return this.sharedPeer('cidr', `vpc|${p.ref}`, `range_${p.ref}`, [p.ref, `${p.scope === 'vpc' ? 'VPC' : 'subnet'} range`], `~${p.ref}`);
      case 'security-group': {
        if (p.self) return groupId;
        const inModel = groupIds.get(p.ref);
        if (inModel !== undefined) return inModel;
        const label = p.ownerId !== undefined ? [p.ref, `group in account ${p.ownerId}`] : [p.ref, 'group defined elsewhere'];
        return this.sharedPeer('external-group', `ext|${p.ownerId ?? ''}|${p.ref}`, `extsg_${p.ref}`, label, `${p.ref}|${p.ownerId ?? ''}`);
      }
    }
  }

  private sharedPeer(kind: GraphNodeKind, key: string, base: string, label: string[], sortKey: string): string {
    const id = this.ids.idFor(key, base);
    this.peerSort.set(id, sortKey);
    this.addNode({ id, kind, label });
    return id;
  }

  private groupSeverity(group: SecurityGroup, files: ReadonlySet<string>): Severity | undefined {
    return this.severityOf((f) => f.securityGroup === group.address && (files.has(f.file) || f.file === group.location.file));
  }

  private severityOf(match: (f: Finding) => boolean): Severity | undefined {
    let severity: Severity | undefined;
    for (const f of this.findings) if (match(f)) severity = maxSeverity(severity, f.severity);
    return severity;
  }

  /**
   * The severity of each rule's findings. A finding belongs to the rules of its group and resource whose location
   * contains its position; when several variants of one entry share that location (Fn::If branches), see
   * `narrowVariants`.
   */
  private ruleSeverities(groups: readonly SecurityGroup[]): Map<SgRule, Severity> {
    const out = new Map<SgRule, Severity>();
    const rules = groups.flatMap((g) => [...g.ingress, ...g.egress]);
    for (const f of this.findings) {
      if (f.securityGroup === undefined) continue;
      const candidates = rules.filter((r) => r.group === f.securityGroup && r.resource === f.resource && contains(r.location, f));
      for (const rule of narrowVariants(candidates, f)) {
        const severity = maxSeverity(out.get(rule), f.severity);
        if (severity !== undefined) out.set(rule, severity);
      }
    }
    return out;
  }
}

/**
 * Among rules sharing a finding's location (variants of one entry), the ones the finding is about: those whose field
 * locations contain its position if any do, and among those the ones whose peer the message names if any do.
 */
function narrowVariants(candidates: readonly SgRule[], f: Finding): readonly SgRule[] {
  if (candidates.length < 2) return candidates;
  const precise = candidates.filter((r) => Object.values(r.fieldLocations ?? {}).some((loc) => contains(loc, f)));
  // Variants of one field (both Fn::If branches of a CidrIp) share its location: the peer the message names decides.
  const pool = precise.length > 0 ? precise : candidates;
  const named = pool.filter((r) => mentionsPeer(f.message, r.peer));
  return named.length > 0 ? named : pool;
}

/** True when a message names the peer (a CIDR, prefix list, group or unknown reason) as a whole word. */
function mentionsPeer(message: string, peer: Value<Peer>): boolean {
  if (!peer.known) return message.includes(peer.reason);
  const p = peer.value;
  const text = p.kind === 'cidr' ? p.cidr : p.kind === 'prefix-list' ? p.id : p.kind === 'security-group' || p.kind === 'vpc-range' ? p.ref : undefined;
  if (text === undefined) return false;
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.:/-])${escaped}($|[^\\w.:/-])`).test(message);
}

function groupLabel(group: SecurityGroup): string[] {
  if (group.kind === 'default') return [group.address, 'default group'];
  if (group.kind === 'external') return [group.address, 'group defined elsewhere'];
  return [group.address];
}

function attachmentLabel(attachment: Attachment): string[] {
  if (!attachment.ports || attachment.ports.length === 0) return [];
  return [`${attachment.ports.length > 1 ? 'ports' : 'port'} ${attachment.ports.join(', ')}`];
}

function cidrLabel(cidr: string, raw: string): string[] {
  return raw !== cidr ? [cidr, `written ${raw}`] : [cidr];
}

/** Sorts IPv4 before IPv6, then by first address, then wider blocks first. */
function cidrSortKey(family: 4 | 6, first: bigint, prefix: number): string {
  return `${family}|${first.toString(16).padStart(32, '0')}|${String(prefix).padStart(3, '0')}`;
}

function contains(loc: SourceLocation, pos: { file: string; line: number; column: number }): boolean {
  if (loc.file !== pos.file) return false;
  const afterStart = pos.line > loc.line || (pos.line === loc.line && pos.column >= loc.column);
  const beforeEnd = pos.line < loc.endLine || (pos.line === loc.endLine && pos.column < loc.endColumn);
  return afterStart && beforeEnd;
}

function requireId(ids: ReadonlyMap<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`graph: no node for ${key}`);
  return id;
}

function withSeverity<T extends GraphNode | GraphEdge>(item: T, severity: Severity | undefined): T {
  if (severity !== undefined) item.severity = severity;
  return item;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
