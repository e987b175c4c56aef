import type { SourceLocation } from '../../model/types';

/** 1-based line and column (UTF-16 code units). */
export interface LineColumn {
  line: number;
  column: number;
}

/**
 * Maps character offsets of a text to 1-based line/column positions. Accepts LF, CRLF and lone CR line endings, so
 * line numbers stay right whatever editor wrote the file. Built once per file in one pass; look-ups are a binary search.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      // LF only (nearly every file): the native search finds the line ends many times faster than a loop over characters.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** Line and column of a character offset (offsets past the end clamp to the end). */
  position(offset: number): LineColumn {
    const i = this.lineIndex(offset, 0);
    return { line: i + 1, column: offset - (this.starts[i] ?? 0) + 1 };
  }

  /** A SourceLocation for the half-open offset range [start, end) (no intermediate position objects). */
  location(file: string, start: number, end: number): SourceLocation {
    const starts = this.starts;
    const a = this.lineIndex(start, 0);
    const to = Math.max(start, end);
    // The end is on the start's line or after it: search from there.
    const b = this.lineIndex(to, a);
    return { file, line: a + 1, column: start - (starts[a] ?? 0) + 1, endLine: b + 1, endColumn: to - (starts[b] ?? 0) + 1 };
  }

  /** Index of the last line start at or before `offset`, searching lines from `from` on (0 when before every line). */
  private lineIndex(offset: number, from: number): number {
    const starts = this.starts;
    let lo = from;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
