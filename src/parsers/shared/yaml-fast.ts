/**
 * A fast reader for the YAML that CloudFormation templates are written in, producing exactly the positioned tree the
 * reference reader (`readYaml`, built on the `yaml` package) produces: same values, same node and key offsets, same
 * long-form expansion of short-form tags. It reads a deliberately small subset of YAML in one pass over the text
 * (about 15-25x faster than the reference) and gives up, returning `undefined`, on anything outside that subset or
 * anything the reference would report: anchors, aliases, merge keys, duplicate keys, unknown or `!!` tags, tabs, CR
 * line endings, multi-line quoted or flow scalars, empty values, explicit keys, directives, more than one document,
 * bad indentation. The caller then uses the reference reader, so messages and positions of problems stay exact.
 *
 * The node ranges follow the `yaml` package's rules, which `test/parsers/yaml-differential.test.ts` checks against
 * the reference on every YAML template of the corpus and on generated and randomized documents:
 * - a block-context scalar or flow collection ends after its line's trailing spaces, comment and line break, plus any
 *   following comment lines indented deeper than the collection that holds it (blank lines in between included);
 * - a nested block collection ends where its last value ends, unless the blank and comment lines after it contain a
 *   comment at or beyond its own indentation: then it ends where the next content starts (indentation included);
 * - flow scalars end after their trailing spaces; tagged nodes start at the value, not at the tag.
 */

import { LineIndex } from './line-index';
import type { MapEntry, MapNode, ParsedTree, ScalarNode, SeqNode, TreeNode } from './tree';
import { Entry, KeyPool, Mapping, Scalar, Seq, newItems, stripBom } from './tree';
import { SHORT_FORMS } from './short-forms';

/** Deepest nesting the fast path follows before leaving the document to the reference reader. */
const MAX_DEPTH = 200;
/** The `yaml` package rejects implicit keys longer than this. */
const MAX_KEY = 1024;

const LF = 10;
const SP = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DQ = 34;
const SQ = 39;
const BANG = 33;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const COMMA = 44;
const PIPE = 124;
const GT = 62;
const BACKSLASH = 92;

/** Characters the fast path does not handle anywhere: tabs, CR, other controls, NEL, line/paragraph separators, BOM. */
const UNSUPPORTED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
/** Lines that would start or end a document. */
const DOCUMENT_MARKERS = ['---', '...'];

/** Thrown (never escapes this module) when the input leaves the supported subset. */
const BAIL: unique symbol = Symbol('bail');

/** Characters that may not start a plain scalar in the subset (YAML indicators). */
function isIndicator(c: number): boolean {
  switch (c) {
    case DASH: case 63 /* ? */: case COLON: case COMMA: case LBRACKET: case RBRACKET: case LBRACE: case RBRACE:
    case HASH: case 38 /* & */: case 42 /* * */: case BANG: case PIPE: case GT: case SQ: case DQ: case 37 /* % */:
    case 64 /* @ */: case 96 /* ` */:
      return true;
    default:
      return false;
  }
}

const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * Resolves an untagged plain scalar with the YAML 1.2 core schema, in the order the `yaml` package tries its tags.
 * Exported for tests.
 */
export function resolvePlain(raw: string): string | number | boolean | null {
  const n = raw.length;
  if (n === 0) return null;
  const c = raw.charCodeAt(0);
  // Numbers (and .inf/.nan) start with a digit, a sign or a dot; every other non-string is one of a few words.
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === 46) return resolveNumeric(raw);
  if (n === 1) return c === 126 ? null : raw;
  if (n === 4) {
    if (raw === 'null' || raw === 'Null' || raw === 'NULL') return null;
    if (raw === 'true' || raw === 'True' || raw === 'TRUE') return true;
  } else if (n === 5 && (raw === 'false' || raw === 'False' || raw === 'FALSE')) return false;
  return raw;
}

