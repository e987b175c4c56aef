import type { Finding } from '../engine/types';
import { activeFindings, displayPath, escapeControl, fixHintOf, helpUriOf, plural, rulesById, severityRank, summarize } from './common';
import type { ReportContext, Reporter } from './types';

/** At most this many findings are listed one by one; a GitHub job summary is capped at 1 MiB per step. */
const MAX_LISTED = 200;

/**
 * Escapes text for a Markdown table cell or list item: line breaks become spaces, other control characters are shown
 * escaped (`\x1b`) as in every report, then pipes, backslashes, HTML and emphasis characters are escaped.
 */
export function escapeMarkdown(text: string): string {
  return escapeControl(text.replace(/\r?\n/g, ' '))
    .replace(/\\/g, '\\\\')
    .replace(/[|*_`[\]<>#]/g, (c) => `\\${c}`);
}

/** Text for inside a code span (backticks cannot be escaped there; control characters are shown escaped). */
function code(text: string): string {
  return `\`${escapeControl(text.replace(/`/g, "'").replace(/\r?\n/g, ' '))}\``;
}

/** One row of the per-rule table. */
interface RuleRow {
  ruleId: string;
  severity: Finding['severity'];
  active: number;
  suppressed: number;
}

function ruleRows(findings: readonly Finding[]): RuleRow[] {
  const rows = new Map<string, RuleRow>();
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.severity}`;
    const row = rows.get(key) ?? { ruleId: f.ruleId, severity: f.severity, active: 0, suppressed: 0 };
    if (f.suppression) row.suppressed++;
    else row.active++;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (a, b) => severityRank(a.severity) - severityRank(b.severity) || b.active - a.active || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}

/**
 * Markdown for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment: a headline with the counts,
 * a table of findings per rule (unsuppressed and suppressed), input errors, the notices every report shows (part of the
 * input was not linted) under "Not linted", and the unsuppressed findings as a list (the first 200). Rule ids link to
 * their documentation.
 */
export const markdownReporter: Reporter = (ctx: ReportContext): string => {
  const { result } = ctx;
  const s = summarize(result);
  const out: string[] = ['## sg-lint', ''];
  const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), plural(s.notes, 'note')].join(', ');
  const visibleNotices = result.notices.filter((n) => n.visible).length;
  const extra = `${s.inputErrors > 0 ? `, ${plural(s.inputErrors, 'input error')}` : ''}${visibleNotices > 0 ? `, ${plural(visibleNotices, 'part')} not linted` : ''}`;
  out.push(`${plural(s.files, 'file')} linted: ${counts}${s.suppressed > 0 ? `, ${s.suppressed} suppressed` : ''}${extra}.`, '');
  const rows = ruleRows(result.findings);
  if (rows.length > 0) {
    const rules = rulesById(result);
    out.push('| Rule | Severity | Findings | Suppressed | How to fix |', '| --- | --- | ---: | ---: | --- |');
    for (const r of rows) {
      const hint = fixHintOf(rules.get(r.ruleId), ctx.docsBaseUrl);
      const id = `\`${r.ruleId}\``;
      const url = helpUriOf(rules.get(r.ruleId) ?? { id: r.ruleId }, ctx.docsBaseUrl);
      const rule = url !== undefined ? `[${id}](${url})` : id;
      out.push(`| ${rule} | ${r.severity} | ${r.active} | ${r.suppressed} | ${hint !== undefined ? escapeMarkdown(hint.fix) : ''} |`);
    }
    out.push('');
  }
  if (result.errors.length > 0) {
    out.push('### Input errors', '');
    for (const e of result.errors) {
      const at = e.line ? `:${e.line}:${e.column ?? 1}` : '';
      out.push(`- ${code(`${displayPath(e.file, ctx.workingDirectory)}${at}`)} ${escapeMarkdown(e.message)}`);
    }
    out.push('');
  }
  const notices = result.notices.filter((n) => n.visible);
  if (notices.length > 0) {
    // Part of the input was not linted (a Terraform module that is not installed, a bound that stopped evaluation).
    out.push('### Not linted', '');
    for (const n of notices) {
      const at = n.line ? `:${n.line}:${n.column ?? 1}` : '';
      out.push(`- :warning: ${code(`${displayPath(n.file, ctx.workingDirectory)}${at}`)} ${escapeMarkdown(n.message)}`);
    }
    out.push('');
  }
  const active = activeFindings(result.findings);
  if (active.length > 0) {
    out.push('### Findings', '');
    for (const f of active.slice(0, MAX_LISTED)) {
      const where = code(`${displayPath(f.file, ctx.workingDirectory)}:${f.line}:${f.column}`);
      out.push(`- **${f.severity}** ${where} ${escapeMarkdown(f.message)} (${code(f.ruleId)})`);
      for (const r of f.related ?? []) {
        out.push(`  - from ${escapeMarkdown(r.message)} at ${code(`${displayPath(r.file, ctx.workingDirectory)}:${r.line}:${r.column}`)}`);
      }
    }
    if (active.length > MAX_LISTED) out.push(`- … and ${active.length - MAX_LISTED} more (see the SARIF or text report)`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
};
