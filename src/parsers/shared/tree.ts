/**
 * The positioned document tree both template readers (YAML and JSON) produce and the CloudFormation semantic layer
 * reads. Positions are character offsets into the (BOM-stripped) text; `LineIndex` turns them into lines and columns.
 * Maps are `Map`s, so keys such as `__proto__` or `constructor` are ordinary data.
 */

import type { LineIndex } from './line-index';

interface NodeBase {
  /** Offset of the first character of the node. */
  start: number;
  /** Offset just past the node. */
  end: number;
}

/** A string, number, boolean or null. */
export interface ScalarNode extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** A list. */
export interface SeqNode extends NodeBase {
  kind: 'seq';
  items: TreeNode[];
}

/** One key of a map, with the key's own position. */
export interface MapEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: TreeNode;
}

/** A mapping. YAML short-form tags arrive here already in long form (`{ "Fn::Sub": ... }`). */
export interface MapNode extends NodeBase {
  kind: 'map';
  entries: Map<string, MapEntry>;
}

export type TreeNode = ScalarNode | SeqNode | MapNode;

/*
 * Classes for the nodes the readers build. Instances look exactly like the object literals the interfaces describe
 * (same own enumerable fields, in the same order), but V8 allocates `new` objects without allocation-site tracking:
 * a literal's site soon gets "pretenured" (its objects all survive), which throws away the readers' optimized code in
 * the middle of a read and compiles it again (docs/performance.md, "Reading a template into the tree, cold").
 */

/** A scalar node (see `ScalarNode`). */
export class Scalar implements ScalarNode {
  declare kind: 'scalar';
  declare value: string | number | boolean | null;
  declare start: number;
  declare end: number;
  constructor(value: string | number | boolean | null, start: number, end: number) {
    this.kind = 'scalar';
    this.value = value;
    this.start = start;
    this.end = end;
  }
}

/** A sequence node (see `SeqNode`). */
export class Seq implements SeqNode {
  declare kind: 'seq';
  declare items: TreeNode[];
  declare start: number;
  declare end: number;
  constructor(items: TreeNode[], start: number, end: number) {
    this.kind = 'seq';
    this.items = items;
    this.start = start;
    this.end = end;
  }
}

/** A mapping node (see `MapNode`). */
export class Mapping implements MapNode {
  declare kind: 'map';
  declare entries: Map<string, MapEntry>;
  declare start: number;
  declare end: number;
  constructor(entries: Map<string, MapEntry>, start: number, end: number) {
    this.kind = 'map';
    this.entries = entries;
    this.start = start;
    this.end = end;
  }
}

/** One key of a mapping (see `MapEntry`). */
export class Entry implements MapEntry {
  declare key: string;
  declare keyStart: number;
  declare keyEnd: number;
  declare value: TreeNode;
  constructor(key: string, keyStart: number, keyEnd: number, value: TreeNode) {
    this.key = key;
    this.keyStart = keyStart;
    this.keyEnd = keyEnd;
    this.value = value;
  }
}

/**
 * A new, empty item list for a sequence node. Not an array literal, for the same reason as the classes above: a
 * literal's allocation site gets pretenured once V8 sees its arrays survive, which discards the optimized code that
 * allocates them in the middle of a read.
 */
export function newItems(): TreeNode[] {
  return new Array<TreeNode>();
}

/**
 * The keys one reader has returned, one string object per distinct key. Templates repeat a few thousand distinct keys
 * tens of thousands of times; sharing them keeps the tree (which survives every young-generation collection while it
 * is read) smaller, and a key's hash, computed here, is already known when it goes into its mapping.
 */
export class KeyPool {
  private readonly keys = new Map<string, string>();

  /** The first key equal to `key` this pool was given. */
  intern(key: string): string {
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    this.keys.set(key, key);
    return key;
  }
}

/** A syntax problem found while reading, at a character offset. */
export interface TreeProblem {
  message: string;
  offset: number;
  /**
   * A key written twice in one mapping; the reader keeps the last value. CloudFormation accepts this (last wins), so
   * its parser reports these as notices; other formats may treat them as errors.
   */
  duplicateKey?: boolean;
}

/** What a format reader returns: the tree (absent when nothing could be read), problems, and the line index. */
export interface ParsedTree {
  root: TreeNode | undefined;
  errors: TreeProblem[];
  /** Non-fatal remarks (unknown YAML tags, ...). */
  notices: TreeProblem[];
  lines: LineIndex;
}

/** The entry of `key` in a map node, if the node is a map that has it. */
export function entryOf(node: TreeNode | undefined, key: string): MapEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The value node of `key` in a map node, if any. */
export function childOf(node: TreeNode | undefined, key: string): TreeNode | undefined {
  return entryOf(node, key)?.value;
}

/** The value of a scalar node, or undefined for anything else. */
export function scalarOf(node: TreeNode | undefined): string | number | boolean | null | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

/** The string value of a scalar node (numbers and booleans as written in JS), or undefined. */
export function stringOf(node: TreeNode | undefined): string | undefined {
  const v = scalarOf(node);
  return v === undefined || v === null ? undefined : String(v);
}

/** Strips a leading UTF-8 byte order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