/** `resolvePlain` for a text starting with a digit, `+`, `-` or `.` (never null or a boolean). */
function resolveNumeric(raw: string): string | number {
  // Plain decimal integers (the common case: ports) without a regular expression: the same parse as INT_RE below.
  let i = raw.charCodeAt(0) === DASH || raw.charCodeAt(0) === 43 ? 1 : 0;
  if (i < raw.length) {
    for (; i < raw.length; i++) {
      const d = raw.charCodeAt(i);
      if (d < 48 || d > 57) break;
    }
    if (i === raw.length) return parseInt(raw, 10);
  }
  if (OCT_RE.test(raw)) return parseInt(raw.substring(2), 8);
  if (INT_RE.test(raw)) return parseInt(raw, 10);
  if (HEX_RE.test(raw)) return parseInt(raw.substring(2), 16);
  if (NAN_RE.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? -Infinity : Infinity;
  if (EXP_RE.test(raw) || FLOAT_RE.test(raw)) return parseFloat(raw);
  return raw;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/',
  '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/**
 * Reads a CloudFormation YAML template quickly. Returns the same tree as the reference reader, or `undefined` when
 * the text is outside the supported subset or has any problem (then use the reference reader). Never throws.
 */
export function readYamlFast(input: string): ParsedTree | undefined {
  const text = stripBom(input);
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    const root = new FastReader(text).document();
    return { root, errors: [], notices: [], lines: new LineIndex(text) };
  } catch (e) {
    if (e === BAIL) return undefined;
    if (e instanceof RangeError) return undefined; // stack exhaustion on absurd nesting: let the reference decide
    throw e;
  }
}

class FastReader {
  private pos = 0;
  private depth = 0;
  private readonly n: number;
  // Results of skipTrivia (kept in fields to avoid an allocation per line).
  private nextContent = 0;
  /** Raw end of the node parsed last (the `yaml` package's `range[2]`: trailing spaces, comments, breaks included). */
  private raw = 0;
  private nextColumn = 0;
  private maxCommentColumn = -1;

  constructor(private readonly s: string) {
    this.n = s.length;
  }

  /** The keys this reader has returned (one string object per distinct key). */
  private readonly keys = new KeyPool();

  document(): TreeNode {
    const s = this.s;
    this.skipTrivia(0);
    let p = this.nextContent;
    if (p < this.n && this.nextColumn === 0 && s.startsWith('---', p) && this.isBlankOrCommentRest(p + 3)) {
      this.skipTrivia(this.lineAfter(p + 3));
      p = this.nextContent;
    }
    // Any other document marker (a second document, `...`) is for the reference reader.
    if (this.documentMarkerFrom(p)) throw BAIL;
    if (p >= this.n) throw BAIL;
    this.pos = p;
    const root = this.blockMap(this.nextColumn);
    this.skipTrivia(this.pos);
    if (this.nextContent < this.n) throw BAIL;
    return root;
  }

  // ---------------------------------------------------------------------------------------------------- lines

  /**
   * True when `---` or `...` followed by a space, a line break or the end starts the text at `p` or any line after
   * it (a document marker). Native substring searches, no regular expression over a slice of the whole text.
   */
  private documentMarkerFrom(p: number): boolean {
    const s = this.s;
    for (const marker of DOCUMENT_MARKERS) {
      if (s.startsWith(marker, p) && this.isSeparator(p + 3)) return true;
      for (let i = s.indexOf(`\n${marker}`, p); i >= 0; i = s.indexOf(`\n${marker}`, i + 1)) {
        if (this.isSeparator(i + 4)) return true;
      }
    }
    return false;
  }

  /** Offset just past the line break at or after `p` (or the end of the text). */
  private lineAfter(p: number): number {
    const e = this.s.indexOf('\n', p);
    return e < 0 ? this.n : e + 1;
  }

  /** True when only spaces and an optional comment follow `p` on its line. */
  private isBlankOrCommentRest(p: number): boolean {
    const s = this.s;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    return p >= this.n || c === LF || c === HASH;
  }

  /**
   * From a line start (or a content position reached by an earlier call), skips blank and comment lines. Sets
   * `nextContent` (first character of the next content line, or the text length), its column, and the largest column
   * of a comment passed (-1 if none).
   */
  private skipTrivia(p: number): void {
    const s = this.s;
    const n = this.n;
    let max = -1;
    let q = p;
    while (q < n) {
      let c = q;
      while (s.charCodeAt(c) === SP) c++;
      if (c >= n) {
        q = n;
        break;
      }
      const ch = s.charCodeAt(c);
      if (ch === LF) {
        q = c + 1;
        continue;
      }
      // From a line start the column is the run of spaces just skipped; mid-line, count back to the line start.
      const col = q !== p || q === 0 || s.charCodeAt(q - 1) === LF ? c - q : this.column(c);
      if (ch === HASH) {
        if (col > max) max = col;
        q = this.lineAfter(c);
        continue;
      }
      this.nextContent = c;
      this.nextColumn = col;
      this.maxCommentColumn = max;
      return;
    }
    this.nextContent = n;
    this.nextColumn = 0;
    this.maxCommentColumn = max;
  }

  /** Column (0-based) of a character preceded on its line by spaces only. */
  private column(c: number): number {
    let b = c;
    while (b > 0 && this.s.charCodeAt(b - 1) === SP) b--;
    return c - b;
  }

  /**
   * After a block-context scalar or flow collection whose line ends at `p`, includes following comment lines indented
   * deeper than `collIndent` (with blank lines between) in the node, as the `yaml` package does. Returns the new end.
   */
  private extendEnd(p: number, collIndent: number): number {
    const s = this.s;
    let end = p;
    let q = p;
    while (q < this.n) {
      let c = q;
      while (s.charCodeAt(c) === SP) c++;
      if (c >= this.n) break;
      const ch = s.charCodeAt(c);
      if (ch === LF) {
        q = c + 1;
        continue;
      }
      if (ch === HASH && c - q > collIndent) {
        end = q = this.lineAfter(c);
        continue;
      }
      break;
    }
    return end;
  }

  /** After a value on a line: spaces, an optional comment, the line break. Returns the offset after the break. */
  private endOfLine(p: number): number {
    const s = this.s;
    while (s.charCodeAt(p) === SP) p++;
    if (p >= this.n) return this.n;
    const c = s.charCodeAt(p);
    if (c === LF) return p + 1;
    if (c === HASH && s.charCodeAt(p - 1) === SP) return this.lineAfter(p);
    throw BAIL;
  }

  // ---------------------------------------------------------------------------------------------------- block

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw BAIL;
  }

  /** A block mapping whose first key is at `this.pos`, at column `indent`. */
  private blockMap(indent: number): MapNode {
    this.enter();
    const entries = new Map<string, MapEntry>();
    const node: MapNode = new Mapping(entries, this.pos, this.pos);
    for (;;) {
      const keyStart = this.pos;
      const key = this.key();
      const keyEnd = this.keyEnd;
      if (key === '<<' || entries.has(key)) throw BAIL;
      const value = this.mapValue(indent);
      entries.set(key, new Entry(key, keyStart, keyEnd, value));
      if (this.closeOrContinue(indent, node, this.raw, false)) break;
    }
    this.depth--;
    return node;
  }

  /** A block sequence whose first `-` is at `this.pos`, at column `indent`. */
  private blockSeq(indent: number): SeqNode {
    this.enter();
    const items = newItems();
    const node: SeqNode = new Seq(items, this.pos, this.pos);
    for (;;) {
      items.push(this.seqItem(indent));
      if (this.closeOrContinue(indent, node, this.raw, true)) break;
    }
    this.depth--;
    return node;
  }

  /**
   * After an item of a block collection at `indent` (`lastEnd`: the item's raw end): either moves to the next item
   * (false) or closes the collection (true), deciding whether the trailing blank and comment lines belong to its raw
   * range, as the `yaml` package does; its reported end is trimmed like every other node's.
   */
  private closeOrContinue(indent: number, node: MapNode | SeqNode, lastEnd: number, seq: boolean): boolean {
    this.skipTrivia(this.pos);
    const c = this.nextContent;
    if (c < this.n && this.nextColumn === indent) {
      const isItem = this.s.charCodeAt(c) === DASH && this.isSeparator(c + 1);
      if (isItem === seq) {
        this.pos = c;
        return false;
      }
      // Otherwise only an indentless sequence may end here, at its parent's next key.
      if (!seq) throw BAIL;
    } else if (c < this.n && this.nextColumn > indent) throw BAIL;
    if (indent !== 0 && this.maxCommentColumn >= indent) {
      this.raw = c;
      this.pos = c;
    } else {
      this.raw = lastEnd;
    }
    node.end = this.raw;
    return true;
  }

  /** True for a space, a line break or the end of the text at `p`. */
  private isSeparator(p: number): boolean {
    const c = this.s.charCodeAt(p);
    return p >= this.n || c === SP || c === LF;
  }

  private keyEnd = 0;

  /** A single-line implicit key at `this.pos`, up to and including its `:`. Sets `keyEnd`; returns the key text. */
  private key(): string {
    const s = this.s;
    const start = this.pos;
    const c = s.charCodeAt(start);
    let key: string;
    let p: number;
    if (c === DQ || c === SQ) {
      key = this.quoted(start);
      p = this.quotedEnd;
      this.keyEnd = p;
      while (s.charCodeAt(p) === SP) p++;
      if (s.charCodeAt(p) !== COLON || !this.isSeparator(p + 1)) throw BAIL;
    } else {
      if (isIndicator(c)) throw BAIL;
      p = start;
      for (;;) {
        const ch = s.charCodeAt(p);
        if (p >= this.n || ch === LF) throw BAIL;
        if (ch === COLON && this.isSeparator(p + 1)) break;
        if (ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) throw BAIL;
        if (ch === HASH && s.charCodeAt(p - 1) === SP) throw BAIL;
        p++;
      }
      let e = p;
      while (s.charCodeAt(e - 1) === SP) e--;
      this.keyEnd = e;
      key = String(resolvePlain(s.slice(start, e)));
    }
    if (p - start > MAX_KEY) throw BAIL;
    this.pos = p + 1;
    return this.keys.intern(key);
  }

  /** The value after `key:` in a map at `indent`. */
  private mapValue(indent: number): TreeNode {
    const s = this.s;
    let p = this.pos;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (p >= this.n || c === LF || c === HASH) {
      if (c === HASH && s.charCodeAt(p - 1) !== SP) throw BAIL;
      return this.nestedBlock(this.lineAfter(p), indent, true);
    }
    this.pos = p;
    if (c === BANG) return this.tagged(indent, true);
    return this.inlineValue(indent, false);
  }

  /** A block collection on the lines after `p`, nested in a collection at `indent` (or empty: not supported). */
  private nestedBlock(p: number, indent: number, inMap: boolean): TreeNode {
    this.skipTrivia(p);
    const c = this.nextContent;
    if (c >= this.n) throw BAIL;
    const col = this.nextColumn;
    const isItem = this.s.charCodeAt(c) === DASH && this.isSeparator(c + 1);
    this.pos = c;
    if (col > indent) return isItem ? this.blockSeq(col) : this.blockMap(col);
    if (inMap && col === indent && isItem) return this.blockSeq(col);
    throw BAIL;
  }

  /** An item of a block sequence at `indent`; `this.pos` is at its `-`. */
  private seqItem(indent: number): TreeNode {
    const s = this.s;
    let p = this.pos + 1;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (p >= this.n || c === LF) return this.nestedBlock(this.lineAfter(p), indent, false);
    if (c === HASH) throw BAIL;
    this.pos = p;
    if (c === BANG) return this.tagged(indent, false);
    if (c === DASH && this.isSeparator(p + 1)) return this.blockSeq(p - this.lineStart(p));
    if (this.startsKey(p)) return this.blockMap(p - this.lineStart(p));
    return this.inlineValue(indent, false);
  }

  private lineStart(p: number): number {
    return this.s.lastIndexOf('\n', p - 1) + 1;
  }

  /** True when the line at `p` is `key: ...` (a compact mapping in a sequence item). */
  private startsKey(p: number): boolean {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === DQ || c === SQ) {
      this.quoted(p);
      let q = this.quotedEnd;
      while (s.charCodeAt(q) === SP) q++;
      return s.charCodeAt(q) === COLON && this.isSeparator(q + 1);
    }
    if (c === LBRACKET || c === LBRACE || c === PIPE || c === GT) return false;
    for (let q = p; q < this.n; q++) {
      const ch = s.charCodeAt(q);
      if (ch === LF) return false;
      if (ch === COLON && this.isSeparator(q + 1)) return true;
      if (ch === HASH && s.charCodeAt(q - 1) === SP) return false;
    }
    return false;
  }

  /** A node with a short-form tag at `this.pos`, held by a collection at `indent`. */
  private tagged(indent: number, inMap: boolean): TreeNode {
    const s = this.s;
    const start = this.pos;
    let p = start + 1;
    while (p < this.n) {
      const ch = s.charCodeAt(p);
      if (ch === SP || ch === LF) break;
      p++;
    }
    const long = SHORT_FORMS.get(s.slice(start, p));
    if (long === undefined) throw BAIL;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    let node: TreeNode;
    if (p >= this.n || c === LF) node = this.taggedBlock(p, indent, inMap);
    else if (c === HASH || c === BANG) throw BAIL;
    else {
      this.pos = p;
      node = this.inlineValue(indent, true);
    }
    if (long === 'Fn::GetAtt' && node.kind === 'scalar') node = splitGetAtt(node);
    return wrap(long, node);
  }

  /** What follows a tag at the end of a line (at `p`): a block collection, or nothing (an empty string). */
  private taggedBlock(p: number, indent: number, inMap: boolean): TreeNode {
    const next = this.lineAfter(p);
    this.skipTrivia(next);
    const c = this.nextContent;
    const col = this.nextColumn;
    const isItem = this.s.charCodeAt(c) === DASH && this.isSeparator(c + 1);
    if (c < this.n && (col > indent || (inMap && col === indent && isItem))) return this.nestedBlock(next, indent, inMap);
    // An empty value: comments after it would sit in the pair's separator, which the subset does not model.
    if (this.maxCommentColumn >= 0) throw BAIL;
    this.pos = this.raw = p;
    return new Scalar('', p, p);
  }

  /** True when `c` may start a plain scalar at `p` (indicators `-`, `?`, `:` only before a non-space). */
  private plainStart(c: number, p: number, flow: boolean): boolean {
    if (!isIndicator(c)) return true;
    if (c !== DASH && c !== 63 && c !== COLON) return false;
    const next = this.s.charCodeAt(p + 1);
    if (this.isSeparator(p + 1)) return false;
    return !flow || (next !== COMMA && next !== LBRACKET && next !== RBRACKET && next !== LBRACE && next !== RBRACE);
  }

  /** A value that starts on the current line: block scalar, quoted, flow or plain scalar. */
  private inlineValue(collIndent: number, tagged: boolean): TreeNode {
    const s = this.s;
    const p = this.pos;
    const c = s.charCodeAt(p);
    if (c === PIPE || c === GT) return this.blockScalar(collIndent);
    if (c === DQ || c === SQ) {
      const value = this.quoted(p);
      this.pos = this.raw = this.extendEnd(this.endOfLine(this.quotedEnd), collIndent);
      return new Scalar(value, p, this.raw);
    }
    if (c === LBRACKET || c === LBRACE) {
      const node = this.flowCollection();
      node.end = this.pos = this.raw = this.extendEnd(this.endOfLine(this.pos), collIndent);
      return node;
    }
    if (!this.plainStart(c, p, false)) throw BAIL;
    return this.plain(collIndent, tagged);
  }

  /** One line of a block plain scalar from `p`: sets `lineValueEnd` and `lineComment`; returns the line's end. */
  private plainLine(p: number): number {
    const s = this.s;
    let q = p;
    let last = p;
    this.lineComment = false;
    while (q < this.n) {
      const ch = s.charCodeAt(q);
      if (ch === LF) break;
      if (ch === COLON && this.isSeparator(q + 1)) throw BAIL;
      if (ch === HASH && s.charCodeAt(q - 1) === SP) {
        this.lineComment = true;
        break;
      }
      if (ch !== SP) last = q + 1;
      q++;
    }
    this.lineValueEnd = last;
    return this.lineComment ? this.lineAfter(q) : q >= this.n ? this.n : q + 1;
  }

  private lineValueEnd = 0;
  private lineComment = false;

  /** A plain scalar in block context, possibly folded over more-indented lines. */
  private plain(collIndent: number, tagged: boolean): ScalarNode {
    const s = this.s;
    const start = this.pos;
    let lineEnd = this.plainLine(start);
    let raw = s.slice(start, this.lineValueEnd);
    let q = lineEnd;
    let blanks = 0;
    while (!this.lineComment && q < this.n) {
      let c = q;
      while (s.charCodeAt(c) === SP) c++;
      if (c >= this.n) break;
      const ch = s.charCodeAt(c);
      if (ch === LF) {
        blanks++;
        q = c + 1;
        continue;
      }
      if (c - q <= collIndent || ch === HASH) break;
      if (isIndicator(ch)) throw BAIL;
      lineEnd = this.plainLine(c);
      raw += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + s.slice(c, this.lineValueEnd);
      blanks = 0;
      q = lineEnd;
    }
    this.pos = this.raw = this.extendEnd(lineEnd, collIndent);
    return new Scalar(tagged ? raw : resolvePlain(raw), start, this.raw);
  }

  /** A literal (`|`) or folded (`>`) block scalar, clip or strip chomping, indentation detected. */
  private blockScalar(collIndent: number): ScalarNode {
    const s = this.s;
    const start = this.pos;
    const folded = s.charCodeAt(start) === GT;
    let p = start + 1;
    const strip = s.charCodeAt(p) === DASH;
    if (strip) p++;
    const c = s.charCodeAt(p);
    if (c !== SP && c !== LF) throw BAIL; // keep chomping, explicit indentation, anything else
    while (s.charCodeAt(p) === SP) p++;
    if (s.charCodeAt(p) === HASH) {
      if (s.charCodeAt(p - 1) !== SP) throw BAIL;
      p = this.lineAfter(p);
    } else if (s.charCodeAt(p) === LF) p++;
    else throw BAIL;
    if (p >= this.n) throw BAIL;
    // Content indentation: the first line, which must not be blank.
    let q = p;
    while (s.charCodeAt(q) === SP) q++;
    if (q >= this.n || s.charCodeAt(q) === LF) throw BAIL;
    const indent = q - p;
    if (indent <= collIndent) throw BAIL;
    const lines: string[] = [];
    const gaps: number[] = [];
    let blanks = 0;
    let end = p;
    let line = p;
    while (line < this.n) {
      let c2 = line;
      while (s.charCodeAt(c2) === SP) c2++;
      if (c2 >= this.n) break;
      if (s.charCodeAt(c2) === LF) {
        if (c2 - line > indent) throw BAIL;
        blanks++;
        line = c2 + 1;
        continue;
      }
      if (c2 - line < indent) break;
      if (folded && c2 - line > indent) throw BAIL; // more-indented lines keep their breaks: not in the subset
      const e = s.indexOf('\n', c2);
      const lineEnd = e < 0 ? this.n : e;
      lines.push(s.slice(line + indent, lineEnd));
      gaps.push(blanks);
      blanks = 0;
      end = line = e < 0 ? this.n : e + 1;
    }
    let value = '';
    for (let i = 0; i < lines.length; i++) {
      const gap = gaps[i] ?? 0;
      if (i > 0) value += folded ? (gap > 0 ? '\n'.repeat(gap) : ' ') : '\n'.repeat(gap + 1);
      value += lines[i];
    }
    if (!strip) value += '\n';
    this.pos = this.raw = end;
    return new Scalar(value, start, end);
  }

  // ---------------------------------------------------------------------------------------------------- quoted

  private quotedEnd = 0;

  /** A single-line quoted scalar starting at `p`; sets `quotedEnd` (after the closing quote); returns its value. */
  private quoted(p: number): string {
    const s = this.s;
    const q = s.charCodeAt(p);
    let out = '';
    let from = p + 1;
    let i = from;
    for (;;) {
      if (i >= this.n) throw BAIL;
      const ch = s.charCodeAt(i);
      if (ch === LF) throw BAIL; // multi-line quoted scalars fold: left to the reference reader
      if (ch === q) {
        if (q === SQ && s.charCodeAt(i + 1) === SQ) {
          out += s.slice(from, i + 1);
          i += 2;
          from = i;
          continue;
        }
        break;
      }
      if (q === DQ && ch === BACKSLASH) {
        out += s.slice(from, i);
        const esc = s[i + 1] ?? '';
        const simple = Object.hasOwn(ESCAPES, esc) ? ESCAPES[esc] : undefined;
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (esc === 'x' || esc === 'u' || esc === 'U') {
          const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
          const hex = s.slice(i + 2, i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw BAIL;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw BAIL;
          out += String.fromCodePoint(code);
          i += 2 + len;
        } else throw BAIL;
        from = i;
        continue;
      }
      i++;
    }
    this.quotedEnd = i + 1;
    return out + s.slice(from, i);
  }

  // ---------------------------------------------------------------------------------------------------- flow

  private skipFlowSpaces(p: number): number {
    const s = this.s;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (p >= this.n || c === LF || c === HASH) throw BAIL; // multi-line flow and comments inside: reference reader
    return p;
  }

  /** A single-line flow sequence or mapping at `this.pos`; leaves `this.pos` after its closing bracket. */
  private flowCollection(): SeqNode | MapNode {
    this.enter();
    const s = this.s;
    const start = this.pos;
    const isMap = s.charCodeAt(start) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    let p = this.skipFlowSpaces(start + 1);
    const items = newItems();
    const entries = new Map<string, MapEntry>();
    if (s.charCodeAt(p) !== close) {
      for (;;) {
        this.pos = p;
        if (isMap) {
          const keyStart = p;
          const key = this.flowKey();
          const keyEnd = this.keyEnd;
          if (key === '<<' || entries.has(key)) throw BAIL;
          this.pos = this.skipFlowSpaces(this.pos);
          entries.set(key, new Entry(key, keyStart, keyEnd, this.flowNode(true)));
        } else {
          items.push(this.flowNode(false));
        }
        p = this.pos;
        const c = s.charCodeAt(p);
        if (c === close) break;
        if (c !== COMMA) throw BAIL;
        p = this.skipFlowSpaces(p + 1);
        if (s.charCodeAt(p) === close || s.charCodeAt(p) === COMMA) throw BAIL;
      }
    }
    this.pos = p + 1;
    this.depth--;
    const end = this.pos;
    return isMap ? new Mapping(entries, start, end) : new Seq(items, start, end);
  }

  /** A key in a flow mapping, through its `:`. Sets `keyEnd`. */
  private flowKey(): string {
    const s = this.s;
    const start = this.pos;
    const c = s.charCodeAt(start);
    let key: string;
    let p: number;
    if (c === DQ || c === SQ) {
      key = this.quoted(start);
      this.keyEnd = this.quotedEnd;
      p = this.skipFlowSpaces(this.quotedEnd);
      if (s.charCodeAt(p) !== COLON) throw BAIL;
    } else {
      if (isIndicator(c)) throw BAIL;
      p = start;
      for (;;) {
        const ch = s.charCodeAt(p);
        if (p >= this.n || ch === LF || ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) throw BAIL;
        if (ch === HASH && s.charCodeAt(p - 1) === SP) throw BAIL;
        if (ch === COLON && this.isSeparator(p + 1)) break;
        p++;
      }
      let e = p;
      while (s.charCodeAt(e - 1) === SP) e--;
      this.keyEnd = e;
      key = String(resolvePlain(s.slice(start, e)));
    }
    this.pos = p + 1;
    return this.keys.intern(key);
  }

  /** A node inside a flow collection; leaves `this.pos` at the following `,` or closing bracket. */
  private flowNode(inMap: boolean): TreeNode {
    const s = this.s;
    const p = this.skipFlowSpaces(this.pos);
    const c = s.charCodeAt(p);
    this.pos = p;
    if (c === BANG) {
      let q = p + 1;
      while (q < this.n && s.charCodeAt(q) !== SP && s.charCodeAt(q) !== LF) q++;
      const long = SHORT_FORMS.get(s.slice(p, q));
      if (long === undefined) throw BAIL;
      this.pos = this.skipFlowSpaces(q);
      const cc = s.charCodeAt(this.pos);
      if (cc === BANG || cc === COMMA || cc === RBRACKET || cc === RBRACE) throw BAIL;
      let node = this.flowNodeUntagged(inMap, true);
      if (long === 'Fn::GetAtt' && node.kind === 'scalar') node = splitGetAtt(node);
      return wrap(long, node);
    }
    return this.flowNodeUntagged(inMap, false);
  }

  private flowNodeUntagged(inMap: boolean, tagged: boolean): TreeNode {
    const s = this.s;
    const p = this.pos;
    const c = s.charCodeAt(p);
    if (c === LBRACKET || c === LBRACE) {
      const node = this.flowCollection();
      node.end = this.pos = this.afterFlowItem(this.pos);
      return node;
    }
    if (c === DQ || c === SQ) {
      const value = this.quoted(p);
      this.pos = this.afterFlowItem(this.quotedEnd);
      return new Scalar(value, p, this.pos);
    }
    if (!this.plainStart(c, p, true)) throw BAIL;
    let q = p;
    let last = p;
    for (;;) {
      const ch = s.charCodeAt(q);
      if (q >= this.n || ch === LF) throw BAIL;
      if (ch === COMMA || ch === RBRACKET || ch === RBRACE) break;
      if (ch === LBRACKET || ch === LBRACE) throw BAIL;
      if (ch === HASH && s.charCodeAt(q - 1) === SP) throw BAIL;
      if (ch === COLON) {
        const next = s.charCodeAt(q + 1);
        if (next === SP || next === COMMA || next === RBRACKET || next === RBRACE || next === LF) throw BAIL;
      }
      if (ch !== SP) last = q + 1;
      q++;
    }
    void inMap;
    const raw = s.slice(p, last);
    this.pos = q;
    return new Scalar(tagged ? raw : resolvePlain(raw), p, q);
  }

  /** After a flow item: trailing spaces belong to it; the next character must be `,` or a closing bracket. */
  private afterFlowItem(p: number): number {
    const q = this.skipFlowSpaces(p);
    const c = this.s.charCodeAt(q);
    if (c !== COMMA && c !== RBRACKET && c !== RBRACE) throw BAIL;
    return q;
  }
}


/** The long form `{ key: value }` of a short-form tag, at the value's position (as the reference builds it). */
function wrap(key: string, value: TreeNode): MapNode {
  const entries = new Map<string, MapEntry>();
  entries.set(key, new Entry(key, value.start, value.start, value));
  return new Mapping(entries, value.start, value.end);
}

/** `!GetAtt Res.Attr.Sub` means ["Res", "Attr.Sub"]: split on the first dot. */
function splitGetAtt(node: ScalarNode): SeqNode {
  const s = String(node.value ?? '');
  const dot = s.indexOf('.');
  const items = newItems();
  if (dot < 0) items.push(new Scalar(s, node.start, node.end));
  else items.push(new Scalar(s.slice(0, dot), node.start, node.end), new Scalar(s.slice(dot + 1), node.start, node.end));
  return new Seq(items, node.start, node.end);
}
