import { describeConditions } from '../../src/model/conditions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeCloudFormation, parseCloudFormation } from '../../src/parsers/cloudformation';
import type { ParsedInput, SecurityGroup, SgRule, Value } from '../../src/model/types';

const FIXTURES = join(__dirname, '../../fixtures/parsers/cloudformation');
const yamlText = readFileSync(join(FIXTURES, 'model.cfn.yaml'), 'utf8');
const jsonText = readFileSync(join(FIXTURES, 'model.cfn.json'), 'utf8');

function group(input: ParsedInput, address: string): SecurityGroup {
  const g = input.groups.find((x) => x.address === address);
  if (!g) throw new Error(`no group ${address}; have ${input.groups.map((x) => x.address).join(', ')}`);
  return g;
}

function rulesOf(g: SecurityGroup, entry: string): SgRule[] {
  return [...g.ingress, ...g.egress].filter((r) => r.entry === entry);
}

function known<T>(v: Value<T>): T {
  if (!v.known) throw new Error(`expected a known value, got unknown: ${v.reason}`);
  return v.value;
}

/** An unknown value as "? reason", or "? invalid: reason" for one the template writes wrongly. */
function why(v: { reason: string; invalid?: true }): string {
  return v.invalid ? `? invalid: ${v.reason}` : `? ${v.reason}`;
}

/** A compact view of a rule for exact comparisons. */
function view(r: SgRule): Record<string, unknown> {
  const peer = r.peer.known ? r.peer.value : undefined;
  return {
    protocol: r.protocol.known ? r.protocol.value.kind : why(r.protocol),
    ports: r.ports.known ? r.ports.value : why(r.ports),
    peer: !r.peer.known
      ? why(r.peer)
      : peer?.kind === 'cidr'
        ? peer.cidr
        : peer?.kind === 'security-group'
          ? `sg ${peer.ref}${peer.inModel ? ' (in model)' : ''}${peer.self ? ' (self)' : ''}`
          : peer?.kind === 'prefix-list'
            ? `pl ${peer.id}`
            : 'none',
    assumptions: describeConditions(r.conditions),
  };
}

