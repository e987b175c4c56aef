/**
 * CloudFormation reads YAML with a PyYAML-style scanner (SnakeYAML on the service side, PyYAML in the AWS CLI and
 * cfn-lint). That scanner does not check the indentation of the continuation lines of a quoted scalar or of a flow
 * collection (`[ ... ]`, `{ ... }`) written in block context: YAML 1.2 requires them to be indented more than the
 * enclosing mapping key, PyYAML accepts them at any column (only a document marker at column 0 ends them). Templates
 * rely on this, typically in `!Sub '{ ... }'` policy documents whose lines sit at the key's indentation.
 *
 * The `yaml` package follows the specification and rejects such text. `relaxFlowIndentation` finds the multi-line
 * quoted scalars and flow collections of a text and indents their under-indented continuation lines: the leading
 * white space of those lines is never part of the value (flow scalars fold it away, flow collections ignore it), so
 * the value stays the same, and `toOriginal` maps offsets in the new text back to the text as written.
 *
 * Plain (unquoted) multi-line scalars are left alone: PyYAML, like the specification, ends a plain scalar at a line
 * that is not more indented than its key, so CloudFormation rejects those too.
 */

/** A text with some continuation lines indented further, and the way back to offsets in the original. */
export interface RelaxedText {
  text: string;
  toOriginal(offset: number): number;
}

interface Insertion {
  /** Offset in the original text (a line start). */
  at: number;
  count: number;
  /** Offset of the insertion in the new text. */
  newAt: number;
}

/** A multi-line flow node: where it starts (its first character) and the offset just past it. */
interface Region {
  column: number;
  /** Offset of the first line break inside the node. */
  firstBreak: number;
  end: number;
}

/**
 * Returns the text with every under-indented continuation line of a multi-line quoted scalar or flow collection
 * indented to the column where that node starts, or undefined when there is nothing to change or the text cannot be
 * scanned (an unterminated quote, a document marker inside a flow node): the caller then keeps the original errors.
 */
export function relaxFlowIndentation(text: string): RelaxedText | undefined {
  const regions = findFlowRegions(text);
  if (!regions) return undefined;
  const insertions: Insertion[] = [];
  for (const r of regions) {
    let lineStart = r.firstBreak + 1;
    while (lineStart < r.end) {
      let i = lineStart;
      while (text.charCodeAt(i) === 0x20) i++;
      const c = text[i];
      const blank = c === undefined || c === '\n' || c === '\r';
      if (!blank && i - lineStart < r.column) {
        if (i === lineStart && isDocumentMarker(text, i)) return undefined;
        insertions.push({ at: lineStart, count: r.column - (i - lineStart), newAt: 0 });
      }
      const nl = text.indexOf('\n', lineStart);
      if (nl < 0) break;
      lineStart = nl + 1;
    }
  }
  if (insertions.length === 0) return undefined;
  insertions.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let last = 0;
  let shift = 0;
  for (const ins of insertions) {
    parts.push(text.slice(last, ins.at), ' '.repeat(ins.count));
    ins.newAt = ins.at + shift;
    shift += ins.count;
    last = ins.at;
  }
  parts.push(text.slice(last));
  return { text: parts.join(''), toOriginal: (offset) => toOriginal(insertions, offset) };
}

