/**
 * Differential test of the fast YAML path (`readYamlFast`) against the reference reader (`readYaml`, the `yaml`
 * package): whenever the fast path returns a tree, the reference must read the text without errors or notices and
 * produce the identical tree (kinds, values, node offsets, key offsets, key order). When the fast path declines, the
 * reference is used, so declining is always safe; the test also checks it declines on what it must not handle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readYaml } from '../../src/parsers/cloudformation/yaml-reader';
import { readYamlFast, resolvePlain } from '../../src/parsers/shared/yaml-fast';
import type { TreeNode } from '../../src/parsers/shared/tree';
import { rng } from '../helpers/rng';

/** The first difference between two trees, as a path and a description, or null when they are identical. */
function treeDiff(a: TreeNode | undefined, b: TreeNode | undefined, path = '$'): string | null {
  if (!a || !b) return a === b ? null : `${path}: ${a ? 'reference' : 'fast'} tree missing`;
  if (a.kind !== b.kind) return `${path}: kind ${a.kind} vs ${b.kind}`;
  if (a.start !== b.start || a.end !== b.end) return `${path}: range [${a.start},${a.end}) vs [${b.start},${b.end})`;
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    return Object.is(a.value, b.value) ? null : `${path}: value ${JSON.stringify(a.value)} vs ${JSON.stringify(b.value)}`;
  }
  if (a.kind === 'seq' && b.kind === 'seq') {
    if (a.items.length !== b.items.length) return `${path}: ${a.items.length} vs ${b.items.length} items`;
    for (let i = 0; i < a.items.length; i++) {
      const d = treeDiff(a.items[i], b.items[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const ka = [...a.entries.keys()];
    const kb = [...b.entries.keys()];
    if (ka.join('\0') !== kb.join('\0')) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const x = a.entries.get(k);
      const y = b.entries.get(k);
      if (!x || !y) return `${path}.${k}: missing`;
      if (x.keyStart !== y.keyStart || x.keyEnd !== y.keyEnd) {
        return `${path}.${k}: key range [${x.keyStart},${x.keyEnd}) vs [${y.keyStart},${y.keyEnd})`;
      }
      const d = treeDiff(x.value, y.value, `${path}.${k}`);
      if (d) return d;
    }
  }
  return null;
}

type Verdict = 'fast' | 'fallback';

/** Runs both readers; fails with a readable message when the fast path accepts something it must not. */
function compare(text: string, label: string): Verdict {
  const fast = readYamlFast(text);
  if (!fast) return 'fallback';
  const ref = readYaml(text);
  const problems = [...ref.errors, ...ref.notices].map((p) => p.message);
  const diff = problems.length > 0 ? `reference reports ${JSON.stringify(problems)}` : treeDiff(fast.root, ref.root);
  if (diff) throw new Error(`${label}: fast path differs from the reference: ${diff}\n--- text ---\n${text}`);
  return 'fast';
}

// ------------------------------------------------------------------------------------------------ generated documents

const PLAIN = [
  'tcp', '22', '-1', '0', '007', '+5', '0x1F', '0o17', '1.5', '.5', '1e3', '-2.5E-2', '.inf', '-.Inf', '.nan', 'true',
  'False', 'TRUE', 'null', 'Null', '~', 'yes', '::/0', '10.0.0.0/8', '2010-09-09', 'a b  c', "it's", 'http://x:80/y',
  '-foo', 'a#b', 'x:y', '?q', ':z', 'AWS::EC2::SecurityGroup', '${AWS::StackName}-web', 'ünïcode', 'a "quoted" word',
];
const QUOTED = [
  '"0.0.0.0/0"', '"x # y"', "'it''s'", '"esc \\n \\t \\u0041 \\x41 \\" \\\\ \\/"', "''", '""', '"22"', "'a # b'",
  '"\\U0001F600"', '"tab\\tafter"',
];
const TAGS = ['!Ref', '!Sub', '!GetAtt', '!If', '!Join', '!Select', '!Base64', '!GetAZs', '!Equals', '!Not', '!Condition', '!FindInMap', '!ImportValue', '!Split', '!Cidr'];
const FLOW = [
  '[a, b]', '[ a , !Ref  b , "c" ]', '{x: 1, "y":2}', '[]', '{}', '[a, [b, c]]', '!If [C, !Ref A, !Ref "AWS::NoValue"]',
  '{ x : 1 , z: !GetAtt A.B }', '[0, !GetAZs ""]', '[ {k: v} , b]', "['', [a, !Ref B]]", '[::/0, -1, 1.5]', '[a: 1]',
];
/** Constructs the fast path must decline (the reference reports them, or they are outside the subset). */
const UNSUPPORTED = [
  '&anchor value', '*alias', '!Foo bar', '!!str 5', '? complex', '"multi\n  line"', '[a,\n  b]', '|+\n  keep\n',
  '|2\n  explicit\n', 'a: b: c', '@reserved', '`tick', '[a, b', '{a, b}', '- item on key line', '>\n  a\n    more\n',
];

class DocGen {
  readonly lines: string[] = [];
  constructor(
    private readonly r: () => number,
    private readonly wild: boolean,
  ) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }

  private chance(p: number): boolean {
    return this.r() < p;
  }

  private trivia(indent: number): void {
    while (this.chance(0.15)) {
      if (this.chance(0.5)) this.lines.push(this.chance(0.2) ? ' '.repeat(Math.floor(this.r() * 6)) : '');
      else this.lines.push(`${' '.repeat(Math.max(0, indent + Math.floor(this.r() * 7) - 3))}# note ${this.pick(["it's", 'a: b', '"q"', '#x', ''])}`);
    }
  }

  private tail(): string {
    return `${this.chance(0.1) ? '   ' : ''}${this.chance(0.12) ? ` # ${this.pick(['c', "don't", '"x"', 'a # b'])}` : ''}`;
  }

  private key(): string {
    if (this.chance(0.08)) return this.pick(['"quoted key"', "'single'", '"a:b"']);
    if (this.chance(0.05)) return this.pick(['1', 'true', 'null', '1.0', '0x10', '~', '__proto__', 'constructor']);
    return this.pick(['Type', 'Properties', 'CidrIp', 'FromPort', 'ToPort', 'GroupId', 'Tags', 'Value', 'Key', 'Description', 'SecurityGroupIngress']) + Math.floor(this.r() * 50);
  }

  /** Appends a value after `prefix` (e.g. "  Key:" or "  -") for a node held by a collection at `indent`. */
  private value(prefix: string, indent: number, depth: number, inMap: boolean): void {
    const roll = this.r();
    const child = indent + this.pick([1, 2, 2, 2, 4]);
    if (this.wild && roll < 0.03) {
      const v = this.pick(UNSUPPORTED).split('\n');
      this.lines.push(`${prefix} ${v[0] ?? ''}`, ...v.slice(1).map((l) => ' '.repeat(child) + l.trimStart()));
    } else if (depth > 4 || roll < 0.3) {
      this.lines.push(`${prefix} ${this.chance(0.3) ? this.pick(QUOTED) : this.pick(PLAIN)}${this.tail()}`);
    } else if (roll < 0.38) {
      const tag = this.pick(TAGS);
      const arg = tag === '!GetAtt' ? this.pick(['A.B', 'A.B.C', 'A', '"A.B"']) : tag === '!GetAZs' && this.chance(0.4) ? '' : this.pick([...PLAIN, ...QUOTED]);
      this.lines.push(`${prefix} ${tag}${arg ? ` ${arg}` : ''}${arg ? this.tail() : this.chance(0.2) ? '  ' : ''}`);
    } else if (roll < 0.46) {
      this.lines.push(`${prefix} ${this.pick(FLOW)}${this.tail()}`);
    } else if (roll < 0.54) {
      const header = `${this.chance(0.2) ? `${this.pick(['!Sub', '!Base64'])} ` : ''}${this.pick(['|', '|-', '>', '>-'])}`;
      const folded = header.includes('>');
      this.lines.push(`${prefix} ${header}${this.chance(0.1) ? ' # header comment' : ''}`);
      const n = 1 + Math.floor(this.r() * 4);
      for (let i = 0; i < n; i++) {
        if (i > 0 && this.chance(0.2)) this.lines.push('');
        const extra = !folded && this.chance(0.2) ? '  ' : '';
        this.lines.push(`${' '.repeat(child)}${extra}${this.pick(['echo "$HOME" # not a comment', 'line', "it's", 'x: y', '- dash', '#!/bin/bash'])}${this.chance(0.1) ? '  ' : ''}`);
      }
      if (this.chance(0.3)) this.lines.push('');
    } else if (roll < 0.6) {
      const first = this.pick(PLAIN.filter((p) => !p.includes(':') && !p.startsWith('-') && !p.startsWith('?')));
      this.lines.push(`${prefix} ${first}`);
      if (this.chance(0.3)) this.lines.push('');
      this.lines.push(`${' '.repeat(child)}${this.pick(['more words', 'and 42', 'end.'])}${this.tail()}`);
    } else if (roll < 0.66) {
      this.lines.push(`${prefix} ${this.pick(['!Sub', '!If', '!Join', '!Select'])}`);
      this.seq(child, depth + 1);
    } else if (roll < 0.82) {
      this.lines.push(prefix + (this.chance(0.1) ? ' # comment after key' : ''));
      this.trivia(indent);
      if (inMap && this.chance(0.25)) this.seq(indent, depth + 1);
      else if (this.chance(0.5)) this.seq(child, depth + 1);
      else this.map(child, depth + 1);
    } else {
      this.lines.push(prefix + (this.chance(0.1) ? ' # comment after key' : ''));
      this.trivia(indent);
      this.map(child, depth + 1);
    }
  }

  map(indent: number, depth: number): void {
    const n = 1 + Math.floor(this.r() * 4);
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      let k = this.key();
      if (used.has(k) && !(this.wild && this.chance(0.3))) k += `x${i}`;
      used.add(k);
      this.trivia(indent);
      this.value(`${' '.repeat(indent)}${k}:`, indent, depth, true);
    }
    this.trivia(indent);
  }

  seq(indent: number, depth: number): void {
    const n = 1 + Math.floor(this.r() * 4);
    for (let i = 0; i < n; i++) {
      this.trivia(indent);
      const dash = `${' '.repeat(indent)}-`;
      const roll = this.r();
      if (roll < 0.2 && depth < 5) {
        // compact mapping in the item
        const pad = this.pick([1, 1, 1, 3]);
        const inner = indent + 1 + pad;
        const before = this.lines.length;
        this.map(inner, depth + 1);
        const first = this.lines.findIndex((l, j) => j >= before && /^\s*[^\s#]/.test(l) && (l.match(/^ */)?.[0].length ?? 0) === inner);
        if (first >= 0) this.lines[first] = `${dash}${' '.repeat(pad)}${(this.lines[first] ?? '').trimStart()}`;
        else this.lines.push(`${dash} x`);
      } else if (roll < 0.27 && depth < 5) {
        this.lines.push(`${dash} - ${this.pick(PLAIN)}`, `${' '.repeat(indent + 2)}- ${this.pick(PLAIN)}`);
      } else {
        this.value(dash, indent, depth, false);
      }
    }
  }

  document(): string {
    if (this.chance(0.1)) this.lines.push('# leading comment');
    if (this.chance(0.15)) this.lines.push(this.chance(0.8) ? '---' : '--- # start');
    this.map(this.chance(0.05) ? 1 : 0, 0);
    if (this.wild && this.chance(0.03)) this.lines.push(this.pick(['---', '...', 'Dup: 1', 'Dup: 2', '\tTab: 1']));
    const text = this.lines.join('\n');
    return this.chance(0.9) ? `${text}\n` : text;
  }
}

/** The `count` generated documents for `seed` (clean ones always in the subset's spirit; wild ones with traps). */
function generated(seed: number, count: number, wild: boolean): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => new DocGen(r, wild).document());
}

