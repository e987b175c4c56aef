// `combine` (the CloudFormation evaluator's product of alternatives) against its definition: every combination of one
// alternative per list, in order (earlier lists vary slowest), with the conditions of its parts merged in order, kept
// only when they can hold together. Covers the fast path for lists of one alternative each (every plain field of a
// rule entry) and the general path, with and without conditions, and with contradicting ones.
import fc from 'fast-check';
import type { Condition } from '../../src/model/conditions';
import { canHoldTogether, conditionsKey, mergeConditions } from '../../src/model/conditions';
import type { Alt } from '../../src/parsers/cloudformation/values';
import { combine } from '../../src/parsers/cloudformation/values';

const CONDITIONS: Condition[] = [
  { kind: 'condition', name: 'IsProd', value: true },
  { kind: 'condition', name: 'IsProd', value: false },
  { kind: 'condition', name: 'HasVpn', value: true },
  { kind: 'parameter', name: 'Env', value: 'dev', source: 'allowed-value' },
  { kind: 'parameter', name: 'Env', value: 'prod', source: 'allowed-value' },
  { kind: 'attribute', resource: 'Db', attribute: 'Endpoint.Port' },
];

/** An alternative as the evaluator makes them: its own conditions can hold together (`assume` drops the others). */
const alt = fc.record({ v: fc.integer({ min: 0, max: 99 }), a: fc.subarray(CONDITIONS, { maxLength: 3 }) }).filter((x) => canHoldTogether(x.a));

/** The definition, written out: the cartesian product, merged and filtered at the end. */
function reference(lists: readonly Alt<number>[][]): { v: number[]; a: string }[] {
  let acc: { v: number[]; parts: (readonly Condition[])[] }[] = [{ v: [], parts: [] }];
  for (const list of lists) acc = acc.flatMap((x) => list.map((y) => ({ v: [...x.v, y.v], parts: [...x.parts, y.a] })));
  return acc.flatMap(({ v, parts }) => {
    const a = mergeConditions(...parts);
    return canHoldTogether(a) ? [{ v, a: conditionsKey(a) }] : [];
  });
}

const shape = (alts: readonly Alt<number[]>[]): { v: number[]; a: string }[] => alts.map((x) => ({ v: x.v, a: conditionsKey(x.a) }));

describe('combine', () => {
  it.each([
    ['when every list has one alternative (the fast path)', 1, 12, 64, 2000],
    ['for lists of several alternatives', 3, 5, 1000, 1000],
  ])('gives every consistent combination, in order, %s', (_case, perList, lists, cap, numRuns) => {
    fc.assert(
      fc.property(fc.array(fc.array(alt, { minLength: 1, maxLength: perList }), { maxLength: lists }), (input) => {
        const got = combine(input, cap, () => []);
        expect(got.capped).toBe(false);
        expect(shape(got.alts)).toEqual(reference(input));
      }),
      { numRuns },
    );
  });

  it('keeps the alternatives of a list of one unconditional value each without assumptions', () => {
    const got = combine([[{ v: 1, a: [] }], [{ v: 2, a: [] }], [{ v: 3, a: [] }]], 64, () => []);
    expect(got.alts).toEqual([{ v: [1, 2, 3], a: [] }]);
  });

  it('drops the combination of one value each whose conditions contradict', () => {
    const [yes, no] = CONDITIONS as [Condition, Condition];
    expect(combine([[{ v: 1, a: [yes] }], [{ v: 2, a: [] }], [{ v: 3, a: [no] }]], 64, () => []).alts).toEqual([]);
  });
});
