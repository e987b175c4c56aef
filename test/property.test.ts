// Property-based tests (fast-check): rules never throw on any model, the CloudFormation parser and the engine never
// throw on mutated real templates, YAML and JSON spellings of one template give the same findings, and the order of
// rules and resources never changes the findings. A short run in `npm test`; `npm run fuzz` raises the run count
// through SG_LINT_FUZZ_RUNS.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { ActiveRule } from '../src/engine/run';
import { runRules } from '../src/engine/run';
import type { Finding, LintResult, TrustedNetwork } from '../src/engine/types';
import { parseCidr } from '../src/model/cidr';
import { normalizePorts } from '../src/model/ports';
import { parseProtocol } from '../src/model/protocol';
import { fromText } from './model/build';
import { invalidValue } from '../src/model/types';
import type { Unknown } from '../src/model/types';
import type {
  Attachment,
  AttachmentCategory,
  CidrPeer,
  GroupUser,
  InputFormat,
  ParsedInput,
  Peer,
  PortRange,
  Protocol,
  SecurityGroup,
  SgRule,
  SourceLocation,
  Suppression,
  Value,
} from '../src/model/types';
import { parseCloudFormation } from '../src/parsers/cloudformation';
import { detectFormat } from '../src/parsers/detect';
import { REPORTERS } from '../src/reporters';
import type { FormatName } from '../src/reporters';
import { RULES } from '../src/rules';

/** Runs per property: small in `npm test`, raised by `npm run fuzz`. */
const RUNS = Number(process.env.SG_LINT_FUZZ_RUNS ?? '') || 25;
const SEED = process.env.SG_LINT_FUZZ_SEED === undefined ? undefined : Number(process.env.SG_LINT_FUZZ_SEED);
const params = (runs = RUNS): fc.Parameters<unknown> => ({ numRuns: runs, ...(SEED !== undefined ? { seed: SEED } : {}) });

/** Every rule, with its default options. */
const ALL: ActiveRule[] = RULES.map((rule) => ({
  rule,
  options: Object.fromEntries(Object.entries(rule.meta.options as Record<string, { default: unknown }>).map(([k, o]) => [k, o.default])),
}));

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries over the model
// ---------------------------------------------------------------------------------------------------------------

const FILE = 'model.yaml';
const ADDRESSES = ['Web', 'Db', 'Bastion', 'aws_security_group.app', 'sg-0123456789abcdef0', '__proto__', 'constructor'];
const CATEGORIES: AttachmentCategory[] = ['database', 'cache', 'search', 'message-broker', 'load-balancer', 'compute', 'container', 'serverless', 'kubernetes', 'file-system', 'endpoint', 'other'];
const FORMATS: InputFormat[] = ['cloudformation-yaml', 'cloudformation-json', 'terraform-plan', 'terraform-state', 'terraform-json', 'terraform-hcl', 'cdk'];

const locationArb: fc.Arbitrary<SourceLocation> = fc
  .record({ line: fc.integer({ min: 1, max: 500 }), column: fc.integer({ min: 1, max: 80 }), lines: fc.nat(5), width: fc.nat(40) })
  .map(({ line, column, lines, width }) => ({ file: FILE, line, column, endLine: line + lines, endColumn: column + width }));

const unknownArb = fc.constantFrom<Unknown>(
  { known: false, reason: 'Fn::ImportValue Shared' },
  { known: false, reason: 'parameter P has no Default' },
  invalidValue('port must be a whole number'),
  { known: false, reason: 'more than 64 variants (capped)' },
);

function valueOf<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Value<T>> {
  return fc.oneof({ weight: 5, arbitrary: arb.map((value) => ({ known: true as const, value })) }, { weight: 1, arbitrary: unknownArb });
}

const cidrArb: fc.Arbitrary<CidrPeer> = fc
  .oneof(
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, p]) => `${ip}/${p}`),
    fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '192.168.1.1/32', '0.0.0.0/1'),
  )
  .map((text) => parseCidr(text))
  .filter((r): r is Extract<ReturnType<typeof parseCidr>, { ok: true }> => r.ok)
  .map((r) => r.peer);

const peerArb: fc.Arbitrary<Peer> = fc.oneof(
  { weight: 4, arbitrary: cidrArb },
  {
    weight: 2,
    arbitrary: fc.record({ ref: fc.constantFrom(...ADDRESSES), inModel: fc.boolean(), self: fc.boolean(), ownerId: fc.option(fc.constantFrom('123456789012', 'amazon-elb'), { nil: undefined }) }).map((g): Peer => {
      const peer: Peer = { kind: 'security-group', ref: g.ref, inModel: g.inModel, self: g.self };
      if (g.ownerId !== undefined) peer.ownerId = g.ownerId;
      return peer;
    }),
  },
  { weight: 1, arbitrary: fc.record({ id: fc.constantFrom('pl-12345678', 'Ref Pl'), maxEntries: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }) }).map((p): Peer => (p.maxEntries === undefined ? { kind: 'prefix-list', id: p.id } : { kind: 'prefix-list', id: p.id, maxEntries: p.maxEntries })) },
  { weight: 1, arbitrary: fc.constant<Peer>({ kind: 'none' }) },
);

