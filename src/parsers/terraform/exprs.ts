/**
 * Expressions of both configuration syntaxes as the evaluator sees them: `.tf` attribute expressions and `.tf.json`
 * string templates are parsed by eval/parse.ts once, when the file is read, and evaluated on demand. A text that
 * does not parse stays in the module as an expression whose value is unknown with the parse error as its reason.
 */
import type { SourceLocation } from '../../model/types';
import { LineIndex } from '../shared/line-index';
import type { Expr, VariableDecl } from './config';
import type { Expr as Ast } from './eval/ast';
import type { EvalContext } from './eval/context';
import type { Source } from './eval/evaluate';
import { evaluate } from './eval/evaluate';
import { parseExpression, ParseError, parseTemplate } from './eval/parse';
import type { TfVal } from './values';

/** A Source over one file's text (offsets are indexes into `text`). */
export function textSource(file: string, text: string): Source {
  let lines: LineIndex | undefined;
  return {
    file,
    locate: (start, end) => (lines ??= new LineIndex(text)).location(file, start, end),
    slice: (a, b) => text.slice(a, b),
  };
}

/** An expression text read once: its tree (or where it fails to parse) and the short text messages show. */
interface Parsed {
  ast?: Ast;
  problem?: { message: string; offset: number };
  short: string;
}

/**
 * Expression texts already parsed in this process, by mode, offset and text. A tree depends on nothing else (its
 * offsets are the text's own plus `offset`), and trees are not changed after parsing, so files with the same text
 * (module libraries repeat whole files: the terraform-aws-security-group library writes 21,941 expressions of which
 * 4,668 are distinct) share one. Locations, which depend on the file, are computed per source by the evaluator. Only
 * texts up to MAX_MEMO_TEXT characters are kept, at most MAX_MEMO_CHARS in all, cleared when full. On that library a
 * tree takes about 14 bytes per character of its text (its distinct expressions hold 362,000 characters, which fit),
 * so on such code the memo holds at most about 7 MB; the densest expressions (long lists of one-digit numbers) take
 * about 50 bytes per character, 26 MB when full.
 */
const PARSED = new Map<string, Parsed>();
let parsedChars = 0;
const MAX_MEMO_TEXT = 16 * 1024;
const MAX_MEMO_CHARS = 512 * 1024;

function parse(text: string, offset: number, mode: 'expression' | 'template'): Parsed {
  const key = text.length <= MAX_MEMO_TEXT ? `${mode === 'expression' ? 'e' : 't'}${offset}:${text}` : undefined;
  const hit = key === undefined ? undefined : PARSED.get(key);
  if (hit) return hit;
  const out: Parsed = { short: '' };
  try {
    out.ast = mode === 'expression' ? parseExpression(text, offset) : parseTemplate(text, offset);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    out.problem = { message: e.message, offset: e.offset };
  }
  const shown = text.replace(/\s+/g, ' ').trim();
  out.short = shown.length > 120 ? `${shown.slice(0, 117)}...` : shown;
  if (key !== undefined) {
    if (parsedChars + text.length > MAX_MEMO_CHARS) {
      PARSED.clear();
      parsedChars = 0;
    }
    PARSED.set(key, out);
    parsedChars += text.length;
  }
  return out;
}

/**
 * An expression written at `offset` of a source: `mode` says whether `text` is expression syntax (`.tf`, and
 * `.tf.json` type constraints) or a string template (`.tf.json` strings).
 */
export function makeExpr(source: Source, text: string, offset: number, loc: SourceLocation, mode: 'expression' | 'template'): Expr {
  const { ast, problem, short } = parse(text, offset, mode);
  const base: Expr = {
    text: short,
    loc,
    evaluate: (ctx: EvalContext): TfVal => {
      if (!ast) return { kind: 'unknown', reason: `${short} cannot be read: ${problem?.message ?? 'syntax error'}`, error: true, loc: problem ? source.locate(problem.offset, problem.offset) : loc };
      return evaluate(ast, ctx, source);
    },
    evaluateAst: (e: Ast, ctx: EvalContext): TfVal => evaluate(e, ctx, source),
  };
  const out: Expr = ast ? { ...base, ast } : base;
  return ast?.t === 'variable' ? { ...out, identifier: ast.name } : out;
}

/** A `variable` block's declaration from its attributes. */
export function variableDecl(attributes: ReadonlyMap<string, Expr>, loc: SourceLocation): VariableDecl {
  const v: VariableDecl = { loc };
  for (const k of ['default', 'type', 'nullable', 'sensitive'] as const) {
    const e = attributes.get(k);
    if (e) v[k] = e;
  }
  return v;
}
