/**
 * A parser of Terraform's expression language (HCL native syntax expressions and templates), written from the HCL
 * specification. `.tf` files hand it the text of each attribute's expression (tree-sitter finds the block
 * structure); `.tf.json` files hand it their strings as templates. Recursive descent with operator precedence;
 * nesting is bounded so any input ends with a tree or a located ParseError.
 */
import type { Expr, StripMarks, TemplatePart } from './ast';
import { isNumberLiteral, numberTokenEnd } from './number-literal';

/** A syntax error at an offset of the parsed text (plus the base offset). */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deepest nesting of expressions the parser accepts. */
export const MAX_PARSE_DEPTH = 500;

/** Parses one expression; the whole text must be the expression (comments and whitespace aside). */
export function parseExpression(text: string, base = 0): Expr {
  const p = new Parser(text, base);
  p.ws();
  const e = p.expression();
  p.ws();
  if (p.pos < text.length) p.fail(`unexpected ${JSON.stringify(text.slice(p.pos, p.pos + 20))}`);
  return e;
}

/** Parses a whole text as a template (the content of a `.tf.json` string, or of a template file). */
export function parseTemplate(text: string, base = 0): Expr {
  const p = new Parser(text, base);
  const parts = p.templateParts(text.length, 'template');
  if (p.pos < text.length) p.fail('unexpected end of template');
  return { t: 'template', parts: structure(parts, p), start: base, end: base + text.length };
}