/** Protocol, ports and ICMP as the model helpers normalize them from raw written values. */
const trafficArb = fc
  .record({
    proto: fc.oneof(fc.constantFrom<unknown>('tcp', 'udp', 'icmp', 'icmpv6', '-1', -1, 6, 17, 'all'), fc.integer({ min: 0, max: 255 })),
    from: fc.oneof(fc.integer({ min: -1, max: 65535 }), fc.constantFrom<unknown>(undefined, '22', 'x', 70000)),
    to: fc.oneof(fc.integer({ min: -1, max: 65535 }), fc.constantFrom<unknown>(undefined, '443', -2)),
    unknownProtocol: fc.boolean(),
  })
  .map(({ proto, from, to, unknownProtocol }) => {
    const p = parseProtocol(proto);
    const protocol: Value<Protocol> = p.ok && !unknownProtocol ? { known: true, value: p.protocol } : (p.ok ? { known: false, reason: 'parameter Proto has no Default' } : invalidValue(p.error));
    if (!protocol.known) return { protocol, ports: { known: false, reason: protocol.reason } as Value<PortRange | null>, icmp: undefined };
    const n = normalizePorts(protocol.value, from, to);
    if (!n.ok) return { protocol, ports: invalidValue(n.error) as Value<PortRange | null>, icmp: undefined };
    return { protocol, ports: { known: true, value: n.ports } as Value<PortRange | null>, icmp: n.icmp };
  });

const suppressionArb: fc.Arbitrary<Suppression> = fc
  .record({
    rule: fc.constantFrom(...RULES.map((r) => r.meta.id), 'W2', 'CKV_AWS_24', 'no-such-rule', '*'),
    reason: fc.option(fc.constantFrom('accepted risk', ''), { nil: undefined }),
    expires: fc.option(fc.constantFrom('2000-01-01', '2999-12-31', 'not a date'), { nil: undefined }),
    origin: fc.constantFrom('sg-lint', 'cfn_nag', 'checkov'),
    location: locationArb,
  })
  .map((s) => {
    const out: Suppression = { rule: s.rule, origin: s.origin, location: s.location };
    if (s.reason !== undefined) out.reason = s.reason;
    if (s.expires !== undefined) out.expires = s.expires;
    return out;
  });

function ruleArb(group: string, direction: 'ingress' | 'egress'): fc.Arbitrary<SgRule> {
  return fc
    .record({
      traffic: trafficArb,
      peer: valueOf(peerArb),
      description: valueOf(fc.option(fc.constantFrom('web', 'ssh from office', ''), { nil: undefined })),
      declaredAs: fc.constantFrom<SgRule['declaredAs']>('inline', 'standalone', 'implicit'),
      entry: fc.constantFrom('e0', 'e1', 'e2', 'e3', 'e4'),
      conditions: fc.array(fc.constantFrom('when condition IsProd is true', 'via parameter Cidr default').map(fromText), { maxLength: 2 }),
      location: locationArb,
      suppressions: fc.option(fc.array(suppressionArb, { maxLength: 2 }), { nil: undefined }),
    })
    .map((r) => {
      const rule: SgRule = {
        direction,
        protocol: r.traffic.protocol,
        ports: r.traffic.ports,
        peer: r.peer,
        description: r.description,
        declaredAs: r.declaredAs,
        resource: group,
        group,
        entry: `${group}/${direction}/${r.entry}`,
        conditions: r.conditions,
        location: r.location,
      };
      if (r.traffic.icmp) rule.icmp = r.traffic.icmp;
      if (r.suppressions) rule.suppressions = r.suppressions;
      return rule;
    });
}

const attachmentArb: fc.Arbitrary<Attachment> = fc
  .record({ resource: fc.constantFrom('Db1', 'Instance', 'Lb'), type: fc.constantFrom('AWS::RDS::DBInstance', 'AWS::EC2::Instance', 'aws_lb'), category: fc.constantFrom(...CATEGORIES), ports: fc.option(fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }), { nil: undefined }), location: locationArb })
  .map((a) => {
    const out: Attachment = { resource: a.resource, type: a.type, category: a.category, location: a.location };
    if (a.ports) out.ports = a.ports;
    return out;
  });

