/**
 * Where a rule's peer value came from when it is not written literally in the entry: the parameter's `Default`, the
 * `AllowedValues` entry, the `Fn::If` branch. Found by following the written expression to the nodes that hold the
 * value the variant has, so each variant points at its own source (`SgRule.origins`).
 */
import type { SgRule, ValueOrigin } from '../../model/types';
import type { TreeNode } from '../shared/tree';
import { childOf, stringOf } from '../shared/tree';
import type { Template } from './template';
import { pushAll } from '../../model/arrays';

/** Deepest `Fn::If` nesting followed; deeper expressions keep the origins found so far. */
const MAX_DEPTH = 16;

/** The origins of a variant's peer, whose value (as written, e.g. the CIDR text) is `value`. */
export function peerOrigins(tpl: Template, node: TreeNode | undefined, value: string): ValueOrigin[] {
  return originsOf(tpl, node, value, 'peer', 0) ?? [];
}

/** Adds the peer's origins to a rule (when it has a CIDR or other string peer and the expression is not literal). */
export function withPeerOrigins(tpl: Template, rule: SgRule, node: TreeNode | undefined, value: string | undefined): SgRule {
  if (value === undefined || node === undefined || node.kind === 'scalar') return rule;
  const origins = peerOrigins(tpl, node, value);
  if (origins.length > 0) rule.origins = origins;
  return rule;
}

/**
 * The origins of `value` in the expression `node`: [] when the node holds it literally, undefined when the node
 * cannot produce it (another literal, another parameter value) or is not understood.
 */
function originsOf(tpl: Template, node: TreeNode | undefined, value: string, field: ValueOrigin['field'], depth: number): ValueOrigin[] | undefined {
  if (node === undefined || depth > MAX_DEPTH) return undefined;
  if (node.kind === 'scalar') return stringOf(node) === value ? [] : undefined;
  if (node.kind !== 'map' || node.entries.size !== 1) return undefined;
  const ref = stringOf(childOf(node, 'Ref'));
  if (ref !== undefined) return parameterOrigins(tpl, ref, value, field);
  const branches = childOf(node, 'Fn::If');
  if (branches?.kind === 'seq' && branches.items.length === 3) {
    const condition = stringOf(branches.items[0]) ?? '?';
    const out: ValueOrigin[] = [];
    let found = false;
    for (const [i, outcome] of [
      [1, true],
      [2, false],
    ] as const) {
      const branch = branches.items[i];
      const inner = originsOf(tpl, branch, value, field, depth + 1);
      if (inner === undefined || branch === undefined) continue;
      found = true;
      out.push({ field, kind: 'condition-branch', label: `Fn::If branch when condition ${condition} is ${outcome}`, location: tpl.loc(branch) });
      pushAll(out, inner);
    }
    return found ? out : undefined;
  }
  return undefined;
}

/**
 * Where the parameter's `value` came from: the parameter file entry that gave it (then the Default is not used), else
 * the Default; and the AllowedValues entry that admits it.
 */
function parameterOrigins(tpl: Template, name: string, value: string, field: ValueOrigin['field']): ValueOrigin[] | undefined {
  const param = tpl.parameters.get(name)?.value;
  if (param === undefined) return undefined;
  const out: ValueOrigin[] = [];
  const given = Object.prototype.hasOwnProperty.call(tpl.parameterValues, name) ? tpl.parameterValues[name] : undefined;
  const def = childOf(param, 'Default');
  if (given !== undefined) {
    if (given.value === value && given.location !== undefined) {
      out.push({ field, kind: 'parameter-value', label: `parameter ${name} value`, location: given.location });
    }
  } else if (def !== undefined && stringOf(def) === value) {
    out.push({ field, kind: 'parameter-default', label: `parameter ${name} default`, location: tpl.loc(def) });
  }
  const allowed = childOf(param, 'AllowedValues');
  const entry = allowed?.kind === 'seq' ? allowed.items.find((item) => stringOf(item) === value) : undefined;
  if (entry !== undefined) {
    out.push({ field, kind: 'allowed-value', label: `parameter ${name} AllowedValues entry ${value}`, location: tpl.loc(entry) });
  }
  return out.length > 0 ? out : undefined;
}
