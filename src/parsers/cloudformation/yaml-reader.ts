import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair, ScalarTag, CollectionTag } from 'yaml';
import { LineIndex } from '../shared/line-index';
import type { MapEntry, ParsedTree, TreeNode, TreeProblem } from '../shared/tree';
import { stripBom } from '../shared/tree';
import { findDeepYamlNesting } from './yaml-depth';
import { relaxFlowIndentation } from './yaml-relax';
import { SHORT_FORMS } from '../shared/short-forms';


/** Tag definitions that let `yaml` accept every short form on scalars, sequences and maps; the walk expands them. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = [...SHORT_FORMS.keys()].flatMap((tag) => [
  { tag, resolve: (s: string) => s } as ScalarTag,
  { tag, collection: 'seq', resolve: (n: unknown) => n } as unknown as CollectionTag,
  { tag, collection: 'map', resolve: (n: unknown) => n } as unknown as CollectionTag,
]);

/** Most YAML alias expansions followed in one document (CloudFormation rejects aliases; this only bounds the work). */
export const MAX_YAML_ALIASES = 100;

/**
 * Most nodes all alias expansions of one document may build together. Counting expansions alone is not enough: one
 * alias of a list of 100,000 items costs as much as 100,000 aliases. Past this, aliases stay unexpanded with an error.
 */
export const MAX_ALIAS_NODES = 100_000;

/**
 * Deepest nesting read at all: deeper YAML is refused before the `yaml` package (which recurses) parses it. Real
 * templates stay below 50 levels; the package itself runs out of stack at about 900.
 */
export const MAX_YAML_DEPTH = 500;

/** Deepest nesting the walk follows (aliases can nest a tree deeper than its text). */
const MAX_DEPTH = 2000;

const CODE_PHRASES: Record<string, string> = {
  BAD_INDENT: 'bad indentation',
  TAB_AS_INDENT: 'tab used for indentation',
  MULTIPLE_DOCS: 'more than one YAML document',
  BAD_ALIAS: 'bad alias',
  DUPLICATE_KEY: 'duplicate key',
};

/**
 * Reads a CloudFormation YAML template into the positioned tree: YAML 1.2 core schema, every short-form tag turned
 * into its long form (`!GetAtt A.B` into `{ "Fn::GetAtt": ["A", "B"] }`), aliases expanded up to a limit, duplicate
 * keys reported with their name. Lone CR line endings are read as LF (same offsets). Never throws.
 */
export function readYaml(input: string): ParsedTree {
  const text = stripBom(input).replace(/\r(?!\n)/g, '\n');
  const lines = new LineIndex(text);
  const deep = findDeepYamlNesting(text, MAX_YAML_DEPTH);
  if (deep !== undefined) {
    return { root: undefined, errors: [{ message: `nesting deeper than ${MAX_YAML_DEPTH} levels; not read`, offset: deep }], notices: [], lines };
  }
  let parsed = parseYamlDocuments(text);
  let toOriginal = (offset: number): number => offset;
  if (parsed.doc.errors.length > 0) {
    // CloudFormation's YAML scanner accepts flow continuation lines at any indentation; the `yaml` package does not.
    const relaxed = relaxFlowIndentation(text);
    const retry = relaxed ? parseYamlDocuments(relaxed.text) : undefined;
    if (relaxed && retry && retry.doc.errors.length === 0) {
      parsed = retry;
      toOriginal = relaxed.toOriginal;
    }
  }
  const { doc, second } = parsed;
  const errors: TreeProblem[] = doc.errors.map((e) => ({ message: yamlMessage(e.code, e.message), offset: skipBlanks(text, e.pos[0]) }));
  if (second) {
    const offset = documentStart(text, toOriginal(doc.range?.[2] ?? 0), toOriginal(second.range?.[0] ?? 0));
    errors.push({ message: 'more than one YAML document: a CloudFormation template is a single document', offset });
  }
  const overflow = errors.find((e) => STACK_OVERFLOW.test(e.message));
  if (overflow) return { root: undefined, errors: [{ message: 'nesting too deep to read', offset: overflow.offset }], notices: [], lines };
  const walker = new Walker(doc, toOriginal);
  let root: TreeNode | undefined;
  try {
    root = doc.contents ? walker.node(doc.contents as YamlNode, 0) : undefined;
  } catch (e) {
    errors.push({ message: `cannot read YAML: ${e instanceof Error ? (e.name === 'RangeError' ? 'nesting too deep' : e.message) : String(e)}`, offset: 0 });
    root = undefined;
  }
  return { root, errors: [...errors, ...walker.errors], notices: walker.notices, lines };
}

