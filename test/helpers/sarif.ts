/**
 * Validates SARIF logs the way the tools that consume them do: against the OASIS SARIF 2.1.0 errata01 schema
 * (draft-04), against GitHub code scanning's upload schema (from github/codeql-action), and against GitHub's
 * documented limits. The schemas come from the shared corpus (`../shared` beside the repository); without it the
 * schema bundled with `@microsoft/jest-sarif` is used so that schema validation always runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

/** The repository root. */
const REPO_ROOT = path.resolve(__dirname, '../..');
/** The shared corpus and reference folder beside the repository; may be absent. */
export const SHARED_DIR = path.resolve(REPO_ROOT, '../shared');

interface ManifestEntry {
  file: string;
  role?: string;
  format?: string;
  source?: string;
}

interface NamedValidator {
  name: string;
  validate: ValidateFunction;
}

/** Reads a JSON file. */
function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

/** The corpus path of the SARIF schema whose manifest `source` starts with `sourcePrefix`, if the corpus has it. */
export function corpusSarifSchema(sourcePrefix: string, sharedDir = SHARED_DIR): string | undefined {
  const corpusDir = path.join(sharedDir, 'corpus');
  const manifestFile = path.join(corpusDir, 'MANIFEST.json');
  if (!fs.existsSync(manifestFile)) return undefined;
  const entries = readJson(manifestFile) as ManifestEntry[];
  const entry = entries.find(
    (e) => e.role === 'schema' && e.format === 'sarif-schema' && (e.source ?? '').startsWith(sourcePrefix),
  );
  return entry ? path.join(corpusDir, entry.file) : undefined;
}

/** Compiles a draft-04 SARIF schema (the OASIS errata01 file, or jest-sarif's bundled copy). */
function compileDraft04(file: string, unicodeRegExp: boolean): ValidateFunction {
  const ajv = new Ajv04({ allErrors: true, unicodeRegExp });
  addFormats(ajv);
  return ajv.compile(readJson(file) as object);
}

/**
 * Compiles GitHub's upload schema (draft 2020-12). Its `region` definition lists `anyOf` inside `properties` by
 * mistake; the copy compiled here moves it one level up, where it means what it says (a region needs a start).
 */
function compileGithub(file: string): ValidateFunction {
  const schema = readJson(file) as { definitions?: { region?: { properties?: Record<string, unknown>; anyOf?: unknown } } };
  const region = schema.definitions?.region;
  if (region?.properties && Array.isArray(region.properties.anyOf)) {
    region.anyOf = region.properties.anyOf;
    delete region.properties.anyOf;
  }
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

const validatorCache = new Map<string, NamedValidator[]>();

/** The validators to run for a shared folder, compiled once per test file. */
function loadValidators(sharedDir: string): NamedValidator[] {
  const cached = validatorCache.get(sharedDir);
  if (cached) return cached;
  const oasis = corpusSarifSchema('oasis-tcs/sarif-spec@', sharedDir);
  const github = corpusSarifSchema('github/codeql-action@', sharedDir);
  const list: NamedValidator[] = [];
  if (oasis) {
    list.push({ name: 'OASIS SARIF 2.1.0', validate: compileDraft04(oasis, true) });
  } else {
    const bundled = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The bundled rtm.5 schema has a language-tag pattern that is invalid as a unicode regular expression.
    list.push({ name: 'SARIF 2.1.0 (jest-sarif)', validate: compileDraft04(bundled, false) });
  }
  if (github) {
    list.push({ name: 'GitHub upload schema', validate: compileGithub(github) });
  } else {
    console.log(`GitHub SARIF upload schema skipped: ${sharedDir} is absent`);
  }
  validatorCache.set(sharedDir, list);
  return list;
}

/** "name: /path message" for each ajv error. */
function describeErrors(name: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${name}: ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

interface LooseRun {
  tool?: { driver?: { rules?: { id?: string; properties?: { tags?: unknown[] } }[] } };
  results?: { ruleId?: string; ruleIndex?: number }[];
}

/** GitHub's limits and cross-references the schemas cannot express. */
function githubLimits(log: unknown): string[] {
  const runs = (log as { runs?: LooseRun[] }).runs ?? [];
  const problems: string[] = [];
  runs.forEach((run, r) => {
    const rules = run.tool?.driver?.rules ?? [];
    const results = run.results ?? [];
    if (results.length > 25_000) problems.push(`GitHub: run ${r} has ${results.length} results (max 25000)`);
    rules.forEach((rule, i) => {
      const tags = rule.properties?.tags ?? [];
      if (tags.length > 20) problems.push(`GitHub: rule ${rule.id ?? i} has ${tags.length} tags (max 20)`);
    });
    results.forEach((result, i) => {
      if (result.ruleIndex !== undefined && rules[result.ruleIndex]?.id !== result.ruleId) {
        problems.push(`GitHub: results/${i} ruleIndex ${result.ruleIndex} does not point at rule ${result.ruleId}`);
      }
    });
  });
  return problems;
}

/**
 * Validates a parsed SARIF log. Returns the problems found ("<schema>: <path> <message>", or "GitHub: ..." for the
 * limits, which are checked once the schemas pass); an empty array means the log is valid for the OASIS schema (or
 * jest-sarif's copy), GitHub's upload schema when available, and GitHub's limits. Never throws on malformed input.
 * `sharedDir` overrides where the corpus is looked for (tests of the fallback pass a folder that does not exist).
 */
export function validateSarif(log: unknown, sharedDir: string = SHARED_DIR): string[] {
  const problems: string[] = [];
  for (const { name, validate } of loadValidators(sharedDir)) {
    if (!validate(log)) problems.push(...describeErrors(name, validate.errors));
  }
  // The limit checks assume the structure the schemas guarantee, so they run only on schema-valid logs.
  return problems.length > 0 ? problems : githubLimits(log);
}
