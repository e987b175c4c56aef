import { LineIndex } from './line-index';
import type { MapEntry, MapNode, ParsedTree, SeqNode, TreeNode, TreeProblem } from './tree';
import { Entry, KeyPool, Mapping, Scalar, Seq, newItems, stripBom } from './tree';

/** Deepest nesting the reader follows before giving up (real templates stay far below). */
export const MAX_JSON_DEPTH = 3000;

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * A small JSON reader that keeps the position of every value and key (`JSON.parse` keeps none). Strict JSON (RFC 8259):
 * no comments, no trailing commas. Duplicate keys are reported (the last value wins, as with `JSON.parse`) and reading
 * continues; a syntax error stops reading and leaves `root` undefined.
 */
export function readJson(input: string): ParsedTree {
  const text = stripBom(input);
  const lines = new LineIndex(text);
  const reader = new Reader(text);
  try {
    reader.skipSpace();
    const root = reader.value();
    reader.skipSpace();
    if (reader.pos < text.length) throw new JsonSyntaxError(`unexpected ${reader.describeHere()} after the JSON value`, reader.pos);
    return { root, errors: reader.problems, notices: [], lines };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { root: undefined, errors: [...reader.problems, { message: e.message, offset: e.offset }], notices: [], lines };
  }
}

/** A container being read, and the key whose value comes next (maps). */
interface Open {
  node: MapNode | SeqNode;
  empty: boolean;
  key: string;
  keyStart: number;
  keyEnd: number;
}

class Reader {
  pos = 0;
  readonly problems: TreeProblem[] = [];

  constructor(private readonly text: string) {}

  /** The keys this reader has returned (one string object per distinct key). */
  private readonly keys = new KeyPool();

  skipSpace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return `character ${JSON.stringify(this.text[this.pos])}`;
  }

  /**
   * Reads one value. Iterative (an explicit stack of open containers), so deep nesting costs heap, not call stack.
   */
  value(): TreeNode {
    const stack: Open[] = [];
    for (;;) {
      this.skipSpace();
      const top = stack[stack.length - 1];
      if (top) {
        if (top.empty && this.text.charCodeAt(this.pos) === closer(top)) {
          this.pos++;
          top.node.end = this.pos;
          stack.pop();
          const root = this.complete(stack, top.node);
          if (root) return root;
          continue;
        }
        top.empty = false;
        if (top.node.kind === 'map') {
          this.key(top);
          this.skipSpace();
        }
      }
      const c = this.text.charCodeAt(this.pos);
      if (c === 123 || c === 91) {
        if (stack.length >= MAX_JSON_DEPTH) throw new JsonSyntaxError(`nesting deeper than ${MAX_JSON_DEPTH} levels`, this.pos);
        const start = this.pos++;
        const node: MapNode | SeqNode = c === 123 ? new Mapping(new Map(), start, start) : new Seq(newItems(), start, start);
        stack.push({ node, empty: true, key: '', keyStart: 0, keyEnd: 0 });
        continue;
      }
      const root = this.complete(stack, this.scalar());
      if (root) return root;
    }
  }

  /**
   * Attaches a finished value to the open containers, closing each one whose closing bracket follows. Returns the root
   * when the outermost value is complete, undefined when a `,` says another item follows.
   */
  private complete(stack: Open[], finished: TreeNode): TreeNode | undefined {
    let value = finished;
    for (;;) {
      const parent = stack[stack.length - 1];
      if (!parent) return value;
      this.attach(parent, value);
      this.skipSpace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        return undefined;
      }
      if (c !== closer(parent)) {
        throw new JsonSyntaxError(`unexpected ${this.describeHere()}, expected ',' or '${String.fromCharCode(closer(parent))}'`, this.pos);
      }
      this.pos++;
      parent.node.end = this.pos;
      stack.pop();
      value = parent.node;
    }
  }

  /** Reads `"key" :` inside a map. */
  private key(open: Open): void {
    if (this.text.charCodeAt(this.pos) !== 34) throw new JsonSyntaxError(`unexpected ${this.describeHere()}, expected a string key`, this.pos);
    open.keyStart = this.pos;
    open.key = this.keys.intern(this.string());
    open.keyEnd = this.pos;
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== 58) throw new JsonSyntaxError(`unexpected ${this.describeHere()}, expected ':'`, this.pos);
    this.pos++;
  }

  /** Adds a finished value to its container. Duplicate keys are reported; the last value wins. */
  private attach(open: Open, value: TreeNode): void {
    if (open.node.kind === 'seq') {
      open.node.items.push(value);
      return;
    }
    const { key, keyStart, keyEnd } = open;
    const entries = open.node.entries;
    if (entries.has(key)) {
      this.problems.push({ message: `duplicate key '${key}'`, offset: keyStart, duplicateKey: true });
      entries.delete(key);
    }
    const entry: MapEntry = new Entry(key, keyStart, keyEnd, value);
    entries.set(key, entry);
  }

  private scalar(): TreeNode {
    const c = this.text.charCodeAt(this.pos);
    const start = this.pos;
    if (c === 34) return new Scalar(this.string(), start, this.pos);
    if (c === 45 || (c >= 48 && c <= 57)) return new Scalar(this.number(), start, this.pos);
    const literal = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : undefined;
    if (literal !== undefined && this.text.startsWith(literal, start)) {
      this.pos += literal.length;
      return new Scalar(c === 110 ? null : c === 116, start, this.pos);
    }
    throw new JsonSyntaxError(`unexpected ${this.describeHere()}, expected a JSON value`, this.pos);
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    let p = start + 1;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(p);
      if (Number.isNaN(c)) throw new JsonSyntaxError('unterminated string', start);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        p += 2;
        continue;
      }
      if (c < 32) throw new JsonSyntaxError('control character in string', p);
      p++;
    }
    this.pos = p + 1;
    if (!escaped) return t.slice(start + 1, p);
    try {
      return JSON.parse(t.slice(start, p + 1)) as string;
    } catch {
      throw new JsonSyntaxError('invalid escape sequence in string', start);
    }
  }

  private number(): number {
    // Fast path: an integer of at most 15 digits (exact in a double: the same value Number() gives), no fraction or
    // exponent, no leading zero. Anything else, errors included, is read by the regular expression below.
    const t = this.text;
    let p = this.pos;
    const negative = t.charCodeAt(p) === 45;
    if (negative) p++;
    const first = t.charCodeAt(p);
    if (first >= 48 && first <= 57) {
      const digits = p;
      let v = first - 48;
      p++;
      if (first !== 48) {
        for (;;) {
          const d = t.charCodeAt(p);
          if (d < 48 || d > 57 || p - digits >= 15) break;
          v = v * 10 + (d - 48);
          p++;
        }
      }
      const next = t.charCodeAt(p);
      if (!(next >= 48 && next <= 57) && next !== 46 && next !== 101 && next !== 69) {
        this.pos = p;
        return negative ? -v : v;
      }
    }
    NUMBER.lastIndex = this.pos;
    let m = NUMBER.exec(this.text);
    // A number is read from its next 400 characters at most (a longer one fails at the character after them).
    if (m && m[0].length > 400) m = NUMBER_HEAD.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw new JsonSyntaxError('invalid number', this.pos);
    this.pos += m[0].length;
    return Number(m[0]);
  }
}


function closer(open: Open): number {
  return open.node.kind === 'map' ? 125 : 93;
}

/** A JSON number at `lastIndex` (sticky: no slice of the text per number). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NUMBER_HEAD = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
