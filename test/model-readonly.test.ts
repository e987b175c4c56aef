// The model is read-only once parsed: the CloudFormation reader shares objects between rules (the variants of one
// entry share their conditions and field locations, the evaluator's cached alternatives their condition lists), so a
// rule, an engine stage or the kit that modified one would change other rules' findings. Every built-in rule, the
// suppressions, folding and fingerprints run here on a deep-frozen model (any write throws in strict mode) and must
// give exactly the findings of the same inputs unfrozen.
import { join } from 'node:path';
import { createResolver, evaluate } from '../src/engine/lint';
import type { ParsedInput } from '../src/model/types';
import { parseTargets } from '../src/parsers';
import { discover } from '../src/parsers/discover';

const ROOT = join(__dirname, '..');
const NOW = new Date('2026-01-01');

function deepFreeze(value: unknown, seen = new WeakSet<object>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      deepFreeze(k, seen);
      deepFreeze(v, seen);
    }
  } else if (value instanceof Set) {
    for (const v of value) deepFreeze(v, seen);
  }
  for (const v of Object.values(value)) deepFreeze(v, seen);
  Object.freeze(value);
}

async function parse(dirs: readonly string[]): Promise<ParsedInput[]> {
  const found = await discover(dirs, { cwd: ROOT });
  const parsed = await parseTargets(found.targets, { cwd: ROOT });
  return parsed.inputs;
}

describe('the model is read-only for rules and the engine', () => {
  const dirs = ['examples', 'fixtures/rules', 'fixtures/cloudformation', 'fixtures/cross-format', 'fixtures/suppressions'];

  it('gives the same findings on a deep-frozen model, with every rule on', async () => {
    const resolver = createResolver({ preset: 'all' }, ROOT);
    const plain = evaluate(await parse(dirs), resolver, NOW);
    const frozen = await parse(dirs);
    expect(frozen.length).toBeGreaterThan(20);
    deepFreeze(frozen);
    const onFrozen = evaluate(frozen, resolver, NOW);
    expect(plain.length).toBeGreaterThan(50);
    expect(JSON.stringify(onFrozen)).toBe(JSON.stringify(plain));
  });

  it('shares the field locations between the variants of a CloudFormation entry (so the frozen run covers sharing)', async () => {
    const inputs = await parse(['fixtures/rules', 'fixtures/cloudformation']);
    let shared = 0;
    for (const input of inputs) {
      if (!input.format.startsWith('cloudformation')) continue;
      for (const group of input.groups) {
        const seen = new Set<object>();
        for (const rule of [...group.ingress, ...group.egress]) {
          if (rule.fieldLocations === undefined) continue;
          if (seen.has(rule.fieldLocations)) shared++;
          seen.add(rule.fieldLocations);
        }
      }
    }
    expect(shared).toBeGreaterThan(0);
  });
});
