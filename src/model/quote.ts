/**
 * Quoting input text in messages. A message that quotes what the input wrote (a malformed port, protocol or CIDR)
 * quotes at most {@link MAX_QUOTED_LENGTH} characters of it: a 100 kB heredoc given as a port must not be copied into
 * every finding of every instance (1,000 instances made a 140 MB report that aborted Node while it was serialised).
 */

/** The most characters of one input value a message quotes. */
export const MAX_QUOTED_LENGTH = 100;

/** The first `max` characters of `text` at most, never ending in half of a surrogate pair. */
export function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * An input value quoted for a message: `"text"` when it has at most `max` characters, else its start and its length,
 * `"line\nline…" (100000 characters)`. `json` quotes with JSON.stringify (escapes shown), else as written.
 */
export function quoteInput(text: string, options: { json?: boolean; max?: number } = {}): string {
  const max = options.max ?? MAX_QUOTED_LENGTH;
  const quote = (s: string): string => (options.json ? JSON.stringify(s) : `"${s}"`);
  if (text.length <= max) return quote(text);
  return `${quote(`${headOf(text, max)}…`)} (${text.length} characters)`;
}
