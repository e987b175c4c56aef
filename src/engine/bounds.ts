/**
 * Bounds on what a report repeats per finding. Parsers quote at most 100 characters of a malformed value
 * (`src/model/quote.ts`), but a message can also name resources whose names come from the input (Terraform instance
 * keys, module paths) or come from a plugin. So that one input cannot make a report of hundreds of megabytes (which
 * can exhaust Node's heap while it is serialised), every message and every name a finding, error or notice carries is
 * cut here to a fixed length. Real messages stay well below it (the longest over the corpus is about 1,100
 * characters: a shadowed rule in a nested module), and fingerprints are computed before, from typed fields.
 */
import { headOf } from '../model/quote';
import type { LintResult } from './types';

/** The most characters of a message (finding, related location, input error or notice). */
export const MAX_MESSAGE_LENGTH = 4000;
/** The most characters of a name a finding carries (resource, security group, construct path). */
export const MAX_NAME_LENGTH = 1000;

/**
 * `text` when it fits in `max` characters, else its start and how long it was, in at most `max` characters (so cutting
 * again changes nothing).
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = `… (cut: ${text.length} characters)`;
  return `${headOf(text, max - tail.length)}${tail}`;
}

/** Cuts every message and name of the result to the bounds above (in place). */
export function boundResult(result: LintResult): void {
  const message = (s: string): string => boundText(s, MAX_MESSAGE_LENGTH);
  const name = (s: string): string => boundText(s, MAX_NAME_LENGTH);
  for (const f of result.findings) {
    f.message = message(f.message);
    f.resource = name(f.resource);
    if (f.securityGroup !== undefined) f.securityGroup = name(f.securityGroup);
    if (f.constructPath !== undefined) f.constructPath = name(f.constructPath);
    if (f.suppression) f.suppression = { ...f.suppression, justification: message(f.suppression.justification) };
    if (f.related) f.related = f.related.map((r) => ({ ...r, message: message(r.message) }));
  }
  for (const e of result.errors) e.message = message(e.message);
  for (const n of result.notices) n.message = message(n.message);
}
