// Positions and numbers of the shared readers: LineIndex (one path for LF-only text, one for CR and CRLF) against line
// starts computed independently here, and the positioned JSON reader's numbers against JSON.parse.
import { LineIndex } from '../../src/parsers/shared/line-index';
import { readJson } from '../../src/parsers/shared/json-positions';
import { rng } from '../helpers/rng';

/** 1-based line and column of every offset, from line breaks LF, CRLF and lone CR. */
function expected(text: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let line = 1;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, column: i - start + 1 });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return out;
}

describe('LineIndex', () => {
  it('maps every offset of LF-only, CRLF and CR texts to its line and column', () => {
    const r = rng(17);
    for (let n = 0; n < 300; n++) {
      const breaks = n % 3 === 0 ? ['\n'] : n % 3 === 1 ? ['\n', '\r\n'] : ['\n', '\r\n', '\r'];
      let text = '';
      const length = Math.floor(r() * 60);
      for (let i = 0; i < length; i++) text += r() < 0.3 ? (breaks[Math.floor(r() * breaks.length)] as string) : 'ab c'[Math.floor(r() * 4)];
      const index = new LineIndex(text);
      expected(text).forEach((want, offset) => expect({ text, offset, at: index.position(offset) }).toEqual({ text, offset, at: want }));
    }
  });

  it('gives a range the positions of its start and end (an end before the start counts as the start)', () => {
    const r = rng(23);
    for (let n = 0; n < 200; n++) {
      let text = '';
      const length = Math.floor(r() * 80);
      for (let i = 0; i < length; i++) text += r() < 0.25 ? (['\n', '\r\n', '\r'][Math.floor(r() * 3)] as string) : 'xy '[Math.floor(r() * 3)];
      const want = expected(text);
      const index = new LineIndex(text);
      for (let k = 0; k < 30; k++) {
        const start = Math.floor(r() * (text.length + 1));
        const end = Math.floor(r() * (text.length + 1));
        const a = want[start] as { line: number; column: number };
        const b = want[Math.max(start, end)] as { line: number; column: number };
        expect({ text, start, end, at: index.location('f', start, end) }).toEqual({
          text,
          start,
          end,
          at: { file: 'f', line: a.line, column: a.column, endLine: b.line, endColumn: b.column },
        });
      }
    }
  });

  it('clamps offsets past the end to the end', () => {
    expect(new LineIndex('a\nbc').position(99)).toEqual({ line: 2, column: 98 });
    expect(new LineIndex('').position(0)).toEqual({ line: 1, column: 1 });
  });
});

describe('readJson numbers', () => {
  it('reads every JSON number form as JSON.parse does', () => {
    const r = rng(5);
    const numbers = ['0', '-0', '1', '-1', '0.5', '-0.25', '1e3', '1E-3', '2.5e+10', '12345678901234567890', '1e400', '-1e-400',
      // Around the integer fast path's 15-digit limit and 2^53, and integers followed by a fraction or an exponent.
      '999999999999999', '-999999999999999', '1000000000000000', '9007199254740993', '-9007199254740993', '0e5', '-0e0', '0.0',
      '-0.0', '10E2', '7e-0', '443', '-1', '65535', '0.000001', '123456789012345.5', '12345678901234567', '98765432109876543',
      '99999999999999999', '123456789012345678', '-8765432109876543219'];
    // Long integers, whose digit-by-digit arithmetic would round differently from Number().
    for (let n = 0; n < 200; n++) numbers.push(String(1 + Math.floor(r() * 9)) + Array.from({ length: 14 + (n % 6) }, () => Math.floor(r() * 10)).join(''));
    for (let n = 0; n < 500; n++) {
      const int = String(Math.floor(r() * 1e6));
      const frac = r() < 0.5 ? `.${Math.floor(r() * 1e4)}` : '';
      const exp = r() < 0.3 ? `e${r() < 0.5 ? '-' : '+'}${Math.floor(r() * 30)}` : '';
      numbers.push(`${r() < 0.3 ? '-' : ''}${int}${frac}${exp}`);
    }
    const text = `{"a": [${numbers.join(', ')}], "b": 7}`;
    const tree = readJson(text);
    expect(tree.errors).toEqual([]);
    const root = tree.root;
    if (root?.kind !== 'map') throw new Error('not a map');
    const list = root.entries.get('a')?.value;
    if (list?.kind !== 'seq') throw new Error('not a list');
    expect(list.items.map((i) => (i.kind === 'scalar' ? i.value : undefined))).toEqual((JSON.parse(text) as { a: number[] }).a);
    expect(list.items.map((i) => text.slice(i.start, i.end))).toEqual(numbers);
  });

  it('rejects what JSON does not allow in a number', () => {
    for (const bad of ['[01]', '[1.]', '[.5]', '[+1]', '[1e]', '[-]', '[-01]', '[00]', '[1.e5]', '[-a]', '[1x]', '[0x1]', '[--1]', '[1e+]']) {
      expect(readJson(bad).errors.length).toBeGreaterThan(0);
    }
    // Errors keep their messages and offsets whichever way the number was read.
    expect(readJson('[01]').errors[0]).toMatchObject({ offset: 2 });
    expect(readJson('[-]').errors[0]).toMatchObject({ message: 'invalid number', offset: 1 });
  });

  it('reads a number from its next 400 characters at most', () => {
    expect(readJson(`[${'1'.repeat(400)}]`).errors).toEqual([]);
    const long = readJson(`[${'1'.repeat(401)}]`);
    expect(long.root).toBeUndefined();
    expect(long.errors[0]?.offset).toBe(401);
  });
});
