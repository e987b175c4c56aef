import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InputFormat, InputNotice, ParsedInput } from '../model/types';
import { STDIN_NAME } from '../parsers';
import { DEFAULT_MAX_FILE_SIZE, readText as readFileText } from '../parsers/read';
import type { TerraformOptions } from '../parsers/terraform';
import { RULES } from '../rules';
import { applyBaseline, parseBaseline } from './baseline';
import { boundResult } from './bounds';
import { readInputs, readText, sortByFile } from './pipeline';
import type { ReadInputs, ReadOptions } from './pipeline';
import type { Baseline } from './baseline';
import { ConfigResolver, checkPreset, displayPath } from './config';
import { oldFingerprintsAtRef, oldFingerprintsOf, readTemplates, securityChanges } from './diff';
import type { SecurityChange } from './diff';
import type { PresetName } from './presets';
import type { RuleSettings } from './run';
import { compareFindings, ConfigError, runRules } from './run';
import type { ObservedFinding } from './suppressions';
import { applySuppressions, isoDay } from './suppressions';
import { foldOverlaps } from './fold';
import type { Finding, LintResult, Rule, TrustedNetwork } from './types';
import { pushAll } from '../model/arrays';

/** Options of a lint run (the programmatic API and the CLI share them). */
export interface LintOptions {
  /** Folder relative paths are resolved against; default `process.cwd()`. */
  cwd?: string;
  /**
   * Configuration file: a path used for every input (CLI `--config`), `false` to read none, or undefined (default) to
   * use the nearest `.sg-lint.yaml` / `.sg-lint.yml` / `.sg-lint.json` above each input.
   */
  config?: string | false;
  /** Per-rule settings applied after the configuration file's: severity, `off`, options. */
  rules?: RuleSettings;
  /** Which rules are on before `rules` applies; replaces the configuration's `extends`. */
  preset?: PresetName;
  /**
   * Run only these rules (CLI `--only`): every other rule of each input's rule set is off, built-in, plugin and
   * policy rules alike; the named ones keep their configured severity and options. An id no rule set knows is a
   * configuration error.
   */
  only?: readonly string[];
  /**
   * Plugins for every input, as the CLI's `--plugin` gives them: paths (relative to `cwd`) or package names. Plugins
   * named by configuration files are loaded too. A plugin is code: name only plugins you trust.
   */
  plugins?: string[];
  /** Rules to add to the built-in ones, as a plugin's would be (ids must not clash); `sg-lint/testing` uses it. */
  extraRules?: readonly Rule<object>[];
  /** Named networks treated as trusted rather than public (added to the configuration's `networks`). */
  trustedNetworks?: TrustedNetwork[];
  /** Glob patterns (relative to cwd) never linted. */
  ignorePatterns?: string[];
  /** Files larger than this many bytes are refused with an error. */
  maxFileSize?: number;
  /**
   * CloudFormation parameter files (CLI `[{ParameterKey, ParameterValue}]`, `{ "Parameters": {...} }` of `aws
   * cloudformation deploy` and CodePipeline, or a plain object), relative to cwd; later files override earlier ones.
   */
  parameterFiles?: string[];
  /**
   * CloudFormation parameter values (CLI `--parameter Key=Value`); they override the files, and both override the
   * configuration file's `parameters`.
   */
  parameters?: Record<string, string>;
  /** Cap on the variants one rule entry expands into (Fn::If x AllowedValues). */
  maxVariants?: number;
  /** Progress callback (files parsed so far, total). */
  onProgress?: (done: number, total: number) => void;
  /** The clock suppression expiry is judged by; default now. */
  now?: Date;
  /** A baseline (or the path of a baseline file, relative to cwd): findings recorded in it are suppressed. */
  baseline?: string | Baseline;
  /** Report only findings on resources a Terraform plan changes (inputs without change information keep all). */
  onlyChanged?: boolean;
  /**
   * Compare each input with its version at this git ref and report only findings it did not have (a file absent at
   * the ref is all new). Runs `git show` in cwd.
   */
  diffBase?: string;
  /**
   * Terraform: variable values for every root module linted, in the order given (`--var-file FILE`, `--var
   * name=value`), and the environment `TF_VAR_<name>` values are read from (default `process.env`).
   */
  terraform?: TerraformOptions;
  /** The name standard input (`-`) is reported and configured as; default "<stdin>". */
  stdinFilename?: string;
}

