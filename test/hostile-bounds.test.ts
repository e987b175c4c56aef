// Bounded work for every input (issue #18): expansion bombs, evaluation blow-ups, prototype names, multi-document
// YAML, terminal injection. Each input is generated here (nothing large is committed) and run through the built CLI as
// a child process under a wall-clock bound and a V8 heap bound; each checks the exact outcome users rely on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChildRun } from './helpers/built-cli';
import { ensureBuilt, runBuiltCli } from './helpers/built-cli';

export const HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n';

export interface JsonReport {
  findings: { ruleId: string; file: string; line: number; column: number; message: string; resource: string }[];
  errors: { file: string; message: string; line: number | null; column: number | null }[];
}

const SCRATCH = mkdtempSync(join(tmpdir(), 'sg-lint-bounds-'));
beforeAll(() => ensureBuilt(), 200_000);
afterAll(() => rmSync(SCRATCH, { recursive: true, force: true }));

/** Writes `files` (path -> content) into a fresh folder and returns it. */
function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(SCRATCH, 'case-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Runs the built CLI and checks it ended by itself, in time, without a stack trace or an internal error. */
function run(args: string[], cwd: string, maxMs = 15_000, heapMb = 256): ChildRun {
  const r = runBuiltCli(args, { cwd, timeoutMs: maxMs, heapMb });
  expect(r.signal).toBeNull();
  expect(r.ms).toBeLessThan(maxMs);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/internal error|please report this/);
  return r;
}

function noticeLines(args: string[], cwd: string, maxMs?: number): string[] {
  return run(['--verbose', ...args], cwd, maxMs).stdout.split('\n').filter((l) => l.includes(': notice: ') || l.includes(': warning: '));
}

const BUDGET_TAIL = 'this input expands into more than 50000 items (count, for_each, dynamic blocks, Fn::If branches, AllowedValues); only the first 50000 are linted';

/** A `terraform show -json` plan written one resource per line: resource `i` is at line `i + 2`, column 1. */
function planOf(resources: object[]): string {
  return `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n${resources.map((r) => JSON.stringify(r)).join(',\n')}\n]}}}\n`;
}

function planGroup(name: string, id: string): object {
  return { address: `aws_security_group.${name}`, mode: 'managed', type: 'aws_security_group', name, values: { name, description: 'x', ingress: [], egress: [], vpc_id: 'vpc-1', id } };
}

function planRule(i: number, groupId: string, port: number, cidrs: string[]): object {
  return {
    address: `aws_security_group_rule.r${i}`,
    mode: 'managed',
    type: 'aws_security_group_rule',
    name: `r${i}`,
    values: { type: 'ingress', protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: cidrs, security_group_id: groupId },
  };
}

