import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ParsedInput } from '../../model/types';
import { normalizeConstructPath, parseCloudFormationDetailed } from '../cloudformation';
import { DEFAULT_MAX_FILE_SIZE, decodeText, readTextSync } from '../read';
import type { ParseOptions } from '../types';

/** Options of the cloud-assembly reader. */
export interface CdkParseOptions extends ParseOptions {
  /** Folder a relative `dir` is relative to (default: the process working directory). Reported paths keep `dir`'s form. */
  cwd?: string;
  /** Files of the assembly larger than this many bytes are refused with an error (default 50 MB). */
  maxFileSize?: number;
}

/** Deepest chain of nested assemblies (stages) and nested stacks followed. */
const MAX_NESTING = 20;

interface MetadataEntry {
  path: string;
  type: string;
  data: unknown;
}

interface Walk {
  root: string;
  options: CdkParseOptions;
  out: ParsedInput[];
  seen: Set<string>;
  /** Assembly folders already read (real paths): each is read once, however many manifests name it. */
  assemblies: Set<string>;
  /** Assembly folders being read, outermost first: a manifest naming one of them is a cycle. */
  reading: string[];
}

/** True when `dir` is a CDK cloud assembly: it has a `manifest.json` with an `artifacts` object. */
export function isCloudAssembly(dir: string): boolean {
  try {
    const read = readTextSync(join(dir, 'manifest.json'));
    if (!read.ok) return false;
    const manifest = JSON.parse(read.text) as unknown;
    return isObject(manifest) && isObject(manifest.artifacts);
  } catch {
    return false;
  }
}

/**
 * Reads a CDK cloud assembly (`cdk.out`): every `aws:cloudformation:stack` artifact's template, nested stacks and nested
 * assemblies (stages), each parsed with the CloudFormation parser as format `cdk`, with construct paths from the
 * assembly metadata. Unknown artifact types and newer manifest versions are tolerated; paths that leave the assembly
 * folder are not followed. Never throws: problems become errors of the returned inputs.
 */
export function parseCloudAssembly(dir: string, options: CdkParseOptions = {}): ParsedInput[] {
  const abs = resolve(options.cwd ?? process.cwd(), dir);
  const walk: Walk = { root: safeRealpath(abs), options, out: [], seen: new Set(), assemblies: new Set(), reading: [] };
  readAssembly(walk, dir, 0);
  return walk.out;
}

function readAssembly(walk: Walk, dir: string, depth: number, from?: { manifest: string; name: string }): void {
  const real = safeRealpath(resolve(walk.options.cwd ?? process.cwd(), dir));
  if (walk.reading.includes(real)) {
    // A nested assembly that is the folder itself or one of the assemblies that contain it: CDK never writes this.
    const file = from?.manifest ?? join(dir, 'manifest.json');
    walk.out.push({ ...failed(file, ''), errors: [{ file, message: `nested assembly ${JSON.stringify(from?.name ?? dir)} is an assembly that contains it (a cycle); not read again` }] });
    return;
  }
  if (walk.assemblies.has(real)) return;
  walk.assemblies.add(real);
  walk.reading.push(real);
  try {
    readManifest(walk, dir, depth);
  } finally {
    walk.reading.pop();
  }
}

function readManifest(walk: Walk, dir: string, depth: number): void {
  const manifestFile = join(dir, 'manifest.json');
  const manifest = readJsonFile(walk, manifestFile);
  if (manifest === undefined) return;
  if (!isObject(manifest) || !isObject(manifest.artifacts)) {
    walk.out.push(failed(manifestFile, 'manifest.json has no artifacts: not a cloud assembly'));
    return;
  }
  for (const artifact of Object.values(manifest.artifacts)) {
    if (!isObject(artifact) || !isObject(artifact.properties)) continue;
    if (artifact.type === 'aws:cloudformation:stack' && typeof artifact.properties.templateFile === 'string') {
      const metadata = readMetadata(walk, dir, artifact);
      readStack(walk, dir, artifact.properties.templateFile, metadata, '', depth);
    } else if (artifact.type === 'cdk:cloud-assembly' && typeof artifact.properties.directoryName === 'string') {
      const sub = inside(walk, dir, artifact.properties.directoryName, manifestFile);
      if (sub !== undefined && depth < MAX_NESTING) readAssembly(walk, sub, depth + 1, { manifest: manifestFile, name: artifact.properties.directoryName });
    }
  }
}