describe('parseCloudFormation: YAML model', () => {
  const input = parseCloudFormation(yamlText, 'fixtures/model.cfn.yaml');
  const web = group(input, 'WebSg');

  it('reads the template without errors and reports its format', () => {
    expect(input.errors).toEqual([]);
    expect(input.format).toBe('cloudformation-yaml');
    expect(input.groups.map((g) => `${g.address}:${g.kind}`)).toEqual([
      'WebSg:standard',
      'DbSg:standard',
      'ProdOnlySg:standard',
      'sg-0aaaaaaaaaaaaaaaa:external',
      'ImportValue SharedSg:external',
      'parameter ExistingSg:external',
    ]);
  });

  it('locates a group at its logical-ID key', () => {
    expect(web.location).toEqual({ file: 'fixtures/model.cfn.yaml', line: 25, column: 3, endLine: 25, endColumn: 8 });
    expect(known(web.description)).toBe('web tier for dev');
  });

  it('expands a parameter with Default and AllowedValues into one rule per value', () => {
    const rules = rulesOf(web, 'WebSg/SecurityGroupIngress/0');
    expect(rules.map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 22, to: 22 }, peer: '10.0.0.0/8', assumptions: ['via parameter AdminCidr default'] },
      { protocol: 'tcp', ports: { from: 22, to: 22 }, peer: '0.0.0.0/0', assumptions: ['when parameter AdminCidr is 0.0.0.0/0 (AllowedValues)'] },
    ]);
    const [first] = rules;
    expect(first?.declaredAs).toBe('inline');
    expect(first?.location).toMatchObject({ line: 45, column: 11, endLine: 49, endColumn: 27 });
    expect(first?.fieldLocations).toEqual({
      protocol: { file: 'fixtures/model.cfn.yaml', line: 45, column: 23, endLine: 45, endColumn: 26 },
      ports: { file: 'fixtures/model.cfn.yaml', line: 46, column: 21, endLine: 47, endColumn: 21 },
      peer: { file: 'fixtures/model.cfn.yaml', line: 48, column: 19, endLine: 48, endColumn: 33 },
      description: { file: 'fixtures/model.cfn.yaml', line: 49, column: 24, endLine: 49, endColumn: 27 },
    });
    expect(known(first!.description)).toBe('ssh');
  });

  it('keeps both Fn::If branches with their conditions, and normalizes protocol 6 and string ports', () => {
    expect(rulesOf(web, 'WebSg/SecurityGroupIngress/1').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 443, to: 443 }, peer: '0.0.0.0/0', assumptions: ['when condition IsProd is true'] },
      { protocol: 'tcp', ports: { from: 443, to: 443 }, peer: '10.1.0.0/16', assumptions: ['when condition IsProd is false'] },
    ]);
  });

  it('drops the AWS::NoValue branch of a conditional list item', () => {
    expect(rulesOf(web, 'WebSg/SecurityGroupIngress/2').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 8443, to: 8443 }, peer: '::/0', assumptions: ['when condition IsProd is true'] },
    ]);
  });

  it('evaluates FindInMap, Join, Select and Split', () => {
    expect(rulesOf(web, 'WebSg/SecurityGroupIngress/3').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 8080, to: 8080 }, peer: '172.16.0.0/12', assumptions: ['via parameter Env default'] },
    ]);
    expect(rulesOf(web, 'WebSg/SecurityGroupIngress/4').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 5000, to: 5000 }, peer: '192.168.1.0/24', assumptions: [] },
    ]);
  });

  it('leaves ImportValue, parameters without Default and malformed CIDRs unknown with a reason', () => {
    expect(view(rulesOf(web, 'WebSg/SecurityGroupIngress/5')[0]!).peer).toBe('? Fn::ImportValue SharedVpcCidr');
    expect(view(rulesOf(web, 'WebSg/SecurityGroupIngress/6')[0]!).peer).toBe('? invalid: "10.0.0.300/8" is not a valid CIDR block');
    expect(view(rulesOf(web, 'WebSg/SecurityGroupIngress/7')[0]!).peer).toBe('? parameter NoDefaultCidr has no Default');
    expect(input.errors).toEqual([]);
  });

  it('reads group peers (self, cross-account) and prefix lists with MaxEntries', () => {
    const self = rulesOf(web, 'WebSg/SecurityGroupIngress/8')[0]!;
    expect(view(self)).toEqual({ protocol: 'all', ports: { from: 0, to: 65535 }, peer: 'sg WebSg (in model) (self)', assumptions: [] });
    expect(known(rulesOf(web, 'WebSg/SecurityGroupIngress/9')[0]!.peer)).toEqual({ kind: 'prefix-list', id: 'OfficeList', maxEntries: 10 });
    expect(known(rulesOf(web, 'WebSg/SecurityGroupIngress/10')[0]!.peer)).toEqual({
      kind: 'security-group',
      ref: 'sg-0123456789abcdef0',
      inModel: false,
      self: false,
      ownerId: '123456789012',
    });
  });

  it('adds no implicit egress to a group whose egress comes from AWS::EC2::SecurityGroupEgress resources', () => {
    // WebSg lists no SecurityGroupEgress, but WebToDb adds egress to it: creating that rule removes AWS's default.
    expect(web.implicitEgress).toBe(false);
    expect(web.egress.filter((r) => r.declaredAs === 'implicit')).toEqual([]);
  });

  it('adds the implicit allow-all egress to a group without any egress rule', () => {
    const yaml = 'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: d\n';
    const sg = group(parseCloudFormation(yaml, 'one.yaml'), 'Sg');
    expect(sg.implicitEgress).toBe(true);
    const implicit = sg.egress.filter((r) => r.declaredAs === 'implicit');
    expect(implicit.map(view)).toEqual([{ protocol: 'all', ports: { from: 0, to: 65535 }, peer: '0.0.0.0/0', assumptions: [] }]);
    expect(implicit[0]?.location).toEqual(sg.location);
  });

  it("treats CDK's disallow-all placeholder egress as no egress", () => {
    const db = group(input, 'DbSg');
    expect(db.implicitEgress).toBe(false);
    expect(db.egress).toEqual([]);
  });

  it('merges standalone rules referenced by !GetAtt and !Ref into their group', () => {
    const db = group(input, 'DbSg');
    const [ingress] = rulesOf(db, 'DbFromWeb');
    expect(ingress).toMatchObject({ declaredAs: 'standalone', resource: 'DbFromWeb', group: 'DbSg', direction: 'ingress' });
    expect(view(ingress!).peer).toBe('sg WebSg (in model)');
    expect(ingress?.location).toMatchObject({ line: 102, column: 3, endLine: 109, endColumn: 51 });
    const [egress] = rulesOf(web, 'WebToDb');
    expect(egress).toMatchObject({ declaredAs: 'standalone', resource: 'WebToDb', group: 'WebSg', direction: 'egress' });
    expect(view(egress!).peer).toBe('sg DbSg (in model)');
    expect(egress?.suppressions?.map((s) => [s.rule, s.origin, s.reason])).toEqual([['W29', 'cfn_nag', 'single port']]);
  });

  it('puts standalone rules of groups outside the template into external groups', () => {
    expect(rulesOf(group(input, 'sg-0aaaaaaaaaaaaaaaa'), 'LiteralRule').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 22, to: 22 }, peer: '0.0.0.0/0', assumptions: [] },
    ]);
    expect(group(input, 'ImportValue SharedSg').ingress.map((r) => r.resource)).toEqual(['ImportedRule']);
    const param = group(input, 'parameter ExistingSg');
    expect(param).toMatchObject({ kind: 'external', implicitEgress: false, egress: [] });
    expect(param.ingress.map((r) => r.group)).toEqual(['parameter ExistingSg']);
  });

  it('adds a resource Condition to the group and its rules', () => {
    const prod = group(input, 'ProdOnlySg');
    expect(describeConditions(prod.conditions)).toEqual(['when condition IsProd is true']);
    expect(prod.egress.map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 443, to: 443 }, peer: '0.0.0.0/0', assumptions: ['when condition IsProd is true'] },
    ]);
  });

  it('collects sg-lint, cfn_nag and checkov suppressions from Metadata', () => {
    expect(web.suppressions?.map((s) => ({ rule: s.rule, origin: s.origin, reason: s.reason, expires: s.expires, line: s.location.line }))).toEqual([
      { rule: 'open-admin-port', origin: 'sg-lint', reason: 'bastion behind VPN', expires: '2030-01-01', line: 30 },
      { rule: 'W2', origin: 'cfn_nag', reason: 'public web tier', expires: undefined, line: 35 },
      { rule: 'CKV_AWS_260', origin: 'checkov', reason: 'port 80 is public by design', expires: undefined, line: 39 },
    ]);
  });

  it('records attachments with categories and ports (engine default when Port is absent)', () => {
    expect(group(input, 'DbSg').attachments.map((a) => [a.resource, a.type, a.category, a.ports])).toEqual([
      ['Database', 'AWS::RDS::DBInstance', 'database', [5432]],
      ['Func', 'AWS::Lambda::Function', 'serverless', undefined],
    ]);
    expect(web.attachments.map((a) => [a.resource, a.category, a.ports, a.location.line])).toEqual([
      ['Func', 'serverless', undefined, 176],
      ['Cache', 'cache', [6380], 186],
    ]);
  });

  it('lists group users with every group they attach, unknown ones included', () => {
    expect(input.users.map((u) => [u.resource, u.groups])).toEqual([
      ['Database', [{ known: true, value: 'DbSg' }, { known: false, reason: 'Fn::ImportValue SharedDbSg' }]],
      ['Func', [{ known: true, value: 'WebSg' }, { known: true, value: 'DbSg' }, { known: true, value: 'sg-0bbbbbbbbbbbbbbbb' }]],
      ['Cache', [{ known: true, value: 'WebSg' }]],
    ]);
    expect(input.users[0]?.suppressions?.map((s) => [s.rule, s.origin])).toEqual([['CKV_AWS_17', 'checkov']]);
  });
});

