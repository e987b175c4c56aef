/**
 * Properties computed on first read and kept, for model fields most runs never read (a CloudFormation group's name,
 * description and tags are read only by policies, `missing-description` and `--print-model`), so a run pays for
 * evaluating them only when something asks.
 *
 * Each is an enumerable own accessor, so spreading the object, `JSON.stringify`, `Object.values` and Jest's equality
 * see the value as if it were a plain property. The getter of a key is one function shared by every object, and the
 * per-object state sits in a non-enumerable symbol property: objects built the same way keep one fast shape. (A
 * getter closure per object, or an existing data property turned into an accessor, puts every such object in V8's
 * dictionary mode, and every later read of any of its properties, by every rule, becomes a hash lookup.) The cache is
 * a private field, which freezing the object does not touch, so a frozen model still works.
 */

const STATE = Symbol('sg-lint lazy properties');

class LazyState {
  readonly #compute: (key: string) => unknown;
  readonly #values = new Map<string, unknown>();

  constructor(compute: (key: string) => unknown) {
    this.#compute = compute;
  }

  get(key: string): unknown {
    if (this.#values.has(key)) return this.#values.get(key);
    const value = this.#compute(key);
    this.#values.set(key, value);
    return value;
  }
}

/** One getter per property name, shared by every object that has the property. */
const GETTERS = new Map<string, () => unknown>();

function getterOf(key: string): () => unknown {
  let getter = GETTERS.get(key);
  if (getter === undefined) {
    getter = function (this: { [STATE]: LazyState }): unknown {
      return this[STATE].get(key);
    };
    GETTERS.set(key, getter);
  }
  return getter;
}

/**
 * Adds `keys` to `target` (which must not have them yet), each computed by `compute(key)` when first read. Properties
 * added to the object afterwards come after them, so an object built field by field keeps its field order.
 */
export function defineLazy<T extends object, K extends keyof T & string>(target: T, keys: readonly K[], compute: (key: K) => T[K]): void {
  Object.defineProperty(target, STATE, { value: new LazyState(compute as (key: string) => unknown) });
  for (const key of keys) Object.defineProperty(target, key, { get: getterOf(key), enumerable: true });
}
