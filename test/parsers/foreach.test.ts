// Fn::ForEach of the AWS::LanguageExtensions transform (issue #13). Expected logical IDs and values follow the
// documented semantics (Fn::ForEach reference and the transform's RFC 0009 examples): ${Id} in OutputKeys and Fn::Sub,
// &{Id} keeps only letters and digits, Ref Id is the item, loops nest, a collection may be a Ref to a
// CommaDelimitedList parameter.
import { parseCloudFormation } from '../../src/parsers/cloudformation';
import { describeCondition } from '../../src/model/conditions';
import type { ParsedInput } from '../../src/model/types';

const HEAD = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::LanguageExtensions
`;

function parse(body: string, options: Parameters<typeof parseCloudFormation>[2] = {}, head = HEAD): ParsedInput {
  return parseCloudFormation(head + body, 't.yaml', options);
}

function ruleSummary(input: ParsedInput): string[] {
  return input.groups.flatMap((g) =>
    g.ingress.map((r) => `${g.address} ${r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : '?'} ${r.ports.known && r.ports.value ? `${r.ports.value.from}-${r.ports.value.to}` : '?'}`),
  );
}

describe('Fn::ForEach', () => {
  it('nests loops: each outer item with each inner item, keys in the order CloudFormation merges them', () => {
    const input = parse(`Resources:
  Fn::ForEach::Tiers:
    - Prefix
    - [Transit, Public]
    - Nacl\${Prefix}Sg:
        Type: AWS::EC2::SecurityGroup
        Properties: { GroupDescription: !Sub 'tier \${Prefix}' }
      Fn::ForEach::Zones:
        - Suffix
        - [A, B]
        - \${Prefix}Sg\${Suffix}:
            Type: AWS::EC2::SecurityGroup
            Properties: { GroupDescription: !Sub '\${Prefix} in \${Suffix}' }
`);
    expect(input.errors).toEqual([]);
    expect(input.groups.map((g) => [g.address, g.description.known ? g.description.value : undefined])).toEqual([
      ['NaclTransitSg', 'tier Transit'],
      ['TransitSgA', 'Transit in A'],
      ['TransitSgB', 'Transit in B'],
      ['NaclPublicSg', 'tier Public'],
      ['PublicSgA', 'Public in A'],
      ['PublicSgB', 'Public in B'],
    ]);
  });

  it('gives generated resources the location of the loop fragment, and Ref {Fn::Sub} finds the generated group', () => {
    const input = parse(`Resources:
  Fn::ForEach::Apps:
    - App
    - [api, web]
    - Sg\${App}:
        Type: AWS::EC2::SecurityGroup
        Properties: { GroupDescription: app }
      Https\${App}:
        Type: AWS::EC2::SecurityGroupIngress
        Properties:
          GroupId: !Ref { 'Fn::Sub': 'Sg\${App}' }
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 10.0.0.0/8
`);
    expect(input.errors).toEqual([]);
    expect(input.groups.map((g) => [g.address, g.kind, g.location.line, g.ingress.map((r) => [r.location.line, r.location.column])])).toEqual([
      ['Sgapi', 'standard', 7, [[10, 7]]],
      ['Sgweb', 'standard', 7, [[10, 7]]],
    ]);
  });

  it('takes a CommaDelimitedList collection from its Default, a given value replacing it', () => {
    const body = `Parameters:
  Ports:
    Type: CommaDelimitedList
    Default: 22, 3389
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8 }
  Fn::ForEach::Admin:
    - Port
    - !Ref Ports
    - Admin\${Port}:
        Type: AWS::EC2::SecurityGroupIngress
        Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 10.0.0.0/8 }
`;
    expect(ruleSummary(parse(body))).toEqual(['Sg 10.0.0.0/8 443-443', 'Sg 10.0.0.0/8 22-22', 'Sg 10.0.0.0/8 3389-3389']);
    const given = parse(body, { parameters: { Ports: { value: '5985,5986', source: 'params.json' } } });
    expect(given.groups[0]?.ingress.map((r) => (r.ports.known ? r.ports.value?.from : undefined))).toEqual([443, 5985, 5986]);
  });

  it('lints a collection it cannot know once, with the item unknown (never a silent pass)', () => {
    const body = `Parameters:
  Offices:
    Type: CommaDelimitedList
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: bastion }
  Fn::ForEach::Offices:
    - Cidr
    - !Ref Offices
    - Ssh&{Cidr}:
        Type: AWS::EC2::SecurityGroupIngress
        Properties: { GroupId: !Ref Sg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Cidr, Description: !Sub 'office \${Cidr}' }
