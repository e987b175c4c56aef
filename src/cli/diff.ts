/** `sg-lint diff OLD NEW`: the security-group changes between two templates or cdk.out assemblies, and new findings. */
import type { SecurityChange } from '../engine/diff';
import { maxOf } from '../model/arrays';

/** The change table: one line per rule added (+) or removed (-), columns aligned; a line saying so when empty. */
export function renderChanges(changes: readonly SecurityChange[], oldLabel: string, newLabel: string): string {
  if (changes.length === 0) return `No security group rule changes between ${oldLabel} and ${newLabel}.\n\n`;
  const withStack = changes.some((c) => c.stack !== undefined);
  const rows = changes.map((c) => [c.change, ...(withStack ? [c.stack ?? ''] : []), c.group, c.direction, c.traffic, c.peer]);
  const header = ['', ...(withStack ? ['Stack'] : []), 'Group', 'Dir', 'Traffic', 'Peer'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => maxOf(all.map((r) => (r[i] ?? '').length)));
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
