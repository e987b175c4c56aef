/**
 * CloudFormation's YAML short-form intrinsic tags and the long-form key each stands for ("!Sub" -> "Fn::Sub"), shared
 * by the fast YAML reader and the `yaml`-based reference reader so both expand exactly the same set.
 */
export const SHORT_FORMS: ReadonlyMap<string, string> = new Map(
  [
    'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
    'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString',
  ]
    .map((n): [string, string] => [`!${n}`, `Fn::${n}`])
    .concat([
      ['!Ref', 'Ref'],
      ['!Condition', 'Condition'],
    ]),
);
