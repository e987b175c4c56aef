/**
 * Suppression markers written in comments: sg-lint's own and the markers of other tools, read with the syntax each
 * tool documents. Used for Terraform comments and `"//"` keys, and for comments in CloudFormation YAML.
 */
import type { SourceLocation, Suppression } from '../../model/types';

const SG_LINT = /sg-lint-ignore\s+([A-Za-z0-9_/-]+(?:\s*,\s*[A-Za-z0-9_/-]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/;
/** checkov: `checkov:skip=<check_id>:<suppression_comment>`, the comment optional. */
const CHECKOV = /checkov:skip=([A-Za-z0-9_]+)(?::(.*?))?\s*(?:\*\/)?\s*$/;
/**
 * trivy (and tfsec before it): `trivy:ignore:<id>`, several per line, the id a check id, long id or alias, `*`
 * wildcards allowed, then optionally `[attr=value,...]` and `:exp:YYYY-MM-DD` / `:ws:<workspace>` parts.
 */
const TRIVY = /\b(tfsec|trivy):ignore:([A-Za-z0-9_.*-]+)(\[[^\]]*\])?((?::(?:exp|ws):[^\s:[\]]+)*)/g;
/** KICS: `kics-scan ignore` (file), `ignore-line`, `ignore-block`, `disable=<query id>,...` (file). */
const KICS = /kics-scan\s+(ignore-line|ignore-block|ignore|disable|enable)\b(?:\s*=\s*([0-9A-Za-z-]+(?:\s*,\s*[0-9A-Za-z-]+)*))?/;

/**
 * Reads the suppressions in one comment: `sg-lint-ignore <rule>[, <rule>]: <reason>` (origin `sg-lint`),
 * `checkov:skip=CKV_AWS_24:reason` (origin `checkov`), `tfsec:ignore:<id>` / `trivy:ignore:<id>[:exp:YYYY-MM-DD]`
 * (origins `tfsec`, `trivy`) and `kics-scan disable=<id>` (origin `kics`). A marker sg-lint understands but cannot
 * apply as written (a wildcard, an attribute or workspace filter, a KICS marker that names no query) is returned with
 * `unsupported` saying why. Text that is not a marker gives none.
 */
export function suppressionsInComment(text: string, location: SourceLocation): Suppression[] {
  const body = text.replace(/^\s*(?:#|\/\/|\/\*)\s*/, '');
  const out: Suppression[] = [];
  const sg = SG_LINT.exec(body);
  if (sg?.[1]) {
    for (const rule of sg[1].split(',').map((s) => s.trim())) {
      const s: Suppression = { rule, origin: 'sg-lint', location };
      if (sg[2]) s.reason = sg[2];
      out.push(s);
    }
  }
  const ck = CHECKOV.exec(body);
  if (ck?.[1]) {
    const s: Suppression = { rule: ck[1], origin: 'checkov', location };
    const reason = ck[2]?.trim().replace(/^"(.*)"$/, '$1');
    if (reason) s.reason = reason;
    out.push(s);
  }
  for (const m of body.matchAll(TRIVY)) {
    const [, origin, id, filter, parts] = m;
    if (origin === undefined || id === undefined) continue;
    const s: Suppression = { rule: id, origin, location };
    const why: string[] = [];
    if (id.includes('*')) why.push(id === '*' ? 'names every check' : `names checks by the pattern ${id}`);
    if (filter) why.push(`filters on attributes ${filter}`);
    for (const part of (parts ?? '').split(':exp:').slice(1)) s.expires = part.split(':')[0];
    const ws = /:ws:([^\s:]+)/.exec(parts ?? '')?.[1];
    if (ws !== undefined) why.push(`is limited to the Terraform workspace ${ws}`);
    if (why.length > 0) s.unsupported = why.join(' and ');
    out.push(s);
  }
  const kics = KICS.exec(body);
  if (kics?.[1] === 'disable' && kics[2]) {
    for (const id of kics[2].split(',').map((x) => x.trim())) out.push({ rule: id, origin: 'kics', location });
  } else if (kics?.[1] !== undefined && kics[1] !== 'enable' && kics[1] !== 'disable') {
    const what = kics[1] === 'ignore' ? 'the whole file' : kics[1] === 'ignore-line' ? 'its line' : 'its block';
    out.push({ rule: kics[1], origin: 'kics', location, unsupported: `names no query (it skips every KICS query on ${what})` });
  }
  return out;
}

/** True for markers that cover a whole file wherever they are written (KICS `disable=`, `ignore`). */
export function isFileWide(s: Suppression): boolean {
  return s.origin === 'kics' && s.rule !== 'ignore-line' && s.rule !== 'ignore-block';
}
