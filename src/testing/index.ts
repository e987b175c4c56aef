/**
 * `sg-lint/testing`: run one rule over inline fixtures in any input format, with the `# expect:` markers sg-lint's own
 * fixtures use, so a rule (built-in or from a plugin) is tested against CloudFormation, Terraform and CDK in a few
 * lines:
 *
 * ```js
 * const { RuleTester } = require('sg-lint/testing');
 * new RuleTester().run(rule, {
 *   valid: [{ filename: 'ok.tf', code: '...' }],
 *   invalid: [{ filename: 'bad.yaml', code: 'SecurityGroupIngress:\n  - IpProtocol: tcp # expect: my-rule\n...' }],
 * });
 * ```
 *
 * Markers: `# expect: <rule-id>` (or `// expect:`) on the line of each expected finding, `x2` for two; in
 * CloudFormation JSON `"Metadata": { "sg-lint:test": { "expect": ["<rule-id>"] } }` on the resource; in `.tf.json`
 * `"//": "expect: <rule-id>"` in the resource body. A case lints exactly like sg-lint does (parsers, variants,
 * suppressions, fingerprints) with only the rule under test enabled.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { COMMENT_READER, compareFindings, READERS, readFixture } from '../docs/fixtures';
import type { Expectation, Fixture } from '../docs/fixtures';
import { lintRun } from '../engine/lint';
import type { Finding } from '../engine/types';
import { parseCidr } from '../model/cidr';
import type { CidrPeer } from '../model/types';
import { RULES } from '../rules';
import type { Rule, TrustedNetwork } from '../rules/api';

/** One test case: an input written inline (or several files, for a cdk.out assembly or a Terraform module). */
export interface TestCase {
  /** Shown as the test name; default: the file name. */
  name?: string;
  /**
   * The input's file name; its ending chooses the format the way sg-lint does (`.yaml`/`.json` templates are read by
   * content, `.tf` is HCL, `.tf.json` Terraform JSON). For several files, the one the expectations are read from.
   */
  filename: string;
  /** The input's text. */
  code: string;
  /** More files next to it, by relative path (a Terraform module's other files; `cdk.out/manifest.json` ...). */
  files?: Record<string, string>;
  /** Options of the rule under test, merged over its defaults. */
  options?: Record<string, unknown>;
  /** Named trusted networks, as the configuration's `networks`. */
  networks?: Record<string, string[]>;
  /** What to lint, relative to the case's folder; default `filename`. A `cdk.out` folder is linted as an assembly. */
  lint?: string;
}

/** The result of comparing a case's findings with its markers. */
export interface CaseResult {
  findings: Finding[];
  /** Expected findings not reported: "my-rule @ line 7". */
  missing: string[];
  /** Findings no marker expects: "my-rule @ line 9: message". */
  unexpected: string[];
}

/** Settings for every case of a tester. */
export interface RuleTesterOptions {
  /** Trusted networks for every case (a case's own `networks` are added). */
  networks?: Record<string, string[]>;
}

// Plugins' rules have their own option types; the tester takes any of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRule = Rule<any>;

/** Runs rules over inline cases and checks their findings against the cases' `# expect:` markers. */
export class RuleTester {
  constructor(private readonly defaults: RuleTesterOptions = {}) {}

