// The V8 code cache of the bundle (src/cli/code-cache.ts, docs/performance.md "Code cache"): a cache V8 accepts is
// used, a missing or rejected one is written after the run, a stale one (another build) is never read, and output
// never depends on it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, loadBundle, MAX_CODE_CACHES } from '../src/cli/code-cache';
import { ensureBuilt, ROOT } from './helpers/built-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-lint-code-cache-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small CommonJS "bundle" with a build id line, in a folder of its own. */
function fakeBundle(name: string, id: string, body = 'exports.answer = function () { return [1, 2, 3].map((n) => n * 14).reduce((a, b) => a + b, 0); };'): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'sg-lint.cjs');
  writeFileSync(file, `// sg-lint bundle ${id}\n"use strict";\n${body}\nexports.where = __filename + '|' + typeof require + '|' + typeof module;\n`);
  return file;
}

type Answer = { answer(): number; where: string };

describe('code cache', () => {
  it('is written when missing and accepted by the next load; the module works either way', () => {
    const bundle = fakeBundle('fresh', '0123456789abcdef');
    const first = loadBundle(bundle, {});
    expect(first.status).toBe('missing');
    expect((first.exports as Answer).answer()).toBe(84);
    expect((first.exports as Answer).where).toBe(`${bundle}|function|object`);
    expect(existsSync(first.cacheFile ?? '')).toBe(false);
    first.save();
    expect(existsSync(first.cacheFile ?? '')).toBe(true);
    const second = loadBundle(bundle, {});
    expect(second.status).toBe('accepted');
    expect(second.cacheFile).toBe(first.cacheFile);
    expect((second.exports as Answer).answer()).toBe(84);
  });

  it('a damaged cache is rejected, the bundle still runs, and the cache is rewritten', () => {
    const bundle = fakeBundle('damaged', 'fedcba9876543210');
    const file = codeCacheFile(bundle, 'fedcba9876543210', {});
    writeFileSync(file, Buffer.from('not a V8 code cache at all, just bytes'));
    const loaded = loadBundle(bundle, {});
    expect(loaded.status).toBe('rejected');
    expect((loaded.exports as Answer).answer()).toBe(84);
    loaded.save();
    expect(loadBundle(bundle, {}).status).toBe('accepted');
  });

  it('a new build (another id) never reads the cache of the old one, even for a source of the same length', () => {
    const bundle = fakeBundle('rebuilt', 'aaaaaaaaaaaaaaaa');
    loadBundle(bundle, {}).save();
    // Same length, other code: V8 alone would take the old cache (it checks the source length only).
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('// sg-lint bundle aaaaaaaaaaaaaaaa', '// sg-lint bundle bbbbbbbbbbbbbbbb').replace('n * 14', 'n * 15'));
    const rebuilt = loadBundle(bundle, {});
    expect(rebuilt.status).toBe('missing');
    expect((rebuilt.exports as Answer).answer()).toBe(90);
  });

  it('is keyed by the V8 flags of the process (NODE_OPTIONS, execArgv)', () => {
    const bundle = fakeBundle('flags', '1111222233334444');
    const plain = codeCacheFile(bundle, '1111222233334444', {}, []);
    expect(codeCacheFile(bundle, '1111222233334444', { NODE_OPTIONS: '--max-old-space-size=256' }, [])).not.toBe(plain);
    expect(codeCacheFile(bundle, '1111222233334444', {}, ['--stack-size=500'])).not.toBe(plain);
    expect(codeCacheFile(bundle, '1111222233334444', {}, [])).toBe(plain);
    // Options that only load or run code leave V8's compilation alone (V8 accepts the cache with them): same key.
    expect(codeCacheFile(bundle, '1111222233334444', {}, ['-r', '/tmp/hook.js', '--require=x', '--import', 'y', '-e', 'z'])).toBe(plain);
    expect(codeCacheFile(bundle, '1111222233334444', {}, ['-r', '/tmp/hook.js', '--max-old-space-size=256'])).toBe(
      codeCacheFile(bundle, '1111222233334444', {}, ['--max-old-space-size=256']),
    );
  });

  it('keeps at most MAX_CODE_CACHES caches of a build, newest first, and none of another build', () => {
    const bundle = fakeBundle('prune', 'cdcdcdcdcdcdcdcd');
    const folder = join(dir, 'prune');
    // A cache of an earlier build of the bundle, and caches of this build for older flag sets, oldest first.
    const stale = join(folder, 'sg-lint.cjs.0000000000000000.v8-old.cache');
    writeFileSync(stale, 'old build');
    const older: string[] = [];
    for (let i = 0; i < MAX_CODE_CACHES + 2; i++) {
      const file = codeCacheFile(bundle, 'cdcdcdcdcdcdcdcd', {}, [`--flag-${i}`]);
      writeFileSync(file, `flags ${i}`);
      utimesSync(file, 1_000_000 + i, 1_000_000 + i);
      older.push(file);
    }
    writeFileSync(join(folder, 'unrelated.cache'), 'not ours');
    const loaded = loadBundle(bundle, {});
    loaded.save();
    const left = readdirSync(folder).sort();
    expect(left).toEqual(
      ['sg-lint.cjs', 'unrelated.cache', (loaded.cacheFile ?? '').split('/').pop() ?? '', ...older.slice(-(MAX_CODE_CACHES - 1)).map((f) => f.split('/').pop() ?? '')].sort(),
    );
    expect(existsSync(stale)).toBe(false);
  });

  it('SG_LINT_CODE_CACHE=0 and a bundle without a build id load the plain way, with no cache file', () => {
    const bundle = fakeBundle('off', '5555666677778888');
    const off = loadBundle(bundle, { SG_LINT_CODE_CACHE: '0' });
    expect(off.status).toBe('off');
    expect(off.cacheFile).toBeUndefined();
    expect((off.exports as Answer).answer()).toBe(84);
    off.save();
    const noId = join(dir, 'no-id.cjs');
    writeFileSync(noId, 'exports.answer = () => 7;\n');
    expect(loadBundle(noId, {}).status).toBe('off');
    expect(readdirSync(join(dir, 'off'))).toEqual(['sg-lint.cjs']);
  });

  it('SG_LINT_CODE_CACHE=refresh ignores the cache there is and writes a new one', () => {
    const bundle = fakeBundle('refresh', '9999888877776666');
    loadBundle(bundle, {}).save();
    const refreshed = loadBundle(bundle, { SG_LINT_CODE_CACHE: 'refresh' });
    expect(refreshed.status).toBe('missing');
    refreshed.save();
    expect(loadBundle(bundle, {}).status).toBe('accepted');
  });

  it('a cache that cannot be written is no error and leaves no temporary file', () => {
    const bundle = fakeBundle('unwritable', 'abababababababab');
    // The cache's path is a folder: reading it fails (no cache) and so does renaming onto it.
    const file = codeCacheFile(bundle, 'abababababababab', {});
    mkdirSync(file);
    writeFileSync(join(file, 'keep'), '');
    const loaded = loadBundle(bundle, {});
    expect(loaded.status).toBe('missing');
    expect(() => loaded.save()).not.toThrow();
    expect(readdirSync(join(dir, 'unwritable')).sort()).toEqual(['sg-lint.cjs', file.split('/').pop()].sort());
  });
});