describe('one expansion budget per input', () => {
  it('stops a plan whose standalone rules expand past the budget, with a located notice, and lints what was expanded', () => {
    // 60 rules x 1,000 CIDRs = 60,000 rules; the 51st rule (line 52) crosses the 50,000 budget.
    const cidrs = (i: number): string[] => Array.from({ length: 1000 }, (_, j) => `10.${i}.${j >> 2}.${(j & 3) * 64}/26`);
    const resources = [planGroup('g', 'sg-1'), ...Array.from({ length: 60 }, (_, i) => planRule(i, 'sg-1', 22, cidrs(i)))];
    // One rule opens SSH to the world before the budget runs out: it must still be found.
    (resources[1] as { values: { cidr_blocks: string[] } }).values.cidr_blocks[999] = '0.0.0.0/0';
    const dir = folder({ 'plan.json': planOf(resources) });
    const r = run(['--verbose', 'plan.json'], dir, 40_000);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(': error: ');
    expect(r.stdout).toMatch(/^ {2}3:\d+ +error +Security group aws_security_group\.g allows SSH \(tcp\/22\) from the whole internet .*open-admin-port$/m);
    expect(r.stdout).toContain(`plan.json:53:1: warning: expansion stopped at aws_security_group_rule.r50: ${BUDGET_TAIL}`);
  }, 90_000);

  it('keeps a legitimate 20,000-rule group whole and fast', () => {
    const resources = [planGroup('g', 'sg-1'), ...Array.from({ length: 20_000 }, (_, i) => planRule(i, 'sg-1', 1 + i, [`10.${i >> 8}.${i & 255}.0/24`]))];
    const dir = folder({ 'plan.json': planOf(resources) });
    const r = run(['--verbose', 'plan.json'], dir, 40_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Security group aws_security_group.g has 20000 IPv4 ingress rules');
    expect(r.stdout).not.toContain('expansion stopped');
  }, 90_000);

  it('stops CloudFormation AllowedValues x rule entries past the budget', () => {
    // 20 groups x 50 entries x 64 variants (a Default and 63 other AllowedValues) = 64,000 rules.
    const allowed = Array.from({ length: 64 }, (_, i) => `10.0.${i}.0/24`);
    const lines = [HEAD.trimEnd(), 'Parameters:', '  P:', '    Type: String', `    Default: ${allowed[0]}`, `    AllowedValues: [${allowed.join(', ')}]`, 'Resources:'];
    for (let g = 0; g < 20; g++) {
      lines.push(`  Sg${g}:`, '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: x', '      SecurityGroupIngress:');
      for (let e = 0; e < 50; e++) lines.push(`        - {IpProtocol: tcp, FromPort: ${e + 1}, ToPort: ${e + 1}, CidrIp: !Ref P}`);
    }
    const dir = folder({ 'many.yaml': `${lines.join('\n')}\n` });
    // Entry 781 (group 15, entry 31) crosses 50,000: 15 x 55 lines of earlier groups, 7 lines of head, 5 of the group.
    const line = 7 + 15 * 55 + 5 + 31 + 1;
    expect(noticeLines(['many.yaml'], dir, 30_000)).toContain(`many.yaml:${line}:11: warning: expansion stopped at rule entry Sg15/SecurityGroupIngress/31: ${BUDGET_TAIL}`);
  }, 60_000);
});

// ------------------------------------------------------------------------------------------------ prototype names

/** Every property name of Object.prototype (`__proto__`, `constructor`, `toString`, `hasOwnProperty`, ...). */
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** An open-SSH rule entry (flow mapping) with `CidrIp` replaced. */
const sshRule = (cidr = '0.0.0.0/0', extra = ''): string => `{IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: ${cidr}${extra}}`;

/** A template with a group `Open` whose one rule is `rule`, plus extra sections and resources. */
function cfn(rule: string, opts: { top?: string; resources?: string; props?: string; metadata?: string; logicalId?: string; type?: string } = {}): string {
  return [
    HEAD.trimEnd(),
    opts.top ?? '',
    'Resources:',
    `  ${opts.logicalId ?? 'Open'}:`,
    `    Type: ${opts.type ?? 'AWS::EC2::SecurityGroup'}`,
    opts.metadata ? `    Metadata: ${opts.metadata}` : '',
    '    Properties:',
    '      GroupDescription: x',
    opts.props ? `      ${opts.props}` : '',
    '      SecurityGroupIngress:',
    `        - ${rule}`,
    opts.resources ?? '',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/** What a position must give: the rule ids found in that file (exactly, sorted, duplicates removed). */
interface ProtoCase {
  position: string;
  text: (n: string) => string;
  expect: (n: string) => string[];
}

const q = (n: string): string => JSON.stringify(n);
const OPEN = ['open-admin-port'];

const CFN_POSITIONS: ProtoCase[] = [
  { position: 'logical ID', text: (n) => cfn(sshRule(), { logicalId: q(n) }), expect: () => OPEN },
  { position: 'resource Type', text: (n) => cfn(sshRule(), { resources: `  Other:\n    Type: ${q(n)}\n    Properties: {GroupId: !Ref Open}` }), expect: () => OPEN },
  { position: 'group resource Type', text: (n) => cfn(sshRule(), { resources: `  Open2:\n    Type: ${q(n)}\n    Properties: {}`, type: 'AWS::EC2::SecurityGroup' }), expect: () => OPEN },
  { position: 'property name', text: (n) => cfn(sshRule(), { props: `${q(n)}: {a: 1}` }), expect: () => OPEN },
  { position: 'rule entry key', text: (n) => cfn(sshRule('0.0.0.0/0', `, ${q(n)}: 1`)), expect: () => OPEN },
  { position: 'IpProtocol value', text: (n) => cfn(`{IpProtocol: ${q(n)}, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}`), expect: () => ['invalid-protocol'] },
  { position: 'CidrIp value', text: (n) => cfn(sshRule(q(n))), expect: () => ['invalid-cidr'] },
  { position: 'FromPort value', text: (n) => cfn(`{IpProtocol: tcp, FromPort: ${q(n)}, ToPort: 22, CidrIp: 0.0.0.0/0}`), expect: () => ['invalid-port-range'] },
  { position: 'Ref to an undefined name', text: (n) => cfn(sshRule(`!Ref ${q(n)}`)), expect: () => ['unknown-peer'] },
  {
    position: 'parameter name',
    text: (n) => cfn(sshRule(`!Ref ${q(n)}`), { top: `Parameters:\n  ${q(n)}: {Type: String, Default: 0.0.0.0/0}` }),
    expect: () => OPEN,
  },
  {
    position: 'condition name',
    text: (n) => cfn(`!If [${q(n)}, ${sshRule()}, !Ref AWS::NoValue]`, { top: `Conditions:\n  ${q(n)}: !Equals [a, a]` }),
    expect: () => OPEN,
  },
  { position: 'undefined condition', text: (n) => cfn(`!If [${q(n)}, ${sshRule()}, ${sshRule()}]`), expect: () => OPEN },
  {
    position: 'mapping names and keys',
    text: (n) => cfn(sshRule(`!FindInMap [${q(n)}, ${q(n)}, ${q(n)}]`), { top: `Mappings:\n  ${q(n)}:\n    ${q(n)}:\n      ${q(n)}: 0.0.0.0/0` }),
    expect: () => OPEN,
  },
  {
    position: 'FindInMap key missing from the mapping',
    text: (n) => cfn(sshRule(`!FindInMap [M, ${q(n)}, ${q(n)}]`), { top: 'Mappings:\n  M:\n    a:\n      b: 0.0.0.0/0' }),
    // CloudFormation rejects a FindInMap whose keys are not in the mapping.
    expect: () => ['invalid-cidr'],
  },
  {
    position: 'Fn::GetAtt target of a standalone rule',
    text: (n) =>
      cfn(sshRule('10.0.0.0/8'), {
        logicalId: q(n),
        resources: `  In:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: {GroupId: !GetAtt [${q(n)}, GroupId], IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}`,
      }),
    expect: () => OPEN,
  },
  { position: 'Fn::Sub variable', text: (n) => cfn(sshRule(`!Sub ["\${${n}}", {${q(n)}: 0.0.0.0/0}]`)), expect: () => OPEN },
  { position: 'intrinsic function name', text: (n) => cfn(sshRule(`{${q(`Fn::${n}`)}: x}`)), expect: () => ['unknown-peer'] },
  { position: 'suppressed rule name', text: (n) => cfn(sshRule(), { metadata: `{sg-lint: {suppress: [{rule: ${q(n)}, reason: x}]}}` }), expect: () => OPEN },
  { position: 'top-level section', text: (n) => cfn(sshRule(), { top: `${q(n)}: {a: 1}` }), expect: () => OPEN },
  { position: 'tag key and value', text: (n) => cfn(sshRule(), { props: `Tags: [{Key: ${q(n)}, Value: ${q(n)}}]` }), expect: () => OPEN },
  {
    position: 'attachment property and group reference',
    text: (n) => cfn(sshRule(), { resources: `  I:\n    Type: AWS::EC2::Instance\n    Properties: {SecurityGroupIds: [!Ref ${q(n)}], ${q(n)}: [!Ref Open]}` }),
    expect: () => OPEN,
  },
];

/** A `.tf` module with a world-open SSH group `open` plus `extra`. */
const tfOpen = (protocol = '"tcp"', cidr = '"0.0.0.0/0"', extra = '', name = 'open'): string =>
  `resource "aws_security_group" "${name}" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = ${protocol}\n    cidr_blocks = [${cidr}]\n  }\n}\n${extra}`;

const TF_POSITIONS: ProtoCase[] = [
  { position: 'resource type', text: (n) => tfOpen(undefined, undefined, `resource "${n}" "x" {\n  vpc_security_group_ids = [aws_security_group.open.id]\n}\n`), expect: () => OPEN },
  { position: 'resource name', text: (n) => tfOpen(undefined, undefined, '', n), expect: () => OPEN },
  { position: 'protocol value', text: (n) => tfOpen(`"${n}"`), expect: () => ['invalid-protocol'] },
  { position: 'CIDR value', text: (n) => tfOpen(undefined, `"${n}"`), expect: () => ['invalid-cidr'] },
  { position: 'variable name', text: (n) => tfOpen(undefined, `var.${n}`, `variable "${n}" {\n  default = "0.0.0.0/0"\n}\n`), expect: () => OPEN },
  { position: 'local name', text: (n) => tfOpen(undefined, `local.${n}`, `locals {\n  ${n} = "0.0.0.0/0"\n}\n`), expect: () => OPEN },
  { position: 'undefined variable', text: (n) => tfOpen(undefined, `var.${n}`), expect: () => ['unknown-peer'] },
  { position: 'map key index', text: (n) => tfOpen(undefined, `{ "${n}" = "0.0.0.0/0" }["${n}"]`), expect: () => OPEN },
  { position: 'index of a missing map key', text: (n) => tfOpen(undefined, `{ a = "0.0.0.0/0" }["${n}"]`), expect: () => ['unknown-peer'] },
  {
    position: 'standalone rule naming the group by a prototype name',
    text: (n) =>
      `resource "aws_security_group" "${n}" {}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n  security_group_id = aws_security_group.${n}.id\n  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = ["0.0.0.0/0"]\n}\n`,
    expect: () => OPEN,
  },
  { position: 'block type', text: (n) => tfOpen(undefined, undefined, '').replace('  ingress {', `  ${n} {\n    x = 1\n  }\n  ingress {`), expect: () => OPEN },
  { position: 'attribute name', text: (n) => tfOpen(undefined, undefined, '').replace('  ingress {', `  ${n} = 1\n  ingress {`), expect: () => OPEN },
];

/** A plan with one world-open SSH rule resource, `edit` applied to the JSON value. */
function planWith(edit: (plan: { planned_values: { root_module: { resources: Record<string, unknown>[] } } }, n: string) => void, n: string): string {
  const plan = JSON.parse(
    planOf([planGroup('g', 'sg-1'), planRule(0, 'sg-1', 22, ['0.0.0.0/0'])]),
  ) as { planned_values: { root_module: { resources: Record<string, unknown>[] } } };
  edit(plan, n);
  return JSON.stringify(plan, null, 1);
}

const rule0 = (p: { planned_values: { root_module: { resources: Record<string, unknown>[] } } }): Record<string, unknown> =>
  p.planned_values.root_module.resources[1] as Record<string, unknown>;

const PLAN_POSITIONS: ProtoCase[] = [
  {
    position: 'resource type',
    text: (n) => planWith((p, x) => p.planned_values.root_module.resources.push({ address: `${x}.y`, mode: 'managed', type: x, name: 'y', values: { security_groups: ['sg-1'] } }), n),
    expect: () => OPEN,
  },
  { position: 'values key', text: (n) => planWith((p, x) => ((rule0(p)['values'] as Record<string, unknown>)[x] = 1), n), expect: () => OPEN },
  { position: 'protocol value', text: (n) => planWith((p, x) => ((rule0(p)['values'] as Record<string, unknown>)['protocol'] = x), n), expect: () => ['invalid-protocol'] },
  { position: 'mode', text: (n) => planWith((p, x) => (rule0(p)['mode'] = x), n), expect: () => OPEN },
  {
    position: 'configuration keys',
    text: (n) => planWith((p, x) => Object.assign(p, { configuration: { root_module: { resources: [{ address: 'aws_security_group_rule.r0', expressions: { [x]: { references: [x] } } }], module_calls: { [x]: {} } } } }), n),
    expect: () => OPEN,
  },
];

const TFJSON_POSITIONS: ProtoCase[] = [
  {
    position: 'resource type and name',
    text: (n) => JSON.stringify({ resource: { [n]: { [n]: {} }, aws_security_group: { [n]: { ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } } }),
    expect: () => OPEN,
  },
  {
    position: 'protocol value and attribute name',
    text: (n) => JSON.stringify({ resource: { aws_security_group: { open: { [n]: 1, ingress: [{ from_port: 22, to_port: 22, protocol: n, cidr_blocks: ['0.0.0.0/0'] }] } } } }),
    expect: () => ['invalid-protocol'],
  },
  {
    position: 'variable name',
    text: (n) => JSON.stringify({ variable: { [n]: { default: '0.0.0.0/0' } }, resource: { aws_security_group: { open: { ingress: [{ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: [`\${var.${n}}`] }] } } } }),
    expect: () => OPEN,
  },
];

describe('Object.prototype property names in every key and lookup position are plain data', () => {
  /** Lints one folder per format with one input per (position, name) and checks each input's rule ids. */
  function check(kind: string, cases: ProtoCase[], write: (dir: string, id: string, text: string) => string): void {
    const files: Record<string, string> = {};
    const expected = new Map<string, string[]>();
    const dir = folder({});
    cases.forEach((c, ci) =>
      PROTO_NAMES.forEach((n, ni) => {
        const id = `c${ci}-n${ni}`;
        const file = write(dir, id, c.text(n));
        files[file] = `${c.position} = ${n}`;
        expected.set(file, c.expect(n));
      }),
    );
    const r = run(['-f', 'json', '--preset', 'recommended', '.'], dir, 60_000, 512);
    const report = JSON.parse(r.stdout) as JsonReport;
    const found = new Map<string, Set<string>>();
    for (const f of report.findings) {
      const key = Object.keys(files).find((file) => f.file === file || f.file.startsWith(`${file}/`)) ?? f.file;
      if (!found.has(key)) found.set(key, new Set());
      found.get(key)?.add(f.ruleId);
    }
    const wrong: string[] = [];
    for (const [file, want] of expected) {
      const got = [...(found.get(file) ?? [])].filter((id) => ['open-admin-port', 'invalid-protocol', 'invalid-cidr', 'invalid-port-range', 'unknown-peer'].includes(id)).sort();
      if (JSON.stringify(got) !== JSON.stringify([...want].sort())) wrong.push(`${kind} ${files[file]}: got [${got.join(', ')}], want [${want.join(', ')}]`);
    }
    expect(report.errors.filter((e) => /please report|internal/.test(e.message))).toEqual([]);
    expect(wrong).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_NAMES);
  }

  it('in CloudFormation templates', () => {
    check('cloudformation', CFN_POSITIONS, (dir, id, text) => {
      writeFileSync(join(dir, `${id}.yaml`), text);
      return `${id}.yaml`;
    });
  }, 120_000);

  it('in Terraform .tf modules', () => {
    check('terraform', TF_POSITIONS, (dir, id, text) => {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'main.tf'), text);
      return id;
    });
  }, 120_000);

  it('in Terraform plans', () => {
    check('plan', PLAN_POSITIONS, (dir, id, text) => {
      writeFileSync(join(dir, `${id}.json`), text);
      return `${id}.json`;
    });
  }, 120_000);

  it('in Terraform .tf.json modules', () => {
    check('tf.json', TFJSON_POSITIONS, (dir, id, text) => {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'main.tf.json'), text);
      return id;
    });
  }, 120_000);
});

