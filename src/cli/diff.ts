/** `sg-lint diff OLD NEW`: the security-group changes between two templates or cdk.out assemblies, and new findings. */
import { oldFingerprintsOf, readTemplates, securityChanges } from '../engine/diff';
import type { SecurityChange } from '../engine/diff';
import type { LintOptions, LintRun } from '../engine/lint';
import { createResolver, evaluate, keepNew, lintRun } from '../engine/lint';

/** What `sg-lint diff` produced: NEW's new findings (marked `introduced`) and the rule changes. */
export interface DiffRun extends LintRun {
  changes: SecurityChange[];
}

/**
 * Compares OLD with NEW: lists rules added and removed (via `@aws-cdk/cloudformation-diff`), lints NEW, and keeps
 * only the findings whose fingerprint OLD (linted under NEW's names, with NEW's configuration) did not have.
 */
export async function runDiff(oldPath: string, newPath: string, options: LintOptions = {}): Promise<DiffRun> {
  const cwd = options.cwd ?? process.cwd();
  const changes = securityChanges(readTemplates(oldPath, cwd), readTemplates(newPath, cwd));
  const run = await lintRun([newPath], options);
  const resolver = createResolver(options, cwd);
  const now = options.now ?? new Date();
  const old = await oldFingerprintsOf(oldPath, newPath, cwd, (inputs) => evaluate(inputs, resolver, now), options);
  run.result.findings = keepNew(run.result.findings, old, `in ${oldPath}`, run.result.notices);
  return { ...run, changes };
}

/** The change table: one line per rule added (+) or removed (-), columns aligned; a line saying so when empty. */
export function renderChanges(changes: readonly SecurityChange[], oldLabel: string, newLabel: string): string {
  if (changes.length === 0) return `No security group rule changes between ${oldLabel} and ${newLabel}.\n\n`;
  const withStack = changes.some((c) => c.stack !== undefined);
  const rows = changes.map((c) => [c.change, ...(withStack ? [c.stack ?? ''] : []), c.group, c.direction, c.traffic, c.peer]);
  const header = ['', ...(withStack ? ['Stack'] : []), 'Group', 'Dir', 'Traffic', 'Peer'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const added = changes.filter((c) => c.change === '+').length;
  const removed = changes.length - added;
  return [
    `Security group rule changes between ${oldLabel} and ${newLabel}: ${added} added, ${removed} removed`,
    line(header),
    ...rows.map(line),
    '',
    '',
  ].join('\n');
}
