// YAML configuration files: hostile nesting is a configuration error with its position (exit code 2), and the `yaml`
// package is loaded only when a YAML config is actually read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONFIG_YAML_DEPTH, parseConfigText } from '../src/engine/config';
import type { ConfigResolver } from '../src/engine/config';
import { ConfigError } from '../src/engine/run';
import { MAX_YAML_DEPTH } from '../src/parsers/cloudformation/yaml-reader';
import { RULES } from '../src/rules';
import type { Rule } from '../src/engine/types';
import { runCli } from './helpers/cli';

const TEMPLATE = [
  "AWSTemplateFormatVersion: '2010-09-09'",
  'Resources:',
  '  Sg:',
  '    Type: AWS::EC2::SecurityGroup',
  '    Properties:',
  '      GroupDescription: web',
  '',
].join('\n');

/** A repository folder (with `.git`, so config discovery stops there) holding a template and the given files. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-lint-config-yaml-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function configError(text: string): string {
  try {
    parseConfigText(text, '/repo/.sg-lint.yaml', '.sg-lint.yaml', RULES);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  return 'valid';
}

describe('a config nested deeper than the YAML limit', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('is refused with its position: flow collections, on the command line (exit code 2)', async () => {
    const deep = `rules:\n  open-db-port:\n    options:\n      ports: ${'['.repeat(100000)}${']'.repeat(100000)}\n`;
    const dir = repo({ '.sg-lint.yaml': deep });
    dirs.push(dir);
    // Three block levels and the `ports` key, then the 497th bracket (at column 14 + 496) makes 501.
    expect(await runCli(['template.yaml'], dir)).toEqual({ code: 2, stdout: '', stderr: 'sg-lint: .sg-lint.yaml:4:510: nesting deeper than 500 levels\n' });
  });

  it('is refused with its position: block mappings, after a BOM and with CR line endings', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    expect(configError(lines.join('\n'))).toBe('.sg-lint.yaml:501:501: nesting deeper than 500 levels');
    expect(configError(`\ufeff${lines.join('\r')}`)).toBe('.sg-lint.yaml:501:501: nesting deeper than 500 levels');
  });

  it('is read up to the limit, which is the one templates have', () => {
    expect(MAX_CONFIG_YAML_DEPTH).toBe(MAX_YAML_DEPTH);
    // 100 levels deep is only invalid, not refused: the schema reports the unknown key.
    const nested = `rules:\n  open-db-port:\n    options:\n      ports: ${'['.repeat(100)}${']'.repeat(100)}\n`;
    expect(configError(nested)).toMatch(/^\.sg-lint\.yaml:4:15: rules\.open-db-port\.options\.ports\[0\]: must be string/);
  });
});

describe('the yaml package', () => {
  /** Resolves the configuration of `template.yaml` in `dir` with fresh modules; true when that loaded `yaml`. */
  function loadsYaml(dir: string): boolean {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('yaml', () => {
        loaded = true;
        return jest.requireActual('yaml');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../src/engine/config') as { ConfigResolver: typeof ConfigResolver };
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { RULES: rules } = require('../src/rules') as { RULES: readonly Rule<object>[] };
      new fresh.ConfigResolver({ cwd: dir, rules }).effective('template.yaml');
    });
    return loaded;
  }

  it('is loaded for a YAML config only', () => {
    const none = repo({});
    const json = repo({ '.sg-lint.json': '{"rules": {"open-db-port": "warning"}}' });
    const yaml = repo({ '.sg-lint.yaml': 'rules:\n  open-db-port: warning\n' });
    try {
      expect(loadsYaml(none)).toBe(false);
      expect(loadsYaml(json)).toBe(false);
      expect(loadsYaml(yaml)).toBe(true);
    } finally {
      for (const d of [none, json, yaml]) rmSync(d, { recursive: true, force: true });
    }
  });
});
