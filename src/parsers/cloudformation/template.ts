import type { SourceLocation } from '../../model/types';
import type { LineIndex } from '../shared/line-index';
import type { MapEntry, MapNode, TreeNode } from '../shared/tree';
import { childOf, stringOf } from '../shared/tree';
import { pushAll } from '../../model/arrays';

/** One resource of the template. */
export interface ResourceInfo {
  id: string;
  type: string;
  /** The logical-ID entry (key position, resource body). */
  entry: MapEntry;
  body: MapNode;
  properties: TreeNode | undefined;
  metadata: TreeNode | undefined;
  condition: string | undefined;
}

/** The sections of a template the semantic layer reads, plus positions. */
export class Template {
  readonly resources = new Map<string, ResourceInfo>();
  readonly parameters: Map<string, MapEntry>;
  readonly mappings: TreeNode | undefined;
  readonly conditions: Map<string, MapEntry>;
  /** SAM's `Globals` section: properties every AWS::Serverless::Function (Api, ...) inherits unless it sets its own. */
  readonly globals: TreeNode | undefined;
  /**
   * The text is a Serverless Framework service: `${...}` in a value is a framework variable, resolved at deploy time
   * (unknown to sg-lint), not literal text.
   */
  frameworkVariables = false;
  /** Parameter values given for the run; a parameter named here takes this value only. */
  parameterValues: Readonly<Record<string, { value: string; source: string; location?: SourceLocation }>> = {};
  /** Resources that cannot be read (no `Type`, not a mapping): each an error at the resource's logical ID. */
  readonly problems: { message: string; location: SourceLocation }[] = [];
  /** Line start -> offset of the line's `#` comment (-1: none). */
  private readonly comments = new Map<number, number>();
  /** False when the text has no `#` at all (JSON templates, most generated YAML): no comment to trim, no look-up. */
  private readonly hasHash: boolean;

  /**
   * @param text the text the tree's offsets refer to (BOM stripped), used to tighten locations: readers may count
   * trailing blanks and comments into a node, and YAML readers start a tagged node at its value, not at its tag.
   */
  constructor(
    root: MapNode,
    resources: MapNode,
    readonly file: string,
    private readonly lines: LineIndex,
    private readonly text: string,
  ) {
    this.hasHash = text.includes('#');
    this.parameters = mapEntries(childOf(root, 'Parameters'));
    this.mappings = childOf(root, 'Mappings');
    this.conditions = mapEntries(childOf(root, 'Conditions'));
    this.globals = childOf(root, 'Globals');
    for (const [id, entry] of resources.entries) {
      const body = entry.value;
      const type = stringOf(childOf(body, 'Type'));
      if (body.kind !== 'map' || type === undefined) {
        const why = body.kind !== 'map' ? `must be a mapping, got ${shapeName(body)}` : typeProblem(childOf(body, 'Type'));
        this.problems.push({ message: `resource ${id} ${why}`, location: this.keyLoc(entry) });
        continue;
      }
      this.resources.set(id, {
        id,
        type,
        entry,
        body,
        properties: childOf(body, 'Properties'),
        metadata: childOf(body, 'Metadata'),
        condition: stringOf(childOf(body, 'Condition')),
      });
    }
  }

  /** Where a node is written: from its tag (if any) to its last character. */
  loc(node: { start: number; end: number }): SourceLocation {
    const start = this.tagStart(node.start);
    return this.lines.location(this.file, start, this.trimEnd(start, node.end));
  }

  /** Where a map key is written (the key only). */
  keyLoc(entry: MapEntry): SourceLocation {
    return this.lines.location(this.file, entry.keyStart, this.trimEnd(entry.keyStart, entry.keyEnd));
  }

  /** From a map key through the end of its value (a whole resource). */
  entryLoc(entry: MapEntry): SourceLocation {
    return this.lines.location(this.file, entry.keyStart, this.trimEnd(entry.keyStart, entry.value.end));
  }

  /** The offset of a YAML short-form tag (`!Ref`) written just before `start`, else `start`. */
  private tagStart(start: number): number {
    // Scans back over blanks, then word characters, and looks for the `!`: what /!\w+[ \t]*$/ matches at the end of
    // the text before `start`, without slicing. Neither blanks nor word characters cross a line break, and a tag is a
    // short word: looking back a bounded window keeps this cheap on megabyte-long lines.
    const text = this.text;
    const floor = Math.max(0, start - TAG_WINDOW);
    let i = start;
    while (i > floor && isBlank(text.charCodeAt(i - 1))) i--;
    const wordEnd = i;
    while (i > floor && isWordChar(text.charCodeAt(i - 1))) i--;
    return i < wordEnd && i > floor && text.charCodeAt(i - 1) === 0x21 ? i - 1 : start;
  }

