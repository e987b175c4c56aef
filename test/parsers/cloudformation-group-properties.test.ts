// A CloudFormation group's name, description and tags: Sub and Ref evaluated as CloudFormation does, Unknown when
// they vary with parameters, plain data for spreading, JSON and freezing, and the notices their evaluation raises.
import { parseCloudFormation } from '../../src/parsers/cloudformation';
import type { ParsedInput, SecurityGroup } from '../../src/model/types';

function only(input: ParsedInput): SecurityGroup {
  expect(input.groups).toHaveLength(1);
  return input.groups[0] as SecurityGroup;
}

const PARAMETERS = `Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
  Team:
    Type: String
    Default: web
`;

describe('group name, description and tags', () => {
  it('evaluates Sub and Ref in name, description and tags to the same values as CloudFormation', () => {
    const g = only(
      parseCloudFormation(
        `${PARAMETERS}Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: !Sub "\${Team}-sg"
      GroupDescription: !Sub "group of \${Env}"
      Tags:
        - Key: Team
          Value: !Ref Team
        - Key: Env
          Value: !Ref Env
        - Key: Stack
          Value: !Sub "\${AWS::StackName}-x"
`,
        't.yaml',
      ),
    );
    // Team has a Default and no AllowedValues: one value. Env has two allowed values: the description varies.
    expect(g.name).toEqual({ known: true, value: 'web-sg' });
    expect(g.description).toEqual({ known: false, reason: 'varies with parameters or conditions' });
    expect(g.tags?.known).toBe(true);
    const tags = g.tags?.known ? g.tags.value : [];
    expect(tags.map((t) => t.key)).toEqual(['Team', 'Env', 'Stack']);
    expect(tags[0]?.value).toEqual({ known: true, value: 'web' });
    expect(tags[1]?.value).toEqual({ known: false, reason: 'varies with parameters or conditions' });
    expect(tags[2]?.value.known).toBe(false);
  });

  it('reads a Sub of a parameter that has one value, and a Ref in a flow-style tag list', () => {
    const g = only(
      parseCloudFormation(
        `${PARAMETERS}Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "\${Team} group"
      Tags: [{ Key: Team, Value: !Ref Team }]
`,
        't.yaml',
      ),
    );
    expect(g.description).toEqual({ known: true, value: 'web group' });
    expect(g.tags).toEqual({ known: true, value: [{ key: 'Team', value: { known: true, value: 'web' } }] });
  });

  it('reports a condition that refers to itself when only a tag uses it', () => {
    const input = parseCloudFormation(
      `${PARAMETERS}Conditions:
  Loop: !Not [!Condition Loop]
Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: d
      Tags:
        - Key: A
          Value: !If [Loop, x, y]
`,
      't.yaml',
    );
    expect(input.notices.map((n) => n.message)).toContain('condition Loop refers to itself (directly or through other conditions); it is treated as undecided');
  });

  it('keeps a mapping where Properties belong an error on description and tags', () => {
    const g = only(
      parseCloudFormation(
        `Resources:
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: [1, 2]
`,
        't.yaml',
      ),
    );
    expect(g.description).toEqual({ known: false, reason: 'Properties must be a mapping', invalid: true });
    expect(g.tags).toEqual({ known: false, reason: 'Properties must be a mapping', invalid: true });
    expect(g.name).toEqual({ known: true, value: undefined });
  });
});
