/** Suppression markers written in Terraform comments and `"//"` keys. */
import type { SourceLocation, Suppression } from '../../model/types';

const SG_LINT = /sg-lint-ignore\s+([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)\s*(?::\s*(.*?))?\s*(?:\*\/)?\s*$/;
const CHECKOV = /checkov:skip=([A-Za-z0-9_]+)(?::(.*?))?\s*(?:\*\/)?\s*$/;
const TFSEC = /(?:tfsec|trivy):ignore:([A-Za-z0-9_-]+)(?::exp:(\d{4}-\d{2}-\d{2}))?/g;

/**
 * Reads the suppressions in one comment: `sg-lint-ignore <rule>[, <rule>]: <reason>` (origin `sg-lint`),
 * `checkov:skip=CKV_AWS_24:reason` (origin `checkov`), `tfsec:ignore:<id>[:exp:YYYY-MM-DD]` and
 * `trivy:ignore:<id>` (origin `tfsec`). Text that is not a marker gives none.
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
    if (ck[2]) s.reason = ck[2].trim();
    out.push(s);
  }
  for (const m of body.matchAll(TFSEC)) {
    if (!m[1]) continue;
    const s: Suppression = { rule: m[1], origin: 'tfsec', location };
    if (m[2]) s.expires = m[2];
    out.push(s);
  }
  return out;
}
