import { createColors } from 'picocolors';
import type { Finding, RuleMeta, Severity } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, escapeControl, fixHintOf, groupByFile, plural, rulesById, sourceLines, summarize } from './common';
import type { Summary } from './common';
import type { ReportContext, Reporter } from './types';
import { maxOf, pushAll } from '../model/arrays';

type Colors = ReturnType<typeof createColors>;

/** Longest source line shown in a code frame; longer lines are shown as a window around the column. */
const FRAME_WIDTH = 120;
/** Characters of context kept before the column when a long line is windowed. */
const FRAME_LEAD = 40;
/** Indent of the lines under a finding (detail line and code frame). */
const DETAIL_INDENT = '    ';

/** Colors a severity word. */
function paintSeverity(c: Colors, severity: Severity, text: string): string {
  if (severity === 'error') return c.red(text);
  if (severity === 'warning') return c.yellow(text);
  return c.blue(text);
}

/**
 * Makes input-derived text (file names, keys and values quoted in messages) safe for a terminal: control characters,
 * line breaks included, are shown escaped (`\x1b`, `\n`), so they can neither drive the terminal nor forge lines.
 */
function clean(text: string): string {
  return escapeControl(text);
}

/** "resource: X, group: Y, construct: Z, introduced, also: rule ids": where a finding is, beyond its line. */
function describeTarget(finding: Finding): string {
  const parts = [`resource: ${finding.resource}`];
  if (finding.securityGroup && finding.securityGroup !== finding.resource) parts.push(`group: ${finding.securityGroup}`);
  if (finding.constructPath) parts.push(`construct: ${finding.constructPath}`);
  if (finding.introduced) parts.push('introduced by this change');
  if (finding.foldedRuleIds && finding.foldedRuleIds.length > 0) parts.push(`also ${finding.foldedRuleIds.join(', ')}`);
  return parts.join(', ');
}

/** The visible part of a source line and the 0-based offsets of the underline within it. */
interface FrameSlice {
  text: string;
  start: number;
  end: number;
}

/** Cuts a long line to a window around the underlined range, marking the cuts with "...". */
function sliceLine(line: string, start: number, end: number): FrameSlice {
  if (line.length <= FRAME_WIDTH) return { text: line, start, end };
  const from = Math.max(0, Math.min(start - FRAME_LEAD, line.length - FRAME_WIDTH));
  const to = Math.min(line.length, from + FRAME_WIDTH);
  const head = from > 0 ? '...' : '';
  const tail = to < line.length ? '...' : '';
  const shift = head.length - from;
  return {
    text: `${head}${line.slice(from, to)}${tail}`,
    start: start + shift,
    end: Math.min(end, to) + shift,
  };
}

/**
 * The code frame of a finding: the offending line and a caret underline from the start column to the end column
 * (or to the end of the line when the range spans lines). Empty when the source or the line is unavailable.
 */
function codeFrame(c: Colors, finding: Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn' | 'severity'>, source: string | undefined): string[] {
  if (source === undefined) return [];
  const line = sourceLines(source)[finding.line - 1];
  if (line === undefined) return [];
  const start = Math.min(Math.max(finding.column - 1, 0), line.length);
  const lineEnd = line.trimEnd().length;
  const end = finding.endLine === finding.line ? Math.min(finding.endColumn - 1, line.length) : lineEnd;
  const slice = sliceLine(line, start, Math.max(end, start + 1));
  // Control characters in the line are shown escaped; the underline follows the escaped text.
  const before = escapeControl(slice.text.slice(0, slice.start), true);
  const marked = escapeControl(slice.text.slice(slice.start, slice.end), true);
  const pad = before.replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, marked.length));
  const number = String(finding.line);
  const gutter = `${DETAIL_INDENT}${number} | `;
  const blank = `${DETAIL_INDENT}${' '.repeat(number.length)} | `;
  return [`${c.dim(gutter)}${escapeControl(slice.text, true)}`, `${c.dim(blank)}${pad}${paintSeverity(c, finding.severity, carets)}`];
}

/**
 * Where the value came from: one line per related location ("from parameter AdminCidr default at 5:14", with the file
 * when it is another one) and the code frame of each when its source is at hand.
 */
function relatedLines(c: Colors, finding: Finding, source: (file: string) => string | undefined): string[] {
  const lines: string[] = [];
  for (const r of finding.related ?? []) {
    const where = r.file === finding.file ? `${r.line}:${r.column}` : `${clean(r.file)}:${r.line}:${r.column}`;
    lines.push(c.dim(`${DETAIL_INDENT}from ${clean(r.message)} at ${where}`));
    pushAll(lines, codeFrame(c, { ...r, severity: 'note' }, source(r.file)));
  }
  return lines;
}

/**
 * The fix hint of the finding's rule, with the rule's documentation link when there is one (a plugin rule's or
 * policy's own `url`; built-in rules' pages are under the docs base URL).
 */