/** A lint result plus the source texts read, for reporters that show code. */
export interface LintRun {
  result: LintResult;
  sources: Map<string, string>;
}

/**
 * Lints files, directories, globs and cdk.out folders. Never throws on bad input: unreadable or unparsable inputs
 * are reported in `errors` and every other input is still linted. Throws `ConfigError` for a bad configuration.
 */
export async function lint(paths: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  return (await lintRun(paths, options)).result;
}

/** Like {@link lint}, also returning the source texts (used by the CLI for code frames). */
export async function lintRun(paths: readonly string[], options: LintOptions = {}): Promise<LintRun> {
  const cwd = options.cwd ?? process.cwd();
  const resolver = createResolver(options, cwd);
  const read = await readInputs(paths, cwd, resolver, options);
  return finish(read, resolver, cwd, options);
}

/** Options of {@link lintText}: a lint run's options, the name the text is linted as, and its format if known. */
export interface LintTextOptions extends Omit<LintOptions, 'diffBase' | 'ignorePatterns' | 'onProgress'> {
  /**
   * The file the text stands for (relative to `cwd`): findings name it, its folder decides the configuration file
   * (the nearest `.sg-lint.yaml` above it), and its name helps detect the format (`.tf`).
   */
  filename: string;
  /** The input format; by default detected from the content, as for files. `cdk` is a folder and cannot be a text. */
  format?: InputFormat;
}

/**
 * Lints one text, for editors and other tools that hold a buffer rather than a file: the same parse, evaluate and
 * filter stages as {@link lint}, with the configuration that applies to `filename`. Never throws on bad input;
 * throws `ConfigError` for a bad configuration.
 */
export async function lintText(text: string, options: LintTextOptions): Promise<LintRun> {
  const cwd = options.cwd ?? process.cwd();
  const resolver = createResolver(options, cwd);
  const read = await readText(text, options.filename, options.format, cwd, withConfigParameters(options, resolver));
  return finish(read, resolver, cwd, options);
}

/** Stages 3 and 4: evaluate the parsed inputs, then apply the only-changed, diff and baseline filters. */
async function finish(read: ReadInputs, resolver: ConfigResolver, cwd: string, options: LintOptions): Promise<LintRun> {
  const now = options.now ?? new Date();
  const notices = [...read.notices];
  let findings = evaluate(read.inputs, resolver, now);
  if (options.onlyChanged) findings = findings.filter((f) => f.introduced !== false);
  if (options.diffBase !== undefined) {
    const old = await oldFingerprintsAtRef(read.targets, options.diffBase, cwd, (oldInputs) => evaluate(oldInputs, resolver, now), withConfigParameters(options, resolver));
    findings = keepNew(findings, old.fingerprints, `at ${options.diffBase}`, notices);
    pushAll(notices, old.notices);
  }
  const result: LintResult = {
    findings,
    errors: read.errors,
    notices,
    files: [...new Set(read.inputs.map((i) => i.file))].sort(),
    rules: enabledRules(read.inputs, resolver),
  };
  if (options.baseline !== undefined) {
    const { baseline, label } = await loadBaseline(options.baseline, cwd);
    applyBaseline(result, baseline, label);
  }
  result.notices = sortByFile(result.notices);
  boundResult(result);
  return { result, sources: await withModuleSources(read.sources, result.findings, cwd, options.maxFileSize) };
}

/**
 * The source texts plus those of files that only findings name (Terraform modules read through a call, such as
 * `.terraform/modules/...`), so reports can show their code too. Files that cannot be read are left out.
 */