/** Parses a type constraint expression as an expression (types are read from the tree by the type module). */
export function parseTypeExpression(text: string, base = 0): Expr {
  return parseExpression(text, base);
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

/** Flat template pieces before if/for directives are nested. */
type Flat =
  | { p: 'text'; text: string }
  | { p: 'interp'; expr: Expr; stripBefore: boolean; stripAfter: boolean }
  | { p: 'dir'; kind: 'if' | 'else' | 'endif' | 'for' | 'endfor'; before: boolean; after: boolean; cond?: Expr; keyVar?: string; valueVar?: string; at: number };

class Parser {
  pos = 0;
  private depth = 0;

  constructor(
    readonly src: string,
    private readonly base: number,
  ) {}

  fail(message: string, at = this.pos): never {
    throw new ParseError(message, this.base + at);
  }

  private enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) this.fail(`expression nested deeper than ${MAX_PARSE_DEPTH} levels`);
  }

  /** Skips whitespace, newlines and comments. */
  ws(): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 2;
      } else return;
    }
  }

  private at(token: string): boolean {
    return this.src.startsWith(token, this.pos);
  }

  private eat(token: string): boolean {
    this.ws();
    if (!this.at(token)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected ${JSON.stringify(token)}${this.pos < this.src.length ? `, found ${JSON.stringify(this.src.slice(this.pos, this.pos + 12))}` : ' before the end'}`);
  }

  /** A keyword (`for`, `in`, `if`) followed by a non-identifier character. */
  private atKeyword(word: string): boolean {
    return this.at(word) && !IDENT_CHAR.test(this.src[this.pos + word.length] ?? '');
  }

  private ident(): string {
    this.ws();
    const s = this.src;
    if (!IDENT_START.test(s[this.pos] ?? '')) this.fail('expected a name');
    const start = this.pos;
    while (IDENT_CHAR.test(s[this.pos] ?? '')) this.pos++;
    return s.slice(start, this.pos);
  }

  expression(): Expr {
    this.enter();
    try {
      const start = this.pos;
      const cond = this.binary(0);
      this.ws();
      if (this.at('?')) {
        this.pos++;
        const yes = this.expression();
        this.expect(':');
        const no = this.expression();
        return { t: 'conditional', cond, then: yes, else: no, start: this.base + start, end: this.base + this.pos };
      }
      return cond;
    } finally {
      this.depth--;
    }
  }

  private static readonly LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<=', '>=', '<', '>'], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Expr {
    if (level >= Parser.LEVELS.length) return this.unary();
    const ops = Parser.LEVELS[level] ?? [];
    const start = this.pos;
    let left = this.binary(level + 1);
    for (;;) {
      this.ws();
      const op = ops.find((o) => this.at(o) && !(o === '>' && this.at('>=')) && !(o === '<' && this.at('<=')));
      // `=>` (for expressions) and `==` are not `=`; `->` is not an operator. A `*` right after `.` or `[` is a splat.
      if (!op) return left;
      this.pos += op.length;
      const right = this.binary(level + 1);
      left = { t: 'binary', op: op as never, left, right, start: this.base + start, end: this.base + this.pos };
    }
  }

  private unary(): Expr {
    this.ws();
    const start = this.pos;
    const c = this.src[this.pos];
    if (c === '!' || (c === '-' && this.src[this.pos + 1] !== '>')) {
      this.pos++;
      this.enter();
      try {
        const operand = this.unary();
        return { t: 'unary', op: c, operand, start: this.base + start, end: this.base + this.pos };
      } finally {
        this.depth--;
      }
    }
    return this.postfix(this.term(), start);
  }

  /** Attribute access, indexes and splats after a term. */
  private postfix(term: Expr, start: number, legacyOnly = false): Expr {
    let e = term;
    for (;;) {
      const save = this.pos;
      this.ws();
      const s = this.src;
      if (s[this.pos] === '.' && s[this.pos + 1] === '*') {
        if (legacyOnly) {
          this.pos = save;
          return e;
        }
        this.pos += 2;
        const item: Expr = { t: 'splat-item', start: this.base + this.pos, end: this.base + this.pos };
        const each = this.postfix(item, this.pos, true);
        e = { t: 'splat', source: e, each, start: this.base + start, end: this.base + this.pos };
        continue;
      }
      if (s[this.pos] === '.' && /[0-9]/.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        const from = this.pos;
        while (/[0-9]/.test(s[this.pos] ?? '')) this.pos++;
        const key: Expr = { t: 'literal', value: Number(s.slice(from, this.pos)), start: this.base + from, end: this.base + this.pos };
        e = { t: 'index', object: e, key, legacy: true, start: this.base + start, end: this.base + this.pos };
        continue;
      }
      if (s[this.pos] === '.' && IDENT_START.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        const name = this.ident();
        e = { t: 'attr', object: e, name, start: this.base + start, end: this.base + this.pos };
        continue;
      }
      if (s[this.pos] === '[' && !legacyOnly) {
        this.pos++;
        this.ws();
        if (s[this.pos] === '*') {
          const after = this.pos + 1;
          this.pos = after;
          this.ws();
          if (s[this.pos] === ']') {
            this.pos++;
            const item: Expr = { t: 'splat-item', start: this.base + this.pos, end: this.base + this.pos };
            const each = this.postfix(item, this.pos);
            e = { t: 'splat', source: e, each, start: this.base + start, end: this.base + this.pos };
            continue;
          }
          this.pos = after - 1;
        }
        const key = this.expression();
        this.expect(']');
        e = { t: 'index', object: e, key, start: this.base + start, end: this.base + this.pos };
        continue;
      }
      this.pos = save;
      return e;
    }
  }

  private term(): Expr {
    this.ws();
    const s = this.src;
    const start = this.pos;
    const c = s[this.pos];
    const at = (end: number): { start: number; end: number } => ({ start: this.base + start, end: this.base + end });
    if (c === undefined) this.fail('expected an expression before the end');
    if (/[0-9]/.test(c)) {
      const end = numberTokenEnd(s, this.pos);
      const text = s.slice(this.pos, end);
      if (!isNumberLiteral(text)) this.fail(`invalid number literal ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)}`);
      this.pos = end;
      return { t: 'literal', value: Number(text), ...at(this.pos) };
    }
    if (c === '"') {
      this.pos++;
      const parts = this.templateParts(s.length, 'quoted');
      if (s[this.pos] !== '"') this.fail('unterminated string', start);
      this.pos++;
      return simplify({ t: 'template', parts: structure(parts, this), ...at(this.pos) });
    }
    if (c === '<' && s[this.pos + 1] === '<') return this.heredoc(start);
    if (c === '(') {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return { t: 'parens', inner, ...at(this.pos) };
    }
    if (c === '[') {
      this.pos++;
      {
        this.ws();
        if (this.atKeyword('for')) return this.forExpr(start, ']');
        const items: Expr[] = [];
        for (;;) {
          this.ws();
          if (this.at(']')) break;
          items.push(this.expression());
          this.ws();
          if (!this.eat(',')) break;
        }
        this.expect(']');
        return { t: 'tuple', items, ...at(this.pos) };
      }
    }
    if (c === '{') {
      this.pos++;
      {
        this.ws();
        if (this.atKeyword('for')) return this.forExpr(start, '}');
        const items: { key: Expr; value: Expr; bare?: string }[] = [];
        for (;;) {
          this.ws();
          if (this.at('}')) break;
          const key = this.expression();
          this.ws();
          if (!(this.at('=') && !this.at('==')) && !this.at(':')) this.fail('expected "=" or ":" after an object key');
          this.pos++;
          const value = this.expression();
          items.push(key.t === 'variable' ? { key, value, bare: key.name } : { key, value });
          this.ws();
          this.eat(',');
        }
        this.expect('}');
        return { t: 'object', items, ...at(this.pos) };
      }
    }
    if (IDENT_START.test(c)) {
      let name = this.ident();
      while (this.at('::')) {
        this.pos += 2;
        name += `::${this.ident()}`;
      }
      const save = this.pos;
      this.ws();
      if (this.at('(')) {
        this.pos++;
        {
          const args: Expr[] = [];
          let expand = false;
          for (;;) {
            this.ws();
            if (this.at(')')) break;
            args.push(this.expression());
            this.ws();
            if (this.at('...')) {
              this.pos += 3;
              expand = true;
              this.ws();
              break;
            }
            if (!this.eat(',')) break;
          }
          this.expect(')');
          return { t: 'call', name, args, expand, ...at(this.pos) };
        }
      }
      this.pos = save;
      if (name === 'true' || name === 'false') return { t: 'literal', value: name === 'true', ...at(this.pos) };
      if (name === 'null') return { t: 'literal', value: null, ...at(this.pos) };
      return { t: 'variable', name, ...at(this.pos) };
    }
    return this.fail(`unexpected ${JSON.stringify(s.slice(this.pos, this.pos + 12))}`);
  }

  /** The `k, v in` (or `v in`) after the word `for`, in a for expression or a template `for` directive. */
  private forHeader(what: 'expression' | 'directive'): { keyVar: string | undefined; valueVar: string } {
    const first = this.ident();
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.eat(',')) {
      keyVar = first;
      valueVar = this.ident();
    }
    this.ws();
    if (!this.atKeyword('in')) this.fail(`expected "in" in a for ${what}`);
    this.pos += 2;
    return { keyVar, valueVar };
  }

  private forExpr(start: number, close: ']' | '}'): Expr {
    this.pos += 3;
    const { keyVar, valueVar } = this.forHeader('expression');
    const collection = this.expression();
    this.expect(':');
    let key: Expr | undefined;
    let value = this.expression();
    if (close === '}') {
      this.expect('=>');
      key = value;
      value = this.expression();
    }
    const group = this.eat('...');
    let cond: Expr | undefined;
    this.ws();
    if (this.atKeyword('if')) {
      this.pos += 2;
      cond = this.expression();
    }
    this.expect(close);
    if (close === ']' && group) this.fail('grouping (...) is only for object for expressions');
    const e: Expr = { t: 'for', valueVar, collection, value, group, start: this.base + start, end: this.base + this.pos };
    if (keyVar !== undefined) e.keyVar = keyVar;
    if (key) e.key = key;
    if (cond) e.cond = cond;
    return e;
  }

  private heredoc(start: number): Expr {
    const s = this.src;
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(s.slice(this.pos, this.pos + 300));
    if (!m) this.fail('invalid heredoc opening');
    const flush = m[1] === '-';
    const marker = m[2] ?? '';
    const bodyStart = this.pos + m[0].length;
    // The closing marker: a line holding only the marker (indentation allowed).
    let lineStart = bodyStart;
    let bodyEnd = -1;
    let after = -1;
    while (lineStart <= s.length) {
      let nl = s.indexOf('\n', lineStart);
      if (nl < 0) nl = s.length;
      const line = s.slice(lineStart, nl).replace(/\r$/, '');
      if (line.trim() === marker && /^[ \t]*$/.test(line.slice(0, line.indexOf(marker)))) {
        bodyEnd = lineStart;
        after = lineStart + line.indexOf(marker) + marker.length;
        break;
      }
      if (nl >= s.length) break;
      lineStart = nl + 1;
    }
    if (bodyEnd < 0) this.fail(`heredoc ${marker} is not closed`, start);
    let body = s.slice(bodyStart, bodyEnd);
    if (flush) body = unindent(body);
    const sub = new Parser(body, this.base + bodyStart);
    const parts = sub.templateParts(body.length, 'heredoc');
    this.pos = after;
    return { t: 'template', parts: structure(parts, this), heredoc: true, start: this.base + start, end: this.base + this.pos };
  }

  /** Reads template pieces up to `limit`, a closing quote (quoted mode) or the end. */
  templateParts(limit: number, mode: 'quoted' | 'heredoc' | 'template'): Flat[] {
    const s = this.src;
    const out: Flat[] = [];
    let text = '';
    const flushText = (): void => {
      if (text) out.push({ p: 'text', text });
      text = '';
    };
    while (this.pos < limit) {
      const c = s[this.pos];
      if (mode === 'quoted' && c === '"') break;
      if (mode === 'quoted' && (c === '\n' || c === '\r')) this.fail('a quoted string cannot span lines; use a heredoc');
      if ((c === '$' || c === '%') && s[this.pos + 1] === c && s[this.pos + 2] === '{') {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === '$' || c === '%') && s[this.pos + 1] === '{') {
        flushText();
        const at = this.pos;
        this.pos += 2;
        let before = false;
        if (s[this.pos] === '~') {
          before = true;
          this.pos++;
        }
        if (c === '$') {
          this.enter();
          try {
            this.ws();
            const expr = this.expression();
            this.ws();
            const after = this.eatStrip();
            this.closeBrace();
            out.push({ p: 'interp', expr, stripBefore: before, stripAfter: after });
          } finally {
            this.depth--;
          }
        } else out.push(this.directive(before, at));
        continue;
      }
      if (c === '\\' && mode === 'quoted') {
        text += this.escape();
        continue;
      }
      text += c;
      this.pos++;
    }
    flushText();
    return out;
  }

  private eatStrip(): boolean {
    if (this.src[this.pos] === '~') {
      this.pos++;
      return true;
    }
    return false;
  }

  private closeBrace(): void {
    this.ws();
    if (this.src[this.pos] !== '}') this.fail('expected "}" closing a template sequence');
    this.pos++;
  }

  private directive(before: boolean, at: number): Flat {
    this.ws();
    const word = this.ident();
    let d: Flat;
    if (word === 'if') {
      this.enter();
      try {
        d = { p: 'dir', kind: 'if', cond: this.expression(), before, after: false, at };
      } finally {
        this.depth--;
      }
    } else if (word === 'for') {
      const { keyVar, valueVar } = this.forHeader('directive');
      this.enter();
      try {
        d = { p: 'dir', kind: 'for', keyVar, valueVar, cond: this.expression(), before, after: false, at };
      } finally {
        this.depth--;
      }
    } else if (word === 'else' || word === 'endif' || word === 'endfor') d = { p: 'dir', kind: word, before, after: false, at };
    else return this.fail(`unknown template directive ${JSON.stringify(word)}`, at);
    this.ws();
    d.after = this.eatStrip();
    this.closeBrace();
    return d;
  }

  private escape(): string {
    const s = this.src;
    const c = s[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = c === 'u' ? 4 : 8;
        const hex = s.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`invalid \\${c} escape`, this.pos - 2);
        const code = parseInt(hex, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`invalid code point in \\${c} escape`, this.pos - 2);
        this.pos += len;
        return String.fromCodePoint(code);
      }
      default:
        return this.fail(`invalid escape sequence \\${c ?? ''}`, this.pos - 2);
    }
  }
}

/** Drops a template wrapper around a lone literal string. */
function simplify(e: Expr): Expr {
  if (e.t === 'template' && e.parts.length === 0) return { t: 'literal', value: '', start: e.start, end: e.end };
  if (e.t === 'template' && e.parts.length === 1 && e.parts[0]?.p === 'text') return { t: 'literal', value: e.parts[0].text, start: e.start, end: e.end };
  return e;
}

/** `<<-` heredocs: removes the indentation common to every line that holds more than whitespace. */
function unindent(body: string): string {
  const lines = body.split('\n');
  let min = Infinity;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const n = /^[ \t]*/.exec(l)?.[0].length ?? 0;
    if (n < min) min = n;
  }
  if (!Number.isFinite(min) || min === 0) return body;
  return lines.map((l) => (l.trim() === '' ? l.slice(Math.min(min, l.length)) : l.slice(min))).join('\n');
}

/** Nests if/for directives and applies strip markers to the text around them. */
function structure(flat: Flat[], p: { fail(message: string, at?: number): never }): TemplatePart[] {
  // Strip markers first: `~` removes the whitespace (newlines included) on its side of the adjacent text.
  const items = flat.map((f) => ({ ...f }));
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!it || it.p === 'text') continue;
    const stripBefore = it.p === 'interp' ? it.stripBefore : it.before;
    const stripAfter = it.p === 'interp' ? it.stripAfter : it.after;
    const prev = items[i - 1];
    const next = items[i + 1];
    if (stripBefore && prev?.p === 'text') prev.text = prev.text.replace(/[ \t\r\n]+$/, '');
    if (stripAfter && next?.p === 'text') next.text = next.text.replace(/^[ \t\r\n]+/, '');
  }
  let i = 0;
  const noStrip: StripMarks = { openBefore: false, openAfter: false, elseBefore: false, elseAfter: false, endBefore: false, endAfter: false };
  const seq = (stops: string[]): TemplatePart[] => {
    const out: TemplatePart[] = [];
    while (i < items.length) {
      const it = items[i];
      if (!it) break;
      if (it.p === 'text') {
        if (it.text) out.push({ p: 'text', text: it.text });
        i++;
        continue;
      }
      if (it.p === 'interp') {
        out.push({ p: 'interp', expr: it.expr, stripBefore: it.stripBefore, stripAfter: it.stripAfter });
        i++;
        continue;
      }
      if (stops.includes(it.kind)) return out;
      i++;
      if (it.kind === 'if' && it.cond) {
        const then = seq(['else', 'endif']);
        let otherwise: TemplatePart[] = [];
        if (items[i]?.p === 'dir' && (items[i] as { kind: string }).kind === 'else') {
          i++;
          otherwise = seq(['endif']);
        }
        const end = items[i];
        if (end?.p !== 'dir' || end.kind !== 'endif') p.fail('%{if} without %{endif}', it.at);
        i++;
        out.push({ p: 'if', cond: it.cond, then, else: otherwise, strip: noStrip });
      } else if (it.kind === 'for' && it.cond && it.valueVar) {
        const body = seq(['endfor']);
        const end = items[i];
        if (end?.p !== 'dir' || end.kind !== 'endfor') p.fail('%{for} without %{endfor}', it.at);
        i++;
        const part: TemplatePart = { p: 'for', valueVar: it.valueVar, collection: it.cond, body, strip: noStrip };
        if (it.keyVar !== undefined) part.keyVar = it.keyVar;
        out.push(part);
      } else p.fail(`unexpected %{${it.kind}}`, it.at);
    }
    return out;
  };
  const out = seq([]);
  if (i < items.length) {
    const it = items[i];
    p.fail(`unexpected %{${it?.p === 'dir' ? it.kind : ''}}`, it?.p === 'dir' ? it.at : undefined);
  }
  return out;
}