`;
    const input = parse(body);
    expect(input.errors).toEqual([]);
    const rule = input.groups[0]?.ingress[0];
    expect(rule?.peer).toEqual({ known: false, reason: 'Fn::ForEach::Offices: parameter Offices has no Default' });
    expect(input.notices).toContainEqual(
      expect.objectContaining({ line: 10, message: expect.stringContaining('Fn::ForEach::Offices: the collection is not known (parameter Offices has no Default)') }),
    );
    // With the value given, each item is a rule of its own, named by its letters and digits.
    const given = parse(body, { parameters: { Offices: { value: '0.0.0.0/0,192.0.2.0/24', source: '--parameter' } } });
    expect(given.groups[0]?.ingress.map((r) => [r.resource, r.peer.known && r.peer.value.kind === 'cidr' ? r.peer.value.cidr : undefined])).toEqual([
      ['Ssh00000', '0.0.0.0/0'],
      ['Ssh19202024', '192.0.2.0/24'],
    ]);
  });

  it('expands loops in Conditions and in Properties, and a resource Condition from Fn::FindInMap with DefaultValue', () => {
    const input = parse(`Parameters:
  Stage: { Type: String, AllowedValues: [dev, prod], Default: dev }
Mappings:
  Groups:
    GroupDescription: { Web: web servers, Db: databases }
    Condition: { Db: IsProd }
Conditions:
  Fn::ForEach::Stages:
    - S
    - [dev, prod]
    - Is\${S}: !Equals [!Ref Stage, !Ref S]
  IsProd: { Condition: Isprod }
Resources:
  Fn::ForEach::Groups:
    - Name
    - [Web, Db]
    - \${Name}Sg:
        Type: AWS::EC2::SecurityGroup
        Condition: !FindInMap [Groups, Condition, !Ref Name, DefaultValue: !Ref 'AWS::NoValue']
        Properties:
          Fn::ForEach::Props:
            - Prop
            - [GroupDescription]
            - \${Prop}: !FindInMap [Groups, !Ref Prop, !Ref Name]
`);
    expect(input.errors).toEqual([]);
    expect(input.groups.map((g) => [g.address, g.description.known ? g.description.value : undefined, g.conditions.map(describeCondition)])).toEqual([
      ['WebSg', 'web servers', []],
      ['DbSg', 'databases', ['when condition IsProd is true']],
    ]);
  });

  it('reports what CloudFormation refuses, located: no transform, a bad loop, a generated key that already exists', () => {
    const noTransform = parse(
      `Resources:
  Fn::ForEach::A:
    - X
    - [a]
    - Sg\${X}: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: d } }
`,
      {},
      "AWSTemplateFormatVersion: '2010-09-09'\n",
    );
    expect(noTransform.errors).toEqual([expect.objectContaining({ line: 3, column: 3, message: expect.stringContaining('needs "Transform: AWS::LanguageExtensions"') })]);
    expect(noTransform.groups.map((g) => g.address)).toEqual(['Sga']);

    const bad = parse(`Resources:
  Sga: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: d } }
  Fn::ForEach::A:
    - X
    - [a, b]
    - Sg\${X}: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: d } }
  Fn::ForEach::B: [X, [a]]
  Sgb: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: written after the loop } }
`);
    expect(bad.errors.map((e) => [e.line, e.message])).toEqual([
      [8, 'Fn::ForEach produces the key Sga, which already exists in the same mapping'],
      [9, 'Fn::ForEach::B must be a list of [identifier, collection, {OutputKey: OutputValue}]'],
      [10, 'Fn::ForEach produces the key Sgb, which already exists in the same mapping'],
    ]);
    expect(bad.groups.map((g) => [g.address, g.description.known ? g.description.value : undefined])).toEqual([
      ['Sga', 'd'],
      ['Sgb', 'd'],
    ]);
  });

  it('stops at the expansion budget with a located notice', () => {
    const input = parse(
      `Resources:
  Fn::ForEach::Outer:
    - X
    - [a, b, c, d, e, f, g, h, i, j]
    - Fn::ForEach::Inner:
        - Y
        - [a, b, c, d, e, f, g, h, i, j]
        - Sg\${X}\${Y}: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: d } }
`,
      { expansionBudget: 50 },
    );
    expect(input.errors).toEqual([]);
    expect(input.groups.length).toBeLessThan(50);
    expect(input.groups.length).toBeGreaterThan(0);
    expect(input.notices).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^expansion stopped at Fn::ForEach::Inner/) }));
  });

  it('evaluates Fn::ToJsonString and Fn::Length', () => {
    const input = parse(`Parameters:
  Cidrs: { Type: CommaDelimitedList, Default: '10.0.0.0/8,192.168.0.0/16' }
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: { 'Fn::ToJsonString': { cidrs: !Ref Cidrs, port: 443, note: !Ref 'AWS::NoValue' } }
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: { 'Fn::Length': !Ref Cidrs }, ToPort: 2, CidrIp: 10.0.0.0/8 }
`);
    expect(input.groups[0]?.description).toEqual({ known: true, value: '{"cidrs":["10.0.0.0/8","192.168.0.0/16"],"port":443}' });
    expect(input.groups[0]?.ingress[0]?.ports).toEqual({ known: true, value: { from: 2, to: 2 } });
  });
});
