import type { createHash as CreateHash } from 'node:crypto';
import type { Finding, RuleMeta, Severity } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, displayPath, fixHintOf, rulesById } from './common';
import { escapeMarkdown } from './markdown';
import type { ReportContext, Reporter } from './types';

/** GitLab Code Quality severities: error -> major, warning -> minor, note -> info. */
export const GITLAB_SEVERITY: Record<Severity, 'major' | 'minor' | 'info'> = {
  error: 'major',
  warning: 'minor',
  note: 'info',
};

/** One GitLab Code Quality issue. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: CodeQualityLocation;
  /** Code Climate `other_locations`: where the offending value came from (a finding's related locations). */
  other_locations?: CodeQualityLocation[];
  /** Code Climate `content.body` (Markdown): the fix hint with the rule's documentation link, and the value's origins. */
  content?: { body: string };
}

/** A Code Quality location: a relative path and a line. */
export interface CodeQualityLocation {
  path: string;
  lines: { begin: number };
}

/** MD5 hex of the parts, as GitLab expects a fingerprint to look. */
function md5(...parts: string[]): string {
  // Loaded on first use: only this report needs it (and fingerprints of findings, src/engine/run.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as { createHash: typeof CreateHash };
  return createHash('md5').update(parts.join('\u0000')).digest('hex');
}

/**
 * The Markdown body of a finding's issue: "**How to fix:** <hint>. See the [<id> documentation](<url>)." and a list
 * of where the value came from ("- parameter AdminCidr default at `infra/web.yaml:9:19`"). Undefined when there is
 * neither.
 */
function findingBody(finding: Finding, meta: RuleMeta<object> | undefined, docsBaseUrl: string, workingDirectory: string | undefined): string | undefined {
  const parts: string[] = [];
  const hint = fixHintOf(meta, docsBaseUrl);
  if (hint !== undefined) {
    const link = hint.url !== undefined ? ` See the [${escapeMarkdown(finding.ruleId)} documentation](${hint.url}).` : '';
    parts.push(`**How to fix:** ${escapeMarkdown(hint.fix)}.${link}`);
  }
  const related = finding.related ?? [];
  if (related.length > 0) {
    const items = related.map((r) => `- ${escapeMarkdown(r.message)} at \`${displayPath(r.file, workingDirectory).replace(/`/g, "'")}:${r.line}:${r.column}\``);
    parts.push(['The value comes from:', '', ...items].join('\n'));
  }
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/**
 * The issue for one finding; the fingerprint is derived from sg-lint's finding fingerprint. Related locations are
 * `other_locations`, the fix hint and origins the Markdown `content.body` (fields of the Code Climate issue format).
 */
function findingIssue(finding: Finding, meta: RuleMeta<object> | undefined, docsBaseUrl: string, workingDirectory: string | undefined): CodeQualityIssue {
  const related = finding.related ?? [];
  const body = findingBody(finding, meta, docsBaseUrl, workingDirectory);
  return {
    description: finding.message,
    check_name: finding.ruleId,
    fingerprint: md5('finding', finding.ruleId, finding.fingerprint),
    severity: GITLAB_SEVERITY[finding.severity],
    location: { path: displayPath(finding.file, workingDirectory), lines: { begin: Math.max(1, finding.line) } },
    ...(related.length > 0
      ? { other_locations: related.map((r) => ({ path: displayPath(r.file, workingDirectory), lines: { begin: Math.max(1, r.line) } })) }
      : {}),
    ...(body !== undefined ? { content: { body } } : {}),
  };
}

/** The issue for one input error (severity major, check name `input-error`). */
function errorIssue(error: InputError, workingDirectory: string | undefined): CodeQualityIssue {
  const position = `${error.line ?? ''}:${error.column ?? ''}`;
  return {
    description: `Input error: ${error.message}`,
    check_name: 'input-error',
    fingerprint: md5('input-error', error.file, position, error.message),
    severity: 'major',
    location: { path: displayPath(error.file, workingDirectory), lines: { begin: Math.max(1, error.line ?? 1) } },
  };
}

/** The issue for a notice every report shows (severity minor, check name `not-linted`): part of the input was not linted. */
function noticeIssue(notice: InputNotice, workingDirectory: string | undefined): CodeQualityIssue {
  const position = `${notice.line ?? ''}:${notice.column ?? ''}`;
  return {
    description: `Not linted: ${notice.message}`,
    check_name: 'not-linted',
    fingerprint: md5('not-linted', notice.file, position, notice.message),
    severity: 'minor',
    location: { path: displayPath(notice.file, workingDirectory), lines: { begin: Math.max(1, notice.line ?? 1) } },
  };
}

/**
 * GitLab Code Quality report: a JSON array with one issue per unsuppressed finding, then one per input error, then one
 * per notice every report shows (part of the input was not linted). Pretty-printed with 2 spaces and a final newline.
 */
export const gitlabReporter: Reporter = (ctx: ReportContext): string => {
  const rules = rulesById(ctx.result);
  const issues = [
    ...activeFindings(ctx.result.findings).map((f) => findingIssue(f, rules.get(f.ruleId), ctx.docsBaseUrl, ctx.workingDirectory)),
    ...ctx.result.errors.map((e) => errorIssue(e, ctx.workingDirectory)),
    ...ctx.result.notices.filter((n) => n.visible).map((n) => noticeIssue(n, ctx.workingDirectory)),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
};