describe('parseCloudFormation: JSON and YAML agree', () => {
  /** The model without positions and format, which legitimately differ. */
  function strip(input: ParsedInput): unknown {
    return JSON.parse(
      JSON.stringify({ groups: input.groups, users: input.users }, (key, value: unknown) =>
        ['location', 'fieldLocations', 'file'].includes(key) ? undefined : typeof value === 'bigint' ? value.toString() : value,
      ),
    );
  }

  it('gives the same model for the JSON long form of the YAML fixture', () => {
    const json = parseCloudFormation(jsonText, 'fixtures/model.cfn.json');
    expect(json.format).toBe('cloudformation-json');
    expect(json.errors).toEqual([]);
    expect(strip(json)).toEqual(strip(parseCloudFormation(yamlText, 'fixtures/model.cfn.yaml')));
  });

  it('locates JSON nodes by line and column', () => {
    const json = parseCloudFormation(jsonText, 'fixtures/model.cfn.json');
    const web = group(json, 'WebSg');
    expect(web.location).toEqual({ file: 'fixtures/model.cfn.json', line: 51, column: 5, endLine: 51, endColumn: 12 });
    expect(rulesOf(web, 'WebSg/SecurityGroupIngress/0')[0]?.fieldLocations?.protocol).toMatchObject({ line: 87, column: 27, endLine: 87, endColumn: 32 });
  });
});