function fixLine(c: Colors, finding: Finding, rules: ReadonlyMap<string, RuleMeta<object>>, docsBaseUrl: string): string[] {
  const hint = fixHintOf(rules.get(finding.ruleId), docsBaseUrl);
  if (hint === undefined) return [];
  const link = hint.url !== undefined ? ` (${clean(hint.url)})` : '';
  return [`${DETAIL_INDENT}${c.green('fix:')} ${clean(hint.fix)}${c.dim(link)}`];
}

/** The lines for one file: its path, then each finding with its target, code frame, origins and fix hint. */
function fileBlock(c: Colors, file: string, findings: readonly Finding[], ctx: ReportContext, rules: ReadonlyMap<string, RuleMeta<object>>): string[] {
  const source = ctx.source(file);
  const positions = findings.map((f) => `${f.line}:${f.column}`);
  const width = maxOf(positions.map((p) => p.length));
  const lines = [c.underline(clean(file))];
  findings.forEach((finding, index) => {
    const position = (positions[index] ?? '').padEnd(width);
    const severity = paintSeverity(c, finding.severity, finding.severity.padEnd(7));
    const message = clean(finding.message);
    lines.push(`  ${c.dim(position)}  ${severity}  ${message}  ${c.dim(finding.ruleId)}`);
    lines.push(c.dim(`${DETAIL_INDENT}${clean(describeTarget(finding))}`));
    pushAll(lines, codeFrame(c, finding, source));
    pushAll(lines, relatedLines(c, finding, (f) => ctx.source(f)));
    pushAll(lines, fixLine(c, finding, rules, ctx.docsBaseUrl));
  });
  return lines;
}

/** "file:line:col" with whatever position is known. */
function position(item: InputError | InputNotice): string {
  const file = clean(item.file);
  if (item.line === undefined) return file;
  return item.column === undefined ? `${file}:${item.line}` : `${file}:${item.line}:${item.column}`;
}

/** One `file:line:col: kind: message` line for an input error or notice. */
function problemLine(item: InputError | InputNotice, kind: string): string {
  return `${position(item)}: ${kind}: ${clean(item.message)}`;
}

/** The closing summary line. */
function summaryLine(c: Colors, summary: Summary, hidden: number): string {
  const problems = summary.errors + summary.warnings + summary.notes;
  const files = plural(summary.files, 'file');
  const notes = [
    ...(summary.suppressed > 0 ? [`${summary.suppressed} suppressed`] : []),
    ...(hidden > 0 ? [`${hidden} hidden by --quiet`] : []),
  ];
  const suppressed = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  if (problems === 0 && summary.inputErrors === 0) {
    if (summary.files === 0) return `${c.yellow(c.bold('\u26A0 No input was linted'))}${suppressed}`;
    // --quiet hid findings: "no problems" would be a false claim.
    if (hidden > 0) return `${c.bold('No problems shown')} in ${files}${suppressed}`;
    return `${c.green(c.bold('\u2714 No problems found'))} in ${files}${suppressed}`;
  }
  const parts: string[] = [];
  if (problems > 0) {
    const counts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning'), plural(summary.notes, 'note')];
    parts.push(`${plural(problems, 'problem')} (${counts.join(', ')})`);
  }
  if (summary.inputErrors > 0) parts.push(plural(summary.inputErrors, 'input error'));
  const failing = summary.errors > 0 || summary.inputErrors > 0;
  const head = `\u2716 ${parts.join(', ')}`;
  return `${failing ? c.red(c.bold(head)) : c.yellow(c.bold(head))} in ${files}${suppressed}`;
}

/**
 * The default human-readable report: unsuppressed findings grouped by file with code frames, then input errors
 * (`file:line:col: error: message`), then notices (`warning:` for those that say part of the input was not linted,
 * always shown; the others only when verbose), then a summary line.
 */
export const textReporter: Reporter = (ctx: ReportContext): string => {
  const c = createColors(ctx.color);
  const blocks: string[][] = [];
  const rules = rulesById(ctx.result);
  for (const [file, findings] of groupByFile(activeFindings(ctx.result.findings))) {
    blocks.push(fileBlock(c, file, findings, ctx, rules));
  }
  if (ctx.result.errors.length > 0) {
    blocks.push(ctx.result.errors.map((e) => problemLine(e, c.red('error'))));
  }
  // Notices that say part of the input was not linted are always shown; the others with --verbose.
  const notices = ctx.verbose ? ctx.result.notices : ctx.result.notices.filter((n) => n.visible);
  if (notices.length > 0) {
    blocks.push(notices.map((n) => problemLine(n, n.visible ? c.yellow('warning') : c.blue('notice'))));
  }
  blocks.push([summaryLine(c, summarize(ctx.result), ctx.hiddenByQuiet ?? 0)]);
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
};