describe('code cache of the built CLI', () => {
  beforeAll(() => ensureBuilt());

  it('the build writes the cache of its bundle, and a run with it prints what a run without it prints', () => {
    const bundle = join(ROOT, 'dist', 'sg-lint.cjs');
    const id = /^\/\/ sg-lint bundle ([0-9a-f]{16})\n/.exec(readFileSync(bundle, 'utf8'))?.[1];
    expect(id).toBeDefined();
    expect(readdirSync(join(ROOT, 'dist')).filter((n) => n.startsWith(`sg-lint.cjs.${id ?? ''}.`) && n.endsWith('.cache')).length).toBeGreaterThan(0);
    const args = [join(ROOT, 'bin', 'sg-lint.js'), '-f', 'json', '--preset', 'all', 'examples/mistakes/legacy-stack.yaml', 'examples/terraform/main.tf'];
    const withCache = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const without = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, SG_LINT_CODE_CACHE: '0' } });
    expect(withCache.status).toBe(1);
    expect(withCache.stdout.length).toBeGreaterThan(1000);
    expect(withCache.stdout).toBe(without.stdout);
    expect(withCache.stderr).toBe(without.stderr);
    expect(without.status).toBe(1);
  });

  it('a run of the CLI accepts the cache a run of the CLI wrote', () => {
    // A copy of the package's bin and dist, so the run writes its cache there and not in the repository's dist/.
    const copy = join(dir, 'package');
    mkdirSync(join(copy, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin', 'sg-lint.js'), join(copy, 'bin', 'sg-lint.js'));
    copyFileSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    mkdirSync(join(copy, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'sg-lint.cjs'), join(copy, 'dist', 'sg-lint.cjs'));
    for (const f of ['code-cache.js', 'help.js', 'help.txt']) copyFileSync(join(ROOT, 'dist', 'cli', f), join(copy, 'dist', 'cli', f));
    const probe = join(copy, 'probe.js');
    writeFileSync(probe, `const l = require('./dist/cli/code-cache.js').loadBundle(require('path').join(__dirname, 'dist', 'sg-lint.cjs')); process.stdout.write(l.status);`);
    const caches = (): string[] => readdirSync(join(copy, 'dist')).filter((n) => n.endsWith('.cache'));
    expect(caches()).toEqual([]);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(ROOT, 'node_modules') };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, [join(copy, 'bin', 'sg-lint.js'), '--fail-on', 'none', 'examples/three-tier/stack.yaml'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(caches().length).toBe(1);
    expect(spawnSync(process.execPath, [probe], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env }).stdout).toBe('accepted');
  });
});
