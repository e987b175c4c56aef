/**
 * RE2 regular expressions (the `re2js` package), loaded on first use: Terraform's `regex` functions and the
 * `require` policies' description patterns need them, most runs do not, and loading the package costs about 20 ms
 * of start-up. RE2 matches in time linear in the input whatever the pattern, unlike JavaScript's backtracking
 * RegExp, so a pattern never hangs on text an input supplies.
 */
import type * as Re2 from 're2js' with { 'resolution-mode': 'require' };

export type RE2JS = Re2.RE2JS;

let loaded: typeof Re2 | undefined;

function re2(): typeof Re2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  return (loaded ??= require('re2js') as typeof Re2);
}

/** Compiles an RE2 pattern; throws {@link Re2SyntaxError} with RE2's message (without its prefix) when RE2 refuses it. */
export function compileRe2(pattern: string): RE2JS {
  const { RE2JS, RE2JSException } = re2();
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    if (e instanceof RE2JSException) throw new Re2SyntaxError(e.message.replace(/^error parsing regexp: /, ''));
    throw e;
  }
}

/** A pattern RE2 does not accept. */
export class Re2SyntaxError extends Error {}
