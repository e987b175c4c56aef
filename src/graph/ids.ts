/**
 * Node identifiers that are valid, readable and unique in both Mermaid and DOT.
 */

const MAX_ID_LENGTH = 48;

/** Hands out one identifier per key: letters, digits and underscores derived from a readable base, made unique. */
export class IdAllocator {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();

  /** The identifier of `key`, allocating one from `base` the first time. */
  idFor(key: string, base: string): string {
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const stem = safeIdentifier(base);
    let id = stem;
    for (let n = 2; this.used.has(id); n += 1) id = `${stem}_${n}`;
    this.used.add(id);
    this.byKey.set(key, id);
    return id;
  }

  /** The identifier already allocated for `key`, if any. */
  get(key: string): string | undefined {
    return this.byKey.get(key);
  }
}

/**
 * Turns any text into an identifier: runs of other characters become one underscore, the result is cut to a
 * readable length and starts with a letter (so it is never a number or a Mermaid/DOT keyword such as `end`, `graph`
 * or `node`, which all callers avoid by using a kind prefix such as `sg_`).
 */
export function safeIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, MAX_ID_LENGTH);
  const body = cleaned.replace(/_+$/, '') || 'x';
  return /^[A-Za-z]/.test(body) ? body : `n_${body}`;
}