  /** Lints one case with only `rule` enabled and compares the findings with its markers. Never throws on a mismatch. */
  async lint(rule: AnyRule, testCase: TestCase): Promise<CaseResult> {
    const dir = mkdtempSync(join(tmpdir(), 'sg-lint-test-'));
    try {
      for (const [name, text] of Object.entries({ ...(testCase.files ?? {}), [testCase.filename]: testCase.code })) {
        const path = resolve(dir, name);
        if (relative(dir, path).startsWith('..')) throw new Error(`file ${name} is outside the case's folder`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
      }
      const { findings } = await lintWithRule(rule, testCase.lint ?? testCase.filename, dir, testCase.options ?? {}, {
        ...(this.defaults.networks ?? {}),
        ...(testCase.networks ?? {}),
      });
      const fixture = fixtureOf(testCase.filename, testCase.code);
      // Reported paths are relative to the case's folder, as the markers' file is.
      return { findings, ...compareFindings(fixture, findings.filter((f) => toPosix(f.file) === toPosix(testCase.filename) || testCase.lint !== undefined)) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Lints one case and throws an error listing missing and unexpected findings when they differ from the markers. */
  async check(rule: AnyRule, testCase: TestCase): Promise<Finding[]> {
    const r = await this.lint(rule, testCase);
    assertResult(rule, testCase.name ?? testCase.filename, r);
    return r.findings;
  }

  /**
   * Checks a fixture on disk, as sg-lint's own fixture harness does: a file with `# expect:` markers (and
   * `# sg-lint-config: {...}` options on its first line), or a `cdk.out` folder whose templates carry the JSON
   * markers. `path` is relative to `cwd` (reported paths stay relative). Resolves to the findings and the files linted.
   */
  async checkFile(rule: AnyRule, path: string, cwd: string = process.cwd()): Promise<{ findings: Finding[]; files: string[] }> {
    const fixture = readFixture(cwd, toPosix(path));
    const run = await lintWithRule(rule, path, cwd, fixture.config, this.defaults.networks ?? {}, true);
    assertResult(rule, path, { findings: run.findings, ...compareFindings(fixture, run.findings) });
    return run;
  }

  /**
   * Registers one test per case with the test framework's global `describe` and `it` (Jest, Mocha, Vitest with
   * globals): `valid` cases must give no finding, `invalid` cases exactly the findings their markers expect.
   * Without such globals, call {@link check} from your framework's tests instead.
   */
  run(rule: AnyRule, cases: { valid?: TestCase[]; invalid?: TestCase[] }): void {
    const g = globalThis as { describe?: (name: string, fn: () => void) => void; it?: (name: string, fn: () => Promise<void>) => void };
    const { describe, it } = g;
    if (typeof describe !== 'function' || typeof it !== 'function') {
      throw new Error('RuleTester.run needs global describe and it (Jest, Mocha, Vitest globals); use tester.check(rule, case) otherwise');
    }
    describe(rule.meta.id, () => {
      describe('valid', () => {
        for (const c of cases.valid ?? []) {
          it(c.name ?? c.filename, async () => {
            const r = await this.lint(rule, c);
            if (expectationsOf(c).length > 0) throw new Error(`${c.name ?? c.filename}: a valid case has expect markers`);
            assertResult(rule, c.name ?? c.filename, r);
          });
        }
      });
      describe('invalid', () => {
        for (const c of cases.invalid ?? []) {
          it(c.name ?? c.filename, async () => {
            if (expectationsOf(c).length === 0) throw new Error(`${c.name ?? c.filename}: an invalid case needs at least one "expect:" marker`);
            await this.check(rule, c);
          });
        }
      });
    });
  }
}

/** Lints `path` (relative to `cwd`) with only `rule` enabled, at its default severity, with `options`. */
async function lintWithRule(
  rule: AnyRule,
  path: string,
  cwd: string,
  options: Record<string, unknown>,
  networks: Record<string, string[]>,
  /** Lint a .tf file alone, not with the other files of its folder (fixture folders hold unrelated files). */
  fileOnly = false,
): Promise<{ findings: Finding[]; files: string[] }> {
  const builtIn = RULES.includes(rule);
  const settings: Record<string, 'off' | { options: Record<string, unknown> }> = {};
  for (const r of RULES) settings[r.meta.id] = 'off';
  const declared = Object.keys(rule.meta.options);
  for (const name of Object.keys(options)) {
    if (!declared.includes(name)) throw new Error(`rule ${rule.meta.id} has no option "${name}" (options: ${declared.join(', ') || 'none'})`);
  }
  settings[rule.meta.id] = { options };
  const run = await lintRun([path], {
    cwd,
    // Fixture files on disk use the configuration found upward from them (a fixture folder may need one); inline
    // cases none.
    ...(fileOnly ? {} : { config: false as const }),
    preset: 'all',
    rules: settings,
    ...(builtIn ? {} : { extraRules: [rule as Rule<object>] }),
    trustedNetworks: trustedNetworks(networks),
    terraform: { fileOnly, env: {} },
  });
  if (run.result.errors.length > 0) {
    throw new Error(`the input could not be read: ${run.result.errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`).join('; ')}`);
  }
  return { findings: run.result.findings, files: run.result.files };
}

function trustedNetworks(networks: Record<string, string[]>): TrustedNetwork[] {
  return Object.entries(networks).map(([name, cidrs]) => ({
    name,
    cidrs: cidrs.map((c) => {
      const r = parseCidr(c);
      if (!r.ok) throw new Error(`network ${name}: ${r.error}`);
      return r.peer as CidrPeer;
    }),
  }));
}

function fixtureOf(filename: string, code: string): Fixture {
  const name = filename.split(/[\\/]/).pop() ?? filename;
  const reader = READERS.find((r) => r.applies(name)) ?? COMMENT_READER;
  const annotations = reader.read(code);
  return { path: toPosix(filename), kind: annotations.expectations.length > 0 ? 'bad' : 'good', ...annotations };
}

function expectationsOf(c: TestCase): Expectation[] {
  return fixtureOf(c.filename, c.code).expectations;
}

function assertResult(rule: AnyRule, name: string, r: CaseResult): void {
  if (r.missing.length === 0 && r.unexpected.length === 0) return;
  const lines = [`${rule.meta.id}: ${name}: findings differ from the expect markers`];
  for (const m of r.missing) lines.push(`  missing:    ${m}`);
  for (const u of r.unexpected) lines.push(`  unexpected: ${u}`);
  throw new Error(lines.join('\n'));
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
