// Supply chain: the runtime dependencies are few, pinned exactly, locked, each used by the source and named with its
// reason in the documentation, and nothing in their dependency closure runs an install script. Reads package.json and
// package-lock.json only (npm's advisory service is not reachable from CI, so no `npm audit`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OPTIONAL_PACKAGES } from '../src/engine/optional';

const ROOT = join(__dirname, '..');

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const runtime = pkg.dependencies ?? {};

/** Most runtime dependencies sg-lint may declare; raising it is a decision, not an accident. */
const MAX_RUNTIME_DEPENDENCIES = 10;


/** Where node would find `name` from the package at lock key `from` ('' is the root). */
function resolveFrom(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (base === '') return undefined;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

/** Lock keys of every package the runtime dependencies pull in (their closure), and the names that did not resolve. */
function runtimeClosure(): { keys: Set<string>; unresolved: string[] } {
  const keys = new Set<string>();
  const unresolved: string[] = [];
  const queue = Object.keys(runtime).map((name) => ({ from: '', name, optional: false }));
  while (queue.length > 0) {
    const { from, name, optional } = queue.pop() as { from: string; name: string; optional: boolean };
    const key = resolveFrom(from, name);
    if (!key) {
      if (!optional) unresolved.push(`${from || '(root)'} -> ${name}`);
      continue;
    }
    if (keys.has(key)) continue;
    keys.add(key);
    const entry = lock.packages[key] as LockEntry;
    for (const dep of Object.keys(entry.dependencies ?? {})) queue.push({ from: key, name: dep, optional: false });
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) queue.push({ from: key, name: dep, optional: true });
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      queue.push({ from: key, name: dep, optional: entry.peerDependenciesMeta?.[dep]?.optional === true });
    }
  }
  return { keys, unresolved };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('supply chain', () => {
  it('declares few runtime dependencies, each pinned to an exact version', () => {
    const names = Object.keys(runtime);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(MAX_RUNTIME_DEPENDENCIES);
    expect(Object.entries(runtime).filter(([, range]) => !/^\d+\.\d+\.\d+$/.test(range))).toEqual([]);
  });

  it('locks every runtime dependency at the pinned version, and every package of the closure with an integrity hash', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    for (const [name, version] of Object.entries(runtime)) {
      const entry = lock.packages[`node_modules/${name}`];
      expect({ name, version: entry?.version, dev: entry?.dev ?? false }).toEqual({ name, version, dev: false });
    }
    const { keys, unresolved } = runtimeClosure();
    expect(unresolved).toEqual([]);
    const loose = [...keys].filter((k) => {
      const e = lock.packages[k] as LockEntry;
      return !e.link && !e.integrity?.startsWith('sha512-');
    });
    expect(loose).toEqual([]);
  });

  it('runs no install script anywhere in the runtime dependency closure', () => {
    const { keys } = runtimeClosure();
    expect(keys.size).toBeGreaterThan(Object.keys(runtime).length);
    expect([...keys].filter((k) => lock.packages[k]?.hasInstallScript)).toEqual([]);
    // The HCL grammar has an install script (it builds a native module): it must stay a devDependency whose .wasm the
    // build copies into dist/, never a runtime dependency.
    expect(runtime['@tree-sitter-grammars/tree-sitter-hcl']).toBeUndefined();
    expect(pkg.devDependencies?.['@tree-sitter-grammars/tree-sitter-hcl']).toBeDefined();
  });

  it('keeps the heavy side features (graph SVG, diff) out of the default install as optional peers, tested at one version', () => {
    const full = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
      devDependencies?: Record<string, string>;
    };
    for (const [name, { version }] of Object.entries(OPTIONAL_PACKAGES)) {
      expect([name, runtime[name], full.peerDependencies?.[name], full.peerDependenciesMeta?.[name], full.devDependencies?.[name]]).toEqual([
        name,
        undefined,
        version,
        { optional: true },
        version,
      ]);
    }
    // No lifecycle script runs when the package is installed; dist/ is built when it is packed.
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(full.scripts ?? {}).filter((k) => lifecycle.includes(k))).toEqual([]);
    expect(full.scripts?.prepack).toBe('node scripts/build.mjs');
  });

  it('uses every runtime dependency from the source', () => {
    const text = sourceFiles(join(ROOT, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const imported = (name: string): boolean => new RegExp(`(from\\s+|require\\(\\s*|import\\(\\s*)['"]${name.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`).test(text);
    const names = Object.keys(runtime);
    expect(names.filter((n) => !imported(n))).toEqual([]);
  });

  it('names each runtime dependency with its reason in the documentation', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = (text: string): string | undefined => /^## Dependencies\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1];
    // The README carries the section once the lead merges it from docs/robustness.md.
    const docs = join(ROOT, 'docs', 'robustness.md');
    const text = section(readme) ?? (existsSync(docs) ? section(readFileSync(docs, 'utf8')) : undefined);
    expect(text).toBeDefined();
    // Each is named in backquotes on a line that also gives a reason (a few words besides the name).
    const reasoned = (name: string): boolean =>
      (text ?? '').split('\n').some((line) => line.includes(`\`${name}\``) && line.replace(`\`${name}\``, '').split(/[^A-Za-z]+/).filter((w) => w.length > 1).length >= 3);
    const missing = Object.keys(runtime).filter((n) => !reasoned(n));
    expect(missing).toEqual([]);
  });
});
