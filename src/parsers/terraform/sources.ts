/**
 * Where the module a `module` block calls is on disk. Local paths (`./`, `../`) are read where they point; registry,
 * git and other remote sources are read where `terraform init` installed them, as recorded in the root module's
 * `.terraform/modules/modules.json`:
 *
 *     {"Modules":[{"Key":"","Source":"","Dir":"."},
 *                 {"Key":"web_sg","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Version":"5.3.0","Dir":".terraform/modules/web_sg"},
 *                 {"Key":"web_sg.inner","Source":"./modules/inner","Dir":".terraform/modules/web_sg/modules/inner"}]}
 *
 * `Key` is the path of call names from the root joined by dots (instance keys left out), `Dir` is relative to the root
 * module's directory and already includes a `//subdirectory` of the source. Verified against Terraform 1.11.4
 * (`terraform get` with local and `git::file://` sources; see docs/terraform.md).
 */
import { resolve } from 'node:path';
import { joinPath } from './config';
import { readTextSync } from '../read';

/** One installed module as modules.json records it. */
export interface InstalledModule {
  key: string;
  source: string;
  version?: string;
  /** Directory relative to the root module (as recorded; forward slashes). */
  dir: string;
}

/** The modules `terraform init` installed for one root module, by key; undefined when there is no manifest. */
export type ModuleManifest = ReadonlyMap<string, InstalledModule>;

/** True for a local path source: Terraform only treats `./`, `../` (and their Windows forms) as local. */
export function isLocalSource(source: string): boolean {
  return /^\.\.?([\\/]|$)/.test(source);
}

/** Where the manifest of a root module is: `<root>/.terraform/modules/modules.json` (or under TF_DATA_DIR). */
export function manifestPath(rootDir: string, dataDir = '.terraform'): string {
  return joinPath(joinPath(rootDir, dataDir), 'modules/modules.json');
}

/**
 * Reads the module manifest of a root module; undefined when there is none (the root was never initialised). A
 * manifest that cannot be parsed gives `error`.
 */
export function readManifest(rootDir: string, cwd: string, dataDir?: string): { manifest?: ModuleManifest; error?: string } {
  const path = manifestPath(rootDir, dataDir);
  const read = readTextSync(resolve(cwd, path));
  if (!read.ok) return read.message.startsWith('no such file') ? {} : { error: `${path} cannot be read (${read.message}); modules installed by terraform init are not read` };
  const text = read.text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}); modules installed by terraform init are not read` };
  }
  const list = (parsed as { Modules?: unknown } | null)?.Modules;
  if (!Array.isArray(list)) return { error: `${path} has no "Modules" list; modules installed by terraform init are not read` };
  const out = new Map<string, InstalledModule>();
  for (const m of list as unknown[]) {
    if (typeof m !== 'object' || m === null) continue;
    const { Key, Source, Dir, Version } = m as Record<string, unknown>;
    if (typeof Key !== 'string' || typeof Dir !== 'string' || Key === '') continue;
    const entry: InstalledModule = { key: Key, source: typeof Source === 'string' ? Source : '', dir: Dir.replace(/\\/g, '/') };
    if (typeof Version === 'string' && Version !== '') entry.version = Version;
    out.set(Key, entry);
  }
  return { manifest: out };
}

/**
 * A source as Terraform records it: registry addresses without a host get `registry.terraform.io/`; `//subdir` and
 * `?query` parts are kept. Used to tell whether what was installed is still what the configuration asks for.
 */
export function normalizeSource(source: string): string {
  const s = source.trim();
  if (isLocalSource(s) || s.includes('::') || /^[a-z]+:\/\//i.test(s)) return s;
  const [main = '', sub] = splitSubdir(s);
  const parts = main.split('/');
  // <namespace>/<name>/<provider> is a public registry module; <host>/<namespace>/<name>/<provider> a private one.
  const registry = parts.length === 3 && parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p));
  const withHost = registry ? `registry.terraform.io/${main}` : main;
  return sub === undefined ? withHost : `${withHost}//${sub}`;
}

/** `addr//sub/dir?q` -> [`addr?q`, `sub/dir`]: the part after a `//` that is not the `://` of a URL. */
function splitSubdir(s: string): [string, string | undefined] {
  const start = s.indexOf('://') >= 0 ? s.indexOf('://') + 3 : 0;
  const at = s.indexOf('//', start);
  if (at < 0) return [s, undefined];
  const rest = s.slice(at + 2);
  const q = rest.indexOf('?');
  return q < 0 ? [s.slice(0, at), rest] : [s.slice(0, at) + rest.slice(q), rest.slice(0, q)];
}

/** What a module call resolves to: a directory, or why it cannot be read (a notice for the user). */
export type Resolved = { dir: string; installed?: InstalledModule } | { missing: string };

/**
 * Resolves a module call of the root module `rootDir`: a local source against the calling module's directory, any
 * other through the manifest by the call's key.
 */
export function resolveModuleSource(
  request: { callerDir: string; source: string; key: string; address: string },
  rootDir: string,
  manifest: ModuleManifest | undefined,
): Resolved {
  const { source, key } = request;
  const name = request.address.replace(/^.*module\./, '');
  if (isLocalSource(source)) return { dir: joinPath(request.callerDir, source) };
  const installed = manifest?.get(key);
  if (!installed) return { missing: `module ${name} (${source}) is not installed: run terraform init` };
  if (installed.source !== '' && normalizeSource(installed.source) !== normalizeSource(source)) {
    return { missing: `module ${name} (${source}) was installed from ${installed.source}: run terraform init to install what the configuration names` };
  }
  return { dir: joinPath(rootDir, installed.dir), installed };
}
