import type { Finding, Severity } from '../engine/types';
import type { InputError, InputNotice } from '../model/types';
import { activeFindings, escapeControl, fixHintOf, groupByFile, relatedPhrase, reportedFiles, rulesById, severityRank } from './common';
import type { FixHint } from './common';
import type { ReportContext, Reporter } from './types';
import { pushAll } from '../model/arrays';

/** Characters XML 1.0 cannot carry at all (control characters other than tab, LF and CR; lone surrogates). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes element text: `&`, `<`, `>`; control characters other than tab and line breaks are shown escaped (`\x1b`),
 * and what XML still cannot represent (lone surrogates) is dropped.
 */
export function escapeXmlText(value: string): string {
  return value
    .replace(/[^\t\n\r]+/g, (part) => escapeControl(part))
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Escapes an attribute value: text escapes plus quotes, and tab/LF/CR as character references so they survive. */
export function escapeXmlAttr(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/** `name="value"` pairs, escaped. */
function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([key, value]) => ` ${key}="${escapeXmlAttr(String(value))}"`).join('');
}

/** "file:line:col" with whatever position is known. */
function position(file: string, line?: number, column?: number): string {
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

/**
 * The test case of one finding: failing when the finding is at or above `--fail-on`, else passing with the finding
 * as `system-out`. `name` is unique within the file's suite.
 */
function findingCase(finding: Finding, name: string, failing: boolean, hint: FixHint | undefined): string[] {
  const body = [
    `${position(finding.file, finding.line, finding.column)}: ${finding.severity}: ${finding.message} (${finding.ruleId})`,
    `resource: ${finding.resource}`,
    ...(finding.securityGroup && finding.securityGroup !== finding.resource ? [`group: ${finding.securityGroup}`] : []),
    ...(finding.constructPath ? [`construct: ${finding.constructPath}`] : []),
    ...(finding.foldedRuleIds && finding.foldedRuleIds.length > 0 ? [`also: ${finding.foldedRuleIds.join(', ')}`] : []),
    ...(finding.related ?? []).map((r) => `from ${relatedPhrase(r)}`),
    ...(hint !== undefined ? [`fix: ${hint.fix}${hint.url !== undefined ? ` (${hint.url})` : ''}`] : []),
  ].join('\n');
  const inner = failing
    ? `      <failure${attrs([['message', finding.message], ['type', finding.severity]])}>${escapeXmlText(body)}</failure>`
    : `      <system-out>${escapeXmlText(body)}</system-out>`;
  return [`    <testcase${attrs([['name', name], ['classname', finding.file], ['file', finding.file]])}>`, inner, '    </testcase>'];
}

/** Test-case names: rule id, resource and position, with "#2", "#3" for findings that would share a name. */
function caseNames(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.ruleId} ${f.resource} (${f.line}:${f.column})`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}

/** True when a finding fails the run at this `--fail-on` threshold. */
function fails(finding: Finding, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && severityRank(finding.severity) <= severityRank(failOn);
}

/** An erroring test case for one input error. */
function errorCase(error: InputError): string[] {
  const body = `${position(error.file, error.line, error.column)}: error: ${error.message}`;
  return [
    `    <testcase${attrs([['name', 'input error'], ['classname', error.file], ['file', error.file]])}>`,
    `      <error${attrs([['message', error.message], ['type', 'input-error']])}>${escapeXmlText(body)}</error>`,
    '    </testcase>',
  ];
}

/** A skipped test case for a notice every report shows: part of the input was not linted. */
function noticeCase(notice: InputNotice): string[] {
  const body = `${position(notice.file, notice.line, notice.column)}: warning: ${notice.message}`;
  return [
    `    <testcase${attrs([['name', 'not linted'], ['classname', notice.file], ['file', notice.file]])}>`,
    `      <skipped${attrs([['message', notice.message]])}>${escapeXmlText(body)}</skipped>`,
    '    </testcase>',
  ];
}

/** One test suite for one file; a file without findings, errors or visible notices gets one passing test case. */
function suite(
  file: string,
  findings: readonly Finding[],
  errors: readonly InputError[],
  notices: readonly InputNotice[],
  failOn: Severity | 'none',
  hintOf: (finding: Finding) => FixHint | undefined,
): { lines: string[]; tests: number; failures: number } {
  const names = caseNames(findings);
  const failures = findings.filter((f) => fails(f, failOn)).length;
  const cases = [...findings.flatMap((f, i) => findingCase(f, names[i] ?? f.ruleId, fails(f, failOn), hintOf(f))), ...errors.flatMap(errorCase), ...notices.flatMap(noticeCase)];
  const count = findings.length + errors.length + notices.length;
  const tests = Math.max(1, count);
  if (count === 0) {
    cases.push(`    <testcase${attrs([['name', 'no findings'], ['classname', file], ['file', file]])}/>`);
  }
  const head = attrs([
    ['name', file],
    ['tests', tests],
    ['failures', failures],
    ['errors', errors.length],
    ...(notices.length > 0 ? ([['skipped', notices.length]] as [string, number][]) : []),
  ]);
  return { lines: [`  <testsuite${head}>`, ...cases, '  </testsuite>'], tests, failures };
}

/**
 * JUnit XML: one `<testsuite>` per file with one `<testcase>` per unsuppressed finding (name: rule id, resource and
 * position, unique within the suite), failing when the finding is at or above `--fail-on` (default error) and passing
 * with the finding as `system-out` otherwise, an erroring test case per input error, and a skipped one ("not linted")
 * per notice every report shows (a Terraform module that is not installed); a clean file gets one passing test case.
 */
export const junitReporter: Reporter = (ctx: ReportContext): string => {
  const failOn = ctx.failOn ?? 'error';
  const findings = groupByFile(activeFindings(ctx.result.findings));
  const errors = groupByFile(ctx.result.errors);
  const visible = ctx.result.notices.filter((n) => n.visible);
  const notices = groupByFile(visible);
  const rules = rulesById(ctx.result);
  const hintOf = (f: Finding): FixHint | undefined => fixHintOf(rules.get(f.ruleId), ctx.docsBaseUrl);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const file of reportedFiles(ctx.result)) {
    const s = suite(file, findings.get(file) ?? [], errors.get(file) ?? [], notices.get(file) ?? [], failOn, hintOf);
    tests += s.tests;
    failures += s.failures;
    pushAll(suites, s.lines);
  }
  const head = attrs([
    ['name', 'sg-lint'],
    ['tests', tests],
    ['failures', failures],
    ['errors', ctx.result.errors.length],
    ...(visible.length > 0 ? ([['skipped', visible.length]] as [string, number][]) : []),
  ]);
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${head}>`, ...suites, '</testsuites>', ''].join('\n');
};