// ------------------------------------------------------------------------------------------------ tests

describe('readYamlFast: same tree as the reference reader', () => {
  it('reads a typical template on the fast path, with the reference positions', () => {
    const text = [
      '# A template',
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  WebSg:',
      '    Type: AWS::EC2::SecurityGroup',
      '    Properties:',
      '      GroupDescription: !Sub "web ${Env}"',
      '      SecurityGroupIngress:',
      '        - IpProtocol: tcp   # HTTPS',
      '          FromPort: 443',
      '          CidrIp: 0.0.0.0/0',
      '        - SourceSecurityGroupId: !GetAtt Lb.GroupId',
      '          IpProtocol: "-1"',
      '      Tags: [{Key: Name, Value: web}]',
      '',
    ].join('\n');
    expect(compare(text, 'typical')).toBe('fast');
    const tree = readYamlFast(text);
    const ingress = tree?.root?.kind === 'map' ? tree.root.entries.get('Resources') : undefined;
    expect(ingress?.keyStart).toBe(text.indexOf('Resources:'));
    const sg = readYaml(text).root;
    expect(treeDiff(tree?.root, sg)).toBeNull();
    const getAtt = text.indexOf('Lb.GroupId');
    const line = tree?.lines.position(getAtt);
    expect(line).toEqual({ line: 12, column: 42 });
  });

  it('expands short forms into the long form, splitting !GetAtt on the first dot', () => {
    const text = 'A: !GetAtt Res.Attr.Sub\nB: !Ref "AWS::NoValue"\nC: !GetAZs\nD: !Sub |\n  echo ${X}\n';
    expect(compare(text, 'tags')).toBe('fast');
    const root = readYamlFast(text)?.root;
    const a = root?.kind === 'map' ? root.entries.get('A')?.value : undefined;
    const getAtt = a?.kind === 'map' ? a.entries.get('Fn::GetAtt')?.value : undefined;
    expect(getAtt?.kind === 'seq' ? getAtt.items.map((i) => (i.kind === 'scalar' ? i.value : i.kind)) : []).toEqual(['Res', 'Attr.Sub']);
    const c = root?.kind === 'map' ? root.entries.get('C')?.value : undefined;
    expect(c?.kind === 'map' ? c.entries.get('Fn::GetAZs')?.value : undefined).toMatchObject({ kind: 'scalar', value: '' });
  });

  it('resolves plain scalars with the YAML 1.2 core schema', () => {
    expect(resolvePlain('22')).toBe(22);
    expect(resolvePlain('-1')).toBe(-1);
    expect(resolvePlain('0x1F')).toBe(31);
    expect(resolvePlain('0o17')).toBe(15);
    expect(resolvePlain('1e3')).toBe(1000);
    expect(resolvePlain('.inf')).toBe(Infinity);
    expect(resolvePlain('.nan')).toBeNaN();
    expect(resolvePlain('~')).toBeNull();
    expect(resolvePlain('True')).toBe(true);
    expect(resolvePlain('yes')).toBe('yes');
    expect(resolvePlain('2010-09-09')).toBe('2010-09-09');
    expect(resolvePlain('022')).toBe(22);
  });

  it('resolves plain scalars (as values and as keys) exactly as the reference does', () => {
    // Words that are or resemble null/booleans, integers of every form (signs, leading zeros, -0, beyond 2^53), floats,
    // exponents, .inf/.nan spellings, and random strings over the characters these forms use.
    const fixed = [
      'null', 'Null', 'NULL', 'nULL', 'nul', 'nulls', '~', '~~', 'true', 'True', 'TRUE', 'tRUE', 'truE', 'false', 'False',
      'FALSE', 'fals', 'falsey', 'n', 't', 'f', 'N', 'T', 'F', 'Type', 'Tags', 'FromPort', 'Name', 'tcp', '0', '-0', '+0',
      '00', '007', '-007', '+5', '-', '+', '.', '-.', '+-1', '--1', '1-', '443', '-1', '65535', '9007199254740993',
      '-9007199254740993', '123456789012345678901234567890', '0x1F', '0X1F', '0x', '0o17', '0o8', '0o', '1.5', '.5',
      '5.', '-.5', '1e3', '1E3', '1e+3', '1e-3', '-2.5E-2', '1e', 'e3', '.e3', '1.e3', '.inf', '-.Inf', '+.INF', '.nan',
      '.NaN', '.NAN', '-.nan', 'inf', '1_000', '1,000', '1:2', '0.0.0.0/0', '10.0.0.0', '2010-09-09',
    ];
    const r = rng(23);
    const alphabet = '0123456789+-.eExoXabfnNtTrRuUlLsS~_';
    const random = Array.from({ length: 1500 }, () => {
      let s = '';
      const n = 1 + Math.floor(r() * 6);
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    });
    const values = [...fixed, ...random].filter((s) => !/^[-?:~]$/.test(s) || s === '~');
    const doc = (lines: string[]): string => `${lines.join('\n')}\n`;
    expect(compare(doc(values.map((v, i) => `k${i}: ${v}`)), 'plain values')).toBe('fast');
    expect(compare(doc(['k:', ...values.map((v) => `  - ${v}`)]), 'plain items')).toBe('fast');
    // As keys: each in its own document (resolved keys may collide, e.g. 1 and 01).
    for (const v of values) {
      const verdict = compare(`${v}: x\n`, `plain key ${JSON.stringify(v)}`);
      if (!v.startsWith('-') && !v.startsWith('~')) expect(verdict).toBe('fast');
    }
  });

  it('reads dashes and dots that are not document markers', () => {
    expect(compare('---\nA: x---\nB: "---"\nC: a\n  ...b\nD:\n  - ---x\n', 'not markers')).toBe('fast');
  });

  it('keeps __proto__ and constructor keys as plain data', () => {
    const text = '__proto__:\n  polluted: 1\nconstructor: x\n';
    expect(compare(text, 'proto')).toBe('fast');
    const root = readYamlFast(text)?.root;
    expect(root?.kind === 'map' ? [...root.entries.keys()] : []).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['an anchor and alias', 'A: &x 1\nB: *x\n'],
    ['a merge key', 'A:\n  <<: {b: 1}\n'],
    ['a duplicate key', 'A: 1\nA: 2\n'],
    ['an unknown tag', 'A: !Foo x\n'],
    ['a tab', 'A:\n\tB: 1\n'],
    ['CR line endings', 'A: 1\r\nB: 2\r\n'],
    ['two documents', 'A: 1\n---\nB: 2\n'],
    ['a document end marker', 'A: 1\n...\n'],
    ['a document marker on the last line', 'A: 1\n---'],
    ['a document marker before a comment', 'A: 1\n--- # next\nB: 2\n'],
    ['bad indentation', 'A:\n    B: 1\n  C: 2\n'],
    ['a nested compact mapping', 'A: b: c\n'],
    ['an unterminated flow sequence', 'A: [a, b\n'],
    ['a deep nesting', `${'['.repeat(300)}${']'.repeat(300)}`],
    ['an empty document', '# nothing\n'],
    ['an empty value', 'A:\nB: 1\n'],
  ])('declines %s (the reference reader decides)', (_what, text) => {
    expect(readYamlFast(text)).toBeUndefined();
  });

  it('matches the reference on generated clean documents, and takes the fast path for most', () => {
    const docs = generated(7, 1500, false);
    const verdicts = docs.map((d, i) => compare(d, `clean #${i}`));
    const fast = verdicts.filter((v) => v === 'fast').length;
    if (process.env.YAML_DIFF_STATS) console.log(`clean: ${fast}/${docs.length} on the fast path`);
    expect(fast).toBeGreaterThan(docs.length * 0.5);
  });

  it('never accepts what the reference rejects (documents with traps)', () => {
    const docs = generated(11, 1500, true);
    const verdicts = docs.map((d, i) => compare(d, `wild #${i}`));
    if (process.env.YAML_DIFF_STATS) console.log(`wild: ${verdicts.filter((v) => v === 'fast').length}/${docs.length} on the fast path`);
    expect(verdicts).toContain('fallback');
    expect(verdicts).toContain('fast');
  });

  it('matches the reference on the benchmark generator templates', () => {
    const script = `import('./bench/generate.mjs').then((g) => process.stdout.write(JSON.stringify([1, 7, 40].map((n) => g.toYaml(g.template(n))))))`;
    const texts = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '../..'), encoding: 'utf8' })) as string[];
    expect(texts.map((t, i) => compare(t, `bench template ${i}`))).toEqual(['fast', 'fast', 'fast']);
  });
});

const CORPUS = resolve(__dirname, '../../../shared/corpus');
const haveCorpus = existsSync(join(CORPUS, 'MANIFEST.json'));
if (!haveCorpus) console.log(`yaml-differential: ${CORPUS} not found; corpus comparison skipped`);

(haveCorpus ? describe : describe.skip)('readYamlFast on every YAML template of the corpus', () => {
  const manifest = haveCorpus
    ? (JSON.parse(readFileSync(join(CORPUS, 'MANIFEST.json'), 'utf8')) as { file: string; format: string }[])
    : [];
  const files = manifest.filter((e) => e.format === 'cloudformation-yaml').map((e) => e.file);

  it('gives the reference tree or declines, for each file', () => {
    const verdicts = files.map((f) => compare(readFileSync(join(CORPUS, f), 'utf8'), f));
    expect(verdicts.length).toBe(files.length);
    // Most real templates are in the subset; the rest are left to the reference reader.
    expect(verdicts.filter((v) => v === 'fast').length).toBeGreaterThan(files.length * 0.8);
  });
});
