/**
 * The rule kit as one module: what built-in rules share and what plugins may use (`import { kit } from 'sg-lint'`).
 * Everything here reads the normalized model only. Stable for plugins within a major version of sg-lint.
 */
export * from './attachments';
export * from './containment';
export * from './exposure';
export * from './messages';
export * from './options';
export * from './peers';
export * from './quota';
export * from './traffic';
export * from './variants';
export { cidrContains, isPrivateCidr, isPublic, isPublicCidr, isWorld, isWorldCidr, parseCidr } from '../../model/cidr';
export { formatPorts, portInRange, rangesOverlap, rangeSize } from '../../model/ports';
export { isIcmp, parseProtocol, protocolName } from '../../model/protocol';
export { describePeer } from '../../model/peer';
export { CATALOG, catalogEntry, servicesOn } from '../../model/catalog';
