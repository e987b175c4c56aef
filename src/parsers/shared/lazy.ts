/**
 * Makes `key` of `target` a value computed on first read and kept: an enumerable accessor, so spreading the object,
 * `JSON.stringify`, `Object.values` and Jest's equality see the value as if it were a plain property, and a frozen
 * model still works (the value is kept in the closure, not written back). For model fields most runs never read
 * (a CloudFormation group's name, description and tags are read only by policies, `missing-description` and
 * `--print-model`), so a run pays for evaluating them only when something asks.
 */
export function defineLazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let done = false;
  let value: T[K] | undefined;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: false,
    get(): T[K] {
      if (!done) {
        value = compute();
        done = true;
      }
      return value as T[K];
    },
  });
}
