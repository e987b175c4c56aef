import { promises as fs } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { glob as Glob, isDynamicPattern as IsDynamicPattern } from 'tinyglobby';
import type { InputError, InputNotice } from '../model/types';
import { isCloudAssembly } from './cdk';
import { describeFsError } from './read';

/** Something to lint: a file, a CDK cloud assembly folder, or standard input. */
export type Target =
  | { kind: 'file'; path: string; explicit: boolean }
  | { kind: 'cdk'; dir: string }
  | { kind: 'stdin'; name?: string };

/** File endings looked at in a directory scan (named files are always read, whatever their ending). */
export const TEMPLATE_EXTENSIONS = ['yaml', 'yml', 'json', 'template', 'tf'];

/** Terragrunt's configuration file, scanned besides the template endings. */
const TERRAGRUNT_FILE = 'terragrunt.hcl';

/** Folders never scanned. */
const IGNORED_DIRS = ['node_modules', '.git', '.terraform'];

export interface DiscoverOptions {
  cwd: string;
  /** Extra glob patterns to skip (config `ignorePatterns`), relative to `cwd`. */
  ignore?: readonly string[];
  /** A named `.tf` file brings the other configuration files of its directory (default true). */
  moduleSiblings?: boolean;
  /** The name standard input is reported and configured as (`--stdin-filename`); default "<stdin>". */
  stdinName?: string;
}

/**
 * Expands the command-line inputs into targets: files as given, directories scanned recursively (skipping
 * node_modules, .git and .terraform; a folder with a cloud assembly manifest is one CDK target), globs expanded,
 * `-` for standard input. Output is sorted and free of duplicates so runs are deterministic.
 */
/**
 * tinyglobby (with picomatch), loaded on first use: a run over named files never expands a pattern or walks a folder
 * (cold start, see docs/performance.md).
 */
function globber(): { glob: typeof Glob; isDynamicPattern: typeof IsDynamicPattern } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('tinyglobby') as { glob: typeof Glob; isDynamicPattern: typeof IsDynamicPattern };
}

export async function discover(
  args: readonly string[],
  options: DiscoverOptions,
): Promise<{ targets: Target[]; errors: InputError[]; notices: InputNotice[] }> {
  const files = new Map<string, boolean>();
  const cdkDirs = new Set<string>();
  const errors: InputError[] = [];
  const notices: InputNotice[] = [];
  let stdin = false;
  for (const arg of args) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    const abs = resolve(options.cwd, arg);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (e) {
      if (globber().isDynamicPattern(arg)) {
        const matched = await globber().glob(arg, { cwd: options.cwd, ignore: ignoreGlobs(options.ignore), followSymbolicLinks: false, dot: false });
        if (matched.length === 0) errors.push({ file: arg, message: 'no files match this pattern' });
        for (const m of matched) if (!files.has(m)) files.set(m, false);
        continue;
      }
      errors.push({ file: arg, message: describeFsError(e) });
      continue;
    }
    if (stat.isDirectory()) {
      if (isCloudAssembly(abs)) {
        cdkDirs.add(arg);
        continue;
      }
      const before = files.size + cdkDirs.size;
      await scanDirectory(arg, options, files, cdkDirs);
      if (files.size + cdkDirs.size === before) notices.push({ file: arg, message: 'directory holds no templates; nothing to lint' });
    } else if (isTfvars(arg) && options.moduleSiblings !== false) {
      // A variables file is not linted itself: the root module of its directory is, with the values it sets.
      await addModuleSiblings(arg, options, files);
    } else {
      files.set(arg, true);
      if (isTerraformConfig(arg) && options.moduleSiblings !== false) await addModuleSiblings(arg, options, files);
    }
  }
  // Files inside a cloud assembly are read through its manifest, not as loose JSON.
  const assemblies = [...cdkDirs];
  const targets: Target[] = [];
  for (const [path, explicit] of [...files].sort((a, b) => compare(a[0], b[0]))) {
    if (!explicit && assemblies.some((d) => isInside(path, d))) continue;
    targets.push({ kind: 'file', path, explicit });
  }
  for (const dir of assemblies.sort(compare)) {
    if (assemblies.some((outer) => outer !== dir && isInside(dir, outer))) continue;
    targets.push({ kind: 'cdk', dir });
  }
  if (stdin) targets.push(options.stdinName !== undefined ? { kind: 'stdin', name: options.stdinName } : { kind: 'stdin' });
  return { targets, errors, notices };
}

async function scanDirectory(
  dir: string,
  options: DiscoverOptions,
  files: Map<string, boolean>,
  cdkDirs: Set<string>,
): Promise<void> {
  const base = resolve(options.cwd, dir);
  const found = await globber().glob([`**/*.{${TEMPLATE_EXTENSIONS.join(',')}}`, `**/${TERRAGRUNT_FILE}`], {
    cwd: base,
    ignore: [...IGNORED_DIRS.map((d) => `**/${d}/**`), ...ignoreGlobs(options.ignore).map((p) => relativePattern(p, dir))],
    followSymbolicLinks: false,
    dot: false,
  });
  for (const rel of found) {
    const path = joinRel(dir, rel);
    if (rel === 'manifest.json' || rel.endsWith('/manifest.json')) {
      const assemblyDir = path.slice(0, -'/manifest.json'.length) || dir;
      if (rel === 'manifest.json' ? isCloudAssembly(base) : isCloudAssembly(resolve(options.cwd, assemblyDir))) {
        cdkDirs.add(rel === 'manifest.json' ? dir : assemblyDir);
        continue;
      }
    }
    if (!files.has(path)) files.set(path, false);
  }
}

/** `.tfvars` and `.tfvars.json` files: naming one lints the module of its directory. */
function isTfvars(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.tfvars') || lower.endsWith('.tfvars.json');
}

/** `.tf` and `.tf.json` files: one of them stands for its whole module directory. */
function isTerraformConfig(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.tf') || lower.endsWith('.tf.json');
}

/**
 * A named `.tf` / `.tf.json` file is linted with the other configuration files of its directory: Terraform's unit is
 * the module, and a change to `variables.tf` alone can open a port written in `main.tf`.
 */
async function addModuleSiblings(file: string, options: DiscoverOptions, files: Map<string, boolean>): Promise<void> {
  const dir = dirname(file);
  let names: string[];
  try {
    names = await fs.readdir(resolve(options.cwd, dir));
  } catch {
    return;
  }
  for (const n of names.filter(isTerraformConfig).sort()) {
    const sibling = dir === '.' ? n : joinRel(dir, n);
    if (!files.has(sibling)) files.set(sibling, false);
  }
}

function ignoreGlobs(patterns: readonly string[] | undefined): string[] {
  return patterns ? [...patterns] : [];
}

/** Rewrites a cwd-relative ignore pattern to be relative to a scanned directory. */
function relativePattern(pattern: string, dir: string): string {
  if (pattern.startsWith('**/') || dir === '.' || dir === '') return pattern;
  const prefix = dir.replace(/\\/g, '/').replace(/\/$/, '') + '/';
  return pattern.startsWith(prefix) ? pattern.slice(prefix.length) : pattern;
}

function joinRel(dir: string, rel: string): string {
  if (dir === '.' || dir === '') return rel;
  return `${dir.replace(/[\\/]+$/, '')}/${rel}`;
}

function isInside(path: string, dir: string): boolean {
  const r = relative(dir, path);
  return r !== '' && !r.startsWith('..') && !r.startsWith(sep) && !r.includes(`..${sep}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
