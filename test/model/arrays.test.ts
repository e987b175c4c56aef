// src/model/arrays.ts: what `push(...items)`, `unshift(...items)`, `Math.max(...)` and `Math.min(...)` do, for lists of
// any length (a spread passes each item on the call stack and throws past ~100,000 of them).
import { maxOf, minOf, prependAll, pushAll } from '../../src/model/arrays';

describe('array helpers', () => {
  it('pushAll and prependAll give what push(...) and unshift(...) give', () => {
    for (const [a, b] of [[[], []], [[1], []], [[], [2, 3]], [[1, 2], [3, 4, 5]]] as [number[], number[]][]) {
      const pushed = [...a];
      pushed.push(...b);
      expect(pushAll([...a], b)).toEqual(pushed);
      const unshifted = [...a];
      unshifted.unshift(...b);
      expect(prependAll([...a], b)).toEqual(unshifted);
    }
    const target = [1];
    expect(pushAll(target, [2])).toBe(target);
    expect(prependAll(target, [0])).toBe(target);
    expect(target).toEqual([0, 1, 2]);
  });

  it('maxOf and minOf give what Math.max and Math.min give, NaN, -0 and no values included', () => {
    const cases: number[][] = [[], [1], [3, 1, 2], [-5, -1, -9], [0, -0], [-0, 0], [-0], [1, NaN, 3], [Infinity, -Infinity], [2.5, 2.25]];
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const n = i % 6;
      const list: number[] = [];
      for (let j = 0; j < n; j++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        list.push((seed % 2001) - 1000);
      }
      cases.push(list);
    }
    for (const list of cases) {
      expect(Object.is(maxOf(list), Math.max(...list))).toBe(true);
      expect(Object.is(minOf(list), Math.min(...list))).toBe(true);
    }
  });

  it('handles a million items, where a spread overflows the stack', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(() => [].push(...(big as never[]))).toThrow(RangeError);
    expect(pushAll([-1], big)).toHaveLength(1_000_001);
    expect(prependAll([-1], big)[1_000_000]).toBe(-1);
    expect(maxOf(big)).toBe(999_999);
    expect(minOf(big)).toBe(0);
  });
});
