// Runs the built CLI (`node bin/sg-lint.js`) as a child process under a time and memory bound. Builds dist/ first when
// it is missing or older than src/ (once per run: a lock directory keeps parallel Jest workers from building twice).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'sg-lint.js');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** What one child run produced; `ms` is the wall time, `signal` is set when the time bound killed it. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Options of {@link runBuiltCli}. */
export interface ChildOptions {
  cwd: string;
  /** Wall-clock bound; the child is killed with SIGKILL past it (default 20 s). */
  timeoutMs?: number;
  /** V8 heap bound of the child in MB (default 256): past it the child dies instead of eating the machine. */
  heapMb?: number;
  input?: string | Buffer;
}

/** Newest modification time of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  return existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestMtime(join(ROOT, 'src'));
}

/** Builds dist/ with the project's build script unless it is up to date. Safe to call from parallel workers. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = join(tmpdir(), 'sg-lint-test-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any build takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${lock}`);
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

/** Runs `node bin/sg-lint.js <args>` in `cwd` with colors off, bounded in time and heap. */
export function runBuiltCli(args: readonly string[], options: ChildOptions): ChildRun {
  const start = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${options.heapMb ?? 256}`, BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', SG_LINT_DEBUG: '' },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - start };
}