describe('parseCloudFormation: text encodings', () => {
  it('keeps line numbers right with CRLF and lone CR line endings', () => {
    for (const eol of ['\r\n', '\r']) {
      const input = parseCloudFormation(yamlText.replace(/\n/g, eol), 't.yaml');
      expect(input.errors).toEqual([]);
      const rule = rulesOf(group(input, 'WebSg'), 'WebSg/SecurityGroupIngress/0')[0];
      expect(rule?.fieldLocations?.peer).toMatchObject({ line: 48, column: 19, endLine: 48, endColumn: 33 });
    }
  });

  it('strips a UTF-8 byte order mark without shifting columns', () => {
    for (const [text, name] of [
      [yamlText, 't.yaml'],
      [jsonText, 't.json'],
    ] as const) {
      const plain = parseCloudFormation(text, name);
      const bom = parseCloudFormation(`\uFEFF${text}`, name);
      expect(bom.errors).toEqual([]);
      expect(group(bom, 'WebSg').location).toEqual(group(plain, 'WebSg').location);
    }
    expect(group(parseCloudFormation(`\uFEFF${yamlText}`, 't.yaml'), 'WebSg').location).toMatchObject({ line: 25, column: 3 });
  });
});

describe('parseCloudFormation: errors', () => {
  it('reports a YAML syntax error with line and column', () => {
    const input = parseCloudFormation('Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n   Properties: {}\n', 'bad.yaml');
    expect(input.errors).toHaveLength(1);
    expect(input.errors[0]).toMatchObject({ file: 'bad.yaml', line: 4, column: 4 });
    expect(input.errors[0]?.message).toMatch(/^bad indentation: /);
    expect(input.errors[0]?.message).not.toContain('\n');
  });

  it('reads duplicate keys as CloudFormation does: the last value wins, with a notice naming the key', () => {
    const yaml = parseCloudFormation(
      'Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          CidrIp: 10.0.0.0/8\n          CidrIp: 0.0.0.0/0\n',
      'dup.yaml',
    );
    expect(yaml.errors).toEqual([]);
    expect(yaml.notices).toEqual([{ file: 'dup.yaml', message: "duplicate key 'CidrIp': CloudFormation uses the last value", line: 8, column: 11 }]);
    const peer = yaml.groups[0]?.ingress[0]?.peer;
    expect(peer?.known && peer.value.kind === 'cidr' ? peer.value.cidr : undefined).toBe('0.0.0.0/0');
    const json = parseCloudFormation('{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup",\n "Type": "AWS::EC2::SecurityGroup"}}}', 'dup.json');
    expect(json.errors).toEqual([]);
    expect(json.notices).toEqual([{ file: 'dup.json', message: "duplicate key 'Type': CloudFormation uses the last value", line: 2, column: 2 }]);
    expect(json.groups.map((g) => g.address)).toEqual(['Sg']);
  });

  it('reports a JSON syntax error with line and column and no model', () => {
    const input = parseCloudFormation('{\n  "Resources": {\n    "Sg": [1,]\n  }\n}', 'bad.json');
    expect(input.errors).toEqual([{ file: 'bad.json', message: `unexpected character "]", expected a JSON value`, line: 3, column: 14 }]);
    expect(input.groups).toEqual([]);
  });

  it('treats keys such as __proto__ and constructor as plain data', () => {
    const input = parseCloudFormation(
      '{"Resources": {"__proto__": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"constructor": 1, "GroupDescription": "p"}}}}',
      'proto.json',
    );
    expect(input.groups.map((g) => g.address)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).Type).toBeUndefined();
  });

  it('stops expanding a YAML alias bomb', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `Metadata:\n  ${levels.join('\n  ')}\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n`;
    const start = Date.now();
    const input = parseCloudFormation(text, 'bomb.yaml');
    expect(Date.now() - start).toBeLessThan(2000);
    expect(input.errors.map((e) => e.message)).toContain('YAML alias not expanded: more than 100 alias expansions');
  });
});