/** Parses one stack template, then the nested stacks it names. `scope` is the nested stack's construct path. */
function readStack(walk: Walk, dir: string, templateFile: string, metadata: MetadataEntry[], scope: string, depth: number): void {
  const file = inside(walk, dir, templateFile, join(dir, 'manifest.json'));
  if (file === undefined) return;
  const key = safeRealpath(resolve(walk.options.cwd ?? process.cwd(), file));
  if (walk.seen.has(key)) return;
  walk.seen.add(key);
  const text = readText(walk, file);
  if (text === undefined) return;
  const nestedScopes = metadata.filter((m) => m.type === 'aws:cdk:templateFile' && typeof m.data === 'string');
  const constructPaths = logicalIds(metadata, scope, nestedScopes.map((m) => m.path));
  const parseOptions = {
    format: 'cdk' as const,
    constructPaths,
    ...(walk.options.maxVariants !== undefined ? { maxVariants: walk.options.maxVariants } : {}),
    ...(walk.options.expansionBudget !== undefined ? { expansionBudget: walk.options.expansionBudget } : {}),
  };
  const detail = parseCloudFormationDetailed(text, file, parseOptions);
  walk.out.push(detail.input);
  if (depth >= MAX_NESTING) return;
  const nested = new Map<string, string>();
  for (const m of nestedScopes) {
    if (isDirectChild(m.path, scope, nestedScopes.map((n) => n.path))) nested.set(m.data as string, m.path);
  }
  for (const asset of detail.nestedTemplates) if (!nested.has(asset)) nested.set(asset, '\0');
  for (const [nestedFile, nestedScope] of nested) readStack(walk, dir, nestedFile, metadata, nestedScope, depth + 1);
}

/** Logical ID -> construct path for the resources of one (nested) stack: entries under `scope`, not deeper scopes. */
function logicalIds(metadata: MetadataEntry[], scope: string, scopes: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of metadata) {
    if (m.type !== 'aws:cdk:logicalId' || typeof m.data !== 'string') continue;
    if (owningScope(m.path, scopes) !== scope) continue;
    map.set(m.data, normalizeConstructPath(m.path));
  }
  return map;
}

/** The deepest nested-stack scope containing `path`, or '' for the top-level stack. */
function owningScope(path: string, scopes: string[]): string {
  let best = '';
  for (const s of scopes) if (path.startsWith(`${s}/`) && s.length > best.length) best = s;
  return best;
}

function isDirectChild(path: string, scope: string, scopes: string[]): boolean {
  return owningScope(path, scopes.filter((s) => s !== path)) === scope;
}

/** Metadata entries of an artifact: inline `metadata` and the `additionalMetadataFile`, merged. */
function readMetadata(walk: Walk, dir: string, artifact: Record<string, unknown>): MetadataEntry[] {
  const out: MetadataEntry[] = [];
  const add = (meta: unknown): void => {
    if (!isObject(meta)) return;
    for (const [path, entries] of Object.entries(meta)) {
      if (!Array.isArray(entries)) continue;
      for (const e of entries) if (isObject(e) && typeof e.type === 'string') out.push({ path, type: e.type, data: e.data });
    }
  };
  add(artifact.metadata);
  if (typeof artifact.additionalMetadataFile === 'string') {
    const file = inside(walk, dir, artifact.additionalMetadataFile, join(dir, 'manifest.json'));
    if (file !== undefined) add(readJsonFile(walk, file));
  }
  return out;
}

/** `join(dir, name)` when it stays inside the assembly folder; otherwise a notice and undefined. */
function inside(walk: Walk, dir: string, name: string, from: string): string | undefined {
  const file = join(dir, name);
  const abs = resolve(walk.options.cwd ?? process.cwd(), file);
  const real = existsSync(abs) ? safeRealpath(abs) : abs;
  const rel = relative(walk.root, real);
  if (isAbsolute(name) || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    walk.out.push({ ...failed(from, ''), errors: [], notices: [{ file: from, message: `not following ${name}: it is outside the cloud assembly` }] });
    return undefined;
  }
  return file;
}

function readText(walk: Walk, file: string): string | undefined {
  try {
    const abs = resolve(walk.options.cwd ?? process.cwd(), file);
    const stat = statSync(abs);
    if (!stat.isFile()) throw new Error('not a regular file');
    const max = walk.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (stat.size > max) throw new Error(`larger than --max-file-size (${stat.size} > ${max} bytes)`);
    const read = decodeText(readFileSync(abs));
    if (!read.ok) throw new Error(read.message);
    return read.text;
  } catch (e) {
    walk.out.push(failed(file, `cannot read ${file}: ${errorMessage(e)}`));
    return undefined;
  }
}

function readJsonFile(walk: Walk, file: string): unknown {
  const text = readText(walk, file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    walk.out.push(failed(file, `${file} is not valid JSON: ${errorMessage(e)}`));
    return undefined;
  }
}

function failed(file: string, message: string): ParsedInput {
  return { file, format: 'cdk', groups: [], users: [], errors: message ? [{ file, message }] : [], notices: [] };
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The message of a thrown value (fs errors may come from another realm, so no `instanceof Error`). */
function errorMessage(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
}