function toOriginal(insertions: readonly Insertion[], offset: number): number {
  let lo = 0;
  let hi = insertions.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((insertions[mid] as Insertion).newAt <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return offset;
  const ins = insertions[found] as Insertion;
  if (offset < ins.newAt + ins.count) return ins.at;
  return ins.at + (offset - ins.newAt - ins.count);
}

function isDocumentMarker(text: string, i: number): boolean {
  const three = text.slice(i, i + 3);
  if (three !== '---' && three !== '...') return false;
  const next = text[i + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/**
 * The multi-line quoted scalars and flow collections that start in block context, or undefined when the scan cannot
 * make sense of the text. A small block-context scanner: it follows keys, `- ` and `? ` indicators, tags, anchors,
 * comments, block scalars (whose content it skips) and plain scalars (whose continuation lines it skips), so that a
 * quote inside a plain scalar or a block scalar is never taken for the start of a quoted scalar.
 */
function findFlowRegions(text: string): Region[] | undefined {
  const regions: Region[] = [];
  const n = text.length;
  let pos = 0;
  /** While > -1: lines indented more than this belong to a block scalar or a plain scalar's continuation. */
  let skipAbove = -1;
  while (pos < n) {
    const lineStart = pos;
    let i = pos;
    while (text.charCodeAt(i) === 0x20) i++;
    const indent = i - lineStart;
    const lineEnd = endOfLine(text, lineStart);
    const c = text[i];
    const blank = i >= lineEnd || c === '#' || c === '\t';
    if (skipAbove >= 0 && (blank || indent > skipAbove)) {
      pos = nextLine(text, lineEnd);
      continue;
    }
    skipAbove = -1;
    if (blank || (indent === 0 && (isDocumentMarker(text, i) || c === '%'))) {
      pos = nextLine(text, lineEnd);
      continue;
    }
    // Walk the tokens of one line. `nodeColumn` is the column of the node whose value comes next (the key or `-`).
    let nodeColumn = indent;
    let next = lineEnd;
    for (;;) {
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (i >= lineEnd || text[i] === '#') break;
      const ch = text[i] as string;
      const col = i - lineStart;
      if ((ch === '-' || ch === '?') && isSpaceOrEnd(text[i + 1])) {
        nodeColumn = col;
        i++;
        continue;
      }
      if (ch === '!' || ch === '&' || ch === '*') {
        while (i < lineEnd && text[i] !== ' ' && text[i] !== '\t') i++;
        continue;
      }
      if (ch === '|' || ch === '>') {
        skipAbove = nodeColumn;
        break;
      }
      if (ch === "'" || ch === '"' || ch === '[' || ch === '{') {
        const end = ch === "'" || ch === '"' ? quotedEnd(text, i, ch) : flowEnd(text, i);
        if (end < 0) return undefined;
        const firstBreak = text.indexOf('\n', i);
        if (firstBreak >= 0 && firstBreak < end) {
          regions.push({ column: col, firstBreak, end });
          next = endOfLine(text, end);
          i = end;
          // The rest of the closing line: a `:` makes the node a key, anything else ends the line's tokens.
          while (text[i] === ' ' || text[i] === '\t') i++;
          if (text[i] === ':' && isSpaceOrEnd(text[i + 1])) {
            i++;
            continue;
          }
          break;
        }
        i = end;
        while (text[i] === ' ' || text[i] === '\t') i++;
        if (text[i] === ':' && isSpaceOrEnd(text[i + 1])) {
          nodeColumn = col;
          i++;
          continue;
        }
        break;
      }
      // A plain scalar: up to `: ` (a key), ` #` (a comment) or the end of the line (a value that may continue).
      let j = i;
      let isKey = false;
      while (j < lineEnd) {
        const d = text[j];
        if (d === ':' && isSpaceOrEnd(text[j + 1], lineEnd === j + 1)) {
          isKey = true;
          break;
        }
        if (d === '#' && (text[j - 1] === ' ' || text[j - 1] === '\t')) break;
        j++;
      }
      if (isKey) {
        nodeColumn = col;
        i = j + 1;
        continue;
      }
      skipAbove = nodeColumn;
      break;
    }
    pos = nextLine(text, next);
  }
  return regions;
}

function isSpaceOrEnd(c: string | undefined, atEnd = false): boolean {
  return atEnd || c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Offset of the line break ending the line that holds `offset` (or the text's length). */
function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

function nextLine(text: string, lineEnd: number): number {
  const nl = text.indexOf('\n', lineEnd);
  return nl < 0 ? text.length : nl + 1;
}

/** Offset just past the closing quote of the quoted scalar opening at `start`, or -1. */
function quotedEnd(text: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close < 0) return -1;
    if (quote === "'") {
      if (text[close + 1] === "'") {
        i = close + 2;
        continue;
      }
      return close + 1;
    }
    let backslashes = 0;
    while (text[close - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    i = close + 1;
  }
}

/** Offset just past the bracket closing the flow collection opening at `start`, or -1. */
function flowEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === "'" || c === '"') {
      // Quotes start a quoted scalar only where a node starts; inside a plain scalar (`it's`) they are text.
      const prev = previousNonBlank(text, i, start);
      if (prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '?' || prev === undefined) {
        const end = quotedEnd(text, i, c);
        if (end < 0) return -1;
        i = end;
        continue;
      }
    } else if (c === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
      continue;
    }
    i++;
  }
  return -1;
}

/**
 * The last non-blank character before `i` (line breaks count as blank), not looking before `floor`; a tag or anchor
 * written before the node (`!Sub`, `&a`) is looked through.
 */
function previousNonBlank(text: string, i: number, floor: number): string | undefined {
  let j = i - 1;
  while (j >= floor) {
    const c = text[j] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      j--;
      continue;
    }
    let k = j;
    while (k > floor && !' \t\n\r[{,'.includes(text[k - 1] as string)) k--;
    const first = text[k];
    if (first === '!' || first === '&') {
      j = k - 1;
      continue;
    }
    return c;
  }
  return undefined;
}
