/**
 * A cheap nesting-depth estimate for YAML text, run before the `yaml` package parses it: that package composes nodes
 * recursively and runs out of call stack at roughly 900-1100 levels, after seconds of work. The estimate counts block
 * levels (indentation, compact `- - x` items, `key:` entries) plus open flow collections (`[`, `{`), skipping quoted
 * scalars, comments and block scalars (`|`, `>`), so brackets inside strings and scripts do not count. It is meant to
 * over-count rather than under-count; real templates stay below 50 levels.
 */

/** Where the nesting first went past the limit, as a character offset, or undefined when it stays within. */
export function findDeepYamlNesting(text: string, limit: number): number | undefined {
  return new DepthScanner(text, limit).scan();
}

const SPACE = 32;
const TAB = 9;

class DepthScanner {
  /** The open block levels: column, and whether a `-`/`?` indicator opened it (else a `key:`). */
  private readonly blocks: { col: number; dash: boolean }[] = [];
  private flow = 0;
  /** The closing quote of a quoted scalar that continues on the next line, or ''. */
  private quote = '';
  /** Indentation of the line that opened a block scalar still being read, or -1. */
  private blockScalarParent = -1;

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  scan(): number | undefined {
    const t = this.text;
    let start = 0;
    while (start < t.length) {
      let end = t.indexOf('\n', start);
      if (end < 0) end = t.length;
      const deep = this.line(start, end);
      if (deep !== undefined) return deep;
      start = end + 1;
    }
    return undefined;
  }

  private line(start: number, end: number): number | undefined {
    const t = this.text;
    let i = start;
    while (i < end && (t.charCodeAt(i) === SPACE || t.charCodeAt(i) === TAB)) i++;
    const blank = i >= end || t[i] === '\r' || t[i] === '#';
    if (this.blockScalarParent >= 0) {
      if (blank || i - start > this.blockScalarParent) return undefined;
      this.blockScalarParent = -1;
    }
    if (this.quote) return this.flowPart(this.skipQuoted(i, end, this.quote), end, start);
    if (blank) return undefined;
    if (this.flow > 0) return this.flowPart(i, end, start);
    return this.blockPart(i - start, i, end, start);
  }

  /** A line in block context: pops finished levels, pushes the levels the line opens, then reads its value. */
  private blockPart(indent: number, from: number, end: number, lineStart: number): number | undefined {
    const t = this.text;
    const dashLine = isIndicator(t, from, end);
    for (;;) {
      const top = this.blocks[this.blocks.length - 1];
      // A sequence may sit at the same column as the key that holds it.
      if (!top || top.col < indent || (top.col === indent && !top.dash && dashLine)) break;
      this.blocks.pop();
    }
    let i = from;
    // Compact collections: "- - x", "? x", "- key: value".
    while (isIndicator(t, i, end)) {
      this.blocks.push({ col: i - lineStart, dash: true });
      if (this.blocks.length > this.limit) return i;
      i += 1;
      while (t[i] === ' ') i++;
    }
    const valueStart = this.afterKey(i, end);
    if (valueStart !== i) {
      this.blocks.push({ col: i - lineStart, dash: false });
      if (this.blocks.length > this.limit) return i;
    }
    return this.value(this.skipProperties(valueStart, end), end, lineStart);
  }

  /** After `key:` (plain or quoted key) on this line, the offset of the value; else `i`. */
  private afterKey(i: number, end: number): number {
    const t = this.text;
    let j = i;
    if (t[j] === '"' || t[j] === "'") {
      j = this.closingQuote(j + 1, end, t[j] as string);
      if (j < 0) return i;
      j++;
      while (t[j] === ' ') j++;
      return t[j] === ':' ? j + 1 : i;
    }
    for (; j < end; j++) {
      const c = t[j];
      if (c === ':' && (j + 1 >= end || t[j + 1] === ' ' || t[j + 1] === '\r')) return j + 1;
      if (c === '#' && t[j - 1] === ' ') return i;
      if (j === i && (c === '[' || c === '{')) return i;
    }
    return i;
  }

  /** Skips blanks, `!tags` and `&anchors` before a value. */
  private skipProperties(from: number, end: number): number {
    const t = this.text;
    let i = from;
    for (;;) {
      while (t[i] === ' ' || t[i] === '\t') i++;
      if (i < end && (t[i] === '!' || t[i] === '&')) {
        while (i < end && t[i] !== ' ' && t[i] !== '\t') i++;
        continue;
      }
      return i;
    }
  }

  /** The value part of a block line: a flow collection, a quoted scalar, a block scalar indicator, or plain text. */
  private value(i: number, end: number, lineStart: number): number | undefined {
    const t = this.text;
    const c = t[i];
    if (c === '[' || c === '{') return this.flowPart(i, end, lineStart);
    if (c === '"' || c === "'") {
      const close = this.closingQuote(i + 1, end, c);
      if (close < 0) this.quote = c;
      return undefined;
    }
    if ((c === '|' || c === '>') && /^[|>][0-9+-]*[ \t]*(#.*)?\r?$/.test(t.slice(i, end))) {
      this.blockScalarParent = this.blocks[this.blocks.length - 1]?.col ?? this.indentOf(lineStart);
    }
    return undefined;
  }

  /** Counts flow brackets from `i` to the end of the line, skipping quoted scalars and comments. */
  private flowPart(i: number, end: number, lineStart: number): number | undefined {
    const t = this.text;
    for (let p = i; p < end; p++) {
      const c = t[p];
      if (c === '[' || c === '{') {
        this.flow++;
        if (this.blocks.length + this.flow > this.limit) return p;
      } else if (c === ']' || c === '}') {
        if (this.flow > 0) this.flow--;
      } else if ((c === '"' || c === "'") && this.flow > 0 && startsToken(t, p, lineStart)) {
        p = this.skipQuoted(p + 1, end, c);
        if (this.quote) return undefined;
        p--;
      } else if (c === '#' && (p === lineStart || t[p - 1] === ' ' || t[p - 1] === '\t')) return undefined;
    }
    return undefined;
  }

  /** Offset after the closing quote; at the line end (with `quote` set) when the scalar continues. */
  private skipQuoted(from: number, end: number, q: string): number {
    const close = this.closingQuote(from, end, q);
    if (close < 0) {
      this.quote = q;
      return end;
    }
    this.quote = '';
    return close + 1;
  }

  /** Offset of the closing quote on this line, or -1. */
  private closingQuote(from: number, end: number, q: string): number {
    const t = this.text;
    for (let p = from; p < end; p++) {
      const c = t[p];
      if (q === '"' && c === '\\') p++;
      else if (c === q) {
        if (q === "'" && t[p + 1] === "'") p++;
        else return p;
      }
    }
    return -1;
  }

  private indentOf(lineStart: number): number {
    let i = lineStart;
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i - lineStart;
  }
}

/** A block `-` or `?` indicator (followed by a blank or the line end) at `i`. */
function isIndicator(t: string, i: number, end: number): boolean {
  return (t[i] === '-' || t[i] === '?') && (i + 1 >= end || t[i + 1] === ' ' || t[i + 1] === '\r');
}

/** A quote starts a scalar only at the start of a token (after a blank, a bracket, a comma or a colon). */
function startsToken(t: string, p: number, lineStart: number): boolean {
  if (p === lineStart) return true;
  const prev = t[p - 1];
  return prev === ' ' || prev === '\t' || prev === '[' || prev === '{' || prev === ',' || prev === ':';
}