describe('parseCloudFormation: inputs that are not templates or are malformed', () => {
  it('returns a notice and no groups for other YAML and JSON', () => {
    for (const [text, name] of [
      ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'k8s.yaml'],
      ['{"name": "pkg", "version": "1.0.0"}', 'package.json'],
    ] as const) {
      const input = parseCloudFormation(text, name);
      expect(input.groups).toEqual([]);
      expect(input.errors).toEqual([]);
      expect(input.notices).toEqual([{ file: name, message: 'not a CloudFormation template' }]);
    }
  });

  it('reports Resources written as a list as an error at the list', () => {
    const input = parseCloudFormation('Resources:\n  - Type: AWS::EC2::SecurityGroup\n', 'list.yaml');
    expect(input.groups).toEqual([]);
    expect(input.errors).toEqual([{ file: 'list.yaml', message: 'Resources must be a mapping of logical IDs to resources, got a list', line: 2, column: 3 }]);
  });

  it('turns malformed properties into invalid unknowns instead of throwing', () => {
    const input = parseCloudFormation(
      [
        'Resources:',
        '  Scalar:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties: nope',
        '  Odd:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: odd',
        '      SecurityGroupIngress: hello',
        '      SecurityGroupEgress:',
        '        - IpProtocol: tcp',
        '          FromPort: {a: 1}',
        '          ToPort: 22',
        '          CidrIp: [10.0.0.0/8]',
        '        - IpProtocol: banana',
        '          CidrIp: 10.0.0.0/8',
        '        - IpProtocol: tcp',
        '          FromPort: 90',
        '          ToPort: 80',
        '          CidrIp: 10.0.0.0/8',
      ].join('\n'),
      'odd.yaml',
    );
    expect(input.errors).toEqual([]);
    expect(group(input, 'Scalar').description).toEqual({ known: false, reason: 'Properties must be a mapping', invalid: true });
    const odd = group(input, 'Odd');
    expect(odd.ingress.map(view)).toEqual([
      {
        protocol: '? invalid: SecurityGroupIngress must be a list',
        ports: '? invalid: SecurityGroupIngress must be a list',
        peer: '? invalid: SecurityGroupIngress must be a list',
        assumptions: [],
      },
    ]);
    expect(odd.egress.map(view)).toEqual([
      { protocol: 'tcp', ports: '? invalid: port must be a whole number, got {"a":"…"}', peer: '? invalid: CidrIp must be a string, got a list', assumptions: [] },
      { protocol: '? invalid: unknown protocol "banana"', ports: '? unknown protocol "banana"', peer: '10.0.0.0/8', assumptions: [] },
      { protocol: 'tcp', ports: '? invalid: FromPort 90 is greater than ToPort 80', peer: '10.0.0.0/8', assumptions: [] },
    ]);
  });

  it('gives a rule with no peer the peer kind none', () => {
    const input = parseCloudFormation('Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: 1\n          ToPort: 2\n', 'n.yaml');
    expect(known(group(input, 'Sg').ingress[0]!.peer)).toEqual({ kind: 'none' });
  });
});

