// Prefix-list weights as AWS counts them (Amazon VPC User Guide, "AWS-managed prefix list weight").
import { prefixListWeight } from '../../src/rules/kit/quota';

describe('prefixListWeight', () => {
  it.each([
    ['com.amazonaws.global.cloudfront.origin-facing', 55],
    ['com.amazonaws.global.ipv6.cloudfront.origin-facing', 55],
    ['com.amazonaws.us-east-1.route53-healthchecks', 25],
    ['com.amazonaws.eu-west-1.vpc-lattice', 10],
    ['com.amazonaws.eu-west-1.s3express', 6],
    ['com.amazonaws.global.groundstation', 5],
    ['com.amazonaws.us-west-2.ec2-instance-connect', 2],
    ['com.amazonaws.us-west-2.s3', 1],
    ['com.amazonaws.us-west-2.dynamodb', 1],
  ])('%s weighs %i', (id, weight) => {
    expect(prefixListWeight({ id })).toBe(weight);
  });

  it('uses MaxEntries of a customer-managed list and knows nothing of a bare pl- id', () => {
    expect(prefixListWeight({ id: 'OfficeList', maxEntries: 20 })).toBe(20);
    expect(prefixListWeight({ id: 'pl-0123456789abcdef0' })).toBeUndefined();
  });
});
