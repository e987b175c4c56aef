// Configuration files: validation messages, the shipped schema, upward discovery, overrides, ignorePatterns, networks.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResolver, parseConfigText } from '../src/engine/config';
import { suggestion } from '../src/engine/config-errors';
import { buildConfigSchema, compileValidator } from '../src/engine/config-schema';
import { lint } from '../src/engine/lint';
import { inPreset, presetRuleIds } from '../src/engine/presets';
import { ConfigError } from '../src/engine/run';
import { RULES } from '../src/rules';

const ROOT = join(__dirname, '..');
const PROJECT = 'fixtures/config/project';

/** The ConfigError message for a config text, or 'valid'. */
function problems(text: string, name = '.sg-lint.yaml'): string {
  try {
    parseConfigText(text, `/repo/${name}`, name, RULES);
    return 'valid';
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
}

describe('validation messages', () => {
  it('names the file, position, path and a suggestion for a misspelled rule id', () => {
    expect(problems('rules:\n  open-db-prot: error\n')).toBe('.sg-lint.yaml:2:3: rules.open-db-prot: unknown rule; did you mean "open-db-port"?');
    expect(problems('rules:\n  frobnicate: error\n')).toBe(
      '.sg-lint.yaml:2:3: rules.frobnicate: unknown rule; run sg-lint --list-rules for the rule ids',
    );
  });

  it('lists the allowed keys for a wrong top-level key', () => {
    expect(problems('extend: strict\n')).toBe(
      '.sg-lint.yaml:1:1: extend: unknown key; allowed keys are $schema, extends, ignorePatterns, networks, overrides, parameters, plugins, policies, rules, suppressions; did you mean "extends"?',
    );
  });

  it('lists allowed values for a bad preset or severity', () => {
    expect(problems('extends: recomended\n')).toBe(
      '.sg-lint.yaml:1:10: extends: must be one of recommended, strict, all, or a plugin\'s preset such as acme/strict (got "recomended"); did you mean "recommended"?',
    );
    expect(problems('rules:\n  open-db-port: warn\n')).toBe(
      '.sg-lint.yaml:2:17: rules.open-db-port: must be one of off, error, warning, note (got "warn")',
    );
    expect(problems('rules:\n  open-db-port: 5\n')).toBe(
      '.sg-lint.yaml:2:17: rules.open-db-port: must be off, error, warning, note or an object with severity and options (got number 5)',
    );
  });

  it('checks rule options against the rule metadata', () => {
    expect(problems('rules:\n  open-db-port:\n    options:\n      port: [tcp/1]\n')).toBe(
      '.sg-lint.yaml:4:7: rules.open-db-port.options.port: unknown option of open-db-port; options are ports, reportPublic; did you mean "ports"?',
    );
    expect(problems('rules:\n  open-db-port:\n    sevrity: error\n')).toBe(
      '.sg-lint.yaml:3:5: rules.open-db-port.sevrity: unknown key; allowed keys are severity, options; did you mean "severity"?',
    );
    expect(problems('rules:\n  open-db-port:\n    options:\n      reportPublic: yes\n      ports: ["22"]\n')).toBe(
      [
        '.sg-lint.yaml:4:21: rules.open-db-port.options.reportPublic: must be boolean (got "yes")',
        '.sg-lint.yaml:5:15: rules.open-db-port.options.ports[0]: must match ^(tcp|udp)/\\d{1,5}(-\\d{1,5})?$ (got "22"); expected: Database, cache and search ports to protect, as "protocol/port" or "protocol/from-to"',
      ].join('\n'),
    );
  });

  it('reports malformed CIDRs in networks, one line each', () => {
    expect(problems('networks:\n  office: [203.0.113.0/33, nope]\n')).toBe(
      [
        '.sg-lint.yaml:2:12: networks.office[0]: "203.0.113.0/33" is not a valid CIDR block; expected address/prefix such as 203.0.113.0/24',
        '.sg-lint.yaml:2:28: networks.office[1]: "nope" is not a CIDR block; expected address/prefix such as 203.0.113.0/24',
      ].join('\n'),
    );
  });

  it('checks overrides', () => {
    expect(problems('overrides:\n  - rules: {}\n')).toBe('.sg-lint.yaml:2:5: overrides[0]: missing required key "files"');
    expect(problems('overrides:\n  - files: [a]\n    rules:\n      open-admin-prt: off\n')).toBe(
      '.sg-lint.yaml:4:7: overrides[0].rules.open-admin-prt: unknown rule; did you mean "open-admin-port"?',
    );
  });

  it('positions JSON configs and syntax errors too', () => {
    expect(problems('{\n  "rules": { "open-db-prot": "off" }\n}\n', '.sg-lint.json')).toBe(
      '.sg-lint.json:2:14: rules.open-db-prot: unknown rule; did you mean "open-db-port"?',
    );
    expect(problems('{ "rules": ', '.sg-lint.json')).toMatch(/^\.sg-lint\.json:1:\d+: /);
    expect(problems('rules: [\n')).toMatch(/^\.sg-lint\.yaml:2:1: /);
  });

  it('accepts a valid configuration and an empty file', () => {
    expect(problems(readFileSync(join(ROOT, PROJECT, '.sg-lint.yaml'), 'utf8'))).toBe('valid');
    expect(problems('')).toBe('valid');
    expect(problems('rules:\n  open-admin-port: { severity: warning }\n  open-db-port: { options: { reportPublic: false } }\n')).toBe('valid');
  });

  it('suggests only close matches', () => {
    expect(suggestion('open-db-prot', ['open-db-port', 'open-admin-port'])).toBe('; did you mean "open-db-port"?');
    expect(suggestion('xyz', ['open-db-port'])).toBe('');
  });
});

describe('the shipped JSON Schema', () => {
  const shipped = join(ROOT, 'schemas', 'config.schema.json');
  const built = buildConfigSchema(RULES);

  it('is up to date with the rules (regenerate: UPDATE_CONFIG_SCHEMA=1 npx jest test/config.test.ts)', () => {
    if (process.env.UPDATE_CONFIG_SCHEMA === '1') writeFileSync(shipped, `${JSON.stringify(built, null, 2)}\n`);
    expect(JSON.parse(readFileSync(shipped, 'utf8'))).toEqual(built);
  });

  it('has a property per rule id and compiles in strict mode', () => {
    const rules = (built.$defs as { rules: { properties: Record<string, unknown> } }).rules.properties;
    expect(Object.keys(rules)).toEqual(RULES.map((r) => r.meta.id).sort());
    const validate = compileValidator(RULES);
    expect(validate({ rules: { 'open-admin-port': 'off' } })).toBe(true);
    expect(validate({ rules: { 'open-admin-port': 'loud' } })).toBe(false);
  });
});

describe('the validator generated at build time', () => {
  const built = join(ROOT, 'dist', 'engine', 'config-validator.js');
  // Present after `npm run build` (scripts/gen-config-validator.mjs); tests from a fresh checkout compile at run time.
  (existsSync(built) ? it : it.skip)('reports the same errors as the runtime-compiled one', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prebuilt = (require(built) as { default: (d: unknown) => boolean } & { default: { errors?: unknown[] } }).default;
    const runtime = compileValidator(RULES);
    for (const data of [{ rules: { 'open-admin-port': 'loud' } }, { extend: 'all' }, { networks: { office: ['x'] } }, { extends: 'strict' }, { extends: ['strict', 'acme/strict'] }, { extends: ['plugin:acme/strict', 5] }]) {
      expect([prebuilt(data), prebuilt.errors ?? null]).toEqual([runtime(data), runtime.errors ?? null]);
    }
  });
});