async function withModuleSources(sources: Map<string, string>, findings: readonly Finding[], cwd: string, maxSize = DEFAULT_MAX_FILE_SIZE): Promise<Map<string, string>> {
  for (const file of new Set(findings.map((f) => f.file))) {
    if (sources.has(file) || file === STDIN_NAME) continue;
    const read = await readFileText(resolve(cwd, file), maxSize);
    if (read.ok) sources.set(file, read.text);
  }
  return sources;
}

/** What `sg-lint diff` produced: NEW's new findings (marked `introduced`) and the rule changes. */
export interface DiffRun extends LintRun {
  changes: SecurityChange[];
}

/**
 * `sg-lint diff OLD NEW`: lists rules added and removed (via `@aws-cdk/cloudformation-diff`), lints NEW, and keeps
 * only the findings whose fingerprint OLD (read by the same stages under NEW's names, with NEW's configuration) did
 * not have.
 */
export async function runDiff(oldPath: string, newPath: string, options: LintOptions = {}): Promise<DiffRun> {
  const cwd = options.cwd ?? process.cwd();
  const changes = securityChanges(readTemplates(oldPath, cwd), readTemplates(newPath, cwd));
  const run = await lintRun([newPath], options);
  const resolver = createResolver(options, cwd);
  const now = options.now ?? new Date();
  const old = await oldFingerprintsOf(oldPath, newPath, cwd, (inputs) => evaluate(inputs, resolver, now), withConfigParameters(options, resolver));
  run.result.findings = keepNew(run.result.findings, old, `in ${oldPath}`, run.result.notices);
  return { ...run, changes };
}

/** The read options with the configuration's parameter values for each file (`parameters`, matching `overrides`). */
function withConfigParameters<T extends ReadOptions>(options: T, resolver: ConfigResolver): T {
  return { ...options, configParameters: (file: string) => resolver.effective(file).parameters };
}

