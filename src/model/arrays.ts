// Array helpers for lists whose length the input decides (rules, findings, report lines, evaluated Terraform lists).
// `target.push(...items)` and `Math.max(...items)` pass every item as an argument on the call stack, and V8 throws
// "Maximum call stack size exceeded" past about a hundred thousand of them: an input that expands to that many
// findings crashed the JUnit report. These helpers loop instead. ESLint forbids spreading into push, unshift,
// Math.max and Math.min in src/ (eslint.config.mjs), so every such call goes through here.

/** Appends `items` to `target` in place and returns `target`. */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i] as T);
  return target;
}

/** Puts `items` in front of `target`'s elements, in place, and returns `target`. */
export function prependAll<T>(target: T[], items: readonly T[]): T[] {
  if (items.length === 0) return target;
  const rest = target.splice(0, target.length);
  pushAll(target, items);
  return pushAll(target, rest);
}

/** The largest of `values`, -Infinity for none (as `Math.max()`); NaN when any value is NaN (as `Math.max`). */
export function maxOf(values: readonly number[]): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) return NaN;
    if (v > max || (v === 0 && Object.is(max, -0))) max = v;
  }
  return max;
}

/** The smallest of `values`, Infinity for none (as `Math.min()`); NaN when any value is NaN (as `Math.min`). */
export function minOf(values: readonly number[]): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) return NaN;
    if (v < min || (v === 0 && Object.is(v, -0) && min === 0)) min = v;
  }
  return min;
}