/**
 * Parses every document of the text, so a second one is an error at its start rather than silently dropped (with
 * logLevel 'silent', parseDocument drops it without a word). `doc` is the first document (empty for an empty text).
 */
function parseYamlDocuments(text: string): { doc: Document; second: Document | undefined } {
  const options = {
    customTags: CUSTOM_TAGS,
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'silent',
    merge: false,
    version: '1.2',
  } as const;
  const docs = parseAllDocuments(text, options);
  const list = Array.isArray(docs) ? docs : [];
  return { doc: list[0] ?? parseDocument('', options), second: list[1] };
}

/** Thrown through a walk that crossed `MAX_ALIAS_NODES`; caught by the outermost alias expansion. */
const ALIAS_TOO_LARGE = new Error('alias expansion too large');

/** Where the second document starts: its `---` line when it has one (between the end of the first and its content). */
function documentStart(text: string, from: number, content: number): number {
  const at = text.slice(from, content).search(/^---/m);
  return at >= 0 ? from + at : content;
}

/** How V8 words a stack overflow; the `yaml` package reports one as a syntax error. */
const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/** yaml points indentation errors at the start of the line; the user wants the first character written there. */
function skipBlanks(text: string, offset: number): number {
  let i = offset;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '\n' || text[i] === '\r' || i >= text.length ? offset : i;
}

function yamlMessage(code: string, message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  const phrase = CODE_PHRASES[code];
  return phrase ? `${phrase}: ${first}` : `YAML syntax error: ${first}`;
}

class Walker {
  readonly errors: TreeProblem[] = [];
  readonly notices: TreeProblem[] = [];
  private aliases = 0;
  /** Nodes built inside alias expansions so far, and whether the bound on them was crossed (reported once). */
  private aliasNodes = 0;
  private aliasNodesExceeded = false;
  private readonly expanding = new Set<YamlNode>();

  /** Anchored nodes by anchor name, in document order: built once, so resolving an alias never walks the document. */
  private readonly anchors = new Map<string, YamlNode[]>();

  /** @param at maps offsets of the text the document was parsed from to the text as written */
  constructor(
    doc: Document,
    private readonly at: (offset: number) => number,
  ) {
    visit(doc, {
      Node: (_key, node) => {
        const name = (node as { anchor?: string }).anchor;
        if (!name) return;
        const list = this.anchors.get(name);
        if (list) list.push(node as YamlNode);
        else this.anchors.set(name, [node as YamlNode]);
      },
    });
  }

