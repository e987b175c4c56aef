import { parseCidr } from '../../model/cidr';
import type { Suppression, SuppressionScope } from '../../model/types';
import type { TreeNode } from '../shared/tree';
import { childOf, stringOf } from '../shared/tree';
import { isFileWide, suppressionsInComment } from '../terraform/suppressions';
import type { ResourceInfo, Template } from './template';
import { pushAll } from '../../model/arrays';

/** Suppression markers read from resource Metadata: owner key, list key, and the fields holding id and reason. */
const MARKERS = [
  { origin: 'sg-lint', key: 'sg-lint', list: 'suppress', id: ['rule', 'id'], reason: 'reason' },
  { origin: 'cfn_nag', key: 'cfn_nag', list: 'rules_to_suppress', id: ['id'], reason: 'reason' },
  { origin: 'checkov', key: 'checkov', list: 'skip', id: ['id'], reason: 'comment' },
] as const;

/**
 * Collects the suppressions of a resource: those in its Metadata (sg-lint's own `sg-lint.suppress`, cfn_nag
 * `rules_to_suppress`, checkov `skip`, cfn-lint `config.ignore_checks`), and the markers other tools read from YAML
 * comments: checkov `checkov:skip=` anywhere in the resource, trivy/tfsec `trivy:ignore:` directly above the logical
 * ID or on its line, and KICS `kics-scan disable=` anywhere in the file. Ids are kept as written; the engine maps peer
 * ids and applies them.
 */
export function readSuppressions(tpl: Template, res: ResourceInfo): Suppression[] {
  const out = readMetadata(tpl, res.metadata);
  for (const c of tpl.resourceComments(res.entry)) {
    const keyLine = c.location.line === tpl.keyLoc(res.entry).line;
    for (const s of suppressionsInComment(c.text, c.location)) {
      if (s.origin === 'checkov' && !c.above) out.push(s);
      else if ((s.origin === 'trivy' || s.origin === 'tfsec') && (c.above || keyLine)) out.push(s);
      else if (s.origin === 'kics' && !isFileWide(s) && c.above) out.push(s);
    }
  }
  pushAll(out, fileWideSuppressions(tpl));
  return out;
}

/** The file-wide markers of each template (KICS `kics-scan disable=`), read once per template, not once per resource. */
const fileWide = new WeakMap<Template, Suppression[]>();

function fileWideSuppressions(tpl: Template): Suppression[] {
  let markers = fileWide.get(tpl);
  if (markers === undefined) {
    markers = [];
    for (const c of tpl.allComments()) pushAll(markers, suppressionsInComment(c.text, c.location).filter(isFileWide));
    fileWide.set(tpl, markers);
  }
  return markers;
}

function readMetadata(tpl: Template, metadata: TreeNode | undefined): Suppression[] {
  const out: Suppression[] = [];
  // cfn-lint: `Metadata: { cfn-lint: { config: { ignore_checks: [W3005, ...] } } }`, ids only.
  const cfnLint = childOf(childOf(childOf(metadata, 'cfn-lint'), 'config'), 'ignore_checks');
  if (cfnLint?.kind === 'seq') {
    for (const item of cfnLint.items) {
      const rule = stringOf(item);
      if (rule !== undefined) out.push({ rule, origin: 'cfn-lint', location: tpl.loc(item) });
    }
  }
  for (const marker of MARKERS) {
    const list = childOf(childOf(metadata, marker.key), marker.list);
    if (list?.kind !== 'seq') continue;
    for (const item of list.items) {
      const rule = marker.id.map((k) => stringOf(childOf(item, k))).find((s) => s !== undefined);
      if (rule === undefined) continue;
      const s: Suppression = { rule, origin: marker.origin, location: tpl.loc(item) };
      const reason = stringOf(childOf(item, marker.reason));
      if (reason !== undefined) s.reason = reason;
      const expires = marker.origin === 'sg-lint' ? stringOf(childOf(item, 'expires')) : undefined;
      if (expires !== undefined) s.expires = expires;
      const scope = marker.origin === 'sg-lint' ? readScope(item) : undefined;
      if (scope !== undefined) s.scope = scope;
      out.push(s);
    }
  }
  return out;
}

/**
 * The optional scope of an sg-lint suppression: `ingress: N` / `egress: N` (0-based entry of the inline list),
 * `cidr` (canonical form) and `key` (e.g. "tcp/22"). Undefined when the suppression covers the whole resource.
 */
function readScope(item: TreeNode): SuppressionScope | undefined {
  const scope: SuppressionScope = {};
  for (const direction of ['ingress', 'egress'] as const) {
    const index = Number(stringOf(childOf(item, direction)));
    if (stringOf(childOf(item, direction)) !== undefined && Number.isInteger(index) && index >= 0) {
      scope.direction = direction;
      scope.index = index;
    }
  }
  const cidr = stringOf(childOf(item, 'cidr'));
  if (cidr !== undefined) {
    const parsed = parseCidr(cidr);
    scope.cidr = parsed.ok ? parsed.peer.cidr : cidr;
  }
  const key = stringOf(childOf(item, 'key'));
  if (key !== undefined) scope.key = key;
  return Object.keys(scope).length > 0 ? scope : undefined;
}
