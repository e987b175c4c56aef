import { createHash } from 'node:crypto';
import { fingerprint } from '../../src/engine/run';

/** The definition: the first 16 hex digits of SHA-256 over the UTF-8 text of the parts joined by NUL. */
function byHashObject(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

describe('fingerprint', () => {
  it('is the SHA-256 of the parts joined by NUL, on random texts (ASCII, non-ASCII, surrogate pairs)', () => {
    let seed = 17;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'Z', '0', '/', ' ', '\u0000', 'é', '中', '😀', '\\', '|', '-'];
    for (let run = 0; run < 500; run++) {
      const parts = Array.from({ length: 1 + next(7) }, () => Array.from({ length: next(20) }, () => alphabet[next(alphabet.length)]).join(''));
      expect(fingerprint(parts)).toBe(byHashObject(parts));
    }
  });
});
