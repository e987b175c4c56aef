/**
 * Number literals that Terraform reads and the tree-sitter HCL grammar refuses. The grammar's `numeric_lit` is
 * `[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?)?`: it has no exponent without a fraction (`1e9`, `2E+3`, `5e-1`) and no
 * fraction-less `1.e3`, which Terraform accepts (see eval/number-literal.ts). Before tree-sitter parses a file, every
 * such literal written in expression syntax (attribute values, `${ }` and `%{ }` in strings and heredocs) is replaced
 * by a run of zeros of the same length, which the grammar reads as one number. Offsets, lines and columns are
 * unchanged, and every text sg-lint evaluates is sliced from the original, so the literal keeps its value.
 *
 * Replacing characters of a literal by digits never changes the structure of anything else, so the scan only needs
 * to find expression syntax well enough: comments, quoted strings and heredoc bodies are skipped, identifiers
 * (which may contain digits and dashes: `a-1e9` is one name) are read whole.
 */
import { isNumberLiteral, numberTokenEnd } from './eval/number-literal';
import { MAX_NESTING_DEPTH } from './limits';

/** What the grammar reads as one number literal. */
const GRAMMAR_NUMBER = /^[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?)?$/;
/** A cheap test for text that may hold a literal the grammar refuses (a digit, maybe a dot, then an exponent). */
const MAY_NEED_MASK = /[0-9]\.?[eE][+-]?[0-9]/;
const IDENT = /[\p{ID_Start}_][\p{ID_Continue}-]*/uy;
/**
 * Deepest nesting of strings in interpolations followed: past it the rest is left as written (such a file is refused
 * for its nesting anyway, see limits.ts), so the scan's memory stays bounded.
 */
const MAX_FRAMES = 2 * MAX_NESTING_DEPTH;
const HEREDOC_START = /<<(-?)([\p{ID_Start}_][\p{ID_Continue}-]*)[ \t]*\r?\n/uy;

type Frame =
  /** Expression syntax; `interpolation` ends at the `}` that closes its `${` / `%{` (nested braces counted). */
  | { mode: 'expr'; interpolation: boolean; depth: number }
  | { mode: 'quoted' }
  | { mode: 'heredoc'; marker: RegExp };

/** The text with every number literal Terraform accepts and the grammar refuses replaced by zeros of equal length. */
export function maskNumberLiterals(text: string): string {
  if (!MAY_NEED_MASK.test(text)) return text;
  const out: string[] = [];
  let copied = 0;
  const stack: Frame[] = [{ mode: 'expr', interpolation: false, depth: 0 }];
  let i = 0;
  const n = text.length;
  while (i < n && stack.length <= MAX_FRAMES) {
    const frame = stack[stack.length - 1];
    if (!frame) break;
    const c = text[i] as string;
    if (frame.mode === 'expr') {
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c === '"') {
        stack.push({ mode: 'quoted' });
        i++;
      } else if (c === '<' && text[i + 1] === '<') {
        HEREDOC_START.lastIndex = i;
        const m = HEREDOC_START.exec(text);
        if (m) {
          // The closing marker: alone on its line, any indentation (`<<-` strips it; `<<` bodies may indent it too).
          stack.push({ mode: 'heredoc', marker: new RegExp(`[ \\t]*${m[2]}[ \\t]*(?=\\r?\\n|$)`, 'uy') });
          i += m[0].length;
          if (atMarker(text, i, stack[stack.length - 1] as Frame)) i = popHeredoc(text, i, stack);
        } else i += 2;
      } else if (c === '{') {
        frame.depth++;
        i++;
      } else if (c === '}') {
        if (frame.depth > 0) frame.depth--;
        else if (frame.interpolation) stack.pop();
        i++;
      } else if (c >= '0' && c <= '9') {
        const end = numberTokenEnd(text, i);
        const token = text.slice(i, end);
        if (!GRAMMAR_NUMBER.test(token) && isNumberLiteral(token)) {
          out.push(text.slice(copied, i), '0'.repeat(token.length));
          copied = end;
        }
        i = end;
      } else {
        IDENT.lastIndex = i;
        const m = IDENT.exec(text);
        i += m ? m[0].length : 1;
      }
    } else if (frame.mode === 'quoted') {
      if (c === '\\') i += 2;
      else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') {
        stack.push({ mode: 'expr', interpolation: true, depth: 0 });
        i += 2;
      } else {
        // A quoted string ends at its quote; it cannot span lines (recover at the line's end, as the grammar does).
        if (c === '"' || c === '\n') stack.pop();
        i++;
      }
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      stack.push({ mode: 'expr', interpolation: true, depth: 0 });
      i += 2;
    } else {
      i++;
      if (c === '\n' && atMarker(text, i, frame)) i = popHeredoc(text, i, stack);
    }
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

function atMarker(text: string, i: number, frame: Frame): boolean {
  if (frame.mode !== 'heredoc') return false;
  frame.marker.lastIndex = i;
  return frame.marker.test(text);
}

/** Leaves a heredoc whose closing marker line starts at `i`; returns where the marker line ends. */
function popHeredoc(text: string, i: number, stack: Frame[]): number {
  const frame = stack.pop();
  if (frame?.mode !== 'heredoc') return i;
  frame.marker.lastIndex = i;
  frame.marker.exec(text);
  return frame.marker.lastIndex;
}
