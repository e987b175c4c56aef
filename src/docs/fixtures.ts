/**
 * Rule fixtures: `fixtures/rules/<rule-id>/{bad,good}.*` inputs with inline expectations. The fixture harness
 * (`test/rules.test.ts`) and the docs generator both read them through this module.
 *
 * Expectations are written in the fixture itself:
 * - formats with comments (YAML, HCL): `# expect: <rule-id>` (or `// expect:`) on the line where the finding must be
 *   reported, `x2` after an id for two findings on that line; `# ok: <rule-id>` documents a deliberate near miss.
 *   An optional first line `# sg-lint-config: {json}` gives the rule's options for the fixture.
 * - JSON (CloudFormation): `"Metadata": { "sg-lint:test": { "expect": ["<rule-id>", ...] } }` on the resource where the
 *   findings must be reported (matched on rule id and resource, count included); the template's root
 *   `"Metadata": { "sg-lint:test": { "config": {...} } }` gives the options.
 *   A resource inside an `Fn::ForEach` loop maps each generated logical ID to its rules: `"expect": {"WebSgprod": [...]}`.
 * - Terraform JSON (`.tf.json`): `"//": "expect: <rule-id>"` in the resource body (matched on `type.name`), and a root
 *   `"//": "sg-lint-config: {json}"`.
 * - A directory fixture (a cdk.out assembly): the JSON expectations of every `*.template.json` inside it.
 * Formats that can carry none of these get their own `AnnotationReader` in `READERS`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../engine/types';
import { pushAll } from '../model/arrays';

/** One expected finding: matched on rule id plus line (comment formats) or plus resource (JSON formats). */
export interface Expectation {
  ruleId: string;
  line?: number;
  resource?: string;
}

/** A fixture as the harness and the docs use it. */
export interface Fixture {
  /** Repo-relative path with forward slashes: "fixtures/rules/open-admin-port/bad.cfn.yaml". */
  path: string;
  kind: 'bad' | 'good';
  /** Options for the rule under test (merged over its defaults). */
  config: Record<string, unknown>;
  expectations: Expectation[];
  /**
   * For a directory fixture (a `*.cdk.out` cloud assembly): the repo-relative paths of the `*.template.json` files
   * directly inside it, sorted. These are the files sg-lint reports on and the ones that carry the expectations.
   */
  templates?: string[];
}

/** What a reader extracts from a fixture's text. */
export interface FixtureAnnotations {
  config: Record<string, unknown>;
  expectations: Expectation[];
}

/** Reads the annotations of one fixture format. Add one to support a format whose files cannot carry comments. */
export interface AnnotationReader {
  /** True when this reader handles the file (by name). */
  applies(fileName: string): boolean;
  read(text: string): FixtureAnnotations;
}

const CONFIG_COMMENT = /^\s*(?:#|\/\/)\s*sg-lint-config:\s*(\{.*\})\s*$/;
const EXPECT_COMMENT = /(?:#|\/\/)\s*expect:\s*(.*)$/;
const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)?$/;

/** Parses "open-admin-port x2, other-rule" into rule ids, one per expected finding. */
export function parseExpectList(text: string): string[] {
  const ids: string[] = [];
  for (const token of text.replace(/\(.*?\)/g, ' ').split(/[\s,]+/).filter(Boolean)) {
    const times = /^x(\d+)$/.exec(token);
    const last = ids[ids.length - 1];
    if (times && last !== undefined) {
      for (let i = 1; i < Number(times[1]); i++) ids.push(last);
    } else if (RULE_ID.test(token)) {
      ids.push(token);
    } else {
      throw new Error(`bad token "${token}" in expect comment`);
    }
  }
  return ids;
}

/** Comment-based annotations (YAML, HCL, anything with `#` or `//` comments). */
export const COMMENT_READER: AnnotationReader = {
  applies: (name) => !name.endsWith('.json'),
  read(text) {
    const lines = text.split(/\r\n|\r|\n/);
    const configMatch = CONFIG_COMMENT.exec(lines[0] ?? '');
    const config = configMatch?.[1] !== undefined ? (JSON.parse(configMatch[1]) as Record<string, unknown>) : {};
    const expectations: Expectation[] = [];
    lines.forEach((line, index) => {
      const m = EXPECT_COMMENT.exec(line);
      if (m?.[1] === undefined) return;
      for (const ruleId of parseExpectList(m[1])) expectations.push({ ruleId, line: index + 1 });
    });
    return { config, expectations };
  },
};

function testMetadata(node: unknown): Record<string, unknown> | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const meta = (node as Record<string, unknown>)['Metadata'];
  if (typeof meta !== 'object' || meta === null) return undefined;
  const test = (meta as Record<string, unknown>)['sg-lint:test'];
  return typeof test === 'object' && test !== null ? (test as Record<string, unknown>) : undefined;
}

