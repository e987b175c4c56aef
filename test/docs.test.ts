// The generated rule docs: what they contain. test/generated.test.ts checks that every generated file is up to date.
import path from 'node:path';
import { generateDocs, schemaType } from '../src/docs/generate';

const ROOT = path.resolve(__dirname, '..');

describe('generated rule docs', () => {
  let generated: Map<string, string>;

  beforeAll(async () => {
    generated = await generateDocs(ROOT);
  });

  it('produces the index and one page per rule, with repo-relative paths only', () => {
    expect([...generated.keys()]).toContain('docs/rules/README.md');
    for (const text of generated.values()) {
      expect(text).not.toContain(ROOT);
      expect(text).not.toMatch(/\x1b\[/);
    }
  });

  it('shows the real sg-lint output for the examples', () => {
    const page = generated.get('docs/rules/open-admin-port.md') ?? '';
    expect(page).toContain('`fixtures/rules/open-admin-port/bad.cfn.yaml`:');
    expect(page).toContain('Security group WebSg allows SSH (tcp/22) from the whole internet (0.0.0.0/0)');
    expect(page).toContain('## Why is this risky?');
  });

  it('describes option types from their schemas', () => {
    expect(schemaType({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(schemaType({ type: 'integer', minimum: 1 })).toBe('integer (minimum 1)');
    expect(schemaType({ enum: ['a', 'b'] })).toBe('"a" \\| "b"');
  });
});
