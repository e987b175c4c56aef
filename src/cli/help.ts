// What `sg-lint --version` and `sg-lint --help` print when nothing else is on the command line, in a module that loads
// nothing else of sg-lint: bin/sg-lint.js answers them from here without loading the bundle (docs/performance.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads the package version without loading package.json through the module system. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * The help text is made from the option and rule tables, so it is not written here: the build runs `sg-lint --help`
 * once and stores what it prints in this file, next to this module (scripts/build.mjs).
 */
export const HELP_FILE = 'help.txt';

/**
 * The whole output of a command line that is only `--version`/`-v` or `--help`/`-h`, as `main` would print it (exit
 * code 0); undefined for every other command line, and for `--help` when the build wrote no help file.
 */
export function helpOrVersion(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === '--version' || argv[0] === '-v') return `${toolVersion()}\n`;
  if (argv[0] !== '--help' && argv[0] !== '-h') return undefined;
  try {
    return readFileSync(join(__dirname, HELP_FILE), 'utf8');
  } catch {
    return undefined;
  }
}