// ------------------------------------------------------------------------------------------------ the issue's cases

const OPEN_SSH_RULE = '        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}';

/** Mappings where each key's value refers twice to the next key's (a DAG of `levels` levels), `value(i)` per level. */
function mappingDag(levels: number, value: (next: number) => string, last: string): string {
  const lines = ['Mappings:', '  M:'];
  for (let i = 0; i < levels; i++) lines.push(`    k${i}:`, `      v: ${value(i + 1)}`);
  lines.push(`    k${levels}:`, `      v: ${last}`);
  return lines.join('\n');
}

function group(rules: string[], description = 'x'): string {
  return ['Resources:', '  Sg:', '    Type: AWS::EC2::SecurityGroup', '    Properties:', `      GroupDescription: ${description}`, '      SecurityGroupIngress:', ...rules].join('\n');
}

describe('comments do not make a template quadratic', () => {
  it('a YAML template with a comment above each of 5,000 groups applies its file-wide marker once to every group', () => {
    // Each group opens SSH and RDP to the internet; the KICS marker at the top disables the RDP query for the whole
    // file (docs/suppressions.md). The file-wide markers used to be read again for every resource (groups x comments):
    // 5,000 groups ran past 15 s (killed); read once per file, about a second.
    const lines = [HEAD.trimEnd(), '# kics-scan disable=3AE83918-7EC7-4CB8-80DB-B91EF0F94002', 'Resources:'];
    for (let g = 0; g < 5000; g++) {
      lines.push(`  # group ${g}: bastion`, `  Sg${g}:`, '    Type: AWS::EC2::SecurityGroup', '    Properties:', '      GroupDescription: x', '      SecurityGroupIngress:');
      lines.push('        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}', '        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0}');
    }
    const dir = folder({ 'commented.yaml': `${lines.join('\n')}\n` });
    const r = run(['-f', 'json', '--only', 'open-admin-port', 'commented.yaml'], dir, 15_000);
    const report = JSON.parse(r.stdout) as { findings: (JsonReport['findings'][number] & { suppressed?: { origin: string } })[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    const open = report.findings.filter((f) => f.suppressed === undefined);
    const suppressed = report.findings.filter((f) => f.suppressed !== undefined);
    expect(open).toHaveLength(5000);
    expect(open.every((f) => f.message.includes('SSH (tcp/22)'))).toBe(true);
    expect(suppressed).toHaveLength(5000);
    expect(suppressed.every((f) => f.message.includes('RDP (tcp/3389)') && f.suppressed?.origin === 'kics')).toBe(true);
    // Group g's SSH entry is on line 3 + 8g + 7, its RDP entry on the next line.
    expect(open.slice(0, 2).map((f) => `${f.resource}:${f.line}`)).toEqual(['Sg0:10', 'Sg1:18']);
    expect(suppressed[4999]).toMatchObject({ resource: 'Sg4999', line: 3 + 8 * 4999 + 8 });
  }, 60_000);
});

describe('the cases of issue #18, each bounded in time and heap', () => {
  // Findings are located at the offending value (issue #14): the port or CIDR of the entry, not the entry.
  it('Fn::FindInMap chains forming a DAG are evaluated once per mapping value', () => {
    const dag = mappingDag(40, (n) => `[!FindInMap [M, k${n}, v], !FindInMap [M, k${n}, v]]`, '"22"');
    const dir = folder({ 'dag.yaml': `${HEAD}${dag}\n${group(['        - {IpProtocol: tcp, FromPort: !FindInMap [M, k0, v], ToPort: 22, CidrIp: 0.0.0.0/0}', OPEN_SSH_RULE.replace('22, CidrIp', '23, CidrIp').replace('FromPort: 22', 'FromPort: 23')])}\n` });
    const r = run(['-f', 'json', 'dag.yaml'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(['92:39 invalid-port-range', '93:63 open-sensitive-port']);
    expect(report.findings[0]?.message).toContain('port must be a whole number, got [[');
    expect(report.findings[0]?.message.length).toBeLessThan(1000);
  });

  it('Fn::Join over a FindInMap DAG stops at a bounded string length', () => {
    const dag = mappingDag(40, (n) => `!Join ["", [!FindInMap [M, k${n}, v], !FindInMap [M, k${n}, v]]]`, '"ab"');
    const rules = ['        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !FindInMap [M, k0, v]}', OPEN_SSH_RULE];
    const dir = folder({ 'join.yaml': `${HEAD}${dag}\n${group(rules, '!FindInMap [M, k0, v]')}\n` });
    const report = JSON.parse(run(['-f', 'json', 'join.yaml'], dir, 30_000).stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`)).toEqual(['92:63 invalid-cidr', '93:63 open-admin-port']);
    expect(report.findings[0]?.message).toContain('a string longer than 100000 characters');
  });

  it('a cdk.out whose nested assembly is its own folder: one located error, every stack read once', () => {
    const template = JSON.stringify({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }] } } } });
    const stack = { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Stack.template.json' } };
    const dir = folder({
      'cdk.out/manifest.json': JSON.stringify({ version: '36.0.0', artifacts: { Stack: stack, Self: { type: 'cdk:cloud-assembly', properties: { directoryName: '.', displayName: 'Self' } } } }),
      'cdk.out/Stack.template.json': template,
    });
    const r = run(['-f', 'json', 'cdk.out'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(r.code).toBe(2);
    expect(report.errors.map((e) => `${e.file}: ${e.message}`)).toEqual(['cdk.out/manifest.json: nested assembly "." is an assembly that contains it (a cycle); not read again']);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['cdk.out/Stack.template.json open-admin-port']);
  });

  it('a cdk.out whose nested assemblies form a DAG (each level naming the next twice) reads each assembly once', () => {
    const files: Record<string, string> = {};
    const levels = 30;
    for (let i = 0; i < levels; i++) {
      const next = { type: 'cdk:cloud-assembly', properties: { directoryName: `l${i + 1}` } };
      const prefix = Array.from({ length: i }, (_, j) => `l${j + 1}/`).join('');
      files[`cdk.out/${prefix}manifest.json`] = JSON.stringify({ version: '36.0.0', artifacts: { A: next, B: { ...next, properties: { directoryName: `./l${i + 1}` } } } });
    }
    const deepest = Array.from({ length: levels }, (_, j) => `l${j + 1}/`).join('');
    files[`cdk.out/${deepest}manifest.json`] = JSON.stringify({ version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } });
    files[`cdk.out/${deepest}S.template.json`] = JSON.stringify({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, CidrIp: '0.0.0.0/0' }] } } } });
    const dir = folder(files);
    const r = run(['-f', 'json', 'cdk.out'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    // CDK nests assemblies a few levels deep; sg-lint follows 20, so the stack at level 30 is out of reach but nothing
    // is read twice and the run ends at once. No template was linted, which is exit 2 unless --no-error-on-unmatched.
    expect(report.errors).toEqual([]);
    expect(r.stderr).toContain('sg-lint: no input was linted');
    expect(r.code).toBe(2);
    expect(run(['-f', 'json', '--no-error-on-unmatched', 'cdk.out'], dir).code).toBe(0);
  });

  it('YAML aliases that expand one large node many times are bounded by expanded size', () => {
    const big = `[${Array.from({ length: 20_000 }, (_, i) => i).join(',')}]`;
    const text = `${HEAD}Metadata:\n  big: &big ${big}\n  copies: [${Array(50).fill('*big').join(', ')}]\n${group([OPEN_SSH_RULE])}\n`;
    const dir = folder({ 'alias.yaml': text });
    const r = run(['-f', 'json', 'alias.yaml'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(r.code).toBe(2);
    // 20,001 nodes per copy: the fifth copy crosses 100,000 (column of the fifth alias on line 4).
    expect(report.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual(['4:36 YAML alias not expanded: aliases expand to more than 100000 nodes']);
  });

  it('a YAML file with two documents is an error at the second, whatever the second holds', () => {
    const second = `${HEAD}${group([OPEN_SSH_RULE])}\n`;
    const dir = folder({ 'two.yaml': `${HEAD}Resources: {}\n---\n${second}`, 'ok.yaml': second });
    const r = run(['-f', 'json', 'two.yaml', 'ok.yaml'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(r.code).toBe(2);
    expect(report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`)).toEqual(['two.yaml:3:1 more than one YAML document: a CloudFormation template is a single document']);
    expect(report.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['ok.yaml open-admin-port']);
  });

  it('SARIF for a one-line template with many findings carries bounded snippets', () => {
    const ingress = Array.from({ length: 1000 }, (_, i) => ({ IpProtocol: 'tcp', FromPort: 2000 + i, ToPort: 2000 + i, CidrIp: '0.0.0.0/0', Description: 'd'.repeat(300) }));
    const dir = folder({ 'line.json': JSON.stringify({ Resources: { Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', SecurityGroupIngress: ingress } } } }) });
    const r = run(['-f', 'sarif', '--preset', 'all', 'line.json'], dir, 30_000);
    const log = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { region: { snippet?: { text: string } } } }[] }[] }[] };
    const results = log.runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(1000);
    const snippets = results.map((x) => x.locations[0]?.physicalLocation.region.snippet?.text ?? '');
    expect(Math.max(...snippets.map((s) => s.length))).toBeLessThanOrEqual(240);
    expect(r.stdout.length).toBeLessThan(5_000_000);
  }, 60_000);

  it('a bad escape in one .tf file is that value\'s problem; the module\'s other file is still linted', () => {
    const bad = 'resource "aws_security_group" "bad" {\n  description = "\\U00110000"\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["\\U00110000"]\n  }\n}\n';
    const good = 'resource "aws_security_group" "good" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const dir = folder({ 'm/bad.tf': bad, 'm/good.tf': good });
    const report = JSON.parse(run(['-f', 'json', 'm'], dir).stdout) as JsonReport;
    // Terraform rejects the escape; sg-lint reads the value as unknown, with the reason, where it is used.
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['m/bad.tf:7 unknown-peer', 'm/good.tf:6 open-admin-port']);
    expect(report.findings[0]?.message).toContain('invalid code point in \\U escape');
  });

  it('strings doubled through locals never take the module down', () => {
    const locals = ['locals {', '  s0 = "ab"', ...Array.from({ length: 60 }, (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"`), '}'].join('\n');
    const bad = `${locals}\nresource "aws_security_group" "bad" {\n  description = local.s60\n}\n`;
    const good = 'resource "aws_security_group" "good" {\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n';
    const dir = folder({ 'm/bad.tf': bad, 'm/good.tf': good });
    const report = JSON.parse(run(['-f', 'json', 'm'], dir).stdout) as JsonReport;
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toContain('m/good.tf:6 open-admin-port');
    expect(report.errors).toEqual([]);
  });

  it('a heredoc of 100,000 lines and a .tf.json list of 100,000 items are read, not "nested too deeply"', () => {
    const heredoc = `resource "aws_security_group" "a" {\n  description = <<EOT\n${'line\n'.repeat(100_000)}EOT\n  ingress {\n    from_port = 22\n    to_port = 22\n    protocol = "tcp"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n}\n`;
    const list = JSON.stringify({
      variable: { big: { default: Array.from({ length: 100_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32`) } },
      resource: { aws_security_group: { b: { description: 'x', ingress: [{ from_port: 3389, to_port: 3389, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] } } },
    });
    const dir = folder({ 'h/main.tf': heredoc, 'j/main.tf.json': list });
    const r = run(['-f', 'json', 'h', 'j'], dir, 30_000);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'open-admin-port').map((f) => `${f.file}:${f.line}`)).toEqual(['h/main.tf:100008', 'j/main.tf.json:1']);
  }, 60_000);

  it('count = 1000 with a dynamic block over 1,000 ports ends bounded', () => {
    const tf = 'resource "aws_security_group" "a" {\n  count = 1000\n  dynamic "ingress" {\n    for_each = range(1000)\n    content {\n      from_port = ingress.value\n      to_port = ingress.value\n      protocol = "tcp"\n      cidr_blocks = ["10.0.0.0/8"]\n    }\n  }\n}\n';
    const dir = folder({ 'c/main.tf': tf });
    const r = run(['--verbose', 'c'], dir, 40_000);
    // 1,000 instances x 1,000 generated blocks: the expansion budget stops it where the product crosses 50,000.
    expect(r.stdout).toContain(`c/main.tf:3:3: warning: expansion stopped at dynamic "ingress": ${BUDGET_TAIL}`);
  }, 60_000);
});

describe('terminal injection: input text is escaped in every format', () => {
  const key = 'Dup\x1b]0;pwned\x07\x1b[2J';
  const ssh = `${HEAD}${group([OPEN_SSH_RULE])}\n`;
  const files = { 'dup.yaml': `${HEAD}Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: x\n      ${JSON.stringify(key)}: 1\n      ${JSON.stringify(key)}: 2\n`, 'nl\nfake.yaml': ssh, 'esc\x1b[31m.yaml': ssh };
  const RAW = /[\x00-\x08\x0b-\x1f\x7f]/;

  it.each(['text', 'compact', 'github', 'junit', 'json', 'sarif', 'gitlab', 'markdown'])('%s', (format) => {
    const dir = folder(files);
    const r = run(['-f', format, '.'], dir);
    expect(r.code).not.toBe(0);
    expect(RAW.test(r.stdout)).toBe(false);
    expect(RAW.test(r.stderr)).toBe(false);
    if (format === 'json' || format === 'sarif' || format === 'gitlab') expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    if (format === 'text') {
      expect(r.stdout).toContain('Dup\\x1b]0;pwned\\x07\\x1b[2J');
      expect(r.stdout.split('\n')).toContain('nl\\nfake.yaml');
      expect(r.stdout.split('\n')).toContain('esc\\x1b[31m.yaml');
      expect(r.stdout.split('\n')).not.toContain('fake.yaml');
    }
    if (format === 'github') expect(r.stdout).toContain('::error file=nl%0Afake.yaml');
    if (format === 'junit') expect(r.stdout).toContain('Dup\\x1b]0;pwned\\x07\\x1b[2J');
    if (format === 'compact') {
      expect(r.stdout).toContain('Dup\\x1b]0;pwned\\x07\\x1b[2J');
      expect(r.stdout.split('\n').some((line) => line.startsWith('nl\\nfake.yaml:'))).toBe(true);
      expect(r.stdout.split('\n').some((line) => line.startsWith('esc\\x1b[31m.yaml:'))).toBe(true);
    }

  });
});