describe('parseCloudFormation: intrinsic edge cases', () => {
  it('resolves Fn::Sub with a variable map and GroupName references', () => {
    const input = parseCloudFormation(
      [
        'Parameters:',
        '  Octet: {Type: Number, Default: 10}',
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      GroupDescription: s',
        '      SecurityGroupIngress:',
        '        - IpProtocol: tcp',
        '          FromPort: 1',
        '          ToPort: 1',
        '          CidrIp: !Sub ["${A}.${Octet}.0.0/16", {A: "10"}]',
        '        - IpProtocol: tcp',
        '          FromPort: 2',
        '          ToPort: 2',
        '          CidrIp: !Sub "${AWS::Region}/8"',
        '  ByName:',
        '    Type: AWS::EC2::SecurityGroupIngress',
        '    Properties:',
        '      GroupName: !Ref Sg',
        '      IpProtocol: tcp',
        '      FromPort: 3',
        '      ToPort: 3',
        '      SourceSecurityGroupName: !Ref Sg',
      ].join('\n'),
      'sub.yaml',
    );
    const sg = group(input, 'Sg');
    expect(sg.ingress.map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 1, to: 1 }, peer: '10.10.0.0/16', assumptions: ['via parameter Octet default'] },
      { protocol: 'tcp', ports: { from: 2, to: 2 }, peer: '? pseudo parameter AWS::Region', assumptions: [] },
      { protocol: 'tcp', ports: { from: 3, to: 3 }, peer: 'sg Sg (in model) (self)', assumptions: [] },
    ]);
  });

  it('keeps choices consistent: one parameter in two fields gives no mixed variants', () => {
    const input = parseCloudFormation(
      'Parameters:\n  Port: {Type: Number, Default: 22, AllowedValues: [22, 80]}\nResources:\n  Sg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 10.0.0.0/8}\n',
      'p.yaml',
    );
    expect(group(input, 'Sg').ingress.map((r) => known(r.ports))).toEqual([
      { from: 22, to: 22 },
      { from: 80, to: 80 },
    ]);
  });

  it('prunes branches of conditions decidable from literals and terminates on condition loops', () => {
    const input = parseCloudFormation(
      [
        'Conditions:',
        '  Yes: !Equals [a, a]',
        '  Loop1: !Condition Loop2',
        '  Loop2: !Not [!Condition Loop1]',
        'Resources:',
        '  Sg:',
        '    Type: AWS::EC2::SecurityGroup',
        '    Properties:',
        '      SecurityGroupIngress:',
        '        - {IpProtocol: tcp, FromPort: 1, ToPort: 1, CidrIp: !If [Yes, 10.0.0.0/8, 0.0.0.0/0]}',
        '        - {IpProtocol: tcp, FromPort: 2, ToPort: 2, CidrIp: !If [Loop1, 10.0.0.0/8, 0.0.0.0/0]}',
      ].join('\n'),
      'c.yaml',
    );
    expect(group(input, 'Sg').ingress.map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 1, to: 1 }, peer: '10.0.0.0/8', assumptions: [] },
      { protocol: 'tcp', ports: { from: 2, to: 2 }, peer: '10.0.0.0/8', assumptions: ['when condition Loop1 is true'] },
      { protocol: 'tcp', ports: { from: 2, to: 2 }, peer: '0.0.0.0/0', assumptions: ['when condition Loop1 is false'] },
    ]);
  });

  it('caps deep Fn::If nesting quickly, with a notice', () => {
    let expr = '"0.0.0.0/0"';
    for (let i = 0; i < 1000; i++) expr = `{"Fn::If": ["C${i}", "10.${i % 256}.0.0/16", ${expr}]}`;
    const text = `{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": ${expr}}]}}}}`;
    const start = Date.now();
    const input = parseCloudFormation(text, 'deep.json', { maxVariants: 16 });
    expect(Date.now() - start).toBeLessThan(3000);
    const rules = group(input, 'Sg').ingress;
    expect(rules).toHaveLength(16);
    expect(describeConditions(rules[0]?.conditions ?? [])).toEqual(['when condition C999 is true']);
    expect(rules[15]?.peer).toEqual({ known: false, reason: 'more than 16 variants (capped)' });
    expect(input.notices).toEqual([
      { file: 'deep.json', message: 'rule entry Sg/SecurityGroupIngress/0 has more than 16 variants; kept 15 and marked the rest unknown', line: 1, column: expect.any(Number) },
    ]);
  });

  it('says when a cap kept no variant at all (a value resting on too many conditions)', () => {
    const conditions = Array.from({ length: 70 }, (_, i) => `"C${i}": {"Fn::Equals": [{"Ref": "P"}, "${i}"]}`).join(', ');
    const parts = Array.from({ length: 70 }, (_, i) => `{"Fn::If": ["C${i}", "1", "2"]}`).join(', ');
    const text = `{"Parameters": {"P": {"Type": "String"}}, "Conditions": {${conditions}}, "Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Fn::Join": ["", ["10.0.0.", {"Fn::Join": ["", [${parts}]]}, "/32"]]}}]}}}}`;
    const input = parseCloudFormation(text, 'many.json');
    expect(group(input, 'Sg').ingress.map((r) => r.peer)).toEqual([{ known: false, reason: 'more than 64 variants (capped)' }]);
    expect(input.notices.map((n) => n.message)).toEqual([
      'rule entry Sg/SecurityGroupIngress/0 has more than 64 variants; kept none and marked them all unknown',
    ]);
  });

  it('answers Unknown past the evaluation depth limit instead of overflowing the stack', () => {
    let expr = '"0.0.0.0/0"';
    for (let i = 0; i < 1400; i++) expr = `{"Fn::If": ["C${i % 3}", "10.0.0.0/16", ${expr}]}`;
    const text = `{"Resources": {"Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "CidrIp": ${expr}}]}}}}`;
    const input = parseCloudFormation(text, 'deep.json');
    expect(input.errors).toEqual([]);
    const peers = group(input, 'Sg').ingress.map((r) => view(r).peer);
    expect(peers).toContain('10.0.0.0/16');
    expect(peers).toContain('? expression nested too deeply');
  });

  it('reports absurd nesting as an error instead of overflowing the stack', () => {
    const text = `{"Resources": ${'['.repeat(50000)}${']'.repeat(50000)}}`;
    const input = parseCloudFormation(text, 'nest.json');
    expect(input.errors).toEqual([{ file: 'nest.json', message: 'nesting deeper than 3000 levels', line: 1, column: 3014 }]);
    const yaml = parseCloudFormation(`Resources: ${'['.repeat(5000)}${']'.repeat(5000)}`, 'nest.yaml');
    expect(yaml.groups).toEqual([]);
    expect(yaml.errors.length).toBeGreaterThan(0);
  });
});

