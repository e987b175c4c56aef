import * as path from 'node:path';
import type { Finding, LintResult, RelatedLocation, RuleMeta, Severity } from '../engine/types';
import { headOf } from '../model/quote';

/** Counts shown in summaries. Severity counts include only unsuppressed findings. */
export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  suppressed: number;
  inputErrors: number;
}

/** Counts the unsuppressed findings per severity, the suppressed findings, the files and the input errors. */
export function summarize(result: LintResult): Summary {
  const summary: Summary = {
    files: result.files.length,
    errors: 0,
    warnings: 0,
    notes: 0,
    suppressed: 0,
    inputErrors: result.errors.length,
  };
  for (const finding of result.findings) {
    if (finding.suppression) summary.suppressed++;
    else if (finding.severity === 'error') summary.errors++;
    else if (finding.severity === 'warning') summary.warnings++;
    else summary.notes++;
  }
  return summary;
}

/** The findings that are not suppressed, in engine order. */
export function activeFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((finding) => !finding.suppression);
}

/** Groups items by file, keeping the order in which files first appear and the item order within a file. */
export function groupByFile<T extends { file: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.file);
    if (group) group.push(item);
    else groups.set(item.file, [item]);
  }
  return groups;
}

/**
 * Every file a report mentions: the linted files in order, then files that only findings, errors or notices name
 * (in order of appearance).
 */
export function reportedFiles(result: LintResult): string[] {
  const seen = new Set<string>(result.files);
  const files = [...result.files];
  for (const item of [...result.findings, ...result.errors, ...result.notices]) {
    if (!seen.has(item.file)) {
      seen.add(item.file);
      files.push(item.file);
    }
  }
  return files;
}

/** `count` followed by the noun, pluralized with "s" when count is not 1: "1 error", "2 files". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Rank of a severity, 0 for the most severe. */
export function severityRank(severity: Severity): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2;
}

/** True for an absolute POSIX path or a Windows drive/UNC path. */
function isAbsolutePath(file: string): boolean {
  return path.posix.isAbsolute(file) || path.win32.isAbsolute(file);
}

/**
 * A file path as a repository-style relative path with forward slashes and no leading "./". Absolute paths under
 * `workingDirectory` become relative to it; other absolute paths are returned with forward slashes.
 */
export function displayPath(file: string, workingDirectory?: string): string {
  let normalized = file.replace(/\\/g, '/');
  if (workingDirectory && isAbsolutePath(file)) {
    const base = workingDirectory.replace(/\\/g, '/').replace(/\/+$/, '');
    if (normalized.startsWith(`${base}/`)) normalized = normalized.slice(base.length + 1);
  }
  while (normalized.startsWith('./')) normalized = normalized.slice(2);
  return normalized;
}

/** A SARIF artifact location: a relative URI against `%SRCROOT%`, or an absolute `file://` URI. */
export interface ArtifactUri {
  uri: string;
  uriBaseId?: string;
}

/** Percent-encodes one path segment for a URI (keeps the characters RFC 3986 allows unencoded in a segment). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(?:40|24|26|2B|2C|3B|3D)/g, (m) => decodeURIComponent(m));
}

/**
 * The URI of a file for SARIF: relative paths (and absolute paths under `workingDirectory`) become relative URIs with
 * `uriBaseId: '%SRCROOT%'`; other absolute paths become `file:///` URIs.
 */
export function artifactUri(file: string, workingDirectory?: string): ArtifactUri {
  const relative = displayPath(file, workingDirectory);
  const encoded = relative
    .split('/')
    .map((segment, index) => (index === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeSegment(segment)))
    .join('/');
  if (!isAbsolutePath(relative)) return { uri: encoded, uriBaseId: '%SRCROOT%' };
  if (encoded.startsWith('//')) return { uri: `file:${encoded}` };
  return { uri: encoded.startsWith('/') ? `file://${encoded}` : `file:///${encoded}` };
}

/** Cuts text longer than `max` characters and marks the cut (never inside a surrogate pair, as `headOf`). */
export function truncate(text: string, max: number): string {
  const marker = ' [truncated]';
  return text.length <= max ? text : `${headOf(text, Math.max(0, max - marker.length))}${marker}`;
}

