import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { REPORTERS } from '../../src/reporters';
import type { JsonReport } from '../../src/reporters';
import { cleanResult, context, escapingResult, sampleResult } from './fixtures';

const json = REPORTERS.json;
const schemaFile = path.resolve(__dirname, '../../schemas/report.schema.json');
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);

/** Schema errors of a report, as readable strings. */
function schemaErrors(report: unknown): string[] {
  return validate(report) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('json reporter', () => {
  it('writes the exact report, pretty-printed with a final newline', () => {
    expect(json(context(sampleResult()))).toMatchSnapshot();
  });

  it('validates against schemas/report.schema.json', () => {
    for (const result of [sampleResult(), cleanResult(), escapingResult()]) {
      expect(schemaErrors(JSON.parse(json(context(result))))).toEqual([]);
    }
  });

  it('keeps every finding in engine order and marks the suppressed one', () => {
    const report = JSON.parse(json(context(sampleResult()))) as JsonReport;
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([
      'infra/db.tf:3 rule-missing-description',
      'infra/db.tf:7 unrestricted-egress',
      'infra/web.yaml:10 open-admin-port',
      'infra/web.yaml:11 rule-missing-description',
    ]);
    expect(report.findings[3]?.suppressed).toEqual({
      kind: 'inSource',
      justification: 'internal port, described in the wiki',
      origin: 'sg-lint',
    });
    expect(report.findings.filter((f) => f.suppressed)).toHaveLength(1);
    expect(report.findings[1]?.introduced).toBe(true);
    expect(report.summary).toEqual({ files: 3, errors: 1, warnings: 1, notes: 1, suppressed: 1 });
    expect(report.errors).toEqual([{ file: 'infra/broken.json', message: 'Unexpected token } in JSON', line: 4, column: 3 }]);
  });

  it('describes each rule the findings name, suppressed ones included, and no other', () => {
    const result = sampleResult();
    result.rules.push({ id: 'never-reported', description: 'Enabled, no finding', defaultSeverity: 'note', tags: [], recommended: true, options: {} });
    const report = JSON.parse(json(context(result))) as JsonReport;
    expect(report.rules.map((r) => r.id)).toEqual(['open-admin-port', 'rule-missing-description', 'unrestricted-egress']);
    expect(report.rules[0]).toEqual({
      id: 'open-admin-port',
      description: 'Disallow ingress to administration ports from the internet',
      defaultSeverity: 'error',
      tags: ['security', 'ingress', 'exposure'],
      helpUri: 'https://github.com/sg-lint/sg-lint/blob/main/docs/rules/open-admin-port.md',
      origin: 'built-in',
    });
    expect(JSON.parse(json(context(cleanResult())))).toMatchObject({ rules: [] });
  });

  it('gives plugin rules their plugin and own helpUri, and policies their origin', () => {
    const result = sampleResult();
    const at = { file: 'infra/web.yaml', line: 10, column: 19, endLine: 10, endColumn: 28, resource: 'WebSg', securityGroup: 'WebSg' };
    result.findings.push(
      { ...at, ruleId: 'acme/no-public-8080', severity: 'error', message: 'm1', fingerprint: 'fp-p1' },
      { ...at, ruleId: 'acme/undocumented', severity: 'warning', message: 'm2', fingerprint: 'fp-p2' },
      { ...at, ruleId: 'team/ssh-from-vpn', severity: 'error', message: 'm3', fingerprint: 'fp-p3' },
    );
    const plugin = { kind: 'plugin' as const, plugin: 'acme', version: '1.0.0' };
    result.rules.push(
      { id: 'acme/no-public-8080', description: 'Disallow 8080 from the internet', defaultSeverity: 'error', tags: ['security'], recommended: true, url: 'https://wiki.example.com/8080', origin: plugin, options: {} },
      { id: 'acme/undocumented', description: 'No docs', defaultSeverity: 'warning', tags: [], recommended: true, origin: plugin, options: {} },
      { id: 'team/ssh-from-vpn', description: 'SSH only from the VPN', defaultSeverity: 'error', tags: ['policy'], recommended: true, origin: { kind: 'policy' }, options: {} },
    );
    const report = JSON.parse(json(context(result))) as JsonReport;
    expect(report.rules.filter((r) => r.id.includes('/'))).toEqual([
      {
        id: 'acme/no-public-8080',
        description: 'Disallow 8080 from the internet',
        defaultSeverity: 'error',
        tags: ['security'],
        helpUri: 'https://wiki.example.com/8080',
        origin: 'plugin',
        plugin: { name: 'acme', version: '1.0.0' },
      },
      { id: 'acme/undocumented', description: 'No docs', defaultSeverity: 'warning', tags: [], origin: 'plugin', plugin: { name: 'acme', version: '1.0.0' } },
      { id: 'team/ssh-from-vpn', description: 'SSH only from the VPN', defaultSeverity: 'error', tags: ['policy'], origin: 'policy' },
    ]);
    expect(schemaErrors(report)).toEqual([]);
  });

  it('writes null for unknown positions and groups, and keeps escapes JSON-safe', () => {
    const result = escapingResult();
    delete result.findings[0]?.securityGroup;
    const out = json(context(result));
    const report = JSON.parse(out) as JsonReport;
    expect(report.errors[0]).toEqual({ file: 'infra/bad.yaml', message: 'Bad <tag> & 100%\r\nnext', line: null, column: null });
    expect(report.findings[0]?.securityGroup).toBeNull();
    expect(report.findings[0]?.message).toBe('50% of "rules" <open> & more\nsecond line');
    expect(out).toContain('"message": "50% of \\"rules\\" <open> & more\\nsecond line"');
    expect(schemaErrors(report)).toEqual([]);
  });

  it('rejects reports the schema does not describe', () => {
    const report = JSON.parse(json(context(sampleResult()))) as Record<string, unknown>;
    expect(schemaErrors({ ...report, extra: 1 })).toEqual([' must NOT have additional properties']);
    expect(schemaErrors({ ...report, version: 2 })).toEqual(['/version must be equal to constant']);
  });

  it('is deterministic and ignores the order of result.rules', () => {
    const reversed = sampleResult();
    reversed.rules.reverse();
    expect(json(context(sampleResult()))).toBe(json(context(sampleResult())));
    expect(json(context(reversed))).toBe(json(context(sampleResult())));
  });
});