describe('looksLikeCloudFormation', () => {
  it('recognizes templates by AWSTemplateFormatVersion or typed Resources', () => {
    expect(looksLikeCloudFormation(yamlText)).toBe(true);
    expect(looksLikeCloudFormation(jsonText)).toBe(true);
    expect(looksLikeCloudFormation('Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n')).toBe(true);
    expect(looksLikeCloudFormation('{"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}')).toBe(true);
  });

  it('rejects other YAML and JSON', () => {
    expect(looksLikeCloudFormation('apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n')).toBe(false);
    expect(looksLikeCloudFormation('{"name": "x", "dependencies": {"aws-cdk-lib": "2.0.0"}}')).toBe(false);
    expect(looksLikeCloudFormation('resources:\n  - type: AWS::S3::Bucket\n')).toBe(false);
  });
});

describe('parseCloudFormation: typed conditions', () => {
  const text = [
    'Parameters:',
    '  Env: { Type: String, Default: dev, AllowedValues: [dev, prod] }',
    'Conditions:',
    '  IsProd: !Equals [!Ref Env, prod]',
    '  IsDev: !Not [!Condition IsProd]',
    'Resources:',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties: { GroupDescription: web }',
    '  ProdRule:',
    '    Type: AWS::EC2::SecurityGroupIngress',
    '    Condition: IsProd',
    '    Properties:',
    '      GroupId: !Ref Sg',
    '      IpProtocol: tcp',
    '      FromPort: 22',
    '      ToPort: 22',
    '      CidrIp: !If [IsDev, 0.0.0.0/0, 10.0.0.0/8]',
    '  Nested:',
    '    Type: AWS::EC2::SecurityGroupIngress',
    '    Properties:',
    '      GroupId: !Ref Sg',
    '      IpProtocol: tcp',
    '      FromPort: 443',
    '      ToPort: 443',
    '      CidrIp: !If [IsProd, !If [IsDev, 1.1.1.1/32, 2.2.2.2/32], !Ref Env]',
    '',
  ].join('\n');
  const rules = group(parseCloudFormation(text, 'c.yaml'), 'Sg').ingress;

  it("keeps only the variants consistent with the resource's own Condition", () => {
    const prod = rules.filter((r) => r.resource === 'ProdRule');
    expect(prod.map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 22, to: 22 }, peer: '10.0.0.0/8', assumptions: ['when condition IsProd is true', 'when condition IsDev is false'] },
    ]);
    expect(prod[0]?.conditions[0]).toMatchObject({ kind: 'condition', name: 'IsProd', value: true, definition: { kind: 'equals' } });
  });

  it('drops nested branches and parameter values that contradict the outer condition', () => {
    expect(rules.filter((r) => r.resource === 'Nested').map(view)).toEqual([
      { protocol: 'tcp', ports: { from: 443, to: 443 }, peer: '2.2.2.2/32', assumptions: ['when condition IsDev is false', 'when condition IsProd is true'] },
      // IsProd false means Env is not prod: only the default dev remains of Env's values.
      {
        protocol: 'tcp',
        ports: { from: 443, to: 443 },
        peer: '? invalid: "dev" is not a CIDR block (expected address/prefix, e.g. 10.0.0.0/16)',
        assumptions: ['via parameter Env default', 'when condition IsProd is false'],
      },
    ]);
  });
});
