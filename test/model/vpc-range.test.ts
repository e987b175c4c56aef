/**
 * A VPC's or subnet's own IPv4 range whose addresses the input does not contain (Terraform's
 * data.aws_vpc.main.cidr_block): a private range for the rules, one rule for the quota, equal only to itself, and not
 * an unknown peer.
 */
import duplicateRule from '../../src/rules/duplicate-rule';
import excessiveRules from '../../src/rules/excessive-rules';
import openAdminPort from '../../src/rules/open-admin-port';
import openAllPorts from '../../src/rules/open-all-ports';
import unknownPeer from '../../src/rules/unknown-peer';
import { describePeer } from '../../src/model/peer';
import { parseCloudFormation } from '../../src/parsers/cloudformation';
import type { Peer } from '../../src/model/types';
import { classifyPeer, peerContains, samePeer } from '../../src/rules/kit/peers';
import { ruleCost } from '../../src/rules/kit/quota';
import { cidr, group, known, rule, run } from './build';

const VPC: Peer = { kind: 'vpc-range', ref: 'data.aws_vpc.main.cidr_block', scope: 'vpc' };
const SUBNET: Peer = { kind: 'vpc-range', ref: 'aws_subnet.app.cidr_block', scope: 'subnet' };

describe('vpc-range peers', () => {
  it('are private, named by what names them, and cost one IPv4 rule', () => {
    expect(classifyPeer(known(VPC))).toBe('private');
    expect(describePeer(VPC)).toBe('the VPC range data.aws_vpc.main.cidr_block');
    expect(describePeer(SUBNET)).toBe('the subnet range aws_subnet.app.cidr_block');
    expect(ruleCost(rule({ peer: VPC }))).toEqual({ ipv4: 1, ipv6: 0 });
  });

  it('equal only the same range; contain no written CIDR and are in none', () => {
    expect(samePeer(VPC, { ...VPC })).toBe(true);
    expect(samePeer(VPC, SUBNET)).toBe(false);
    expect(peerContains(cidr('0.0.0.0/0'), VPC)).toBe(false);
    expect(peerContains(VPC, cidr('10.0.0.0/16'))).toBe(false);
  });

  it('open no admin port to the internet and are not unknown peers; a repeated rule is a duplicate', () => {
    const g = group('Sg', [rule({ from: 22, to: 22, peer: VPC }), rule({ proto: -1, peer: VPC }), rule({ from: 22, to: 22, peer: SUBNET })]);
    expect(run(openAdminPort, [g])).toEqual([]);
    expect(run(openAllPorts, [g])).toEqual([]);
    expect(run(unknownPeer, [g])).toEqual([]);
    expect(run(excessiveRules, [g])).toEqual([]);
    const dup = group('Sg', [rule({ from: 22, to: 22, peer: VPC }), rule({ from: 22, to: 22, peer: { ...VPC } })]);
    expect(run(duplicateRule, [dup])).toHaveLength(1);
  });
});

describe('CloudFormation: Fn::GetAtt of a VPC or subnet CidrBlock', () => {
  const template = [
    'Resources:',
    '  Literal:',
    '    Type: AWS::EC2::VPC',
    '    Properties: { CidrBlock: 10.20.0.0/16 }',
    '  Ipam:',
    '    Type: AWS::EC2::VPC',
    '    Properties: { Ipv4IpamPoolId: ipam-pool-0123456789abcdef0, Ipv4NetmaskLength: 20 }',
    '  App:',
    '    Type: AWS::EC2::Subnet',
    '    Properties: { VpcId: !Ref Ipam, Ipv4IpamPoolId: ipam-pool-0123456789abcdef0, Ipv4NetmaskLength: 24 }',
    '  Sg:',
    '    Type: AWS::EC2::SecurityGroup',
    '    Properties:',
    '      GroupDescription: x',
    '      SecurityGroupIngress:',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt Literal.CidrBlock }',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt Ipam.CidrBlock }',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt App.CidrBlock }',
    '        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !ImportValue SharedCidr }',
    '',
  ].join('\n');

  it('is the block the template sets, else the range of that VPC or subnet; an import stays unknown', () => {
    const input = parseCloudFormation(template, 't.yaml');
    expect(input.errors).toEqual([]);
    const peers = input.groups.flatMap((g) => g.ingress).map((r) => (r.peer.known ? describePeer(r.peer.value) : `unknown (${r.peer.reason})`));
    expect(peers).toEqual(['10.20.0.0/16', 'the VPC range Fn::GetAtt Ipam.CidrBlock', 'the subnet range Fn::GetAtt App.CidrBlock', 'unknown (Fn::ImportValue SharedCidr)']);
  });
});