describe('presets', () => {
  it('derives recommended, strict and all from metadata', () => {
    const recommended = presetRuleIds(RULES, 'recommended');
    const strict = presetRuleIds(RULES, 'strict');
    const all = presetRuleIds(RULES, 'all');
    expect(recommended).toEqual(RULES.filter((r) => r.meta.recommended).map((r) => r.meta.id).sort());
    expect(all).toEqual(RULES.map((r) => r.meta.id).sort());
    for (const id of recommended) expect(strict).toContain(id);
    for (const id of strict) expect(all).toContain(id);
    expect(inPreset({ recommended: false, tags: ['security'] }, 'strict')).toBe(true);
    expect(inPreset({ recommended: false, tags: ['hygiene'] }, 'strict')).toBe(false);
  });
});

describe('resolving the configuration of each file', () => {
  const resolver = new ConfigResolver({ cwd: ROOT, rules: RULES });

  it('finds the nearest config upward; nearer files replace (not merge) farther ones', () => {
    expect(resolver.configFileFor(`${PROJECT}/stack.yaml`)?.path).toBe(join(ROOT, PROJECT, '.sg-lint.yaml'));
    expect(resolver.configFileFor(`${PROJECT}/legacy/stack.yaml`)?.path).toBe(join(ROOT, PROJECT, '.sg-lint.yaml'));
    const nested = resolver.effective(`${PROJECT}/nested/stack.yaml`);
    expect(nested.configFile).toBe(join(ROOT, PROJECT, 'nested', '.sg-lint.json'));
    expect(nested.preset).toBe('all');
    expect(nested.rules).toEqual({ 'open-admin-port': { severity: 'off' } });
  });

  it('applies overrides by glob and ignorePatterns relative to the config folder', () => {
    expect(resolver.effective(`${PROJECT}/stack.yaml`).rules['open-admin-port']).toBeUndefined();
    expect(resolver.effective(`${PROJECT}/legacy/stack.yaml`).rules['open-admin-port']).toEqual({ severity: 'warning' });
    expect(resolver.effective(`${PROJECT}/generated/stack.yaml`).ignored).toBe(true);
    expect(resolver.effective(`${PROJECT}/stack.yaml`).ignored).toBe(false);
  });

  it('merges rule options over defaults and parses networks', () => {
    const config = resolver.effective(`${PROJECT}/stack.yaml`);
    const active = resolver.activeRules(config);
    expect(active.find((a) => a.rule.meta.id === 'open-db-port')?.options).toEqual({ ports: ['tcp/5432'], reportPublic: true });
    expect(active.some((a) => a.rule.meta.id === 'no-dedicated-ssh-group')).toBe(false);
    expect(config.trustedNetworks.map((n) => [n.name, n.cidrs.map((c) => c.cidr)])).toEqual([['office', ['146.75.0.0/24']]]);
  });

  it('stops looking upward at the repository root (a folder with .git)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'sg-lint-config-'));
    try {
      mkdirSync(join(tmp, 'repo', '.git'), { recursive: true });
      mkdirSync(join(tmp, 'repo', 'stacks'));
      writeFileSync(join(tmp, '.sg-lint.yaml'), 'not-a-key: true\n');
      const r = new ConfigResolver({ cwd: tmp, rules: RULES });
      expect(r.configFileFor('repo/stacks/a.yaml')).toBeUndefined();
      writeFileSync(join(tmp, 'repo', '.sg-lint.yml'), 'extends: strict\n');
      const again = new ConfigResolver({ cwd: tmp, rules: RULES });
      expect(again.effective('repo/stacks/a.yaml').preset).toBe('strict');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('uses an explicit --config file for every input, with globs relative to the working directory', () => {
    const r = new ConfigResolver({ cwd: join(ROOT, PROJECT), config: 'nested/.sg-lint.json', rules: RULES });
    expect(r.effective('stack.yaml').preset).toBe('all');
    expect(r.effective('legacy/stack.yaml').rules).toEqual({ 'open-admin-port': { severity: 'off' } });
    expect(() => new ConfigResolver({ cwd: ROOT, config: 'missing.yaml', rules: RULES })).toThrow('missing.yaml: cannot read config file: no such file');
  });

  it('lets API options override the file', () => {
    const r = new ConfigResolver({ cwd: ROOT, rules: RULES, overlay: { preset: 'all', rules: { 'open-admin-port': 'note' } } });
    const config = r.effective(`${PROJECT}/legacy/stack.yaml`);
    expect(config.preset).toBe('all');
    expect(config.rules['open-admin-port']).toEqual({ severity: 'note' });
  });
});

describe('lint() with configuration files', () => {
  it('runs each file with its own configuration', async () => {
    const result = await lint([PROJECT], { cwd: ROOT });
    expect(result.errors).toEqual([]);
    expect(result.files).toEqual([`${PROJECT}/legacy/stack.yaml`, `${PROJECT}/nested/stack.yaml`, `${PROJECT}/stack.yaml`]);
    const interesting = result.findings
      .filter((f) => ['open-admin-port', 'open-db-port', 'no-dedicated-ssh-group', 'world-ingress-unexpected-port'].includes(f.ruleId))
      .map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.severity}`);
    expect(interesting).toEqual([
      `${PROJECT}/legacy/stack.yaml:7 open-admin-port warning`,
      // nested: extends all, open-admin-port off.
      `${PROJECT}/nested/stack.yaml:7 world-ingress-unexpected-port note`,
      `${PROJECT}/stack.yaml:7 open-admin-port error`,
      // 146.75.0.10 is in the trusted "office" network; 146.76.0.10 is public; tcp/3306 is not in the configured ports.
      `${PROJECT}/stack.yaml:14 open-db-port warning`,
    ]);
  });

  it('reports a bad config file as a ConfigError', async () => {
    await expect(lint([PROJECT], { cwd: ROOT, config: 'fixtures/config/bad.sg-lint.yaml' })).rejects.toThrow(
      'fixtures/config/bad.sg-lint.yaml:3:3: rules.open-db-prot: unknown rule; did you mean "open-db-port"?',
    );
  });
});
