/**
 * Number literals as Terraform reads them. HCL's scanner takes a digit and then every digit, dot and exponent
 * (`e`/`E`, an optional sign, a digit) that follows, never ending on a dot; the token is then read as a decimal
 * number, and a token that is not one is an error ("Invalid number literal"). So `1e9`, `2E+3`, `5e-1` and `1.e3` are
 * numbers (terraform console: 1000000000, 2000, 0.5, 1000), `1.5.5` and `1e3e3` are errors, and `1.` or `1e` stop
 * before the dot or the letter. Recorded answers: the `number-forms` group of fixtures/terraform-console/expected.json.
 */

const DIGIT = /[0-9]/;

/** Whether `s[i]` starts an exponent that continues a number token (`e`/`E`, an optional sign, a digit). */
function exponentAt(s: string, i: number): number {
  const c = s[i];
  if (c !== 'e' && c !== 'E') return 0;
  const sign = s[i + 1] === '+' || s[i + 1] === '-' ? 1 : 0;
  return DIGIT.test(s[i + 1 + sign] ?? '') ? 2 + sign : 0;
}

/** Where the number token that starts with the digit at `start` ends (exclusive). */
export function numberTokenEnd(s: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const c = s[i];
    if (c !== undefined && DIGIT.test(c)) i++;
    else if (c === '.' && (DIGIT.test(s[i + 1] ?? '') || exponentAt(s, i + 1) > 0)) i++;
    else {
      const e = exponentAt(s, i);
      if (e === 0) return i;
      i += e;
    }
  }
}

/** Whether a number token is a decimal number Terraform accepts (`1`, `1.5`, `1e9`, `1.e3`, `1.5E-2`). */
export function isNumberLiteral(token: string): boolean {
  return /^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$/.test(token);
}
