// Issue #13 over the public templates in ../shared/corpus: the four behaviours where they occur, and the list of
// inputs that may give an input error (only files CloudFormation itself refuses). Oracles come from CloudFormation's
// own rules (its property schema, its default-egress behaviour), read independently of sg-lint's parser.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { lint } from '../src/engine/lint';
import type { Finding, LintResult } from '../src/engine/types';
import { parseCloudFormation } from '../src/parsers/cloudformation';

const CORPUS = resolve(__dirname, '../../shared/corpus');
const available = existsSync(join(CORPUS, 'MANIFEST.json'));
if (!available) console.log(`CloudFormation corpus semantics skipped: ${CORPUS} not found`);

interface Entry {
  file: string;
  format: string;
  role: string;
}
const entries: Entry[] = available ? (JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as Entry[]) : [];
const templates = entries.filter((e) => e.role === 'input' && (e.format === 'cloudformation-yaml' || e.format === 'cloudformation-json')).map((e) => e.file);

/**
 * Corpus inputs CloudFormation refuses to read at all, with the input error sg-lint gives. Empty: every corpus
 * template is readable YAML or JSON (templates CloudFormation would refuse for their content are findings, below).
 */
const REFUSED: string[] = [];

/** A template loaded as plain data, short-form tags kept as `{ tag: value }` (only the structure matters here). */
function load(file: string): Record<string, unknown> {
  const text = readFileSync(join(CORPUS, file), 'utf8');
  if (/^\s*\{/.test(text)) return JSON.parse(text) as Record<string, unknown>;
  const doc = parseDocument(text, { uniqueKeys: false, logLevel: 'silent', customTags: [] });
  return (doc.toJS({ maxAliasCount: 100 }) ?? {}) as Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const resourcesOf = (t: Obj): [string, Obj][] => (isObj(t.Resources) ? Object.entries(t.Resources).filter((e): e is [string, Obj] => isObj(e[1])) : []);

const PEERS = ['CidrIp', 'CidrIpv6', 'SourcePrefixListId', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'DestinationPrefixListId', 'DestinationSecurityGroupId'];
const SG_PROPS = new Set(['GroupDescription', 'GroupName', 'SecurityGroupEgress', 'SecurityGroupIngress', 'Tags', 'VpcId']);

/** Resources of a template that CloudFormation's schema refuses (a mapping for a rule list, two peers, ...). */
function schemaViolations(t: Obj): Set<string> {
  const out = new Set<string>();
  for (const [id, res] of resourcesOf(t)) {
    const props = isObj(res.Properties) ? res.Properties : undefined;
    if (res.Type === 'AWS::EC2::SecurityGroup') {
      if (!props || props.GroupDescription === undefined) out.add(id);
      for (const key of Object.keys(props ?? {})) if (!SG_PROPS.has(key)) out.add(id);
      for (const list of [props?.SecurityGroupIngress, props?.SecurityGroupEgress]) {
        if (isObj(list) && !Object.keys(list).some((k) => k === 'Ref' || k.startsWith('Fn::') || k.startsWith('!'))) out.add(id);
        if (Array.isArray(list)) for (const e of list) if (isObj(e) && PEERS.filter((p) => p in e).length > 1) out.add(id);
      }
    }
    if ((res.Type === 'AWS::EC2::SecurityGroupIngress' || res.Type === 'AWS::EC2::SecurityGroupEgress') && props && PEERS.filter((p) => p in props).length > 1) {
      out.add(id);
    }
  }
  return out;
}

let result: LintResult;
const byFile = new Map<string, Finding[]>();

(available ? describe : describe.skip)('CloudFormation semantics on the shared corpus', () => {
  beforeAll(async () => {
    result = await lint(templates, { cwd: CORPUS, config: false });
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }, 120_000);

  it('gives no input error except for the files CloudFormation itself refuses', () => {
    expect(templates.length).toBeGreaterThan(200);
    expect(result.errors.map((e) => e.file).sort()).toEqual(REFUSED);
  });

  it('reports what CloudFormation refuses as invalid-property errors on the resources where it occurs', () => {
    let occurrences = 0;
    for (const file of templates) {
      const expected = [...schemaViolations(load(file))].sort();
      occurrences += expected.length;
      const reported = [...new Set((byFile.get(file) ?? []).filter((f) => f.ruleId === 'invalid-property').map((f) => f.resource))].sort();
      expect([file, reported]).toEqual([file, expected]);
    }
    expect(occurrences).toBeGreaterThan(20);
  });

  it('models no default egress on a group an AWS::EC2::SecurityGroupEgress resource adds egress to', () => {
    let occurrences = 0;
    for (const file of templates) {
      const t = load(file);
      const targets = new Set<string>();
      for (const [, res] of resourcesOf(t)) {
        if (res.Type !== 'AWS::EC2::SecurityGroupEgress' || res.Condition !== undefined || !isObj(res.Properties)) continue;
        const g = res.Properties.GroupId;
        // YAML short forms load as their plain value here (`!Ref Sg` as "Sg", `!GetAtt Sg.GroupId` as "Sg.GroupId").
        const ref = isObj(g) ? (typeof g.Ref === 'string' ? g.Ref : Array.isArray(g['Fn::GetAtt']) ? g['Fn::GetAtt'][0] : undefined) : typeof g === 'string' ? g.split('.')[0] : undefined;
        if (typeof ref === 'string' && isObj((t.Resources as Obj)[ref]) && ((t.Resources as Obj)[ref] as Obj).Type === 'AWS::EC2::SecurityGroup') targets.add(ref);
      }
      if (targets.size === 0) continue;
      const input = parseCloudFormation(readFileSync(join(CORPUS, file), 'utf8'), file);
      for (const g of input.groups.filter((x) => targets.has(x.address))) {
        occurrences++;
        expect([file, g.address, g.egress.filter((r) => r.declaredAs === 'implicit').length]).toEqual([file, g.address, 0]);
      }
    }
    expect(occurrences).toBeGreaterThanOrEqual(6);
  });

  it('reads every YAML template CloudFormation reads, with findings built from the whole file', () => {
    for (const file of templates.filter((f) => !/\.json$/.test(f))) {
      const input = parseCloudFormation(readFileSync(join(CORPUS, file), 'utf8'), file);
      expect([file, input.errors]).toEqual([file, []]);
    }
  });

  it('judges no rule at parameter values for which its resource does not exist', () => {
    let conditional = 0;
    for (const file of templates) {
      const t = load(file);
      const conditionalRules = resourcesOf(t).filter(([, r]) => /^AWS::EC2::SecurityGroup(Ingress|Egress)?$/.test(String(r.Type)) && r.Condition !== undefined);
      conditional += conditionalRules.length;
      // Each finding's assumptions never pair a condition with the parameter value that makes it false: the
      // corpus's conditional rules are checked through the same evaluator test/cloudformation-semantics.test.ts covers.
      for (const f of byFile.get(file) ?? []) expect(f.message).not.toMatch(/is an empty string/);
    }
    expect(conditional).toBeGreaterThan(0);
  });
});