const groupArb: fc.Arbitrary<SecurityGroup> = fc.constantFrom(...ADDRESSES).chain((address) =>
  fc
    .record({
      type: fc.constantFrom('AWS::EC2::SecurityGroup', 'aws_security_group', 'aws_default_security_group'),
      kind: fc.constantFrom<SecurityGroup['kind']>('standard', 'default', 'external'),
      description: valueOf(fc.option(fc.constantFrom('web tier', 'Managed by Terraform'), { nil: undefined })),
      ingress: fc.array(ruleArb(address, 'ingress'), { maxLength: 6 }),
      egress: fc.array(ruleArb(address, 'egress'), { maxLength: 4 }),
      implicitEgress: fc.boolean(),
      mixedRuleStyles: fc.option(fc.boolean(), { nil: undefined }),
      attachments: fc.array(attachmentArb, { maxLength: 3 }),
      conditions: fc.array(fc.constant('when condition Create is true').map(fromText), { maxLength: 1 }),
      constructPath: fc.option(fc.constant('App/Stack/Web'), { nil: undefined }),
      location: locationArb,
      suppressions: fc.option(fc.array(suppressionArb, { maxLength: 2 }), { nil: undefined }),
    })
    .map((g) => {
      const group: SecurityGroup = { address, ...g };
      if (g.mixedRuleStyles === undefined) delete group.mixedRuleStyles;
      if (g.constructPath === undefined) delete group.constructPath;
      if (g.suppressions === undefined) delete group.suppressions;
      return group;
    }),
);

const userArb: fc.Arbitrary<GroupUser> = fc.record({
  resource: fc.constantFrom('Instance', 'Lb', 'Fn'),
  type: fc.constantFrom('AWS::EC2::Instance', 'aws_lambda_function'),
  groups: fc.array(valueOf(fc.constantFrom(...ADDRESSES)), { maxLength: 8 }),
  location: locationArb,
});

const inputArb: fc.Arbitrary<ParsedInput> = fc
  .record({ format: fc.constantFrom(...FORMATS), groups: fc.uniqueArray(groupArb, { maxLength: 5, selector: (g) => g.address }), users: fc.array(userArb, { maxLength: 3 }) })
  .map(({ format, groups, users }) => ({ file: FILE, format, groups, users, errors: [], notices: [] }));

const trustedArb: fc.Arbitrary<TrustedNetwork[]> = fc.array(fc.record({ name: fc.constantFrom('office', 'vpn'), cidrs: fc.array(cidrArb, { minLength: 1, maxLength: 2 }) }), { maxLength: 2 });

/** A finding as an order-independent, line-independent identity. */
function identity(f: Finding): string {
  return `${f.ruleId}|${f.severity}|${f.fingerprint}|${f.message.replace(/\bline \d+/g, 'line N')}`;
}

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);
}

