/**
 * Change-aware linting: `sg-lint diff OLD NEW` (two CloudFormation templates or two cdk.out assemblies) and
 * `--diff-base <ref>` (each input against its version in git). Both lint the old version under the new version's
 * file names, so fingerprints line up, and report only findings the old version did not have.
 * `@aws-cdk/cloudformation-diff` (slow to load: about 0.6 s on first use) is required inside `securityChanges` only.
 */
import type { execFile as ExecFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Target } from '../parsers/discover';
import { discover } from '../parsers/discover';
import type { InputNotice, ParsedInput } from '../model/types';
import { readTemplateTree } from '../parsers/cloudformation';
import { readTextSync } from '../parsers/read';
import { plainOf } from './config';
import { requireOptional } from './optional';
import { parseStage } from './pipeline';
import type { ReadOptions } from './pipeline';
import { ConfigError } from './run';
import type { Finding } from './types';

/** Lints parsed inputs with the run's configuration (the engine's `evaluate` bound to a resolver). */
export type Evaluate = (inputs: readonly ParsedInput[]) => Finding[];

/** Parse options passed through to the parsers. */
/** How the old side is read: as the new side is (file-size and variant caps, parameter values, Terraform variables). */
export type DiffParseOptions = ReadOptions;

/** Fingerprints of the old version's findings, and notes about inputs that could not be compared. */
export interface OldFindings {
  fingerprints: Set<string>;
  notices: InputNotice[];
}

/** One security-group rule added or removed, as `@aws-cdk/cloudformation-diff` sees it. */
export interface SecurityChange {
  change: '+' | '-';
  direction: 'ingress' | 'egress';
  /** Logical ID of the group (from `${WebSg.GroupId}` / `${WebSg}`), or the value as written. */
  group: string;
  /** "tcp 22", "tcp 80-90", "all traffic", "icmp all". */
  traffic: string;
  /** "0.0.0.0/0", "group OtherSg", "prefix list pl-123". */
  peer: string;
  /** Stack name for cdk.out assemblies. */
  stack?: string;
}

function git(args: readonly string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  // Loaded on first use: only --diff-base runs git (cold start, see docs/performance.md).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFile } = require('node:child_process') as { execFile: typeof ExecFile };
  return new Promise((done) => {
    execFile('git', [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      done({ ok: !error, stdout, stderr: stderr || (error ? error.message : '') });
    });
  });
}

/**
 * Reads every file target at git `ref` (`git show <ref>:./<path>`, no shell), lints those old versions under the same
 * names and returns their fingerprints. A file absent at the ref contributes nothing (all its findings are new);
 * cdk.out folders and standard input are not compared (notice). Throws {@link ConfigError} for an unknown ref.
 */
