import { defaultPortsForEngine } from '../../model/engine-ports';
import { invalidValue } from '../../model/types';
import type { Attachment, GroupUser, Value } from '../../model/types';
import type { TreeNode } from '../shared/tree';
import { childOf } from '../shared/tree';
import type { AttachmentSpec, PortSpec } from './attachment-table';
import { ATTACHMENTS } from './attachment-table';
import type { Evaluator } from './evaluate';
import { readSuppressions } from './suppressions';
import type { ResourceInfo, Template } from './template';
import type { Shape, Val } from './values';
import { refReason, toUnknown } from './values';
import { pushAll } from '../../model/arrays';

/** Resources that use groups, and the attachments to hang on each group of the template. */
export interface AttachmentScan {
  users: GroupUser[];
  /** Group address -> attachments. */
  byGroup: Map<string, Attachment[]>;
}

/**
 * Finds every resource that attaches security groups through the properties of `ATTACHMENTS`, resolving each entry
 * to a group of the template, a literal id, or Unknown.
 */
export function scanAttachments(ev: Evaluator, tpl: Template, constructPath: (r: ResourceInfo) => string | undefined): AttachmentScan {
  const scan: AttachmentScan = { users: [], byGroup: new Map() };
  for (const res of tpl.resources.values()) {
    const spec = Object.hasOwn(ATTACHMENTS, res.type) ? ATTACHMENTS[res.type] : undefined;
    if (!spec) continue;
    const groups = resourceGroups(ev, tpl, res, spec);
    if (groups.length === 0) continue;
    const location = tpl.keyLoc(res.entry);
    const user: GroupUser = { resource: res.id, type: res.type, groups, location };
    const path = constructPath(res);
    if (path !== undefined) user.constructPath = path;
    const suppressions = readSuppressions(tpl, res);
    if (suppressions.length > 0) user.suppressions = suppressions;
    scan.users.push(user);
    const ports = spec.ports ? portsOf(ev, res, spec.ports) : undefined;
    for (const g of groups) {
      if (!g.known || !tpl.isType(g.value, 'AWS::EC2::SecurityGroup')) continue;
      const att: Attachment = { resource: res.id, type: res.type, category: spec.category, location };
      if (ports && ports.length > 0) att.ports = ports;
      const list = scan.byGroup.get(g.value) ?? [];
      if (!list.some((a) => a.resource === res.id)) list.push(att);
      scan.byGroup.set(g.value, list);
    }
  }
  return scan;
}

function resourceGroups(ev: Evaluator, tpl: Template, res: ResourceInfo, spec: AttachmentSpec): Value<string>[] {
  const out: Value<string>[] = [];
  const seen = new Set<string>();
  const add = (v: Value<string>): void => {
    if (v.known) {
      if (seen.has(v.value)) return;
      seen.add(v.value);
    }
    out.push(v);
  };
  // SAM: a function without its own VpcConfig.SecurityGroupIds takes those of Globals.Function.
  const inherited = res.type === 'AWS::Serverless::Function' && childOf(childOf(res.properties, 'VpcConfig'), 'SecurityGroupIds') === undefined;
  for (const path of spec.paths) {
    const from = inherited ? childOf(tpl.globals, 'Function') : res.properties;
    for (const item of itemsAt(ev, from, path.split('.'))) {
      const distinct = new Map<string, Value<string>>();
      for (const v of item) {
        const g = groupOf(tpl, v);
        if (g) distinct.set(g.known ? `k:${g.value}` : `u:${g.reason}`, g);
      }
      distinct.forEach(add);
    }
  }
  return out;
}

/** The items at a property path (each item being its alternatives), following Fn::If branches and list items. */
function itemsAt(ev: Evaluator, node: TreeNode | undefined, path: readonly string[]): Val[][] {
  if (!node) return [];
  const [seg, ...rest] = path;
  const out: Val[][] = [];
  for (const alt of ev.peel(node)) {
    const shape = alt.v;
    if (seg === undefined) {
      pushAll(out, leafItems(ev, shape));
      continue;
    }
    const target = shape.k === 'node' || shape.k === 'map' ? shape.node : undefined;
    if (!target) continue;
    if (seg !== '*') pushAll(out, itemsAt(ev, childOf(target, seg), rest));
    else if (target.kind === 'seq') for (const item of target.items) pushAll(out, itemsAt(ev, item, rest));
  }
  return out;
}

/** A list yields one item per element; a single value (EMR's single group properties) is one item. */
function leafItems(ev: Evaluator, shape: Shape): Val[][] {
  if (shape.k !== 'node') return flatten(shape).map((v) => [v]);
  if (shape.node.kind === 'seq') return shape.node.items.map((i) => ev.evaluate(i).flatMap((a) => flatten(a.v)));
  return [ev.evaluate(shape.node).flatMap((a) => flatten(a.v))];
}

function flatten(v: Val): Val[] {
  return v.k === 'list' ? v.items.flatMap(flatten) : [v];
}

function groupOf(tpl: Template, v: Val): Value<string> | undefined {
  switch (v.k) {
    case 'none':
      return undefined;
    case 'ref':
      if (tpl.isType(v.target, 'AWS::EC2::SecurityGroup') && (!v.attr || v.attr === 'GroupId' || v.attr === 'Id')) return { known: true, value: v.target };
      return { known: false, reason: refReason(v) };
    case 'lit':
      return typeof v.v === 'string' ? { known: true, value: v.v } : invalidValue(`security group ${String(v.v)} is not a string`);
    case 'unknown':
      return toUnknown(v);
    default:
      return invalidValue(`security group given as ${v.k === 'list' ? 'a list' : 'a mapping'}`);
  }
}

function portsOf(ev: Evaluator, res: ResourceInfo, spec: PortSpec): number[] | undefined {
  const ports = new Set<number>();
  if (spec.property) {
    for (const alt of ev.evaluate(childOf(res.properties, spec.property))) {
      const n = alt.v.k === 'lit' ? Number(alt.v.v) : Number.NaN;
      if (alt.v.k === 'lit' && alt.v.v !== null && Number.isInteger(n)) ports.add(n);
    }
  }
  if (ports.size === 0 && spec.engineProperty && spec.engines) {
    const engines = ev.evaluate(childOf(res.properties, spec.engineProperty)).map((a) => (a.v.k === 'lit' ? String(a.v.v) : a.v.k === 'none' ? spec.defaultEngine : undefined));
    for (const engine of engines) {
      const defaults = engine === undefined ? undefined : defaultPortsForEngine(engine, spec.engines);
      defaults?.forEach((p) => ports.add(p));
    }
  }
  if (ports.size === 0) spec.fixed?.forEach((p) => ports.add(p));
  return ports.size > 0 ? [...ports].sort((a, b) => a - b) : undefined;
}
