// Loads the one-file bundle (dist/sg-lint.cjs) through a V8 code cache, so a run does not parse and compile the
// functions it calls: the cache holds the bytecode of every function a representative run compiled (the build writes
// it after linting the examples; docs/performance.md, "Code cache"). Like help.ts this module loads nothing else of
// sg-lint: bin/sg-lint.js requires it before the bundle.
//
// The cache is one file next to the bundle, named by the bundle's build id (a hash of its content, written on its first
// line by scripts/bundle.mjs), the V8 version and the V8 flags of the process, because V8 accepts a cache only for the
// source, version and flags it was made with, and checks the source by its length alone. A cache V8 rejects, or none,
// is (re)written after the run (and the folder keeps at most MAX_CODE_CACHES of them); a folder that cannot be written
// just means no cache. SG_LINT_CODE_CACHE=0 turns it off;
// SG_LINT_CODE_CACHE=refresh ignores the cache there is and writes a new one (the build's warm-up run).
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What happened to the cache: not used, used, or missing/rejected and to be written by `save`. */
export type CodeCacheStatus = 'off' | 'accepted' | 'missing' | 'rejected';

export interface LoadedBundle {
  /** The bundle's `module.exports`. */
  exports: unknown;
  status: CodeCacheStatus;
  /** The cache file this process reads or writes (undefined when the cache is off). */
  cacheFile?: string;
  /** Writes the cache when it was missing or rejected, from the functions compiled so far; never throws. */
  save(): void;
}

/** The bundle's build id: `// sg-lint bundle <hex>` on its first line. */
const BUILD_ID = /^\/\/ sg-lint bundle ([0-9a-f]{8,64})\r?\n/;

/** Where the cache of `bundle` lives for this process: next to the bundle, keyed by build id, V8 version and flags. */
export function codeCacheFile(bundle: string, buildId: string, env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): string {
  const flags = `${v8Options(execArgv).join('\0')}\0${env.NODE_OPTIONS ?? ''}`;
  return join(dirname(bundle), `${basename(bundle)}.${buildId}.v8-${process.versions.v8.replace(/[^\w.-]/g, '_')}-${process.arch}-${fnv1a(flags)}.cache`);
}

/**
 * Loads `bundle` as CommonJS, compiled with its code cache when there is one V8 accepts. Falls back to a plain
 * `require` when the cache is off or the bundle carries no build id (a bundle built some other way).
 */
export function loadBundle(bundle: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const plain = (): LoadedBundle => ({ exports: createRequire(bundle)(bundle) as unknown, status: 'off', save: () => undefined });
  if (env.SG_LINT_CODE_CACHE === '0') return plain();
  const source = readFileSync(bundle, 'utf8');
  const id = BUILD_ID.exec(source)?.[1];
  if (id === undefined) return plain();
  const cacheFile = codeCacheFile(bundle, id, env);
  let cachedData: Buffer | undefined;
  // `refresh` (the build's warm-up run) ignores a cache that is there and writes a new one.
  if (env.SG_LINT_CODE_CACHE !== 'refresh') {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  // The same wrapper Node puts around a CommonJS module: the bundle sees exports, require, module and its own paths.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: bundle, cachedData });
  const status: CodeCacheStatus = cachedData === undefined ? 'missing' : script.cachedDataRejected === true ? 'rejected' : 'accepted';
  const mod = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
  let saved = status === 'accepted';
  return {
    exports: mod.exports,
    status,
    cacheFile,
    save: () => {
      if (saved) return;
      saved = true;
      writeAtomically(cacheFile, script.createCachedData(), bundle, id);
    },
  };
}

/** Node options that load or run code and never change V8's compilation: left out of the key with their values. */
const NODE_ONLY_WITH_VALUE = new Set(['-r', '--require', '-e', '--eval', '-p', '--print', '--import', '--loader', '--experimental-loader']);

/** The command-line options that may be V8 flags (which V8 checks a cache against), without Node's code-loading ones. */
function v8Options(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] ?? '';
    const name = arg.split('=', 1)[0] ?? '';
    if (NODE_ONLY_WITH_VALUE.has(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** How many caches of one bundle a folder keeps (one per set of V8 flags in use); the oldest go first. */
export const MAX_CODE_CACHES = 8;

/**
 * Removes the caches of other builds of the bundle and all but the newest MAX_CODE_CACHES of this one, so a process
 * started with ever new flags cannot fill the disk.
 */
function prune(bundle: string, buildId: string, cacheFile: string): void {
  const folder = dirname(cacheFile);
  const name = basename(cacheFile);
  const prefix = `${basename(bundle)}.`;
  const build = `${prefix}${buildId}.`;
  try {
    const ours: { file: string; mtime: number }[] = [];
    for (const entry of readdirSync(folder)) {
      if (!entry.startsWith(prefix) || !entry.endsWith('.cache') || entry === name) continue;
      const file = join(folder, entry);
      if (!entry.startsWith(build)) unlinkSync(file);
      else ours.push({ file, mtime: statSync(file).mtimeMs });
    }
    ours.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
    for (const old of ours.slice(MAX_CODE_CACHES - 1)) unlinkSync(old.file);
  } catch {
    // a file another run removed first, or a folder that cannot be read: the next write tries again
  }
}

/** Writes through a temporary file and a rename, so a concurrent run reads the old cache, the new one or none. */
function writeAtomically(file: string, data: Buffer, bundle: string, buildId: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
    prune(bundle, buildId, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never written
    }
  }
}

/** FNV-1a, 32 bits, as 8 hex digits: names a set of flags in a file name. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