/** CloudFormation JSON annotations: resource and root `Metadata["sg-lint:test"]`. */
export const CFN_JSON_READER: AnnotationReader = {
  applies: (name) => name.endsWith('.json'),
  read(text) {
    const root = JSON.parse(text) as Record<string, unknown>;
    const config = (testMetadata(root)?.['config'] ?? {}) as Record<string, unknown>;
    const expectations: Expectation[] = [];
    readResourceExpectations(root['Resources'], expectations);
    return { config, expectations };
  },
};

/**
 * The expectations of a Resources mapping. A resource inside an `Fn::ForEach` loop is written once for all its copies,
 * so its `expect` is an object from each generated logical ID to the rules expected on it.
 */
function readResourceExpectations(resources: unknown, out: Expectation[], depth = 0): void {
  if (typeof resources !== 'object' || resources === null || depth > 10) return;
  for (const [resource, body] of Object.entries(resources)) {
    if (resource.startsWith('Fn::ForEach::') && Array.isArray(body)) {
      readResourceExpectations(body[2], out, depth + 1);
      continue;
    }
    const expect = testMetadata(body)?.['expect'];
    if (Array.isArray(expect)) for (const ruleId of expect) out.push({ ruleId: String(ruleId), resource });
    else if (typeof expect === 'object' && expect !== null) {
      for (const [generated, rules] of Object.entries(expect)) {
        if (Array.isArray(rules)) for (const ruleId of rules) out.push({ ruleId: String(ruleId), resource: generated });
      }
    }
  }
}

function comment(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const c = (node as Record<string, unknown>)['//'];
  return typeof c === 'string' ? c : Array.isArray(c) ? c.filter((x) => typeof x === 'string').join(' ') : '';
}

/**
 * Terraform JSON annotations, in the `"//"` comment keys Terraform allows: `"//": "expect: <rule-id>"` in a resource
 * body (matched on the resource address `type.name`), and `"//": "sg-lint-config: {json}"` at the root.
 */
export const TF_JSON_READER: AnnotationReader = {
  applies: (name) => name.endsWith('.tf.json'),
  read(text) {
    const root = JSON.parse(text) as Record<string, unknown>;
    const configText = /sg-lint-config:\s*(\{.*\})\s*$/.exec(comment(root))?.[1];
    const config = configText !== undefined ? (JSON.parse(configText) as Record<string, unknown>) : {};
    const expectations: Expectation[] = [];
    const resources = root['resource'];
    const types = typeof resources === 'object' && resources !== null ? Object.entries(resources) : [];
    for (const [type, byName] of types) {
      if (typeof byName !== 'object' || byName === null) continue;
      for (const [name, body] of Object.entries(byName)) {
        const m = /expect:\s*(.*)$/.exec(comment(body));
        if (m?.[1] === undefined) continue;
        for (const ruleId of parseExpectList(m[1])) expectations.push({ ruleId, resource: `${type}.${name}` });
      }
    }
    return { config, expectations };
  },
};