  /** What an alias refers to: the last node anchored with its name that starts before it (YAML's rule). */
  private resolve(alias: YamlNode): YamlNode | undefined {
    const name = isAlias(alias) ? alias.source : undefined;
    const at = alias.range?.[0] ?? 0;
    const list = name === undefined ? undefined : this.anchors.get(name);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid]?.range?.[0] ?? 0) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? list[lo - 1] : undefined;
  }

  node(n: YamlNode, depth: number): TreeNode {
    if (depth > MAX_DEPTH) throw new Error(`nesting deeper than ${MAX_DEPTH} levels`);
    if (this.expanding.size > 0 && ++this.aliasNodes > MAX_ALIAS_NODES) throw ALIAS_TOO_LARGE;
    const [start, end] = this.range(n.range, 2);
    let out: TreeNode;
    if (isAlias(n)) return this.alias(n, start, end, depth);
    if (isScalar(n)) out = { kind: 'scalar', value: scalarValue(n.value), start, end };
    else if (isSeq(n)) out = { kind: 'seq', items: n.items.map((i) => this.child(i, start, depth)), start, end };
    else if (isMap(n)) out = { kind: 'map', entries: this.entries(n.items as Pair[], depth), start, end };
    else out = { kind: 'scalar', value: null, start, end };
    return this.applyTag(n.tag, out);
  }

  /** A node's start and its end (`range[endIndex]`), as offsets into the text as written. */
  private range(r: readonly [number, number, number] | null | undefined, endIndex: 1 | 2): [number, number] {
    if (!r) return [0, 0];
    const start = this.at(r[0]);
    const end = r[endIndex];
    return [start, end > r[0] ? this.at(end - 1) + 1 : start];
  }

  private child(item: unknown, at: number, depth: number): TreeNode {
    return item && typeof item === 'object' && 'range' in item
      ? this.node(item as YamlNode, depth + 1)
      : { kind: 'scalar', value: null, start: at, end: at };
  }

  private entries(pairs: Pair[], depth: number): Map<string, MapEntry> {
    const entries = new Map<string, MapEntry>();
    for (const pair of pairs) {
      const keyNode = pair.key as YamlNode | null;
      const [keyStart, keyEnd] = this.range(keyNode?.range, 1);
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '';
      const value = pair.value ? this.child(pair.value, keyEnd, depth) : { kind: 'scalar' as const, value: null, start: keyEnd, end: keyEnd };
      if (entries.has(key)) {
        this.errors.push({ message: `duplicate key '${key}'`, offset: keyStart, duplicateKey: true });
        entries.delete(key);
      }
      entries.set(key, { key, keyStart, keyEnd, value });
    }
    return entries;
  }

  private alias(n: YamlNode, start: number, end: number, depth: number): TreeNode {
    const target = this.resolve(n);
    this.aliases++;
    let why: string | undefined;
    if (!target) why = 'unknown anchor';
    else if (this.expanding.has(target)) why = 'the alias refers to itself';
    else if (this.aliases > MAX_YAML_ALIASES) why = `more than ${MAX_YAML_ALIASES} alias expansions`;
    if (why !== undefined || !target) {
      if (this.aliases <= MAX_YAML_ALIASES + 1) this.errors.push({ message: `YAML alias not expanded: ${why ?? 'unknown anchor'}`, offset: start });
      return { kind: 'scalar', value: null, start, end };
    }
    if (this.aliasNodesExceeded) return { kind: 'scalar', value: null, start, end };
    this.expanding.add(target);
    try {
      return relocate(this.node(target, depth + 1), start, end);
    } catch (e) {
      // Only the outermost expansion reports and absorbs the bound: the whole alias stays unexpanded.
      if (e !== ALIAS_TOO_LARGE || this.expanding.size > 1) throw e;
      this.aliasNodesExceeded = true;
      this.errors.push({ message: `YAML alias not expanded: aliases expand to more than ${MAX_ALIAS_NODES} nodes`, offset: start });
      return { kind: 'scalar', value: null, start, end };
    } finally {
      this.expanding.delete(target);
    }
  }

  private applyTag(tag: string | undefined, node: TreeNode): TreeNode {
    if (!tag || tag.startsWith('tag:yaml.org,2002:')) return node;
    const long = SHORT_FORMS.get(tag);
    if (!long) {
      this.notices.push({ message: `unknown YAML tag ${tag}`, offset: node.start });
      return wrap(tag, node);
    }
    if (long === 'Fn::GetAtt' && node.kind === 'scalar') return wrap(long, splitGetAtt(node));
    return wrap(long, node);
  }
}

/** An expanded alias takes the alias's position, so locations point where the user wrote it. */
function relocate(node: TreeNode, start: number, end: number): TreeNode {
  return { ...node, start, end };
}

function wrap(key: string, value: TreeNode): TreeNode {
  return { kind: 'map', entries: new Map([[key, { key, keyStart: value.start, keyEnd: value.start, value }]]), start: value.start, end: value.end };
}

/** `!GetAtt Res.Attr.Sub` means ["Res", "Attr.Sub"]: split on the first dot. */
function splitGetAtt(node: TreeNode): TreeNode {
  const s = node.kind === 'scalar' ? String(node.value ?? '') : '';
  const dot = s.indexOf('.');
  const parts = dot < 0 ? [s] : [s.slice(0, dot), s.slice(dot + 1)];
  return { kind: 'seq', items: parts.map((value) => ({ kind: 'scalar', value, start: node.start, end: node.end })), start: node.start, end: node.end };
}

function scalarValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return String(v);
}