let lastSource: string | undefined;
let lastLines: string[] = [];

/**
 * The lines of a source text, without line terminators. Findings arrive grouped by file, so the last split is kept:
 * a file with hundreds of findings is split once, not once per finding.
 */
export function sourceLines(source: string): string[] {
  if (source !== lastSource) {
    lastSource = source;
    lastLines = source.split(/\r\n|\r|\n/);
  }
  return lastLines;
}

/**
 * Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional overrides and isolates that can
 * reorder what a terminal or a browser shows ("Trojan source"). Tab is included: callers that keep tabs say so.
 */
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;
const NAMED_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

/**
 * Makes input-derived text (file names, keys, values, messages quoting them) safe to print on one line of a terminal or
 * a CI log: every control character is shown as an escape (`\x1b`, `\n`, `\u202e`), so escape sequences cannot drive
 * the terminal and a newline cannot forge report lines. Tabs are kept when `keepTabs` is set (code frames).
 */
export function escapeControl(text: string, keepTabs = false): string {
  return text.replace(UNSAFE, (ch) => {
    if (keepTabs && ch === '\t') return ch;
    const named = NAMED_ESCAPES.get(ch);
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A rule's documentation URL: its own `url` (plugin rules and policies), else, for built-in rules, its page under
 * `docsBaseUrl`; undefined for a plugin rule or policy without one (never a dead link into docs/rules/).
 */
export function helpUriOf(meta: Pick<RuleMeta<object>, 'id' | 'url'>, docsBaseUrl: string): string | undefined {
  return meta.url ?? (meta.id.includes('/') ? undefined : `${docsBaseUrl}${meta.id}.md`);
}

/**
 * The rule metadata a report describes: `ids` (or, without them, the enabled rules) sorted by id, so the order of
 * `result.rules` never matters, with a minimal entry for a rule a finding names that is not among the enabled ones.
 */
export function describedRules(result: LintResult, ids?: ReadonlySet<string>): RuleMeta<object>[] {
  const byId = new Map<string, RuleMeta<object>>();
  for (const meta of result.rules) if (!ids || ids.has(meta.id)) byId.set(meta.id, meta);
  for (const finding of result.findings) {
    if (!byId.has(finding.ruleId) && (!ids || ids.has(finding.ruleId))) {
      byId.set(finding.ruleId, {
        id: finding.ruleId,
        description: `Findings of ${finding.ruleId}`,
        defaultSeverity: 'warning',
        tags: [],
        recommended: false,
        options: {},
      });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A rule's fix hint with its documentation link (see `helpUriOf`; none when the docs base URL is empty). */
export interface FixHint {
  fix: string;
  url?: string;
}

/**
 * The fix hint of a finding's rule, one line, with the rule's documentation link: a plugin rule's or policy's own
 * `url`, else (built-in rules) its page under `docsBaseUrl`. Undefined when the rule gives no hint.
 */
export function fixHintOf(meta: Pick<RuleMeta<object>, 'id' | 'url' | 'fix'> | undefined, docsBaseUrl: string): FixHint | undefined {
  if (meta?.fix === undefined) return undefined;
  const url = docsBaseUrl || meta.url !== undefined ? helpUriOf(meta, docsBaseUrl) : undefined;
  return url !== undefined ? { fix: meta.fix, url } : { fix: meta.fix };
}

/** The rule metadata of a result by id, for reporters that show a finding's fix hint. */
export function rulesById(result: LintResult): Map<string, RuleMeta<object>> {
  return new Map(result.rules.map((m) => [m.id, m]));
}

/**
 * One related location as a phrase: "parameter AdminCidr default at infra/web.yaml:9:19". The file is always named
 * (one-line formats are read without the finding's file at hand); paths go through `displayPath`.
 */
export function relatedPhrase(related: RelatedLocation, workingDirectory?: string): string {
  return `${related.message} at ${displayPath(related.file, workingDirectory)}:${related.line}:${related.column}`;
}
