import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedInput, SecurityGroup, SgRule } from '../../src/model/types';

/** Repository root and the Terraform parser fixtures. */
export const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join('fixtures', 'parsers', 'terraform');

/** A fixture file as the parsers receive it (path relative to the repository root). */
export function fixture(...parts: string[]): { file: string; text: string } {
  const file = join(FIXTURES, ...parts);
  return { file, text: readFileSync(join(ROOT, file), 'utf8') };
}

/** The group with this address across inputs; fails the test when missing. */
export function group(inputs: ParsedInput | ParsedInput[], address: string): SecurityGroup {
  const g = [inputs].flat().flatMap((i) => i.groups).find((x) => x.address === address);
  if (!g) throw new Error(`no group ${address}`);
  return g;
}

/** A compact, location-free description of a rule, for comparing the three input forms. */
export function ruleKey(r: SgRule): string {
  const proto = r.protocol.known ? r.protocol.value.kind : `?${r.protocol.reason}`;
  const ports = r.ports.known ? (r.ports.value ? `${r.ports.value.from}-${r.ports.value.to}` : 'icmp') : `?${r.ports.reason}`;
  let peer: string;
  if (!r.peer.known) peer = `?${r.peer.reason}`;
  else if (r.peer.value.kind === 'cidr') peer = r.peer.value.cidr;
  else if (r.peer.value.kind === 'security-group') peer = `sg:${r.peer.value.ref}${r.peer.value.self ? ':self' : ''}`;
  else if (r.peer.value.kind === 'prefix-list') peer = `pl:${r.peer.value.id}`;
  else peer = 'none';
  return `${r.direction} ${r.declaredAs} ${r.resource} ${proto} ${ports} ${peer}`;
}

/** Sorted rule keys of a group. */
export function ruleKeys(g: SecurityGroup): string[] {
  return [...g.ingress, ...g.egress].map(ruleKey).sort();
}