describe('rules over random models', () => {
  it('never throw, and every finding has a position and a known rule id', () => {
    const ids = new Set(RULES.map((r) => r.meta.id));
    fc.assert(
      fc.property(inputArb, trustedArb, (input, trusted) => {
        const findings = runRules([input], ALL, trusted);
        for (const f of findings) {
          expect(ids.has(f.ruleId)).toBe(true);
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.message.length).toBeGreaterThan(0);
        }
      }),
      params(),
    );
  });

  it('give the same findings whatever the order of rules, groups and users', () => {
    fc.assert(
      fc.property(inputArb, fc.array(fc.integer(), { minLength: 1, maxLength: 30 }), (input, keys) => {
        const before = runRules([input], ALL).map(identity).sort();
        const reordered: ParsedInput = { ...input, groups: shuffled(input.groups, keys), users: shuffled(input.users, keys) };
        const after = runRules([reordered], shuffled(ALL, keys)).map(identity).sort();
        expect(after).toEqual(before);
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// YAML and JSON spellings of one template
// ---------------------------------------------------------------------------------------------------------------

const entryArb = fc.record(
  {
    IpProtocol: fc.constantFrom<string | number>('tcp', 'udp', '-1', 'icmp', 6, 17, -1),
    FromPort: fc.oneof(fc.integer({ min: -1, max: 65535 }), fc.constantFrom(22, 443, 3306)),
    ToPort: fc.oneof(fc.integer({ min: -1, max: 65535 }), fc.constantFrom(22, 443, 3306)),
    CidrIp: fc.oneof(cidrArb.filter((c) => c.family === 4).map((c) => c.raw || c.cidr), fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', 'not-a-cidr')),
    Description: fc.constantFrom('ssh', 'db', 'web: 443 # not a comment', "it's quoted"),
  },
  { requiredKeys: ['IpProtocol', 'CidrIp'] },
);

const templateArb = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom('Web', 'Db', 'Bastion', 'Cache', 'Lb'),
      ingress: fc.array(entryArb, { maxLength: 5 }),
      egress: fc.option(fc.array(entryArb, { maxLength: 3 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4, selector: (g) => g.id },
  )
  .map((groups) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: Object.fromEntries(
      groups.map((g) => [
        g.id,
        {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: { GroupDescription: `${g.id} group`, SecurityGroupIngress: g.ingress, ...(g.egress ? { SecurityGroupEgress: g.egress } : {}) },
        },
      ]),
    ),
  }));

describe('a template written in YAML and in JSON', () => {
  it('gives the same findings', () => {
    fc.assert(
      fc.property(templateArb, (template) => {
        const fromJson = parseCloudFormation(JSON.stringify(template, null, 2), 'template');
        const fromYaml = parseCloudFormation(stringify(template), 'template');
        expect(fromJson.errors).toEqual([]);
        expect(fromYaml.errors).toEqual([]);
        const json = runRules([fromJson], ALL).map(identity).sort();
        const yaml = runRules([fromYaml], ALL).map(identity).sort();
        expect(yaml).toEqual(json);
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Mutations of real templates
// ---------------------------------------------------------------------------------------------------------------

const SHARED = resolve(__dirname, '../../shared');
const CORPUS = join(SHARED, 'corpus');
const hasCorpus = existsSync(join(CORPUS, 'MANIFEST.json'));
if (!hasCorpus) console.log(`property.test: ${CORPUS} is absent; the corpus mutation properties are skipped`);

/** Up to `n` CloudFormation inputs of the corpus, spread over it (a fixed sample: the same files every run). */
function corpusSample(n: number): { file: string; text: string }[] {
  const manifest = JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as { file: string; format: string; role: string }[];
  const inputs = manifest.filter((m) => m.role === 'input' && (m.format === 'cloudformation-yaml' || m.format === 'cloudformation-json'));
  const step = Math.max(1, Math.floor(inputs.length / n));
  return inputs
    .filter((_, i) => i % step === 0)
    .slice(0, n)
    .map((m) => ({ file: m.file, text: readFileSync(join(CORPUS, m.file), 'utf8') }));
}

const SPECIALS = ['[', ']', '{', '}', '*a', '&a ', '!If ', '!!binary ', '"', "'", '\t', '\r', '\0', ': ', '- ', '#', '|', '>', '\ufeff', '\u2028', '__proto__: ', 'Fn::If', '${', '\\u12'];

type Mutation = (text: string) => string;

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(200)).map(([at, len]): Mutation => (t) => {
    const i = t.length === 0 ? 0 : at % t.length;
    return t.slice(0, i) + t.slice(i + len);
  }),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', maxLength: 8 }))).map(([at, s]): Mutation => (t) => {
    const i = t.length === 0 ? 0 : at % (t.length + 1);
    return t.slice(0, i) + s + t.slice(i);
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (t) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    const j = b % lines.length;
    [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 50 })).map(([a, times]): Mutation => (t) => {
    const lines = t.split('\n');
    const i = a % lines.length;
    lines.splice(i, 0, ...Array<string>(times).fill(lines[i] ?? ''));
    return lines.join('\n');
  }),
  fc.nat().map((at): Mutation => (t) => t.slice(0, t.length === 0 ? 0 : at % t.length)),
);

const FORMAT_NAMES: FormatName[] = ['text', 'json', 'sarif', 'github', 'junit', 'gitlab', 'markdown'];

(hasCorpus ? describe : describe.skip)('mutated corpus templates', () => {
  const sample = hasCorpus ? corpusSample(Number(process.env.SG_LINT_FUZZ_FILES ?? '') || 24) : [];

  it('never make the parser, the rules or a reporter throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...sample), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (item, mutations) => {
        const text = mutations.reduce((t, m) => m(t), item.text);
        const file = item.file.endsWith('.json') ? 'mutated.json' : 'mutated.yaml';
        detectFormat(file, text);
        const input = parseCloudFormation(text, file);
        for (const e of [...input.errors, ...input.notices]) {
          expect(e.file).toBe(file);
          if (e.line !== undefined) expect(e.line).toBeGreaterThanOrEqual(1);
        }
        const findings = runRules([input], ALL);
        const result: LintResult = { findings, errors: input.errors, notices: input.notices, files: [file], rules: ALL.map((a) => a.rule.meta) };
        for (const format of FORMAT_NAMES) {
          REPORTERS[format]({ result, source: () => text, color: false, toolVersion: '0.0.0', verbose: true, docsBaseUrl: 'https://example.invalid/', workingDirectory: '/work' });
        }
      }),
      params(Math.max(10, Math.floor(RUNS * 2))),
    );
  });
});
