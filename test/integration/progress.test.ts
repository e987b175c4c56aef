import { createProgress, progressText } from '../../src/cli/progress';

/** A stream that records what is written, and a clock the test moves by hand. */
function fakeTerminal(columns?: number): { stream: { write(s: string): boolean; columns?: number }; written: string[] } {
  const written: string[] = [];
  return { stream: { write: (s: string) => written.push(s) > 0, ...(columns ? { columns } : {}) }, written };
}

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('createProgress', () => {
  it('writes nothing at all when disabled (standard error is not a terminal)', () => {
    const { stream, written } = fakeTerminal();
    const p = createProgress(stream, false, { delayMs: 0 });
    p.update(1, 100);
    p.update(100, 100);
    p.done();
    expect(written).toEqual([]);
  });

  it('stays silent for a scan that finishes before the delay', () => {
    const { stream, written } = fakeTerminal();
    const c = clock();
    const p = createProgress(stream, true, { now: c.now, delayMs: 300 });
    p.update(1, 3);
    c.advance(100);
    p.update(2, 3);
    c.advance(100);
    p.update(3, 3);
    p.done();
    expect(written).toEqual([]);
  });

  it('draws in place after the delay, throttled, and erases the line at the end', () => {
    const { stream, written } = fakeTerminal();
    const c = clock();
    const p = createProgress(stream, true, { now: c.now, delayMs: 300, intervalMs: 100 });
    p.update(1, 340); // starts the clock
    c.advance(300);
    p.update(12, 340); // drawn
    c.advance(50);
    p.update(13, 340); // too soon: skipped
    c.advance(50);
    p.update(14, 340); // drawn
    p.done();
    p.done(); // idempotent
    p.update(15, 340); // after done: ignored
    expect(written).toEqual([
      '\r\x1b[Ksg-lint: parsing 12/340 files (3%)',
      '\r\x1b[Ksg-lint: parsing 14/340 files (4%)',
      '\r\x1b[K',
    ]);
  });

  it('cuts the line to the terminal width so it never wraps', () => {
    const { stream, written } = fakeTerminal(20);
    const p = createProgress(stream, true, { delayMs: 0 });
    p.update(5, 10);
    expect(written).toEqual(['\r\x1b[Ksg-lint: parsing 5/']);
  });

  it('uses real time by default: nothing drawn within the first update', () => {
    const { stream, written } = fakeTerminal();
    const p = createProgress(stream, true);
    p.update(1, 1000);
    p.done();
    expect(written).toEqual([]);
  });
});

describe('progressText', () => {
  it('counts files and percent', () => {
    expect(progressText(0, 0)).toBe('sg-lint: parsing 0/0 files (100%)');
    expect(progressText(1, 1)).toBe('sg-lint: parsing 1/1 file (100%)');
    expect(progressText(2, 3)).toBe('sg-lint: parsing 2/3 files (66%)');
  });
});
