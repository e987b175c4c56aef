// Fails when a generated file on disk differs from what `npm run generate` produces now: the rule docs, the
// configuration schema and the README's rule table. Adding or changing a rule, its prose or its fixtures means
// running `npm run generate` and committing the result.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateAll, README_TABLE_END, README_TABLE_START, withRuleTable } from '../src/docs/generate';
import { RULES } from '../src/rules';

const ROOT = path.resolve(__dirname, '..');

describe('generated files', () => {
  let generated: Map<string, string>;

  beforeAll(async () => {
    generated = await generateAll(ROOT);
  });

  it('are the rule docs, the config schema and the README', () => {
    expect([...generated.keys()]).toEqual(expect.arrayContaining(['README.md', 'docs/rules/README.md', 'schemas/config.schema.json']));
    const pages = [...generated.keys()].filter((k) => /^docs\/rules\/[^/]+\.md$/.test(k) && k !== 'docs/rules/README.md');
    expect(pages.sort()).toEqual(RULES.map((r) => `docs/rules/${r.meta.id}.md`).sort());
  });

  it('match the files on disk (run `npm run generate` and commit the result)', () => {
    const stale: string[] = [];
    for (const [relative, text] of generated) {
      const file = path.join(ROOT, relative);
      if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(relative);
    }
    // Every rule page and every example configuration a page shows is generated: a leftover is stale.
    const onDisk = (dir: string): string[] => readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? onDisk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    for (const page of onDisk('docs/rules')) if (!generated.has(page)) stale.push(`${page} (no such rule)`);
    if (stale.length > 0) throw new Error(`Stale generated files: ${stale.join(', ')}. Run \`npm run generate\` and commit the result.`);
  });

  it('replace only the README lines between the markers', () => {
    const readme = `# x\n\n${README_TABLE_START}\nold\n${README_TABLE_END}\n\nrest\n`;
    const out = withRuleTable(readme, [RULES[0]!.meta]);
    expect(out.startsWith(`# x\n\n${README_TABLE_START}\n| rule |`)).toBe(true);
    expect(out.endsWith(`${README_TABLE_END}\n\nrest\n`)).toBe(true);
    expect(() => withRuleTable('# no markers\n', [])).toThrow('rule table markers are missing');
  });
});
