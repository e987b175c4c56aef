// Rule pages that reproduce (issue #14): every example on docs/rules/*.md shows a command and its output; this runs
// each command exactly as shown, from the repository root, and compares what it prints.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runBuiltCli } from './helpers/built-cli';
import { runCli } from './helpers/cli';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, 'docs', 'rules');

interface Example {
  page: string;
  command: string;
  output: string;
}

/** Each ```sh block holding one `npx sg-lint ...` line, with the ```text block that follows it. */
function examples(): Example[] {
  const out: Example[] = [];
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.md') && n !== 'README.md').sort()) {
    const text = readFileSync(path.join(DIR, name), 'utf8');
    for (const m of text.matchAll(/```sh\n(npx sg-lint [^\n]*)\n```\n\n```text\n([\s\S]*?)\n```/g)) {
      out.push({ page: `docs/rules/${name}`, command: m[1] ?? '', output: m[2] ?? '' });
    }
  }
  return out;
}

const EXAMPLES = examples();

describe('rule page examples reproduce', () => {
  it('every rule page shows at least an incorrect example', () => {
    const pages = readdirSync(DIR).filter((n) => n.endsWith('.md') && n !== 'README.md');
    expect(new Set(EXAMPLES.map((e) => e.page)).size).toBe(pages.length);
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(pages.length);
  });

  it.each(EXAMPLES.map((e) => [`${e.page}: ${e.command}`, e] as const))('%s', async (_title, e) => {
    // "... - < FILE": the file on standard input, which needs a process of its own.
    const redirect = / < (\S+)$/.exec(e.command);
    const args = e.command.replace(/^npx sg-lint /, '').replace(/ < \S+$/, '').split(/\s+/);
    const run = redirect ? runBuiltCli(args, { cwd: ROOT, input: readFileSync(path.join(ROOT, redirect[1] ?? ''), 'utf8') }) : await runCli(args, ROOT);
    expect(run.stdout.trimEnd()).toBe(e.output);
    expect(run.stderr).toBe('');
  });
});
