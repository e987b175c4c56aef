// A throw-away project folder for CLI tests: files written under a fresh temporary folder, and a configuration that
// loads the example plugin (examples/plugin) by a path relative to that folder, as a user's .sg-lint.yaml would.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The example plugin shipped in examples/plugin. */
export const EXAMPLE_PLUGIN = path.resolve(__dirname, '..', '..', 'examples', 'plugin', 'index.js');

/** A fresh folder holding `files` (name relative to the folder, to text); sub-folders are created. */
export function project(files: Record<string, string>, prefix = 'sg-lint-project-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A .sg-lint.yaml text for a project in `dir` that loads the example plugin, followed by `extra`. */
export function examplePluginConfig(dir: string, extra = ''): string {
  return `plugins: [${JSON.stringify(path.relative(dir, EXAMPLE_PLUGIN).split(path.sep).join('/'))}]\n${extra}`;
}