/** Readers in order of preference; the first that applies reads the file. */
export const READERS: AnnotationReader[] = [TF_JSON_READER, CFN_JSON_READER, COMMENT_READER];

/** The `*.template.json` files directly inside a directory fixture, sorted by name. */
function templateNames(absDir: string): string[] {
  return readdirSync(absDir)
    .filter((n) => n.endsWith('.template.json'))
    .sort();
}

function readAnnotations(absPath: string): FixtureAnnotations {
  if (statSync(absPath).isDirectory()) {
    const merged: FixtureAnnotations = { config: {}, expectations: [] };
    for (const name of templateNames(absPath)) {
      const part = CFN_JSON_READER.read(readFileSync(join(absPath, name), 'utf8'));
      Object.assign(merged.config, part.config);
      pushAll(merged.expectations, part.expectations);
    }
    return merged;
  }
  const name = absPath.split(/[\\/]/).pop() ?? '';
  const reader = READERS.find((r) => r.applies(name)) ?? COMMENT_READER;
  return reader.read(readFileSync(absPath, 'utf8'));
}

/** Folders under `fixtures/rules`, sorted. */
export function fixtureFolders(root: string): string[] {
  const dir = join(root, 'fixtures', 'rules');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}

/** The fixtures of one rule (files or directories named `bad.*` / `good.*`), sorted by path. */
export function listFixtures(root: string, ruleId: string): Fixture[] {
  const dir = join(root, 'fixtures', 'rules', ruleId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /^(bad|good)\./.test(n))
    .sort()
    .map((name) => readFixture(root, `fixtures/rules/${ruleId}/${name}`));
}

/**
 * One fixture (a file, or a cdk.out folder) at `path`, relative to `root` with forward slashes: its annotations, and
 * `bad` when it expects findings (or its name starts with `bad.`).
 */
export function readFixture(root: string, path: string): Fixture {
  const abs = join(root, path);
  const name = path.split('/').pop() ?? path;
  const annotations = readAnnotations(abs);
  const kind = name.startsWith('bad.') || (!name.startsWith('good.') && annotations.expectations.length > 0) ? 'bad' : 'good';
  const fixture: Fixture = { path, kind, ...annotations };
  if (statSync(abs).isDirectory()) fixture.templates = templateNames(abs).map((t) => `${path}/${t}`);
  return fixture;
}

/** "open-admin-port @ line 12", "open-admin-port @ WebSg": how an expectation or finding is compared. */
function keyOf(e: Expectation, byLine: boolean): string {
  return byLine ? `${e.ruleId} @ line ${e.line ?? '?'}` : `${e.ruleId} @ ${e.resource ?? '?'}`;
}

/** The expected findings no finding met, and the findings no expectation covers (as multisets). */
export interface Comparison {
  missing: string[];
  unexpected: string[];
}

/**
 * Compares expectations and findings as multisets: on rule id and line when the expectations carry lines, else on
 * rule id and resource.
 */
export function compareFindings(fixture: Fixture, findings: readonly Finding[]): Comparison {
  const byResource = fixture.templates !== undefined || /\.json$/.test(fixture.path);
  const byLine = fixture.expectations.length === 0 ? !byResource : fixture.expectations.every((e) => e.line !== undefined);
  const remaining = new Map<string, number>();
  for (const e of fixture.expectations) {
    const k = keyOf(e, byLine);
    remaining.set(k, (remaining.get(k) ?? 0) + 1);
  }
  const unexpected: string[] = [];
  for (const f of findings) {
    const k = keyOf({ ruleId: f.ruleId, line: f.line, resource: f.resource }, byLine);
    const left = remaining.get(k) ?? 0;
    if (left > 0) remaining.set(k, left - 1);
    else unexpected.push(`${k}: ${f.message}`);
  }
  const missing = [...remaining.entries()].flatMap(([k, n]) => Array.from({ length: n }, () => k));
  return { missing, unexpected };
}