export async function oldFingerprintsAtRef(
  targets: readonly Target[],
  ref: string,
  cwd: string,
  evaluate: Evaluate,
  options: DiffParseOptions = {},
): Promise<OldFindings> {
  const verify = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (!verify.ok) throw new ConfigError(`--diff-base: "${ref}" is not a commit of the git repository in ${cwd}`);
  const notices: InputNotice[] = [];
  const tmp = await fs.mkdtemp(join(tmpdir(), 'sg-lint-base-'));
  try {
    const oldTargets: Target[] = [];
    const names = new Map<string, string>();
    for (const t of targets) {
      if (t.kind !== 'file') {
        notices.push({ file: t.kind === 'cdk' ? t.dir : (t.name ?? '<stdin>'), message: `not compared with ${ref}: every finding counts as new` });
        continue;
      }
      const rel = relative(cwd, resolve(cwd, t.path)).split(sep).join('/');
      const shown = await git(['show', `${ref}:./${rel}`], cwd);
      if (!shown.ok) continue;
      const mirror = rel.replace(/(^|\/)\.\.(?=\/)/g, '$1__up__');
      await fs.mkdir(dirname(join(tmp, mirror)), { recursive: true });
      await fs.writeFile(join(tmp, mirror), shown.stdout);
      oldTargets.push({ kind: 'file', path: mirror, explicit: t.explicit });
      names.set(mirror, t.path);
      names.set(dirname(mirror), dirname(t.path));
    }
    const configured = options.configParameters;
    const parsed = await parseStage(
      oldTargets,
      cwd,
      { ...options, onProgress: undefined, ...(configured ? { configParameters: (file: string) => configured(names.get(file) ?? file) } : {}) },
      tmp,
    );
    for (const input of parsed.inputs) input.file = names.get(input.file) ?? input.file;
    return { fingerprints: new Set(evaluate(parsed.inputs).map((f) => f.fingerprint)), notices };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Lints the OLD side of `sg-lint diff` under the NEW side's names and returns its fingerprints: a template file is
 * renamed to NEW's path, a cdk.out folder's templates keep their names below NEW's folder.
 */
export async function oldFingerprintsOf(
  oldPath: string,
  newPath: string,
  cwd: string,
  evaluate: Evaluate,
  options: DiffParseOptions = {},
): Promise<Set<string>> {
  const found = await discover([oldPath], { cwd });
  const configured = options.configParameters;
  const parsed = await parseStage(found.targets, cwd, {
    ...options,
    onProgress: undefined,
    ...(configured ? { configParameters: (file: string) => configured(rename(file, oldPath, newPath)) } : {}),
  });
  for (const input of parsed.inputs) input.file = rename(input.file, oldPath, newPath);
  return new Set(evaluate(parsed.inputs).map((f) => f.fingerprint));
}

function rename(file: string, from: string, to: string): string {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const f = norm(file);
  const a = norm(from);
  if (f === a) return to;
  if (f.startsWith(`${a}/`)) return `${norm(to)}${f.slice(a.length)}`;
  return file;
}

/** A template to compare: its stack name (cdk.out) and plain JSON content. */
interface NamedTemplate {
  stack?: string;
  template: Record<string, unknown>;
}

/**
 * Reads the templates of one side of a diff: a template file (YAML short forms become long-form objects), or every
 * stack of a cdk.out assembly. Throws {@link ConfigError} (exit 2) when the path is neither.
 */
export function readTemplates(path: string, cwd: string): NamedTemplate[] {
  const abs = resolve(cwd, path);
  if (existsSync(join(abs, 'manifest.json'))) return readAssembly(abs, path);
  return [{ template: templateObject(readFileText(abs, path), path) }];
}

/** A file's text, read as parsers read inputs (regular files only, bounded); a ConfigError (exit 2) otherwise. */
function readFileText(abs: string, label: string): string {
  const read = readTextSync(abs);
  if (!read.ok) throw new ConfigError(`${label}: cannot read: ${read.message}`);
  return read.text;
}

function templateObject(text: string, label: string): Record<string, unknown> {
  const tree = readTemplateTree(text);
  const problem = tree.errors[0];
  if (problem || !tree.root) {
    const p = tree.lines.position(problem?.offset ?? 0);
    throw new ConfigError(`${label}:${p.line}:${p.column}: ${problem?.message ?? 'empty template'}`);
  }
  const data = plainOf(tree.root);
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${label}: not a CloudFormation template`);
  return data as Record<string, unknown>;
}

function readAssembly(dir: string, label: string): NamedTemplate[] {
  let manifest: { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }> };
  const text = readFileText(join(dir, 'manifest.json'), `${label}/manifest.json`);
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (e) {
    throw new ConfigError(`${label}/manifest.json: cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out: NamedTemplate[] = [];
  for (const [stack, artifact] of Object.entries(manifest.artifacts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = artifact.properties?.templateFile;
    if (artifact.type !== 'aws:cloudformation:stack' || !file || isAbsolute(file)) continue;
    const inside = relative(dir, join(dir, file));
    if (inside.startsWith('..') || isAbsolute(inside)) throw new ConfigError(`${label}/manifest.json: stack ${stack}: ${file} is outside the cloud assembly; not read`);
    out.push({ stack, template: templateObject(readFileText(join(dir, file), `${label}/${file}`), `${label}/${file}`) });
  }
  return out;
}

interface CfnDiffModule {
  fullDiff(current: object, next: object): { securityGroupChanges: { toJson(): SecurityJson } };
}

interface JsonRule {
  groupId?: string;
  ipProtocol?: string;
  fromPort?: number;
  toPort?: number;
  peer?: { kind: string; ip?: string; securityGroupId?: string; prefixListId?: string };
}

interface SecurityJson {
  ingressRuleAdditions?: JsonRule[];
  ingressRuleRemovals?: JsonRule[];
  egressRuleAdditions?: JsonRule[];
  egressRuleRemovals?: JsonRule[];
}

/**
 * The security-group rules added and removed between two sides (stacks of cdk.out assemblies are paired by name; a
 * stack on one side only is all additions or all removals). Loads `@aws-cdk/cloudformation-diff` on first use.
 */
export function securityChanges(oldSide: readonly NamedTemplate[], newSide: readonly NamedTemplate[]): SecurityChange[] {
  // An optional peer dependency: a clear message when it is not installed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cfnDiff = requireOptional<CfnDiffModule>('@aws-cdk/cloudformation-diff', () => require('@aws-cdk/cloudformation-diff'));
  const stacks = [...new Set([...oldSide, ...newSide].map((t) => t.stack ?? ''))].sort();
  const out: SecurityChange[] = [];
  for (const stack of stacks) {
    const before = oldSide.find((t) => (t.stack ?? '') === stack)?.template ?? {};
    const after = newSide.find((t) => (t.stack ?? '') === stack)?.template ?? {};
    const json = cfnDiff.fullDiff(before, after).securityGroupChanges.toJson();
    const add = (rules: JsonRule[] | undefined, change: '+' | '-', direction: 'ingress' | 'egress'): void => {
      for (const r of rules ?? []) out.push({ change, direction, ...describeRule(r), ...(stack ? { stack } : {}) });
    };
    add(json.ingressRuleAdditions, '+', 'ingress');
    add(json.ingressRuleRemovals, '-', 'ingress');
    add(json.egressRuleAdditions, '+', 'egress');
    add(json.egressRuleRemovals, '-', 'egress');
  }
  return out.sort(
    (a, b) =>
      cmp(a.stack ?? '', b.stack ?? '') || cmp(a.group, b.group) || cmp(a.direction, b.direction) || cmp(b.change, a.change) ||
      cmp(a.traffic, b.traffic) || cmp(a.peer, b.peer),
  );
}

function describeRule(r: JsonRule): { group: string; traffic: string; peer: string } {
  return { group: logicalId(r.groupId ?? '?'), traffic: describeTraffic(r), peer: describeRulePeer(r) };
}

/** `${WebSg.GroupId}` and `${WebSg}` are both the group WebSg. */
function logicalId(text: string): string {
  const m = /^\$\{([^.}]+)(?:\.GroupId)?\}$/.exec(text);
  return m?.[1] ?? text;
}

function describeTraffic(r: JsonRule): string {
  const proto = String(r.ipProtocol ?? '?').toLowerCase();
  if (proto === '-1' || proto === 'all') return 'all traffic';
  const named = proto === '6' ? 'tcp' : proto === '17' ? 'udp' : proto === '1' ? 'icmp' : proto === '58' ? 'icmpv6' : proto;
  if (!/^(tcp|udp|icmp|icmpv6)$/.test(named)) return `protocol ${named}`;
  const from = r.fromPort;
  const to = r.toPort;
  if (from === undefined || from === -1) return `${named} all`;
  if (named.startsWith('icmp')) return `${named} type ${from}${to !== undefined && to !== -1 ? ` code ${to}` : ''}`;
  if (from === 0 && to === 65535) return `${named} all`;
  return to === undefined || to === from ? `${named} ${from}` : `${named} ${from}-${to}`;
}

function describeRulePeer(r: JsonRule): string {
  const p = r.peer;
  if (!p) return '?';
  if (p.kind === 'cidr-ip') return p.ip ?? '?';
  if (p.kind === 'security-group') return `group ${logicalId(p.securityGroupId ?? '?')}`;
  if (p.kind === 'prefix-list') return `prefix list ${p.prefixListId ?? '?'}`;
  return p.kind;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