  /** `end` moved back over trailing blanks, line breaks and `#` comments (never before `start`). */
  private trimEnd(start: number, end: number): number {
    let e = end;
    for (;;) {
      while (e > start && isSpace(this.text.charCodeAt(e - 1))) e--;
      if (e <= start || !this.hasHash) return e;
      const hash = this.commentStart(this.lineStart(e - 1), e);
      if (hash <= start) return e;
      e = hash;
    }
  }

  /** Offset of the first character of the line holding `offset` (binary search, not a scan back). */
  private lineStart(offset: number): number {
    return offset - (this.lines.position(offset).column - 1);
  }

  /** Offset of a YAML `#` comment between lineStart and end, or -1. Each line is scanned once, then remembered. */
  private commentStart(lineStart: number, end: number): number {
    let found = this.comments.get(lineStart);
    if (found === undefined) {
      found = commentOnLine(this.text, lineStart);
      this.comments.set(lineStart, found);
    }
    return found >= 0 && found < end ? found : -1;
  }

  /**
   * The `#` comments that concern a resource: on the comment-only lines directly above its logical ID, and on the
   * lines from its logical ID through the end of its body. Empty for JSON and for YAML without comments.
   */
  resourceComments(entry: MapEntry): { text: string; location: SourceLocation; above: boolean }[] {
    if (!this.hasHash) return [];
    const out: { text: string; location: SourceLocation; above: boolean }[] = [];
    const first = this.lineStart(entry.keyStart);
    // Comment-only lines directly above the key, nearest last.
    const above: { text: string; location: SourceLocation; above: boolean }[] = [];
    let line = first;
    while (line > 0) {
      const prev = this.lineStart(line - 1);
      const hash = this.commentStart(prev, line);
      if (hash < 0 || this.text.slice(prev, hash).trim() !== '') break;
      above.unshift(this.commentAt(hash, true));
      line = prev;
    }
    pushAll(out, above);
    for (let start = first; start < entry.value.end && start < this.text.length; ) {
      const next = this.text.indexOf('\n', start);
      const end = next < 0 ? this.text.length : next + 1;
      const hash = this.commentStart(start, end);
      if (hash >= 0) out.push(this.commentAt(hash, false));
      start = end;
    }
    return out;
  }

  /** Every `#` comment of the template, in order. */
  allComments(): { text: string; location: SourceLocation }[] {
    if (!this.hasHash) return [];
    this.everyComment ??= (() => {
      const out: { text: string; location: SourceLocation }[] = [];
      for (let start = 0; start < this.text.length; ) {
        const next = this.text.indexOf('\n', start);
        const end = next < 0 ? this.text.length : next + 1;
        const hash = this.commentStart(start, end);
        if (hash >= 0) out.push(this.commentAt(hash, false));
        start = end;
      }
      return out;
    })();
    return this.everyComment;
  }

  private everyComment: { text: string; location: SourceLocation }[] | undefined;

  private commentAt(hash: number, above: boolean): { text: string; location: SourceLocation; above: boolean } {
    const eol = this.text.indexOf('\n', hash);
    const end = eol < 0 ? this.text.length : eol;
    const text = this.text.slice(hash, end).replace(/\r$/, '');
    return { text, location: this.lines.location(this.file, hash, hash + text.length), above };
  }

  /** True when `id` is a resource of type `type`. */
  isType(id: string, type: string): boolean {
    return this.resources.get(id)?.type === type;
  }
}

function typeProblem(node: TreeNode | undefined): string {
  return node === undefined ? 'has no Type' : `has a Type that is not a string (${shapeName(node)})`;
}

/** "a list", "a mapping", "null", "a string": how a node's shape is named in messages. */
export function shapeName(node: TreeNode): string {
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'map') return 'a mapping';
  return node.value === null ? 'null' : `a ${typeof node.value}`;
}

function mapEntries(node: TreeNode | undefined): Map<string, MapEntry> {
  return node?.kind === 'map' ? node.entries : new Map();
}

/** True when the root has a `Resources` map with at least one entry that has a string `Type`. */
export function templateResources(root: TreeNode | undefined): MapNode | undefined {
  const resources = childOf(root, 'Resources');
  if (resources?.kind !== 'map') return undefined;
  for (const entry of resources.entries.values()) {
    if (stringOf(childOf(entry.value, 'Type')) !== undefined) return resources;
  }
  return undefined;
}

/** How far back from a value a short-form tag is looked for. */
const TAG_WINDOW = 256;

/** True for a space or tab. */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** True for what `\w` matches: ASCII letters, digits and `_`. */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** True for what `\s` matches (ECMAScript white space and line terminators), by character code. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Offset of the YAML `#` comment on the line starting at `lineStart` (outside quotes), or -1. */
function commentOnLine(text: string, lineStart: number): number {
  let quote = '';
  for (let i = lineStart; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return -1;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ''))) return i;
  }
  return -1;
}