/** The configuration resolver a run uses (exported for `--print-config` and `diff`). */
export function createResolver(options: LintOptions, cwd: string, builtIn: readonly Rule<object>[] = RULES): ConfigResolver {
  const rules = options.extraRules && options.extraRules.length > 0 ? [...builtIn, ...options.extraRules] : builtIn;
  return new ConfigResolver({
    cwd,
    ...(options.config !== undefined ? { config: options.config } : {}),
    overlay: {
      ...(options.preset !== undefined ? { preset: checkPreset(options.preset) } : {}),
      ...(options.rules ? { rules: options.rules } : {}),
      ...(options.only && options.only.length > 0 ? { only: options.only } : {}),
      ...(options.trustedNetworks ? { trustedNetworks: options.trustedNetworks } : {}),
    },
    rules,
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
}

/**
 * Runs each input's rules (from its effective configuration), applies in-source suppressions and adds the
 * suppression diagnostics. Returns sorted, deduplicated findings.
 */
export function evaluate(inputs: readonly ParsedInput[], resolver: ConfigResolver, now: Date, observeKept?: (kept: readonly ObservedFinding[]) => void): Finding[] {
  const observed: ObservedFinding[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const activeOf = (input: ParsedInput): ReturnType<ConfigResolver['activeRules']> => resolver.activeRules(resolver.effective(input.file));
  for (const input of inputs) {
    const config = resolver.effective(input.file);
    runRules([input], resolver.activeRules(config), config.trustedNetworks, (finding, report) => {
      findings.push(finding);
      observed.push({ finding, report, input });
    });
  }
  markChanged(observed);
  const diagnostics = applySuppressions(observed, inputs, {
    today: isoDay(now),
    activeRules: activeOf,
    knownRuleIds: resolver.ruleIds(),
    policy: (input) => resolver.effective(input.file).suppressions,
  });
  for (const d of diagnostics) {
    const at = `${d.fingerprint}@${d.file}:${d.line}:${d.column}`;
    if (seen.has(at)) continue;
    seen.add(at);
    findings.push(d);
  }
  // One problem, one finding: overlapping exposure findings on one rule entry fold into the most specific one, and
  // a module several root configurations deploy reports what does not depend on the caller once.
  const dropped = foldOverlaps(observed);
  for (const f of sameAcrossInputs(findings.filter((x) => !dropped.has(x)), observed)) dropped.add(f);
  observeKept?.(observed.filter((o) => !dropped.has(o.finding)));
  return numberRepeats(findings.filter((f) => !dropped.has(f)).sort(compareFindings));
}

/**
 * The findings that repeat, in another input, a finding identical in everything a report shows (rule, severity,
 * message, location, resource, related locations, suppression): Terragrunt units or environment folders that deploy
 * the same module each lint it, and a problem written in the module itself (a literal 0.0.0.0/0, a group nothing
 * attaches) came out once per unit. Of identical findings the one with the smallest fingerprint stays, so the choice
 * does not depend on the order of the inputs; the merge happens before the baseline is applied, so a baseline
 * records the one that stays. Repeats within one input are different rules written twice and stay (numberRepeats).
 */
function sameAcrossInputs(findings: readonly Finding[], observed: readonly ObservedFinding[]): Finding[] {
  const inputOf = new Map<Finding, ParsedInput>();
  for (const o of observed) inputOf.set(o.finding, o.input);
  if (new Set(inputOf.values()).size < 2) return [];
  const first = new Map<string, { finding: Finding; input: ParsedInput }>();
  const out: Finding[] = [];
  for (const f of findings) {
    const input = inputOf.get(f);
    if (!input) continue;
    const { fingerprint: _fingerprint, ...shown } = f;
    const key = JSON.stringify(shown);
    const prev = first.get(key);
    if (!prev) {
      first.set(key, { finding: f, input });
      continue;
    }
    if (prev.input === input) continue;
    if (f.fingerprint < prev.finding.fingerprint) {
      out.push(prev.finding);
      first.set(key, { finding: f, input });
    } else out.push(f);
  }
  return out;
}

/**
 * Gives every finding a distinct fingerprint: a rule written twice in one group yields two findings with the same
 * content identity, so the second and later ones get an occurrence suffix ("-2"), in report order.
 */
function numberRepeats(findings: Finding[]): Finding[] {
  const count = new Map<string, number>();
  for (const f of findings) {
    const n = (count.get(f.fingerprint) ?? 0) + 1;
    count.set(f.fingerprint, n);
    if (n > 1) f.fingerprint = `${f.fingerprint}-${n}`;
  }
  return findings;
}

/** Terraform plans: findings on resources the plan creates or updates get `introduced: true`, the others `false`. */
function markChanged(observed: readonly ObservedFinding[]): void {
  for (const { finding, input } of observed) {
    if (!input.changedResources) continue;
    const changed = input.changedResources;
    finding.introduced = changed.includes(finding.resource) || (finding.securityGroup !== undefined && changed.includes(finding.securityGroup));
  }
}

/** Drops findings whose fingerprint the old version already had and marks the rest as introduced. */
function keepNew(findings: readonly Finding[], old: ReadonlySet<string>, where: string, notices: InputNotice[]): Finding[] {
  const kept = findings.filter((f) => !old.has(f.fingerprint));
  for (const f of kept) f.introduced = true;
  const dropped = findings.length - kept.length;
  if (dropped > 0) {
    notices.push({ file: '.', message: `${dropped} ${dropped === 1 ? 'finding' : 'findings'} already present ${where} not reported` });
  }
  return kept;
}

function enabledRules(inputs: readonly ParsedInput[], resolver: ConfigResolver): LintResult['rules'] {
  const byId = new Map<string, LintResult['rules'][number]>();
  const configs = inputs.length > 0 ? inputs.map((i) => resolver.effective(i.file)) : [resolver.effective('.')];
  for (const config of configs) for (const a of resolver.activeRules(config)) byId.set(a.rule.meta.id, a.rule.meta);
  return [...byId.keys()].sort().map((id) => byId.get(id) as LintResult['rules'][number]);
}

async function loadBaseline(source: string | Baseline, cwd: string): Promise<{ baseline: Baseline; label: string }> {
  if (typeof source !== 'string') return { baseline: source, label: 'baseline' };
  const path = resolve(cwd, source);
  const label = displayPath(path, cwd);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${label}: cannot read baseline file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return { baseline: parseBaseline(text, label), label };
}
