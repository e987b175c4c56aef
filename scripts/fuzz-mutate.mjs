// Structure-aware mutators for every input format sg-lint reads. Each input of the corpus is read into a small tree
// (objects keep their keys as an ordered list of pairs, so duplicate keys survive), mutated at random paths, and
// written back in its own syntax: block or flow YAML with short-form tags, anchors and aliases; JSON; Terraform HCL
// (mutated line- and block-wise); cloud-assembly manifests (with cycles). Deterministic for a given seed.
import { parseDocument, isAlias, isMap, isScalar, isSeq } from 'yaml';

/** Every property name of Object.prototype: each must be plain data wherever the input puts it. */
export const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** A small seeded PRNG (mulberry32), so one seed and index replay one input exactly. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick, chance: (p) => next() < p };
}

// ---- the tree: { t: 'map', e: [[key, node]...] } | { t: 'seq', i: [...] } | { t: 'val', v } | { t: 'tag', tag, n }
// ---- | { t: 'alias', a } ; any node may carry `anchor`.

function fromJs(v) {
  if (Array.isArray(v)) return { t: 'seq', i: v.map(fromJs) };
  if (v !== null && typeof v === 'object') return { t: 'map', e: Object.entries(v).map(([k, x]) => [k, fromJs(x)]) };
  return { t: 'val', v };
}

function fromYamlNode(node) {
  if (!node) return { t: 'val', v: null };
  let out;
  if (isAlias(node)) return { t: 'alias', a: node.source };
  if (isMap(node)) out = { t: 'map', e: node.items.map((p) => [String(isScalar(p.key) ? p.key.value : p.key), fromYamlNode(p.value)]) };
  else if (isSeq(node)) out = { t: 'seq', i: node.items.map(fromYamlNode) };
  else out = { t: 'val', v: isScalar(node) ? node.value : null };
  if (node.anchor) out.anchor = node.anchor;
  if (node.tag && node.tag.startsWith('!') && !node.tag.startsWith('!!')) out = { t: 'tag', tag: node.tag, n: out };
  return out;
}

/** Reads YAML or JSON text into the tree; undefined when it does not parse. */
export function readTree(text, json) {
  try {
    if (json) return fromJs(JSON.parse(text));
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, strict: false, logLevel: 'silent' });
    if (doc.errors.length > 0) return undefined;
    return fromYamlNode(doc.contents);
  } catch {
    return undefined;
  }
}

function clone(n) {
  return structuredClone(n);
}

/** Every node with the way to replace it, in document order. */
function slots(root) {
  const out = [];
  const walk = (node, set, path) => {
    out.push({ node, set, path });
    if (node.t === 'map') node.e.forEach((pair) => walk(pair[1], (x) => (pair[1] = x), [...path, pair[0]]));
    else if (node.t === 'seq') node.i.forEach((x, i) => walk(x, (y) => (node.i[i] = y), [...path, i]));
    else if (node.t === 'tag') walk(node.n, (x) => (node.n = x), path);
  };
  walk(root, () => {}, []);
  return out;
}

const LONG = 'x'.repeat(20000);
const WEIRD_VALUES = [
  null, true, false, 0, -1, 65535, 65536, 1e308, -0, 1.5, 'NaN', '', ' ', '-1', 'all', 'tcp', 'icmp', 'constructor', '__proto__',
  '0.0.0.0/0', '::/0', '0.0.0.0/1', '10.0.0.0/33', '1.2.3.4', 'sg-12345678', 'pl-1234', '22', '0-65535', '${AWS::Region}', '${x}',
  'Dup\x1b]0;pwned\x07\x1b[2J', 'line\nbreak', '\u202e\u0000', LONG, '${' + 'a'.repeat(100) + '}', '\\U00110000',
];

function randomValue(r, depth = 0) {
  const k = r.int(depth > 2 ? 3 : 6);
  if (k <= 2) return { t: 'val', v: r.pick([...WEIRD_VALUES, ...PROTO_NAMES]) };
  if (k === 3) return { t: 'seq', i: Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)) };
  if (k === 4) return { t: 'map', e: Array.from({ length: r.int(3) }, () => [r.pick([...PROTO_NAMES, 'Type', 'Ref', 'CidrIp', 'IpProtocol', 'x']), randomValue(r, depth + 1)]) };
  return { t: 'map', e: [] };
}

/** Names the template defines (parameters, conditions, mappings, resources), to inject references that resolve. */
function sectionKeys(root, name) {
  const sec = root.t === 'map' ? root.e.find(([k]) => k === name)?.[1] : undefined;
  return sec?.t === 'map' ? sec.e.map(([k]) => k) : [];
}

function intrinsic(r, root, inner) {
  const params = sectionKeys(root, 'Parameters');
  const conds = sectionKeys(root, 'Conditions');
  const maps = sectionKeys(root, 'Mappings');
  const res = sectionKeys(root, 'Resources');
  const name = () => r.pick([...params, ...res, ...PROTO_NAMES, 'AWS::NoValue', 'AWS::Region', 'Missing']);
  const s = (v) => ({ t: 'val', v });
  const fn = (k, v) => ({ t: 'map', e: [[k, v]] });
  switch (r.int(11)) {
    case 0: return fn('Ref', s(name()));
    case 1: return fn('Fn::If', { t: 'seq', i: [s(r.pick([...conds, ...PROTO_NAMES, 'C'])), inner, randomValue(r)] });
    case 2: return fn('Fn::FindInMap', { t: 'seq', i: [s(r.pick([...maps, ...PROTO_NAMES])), s(r.pick(['a', ...PROTO_NAMES])), s(r.pick(['b', ...PROTO_NAMES]))] });
    case 3: return fn('Fn::Join', { t: 'seq', i: [s(''), { t: 'seq', i: [inner, clone(inner)] }] });
    case 4: return fn('Fn::Sub', s(`\${${name()}}-\${${name()}.Attr}`));
    case 5: return fn('Fn::GetAtt', { t: 'seq', i: [s(name()), s(r.pick(['GroupId', ...PROTO_NAMES]))] });
    case 6: return fn('Fn::Select', { t: 'seq', i: [s(r.pick([0, 1, -1, 1e9, 'constructor'])), inner] });
    case 7: return fn('Fn::Split', { t: 'seq', i: [s(r.pick([',', ''])), inner] });
    case 8: return fn(r.pick(['Fn::Base64', 'Fn::Length', 'Fn::ImportValue', 'Fn::GetAZs', 'Fn::Cidr', 'Condition']), inner);
    case 9: return fn(`Fn::${r.pick(PROTO_NAMES)}`, inner);
    default: return { t: 'tag', tag: r.pick(['!Ref', '!If', '!Sub', '!GetAtt', '!Join', '!FindInMap', '!Custom', '!Condition']), n: inner };
  }
}

/** One structural mutation of the tree, in place (the root may be replaced: returned). */
function mutateTree(r, root, yaml) {
  const all = slots(root);
  const target = r.pick(all);
  const maps = all.filter((s) => s.node.t === 'map');
  const seqs = all.filter((s) => s.node.t === 'seq');
  const op = r.int(yaml ? 10 : 8);
  switch (op) {
    case 0: // type swap at a path
      target.set(randomValue(r));
      return ['type-swap', root];
    case 1: { // duplicate a key
      const m = r.pick(maps);
      if (!m || m.node.e.length === 0) return ['noop', root];
      const pair = r.pick(m.node.e);
      m.node.e.splice(r.int(m.node.e.length + 1), 0, [pair[0], r.chance(0.5) ? clone(pair[1]) : randomValue(r)]);
      return ['duplicate-key', root];
    }
    case 2: { // delete a key or an item
      const m = r.pick([...maps, ...seqs]);
      if (!m) return ['noop', root];
      if (m.node.t === 'map' && m.node.e.length > 0) m.node.e.splice(r.int(m.node.e.length), 1);
      if (m.node.t === 'seq' && m.node.i.length > 0) m.node.i.splice(r.int(m.node.i.length), 1);
      return ['delete', root];
    }
    case 3: // intrinsic injection
      target.set(intrinsic(r, root, clone(target.node)));
      return ['intrinsic', root];
    case 4: { // rename a key to an Object.prototype name
      const m = r.pick(maps);
      if (!m || m.node.e.length === 0) return ['noop', root];
      r.pick(m.node.e)[0] = r.pick(PROTO_NAMES);
      return ['proto-key', root];
    }
    case 5: // a prototype name as a value
      target.set({ t: 'val', v: r.pick(PROTO_NAMES) });
      return ['proto-value', root];
    case 6: { // copy a subtree somewhere else (a resource into another section, a rule into a list)
      const from = r.pick(all);
      if (JSON.stringify(from.node).length > 200_000) return ['noop', root];
      target.set(clone(from.node));
      return ['graft', root];
    }
    case 7: { // expansion: many AllowedValues / a long list / Fn::If chains
      const n = r.pick([10, 100, 1000, 3000]);
      // Copies of the subtree only while it is small: the generator itself must stay bounded.
      const small = JSON.stringify(target.node).length < 2000;
      if (r.chance(0.5)) target.set({ t: 'seq', i: Array.from({ length: n }, (_, i) => (small && r.chance(0.5) ? clone(target.node) : { t: 'val', v: `10.${i & 255}.0.0/16` })) });
      else {
        let node = clone(target.node);
        // A chain of Fn::If, each with the previous one as its true branch: 2^n alternatives in linear text.
        for (let i = 0; i < Math.min(n, 200); i++) node = { t: 'map', e: [['Fn::If', { t: 'seq', i: [{ t: 'val', v: `C${i}` }, node, { t: 'val', v: `10.${i & 255}.0.0/16` }] }]] };
        target.set(node);
      }
      return ['expansion', root];
    }
    case 8: { // alias: anchor a node, refer to it elsewhere (possibly many times, possibly from inside itself)
      const name = `a${r.int(5)}`;
      target.node.anchor = name;
      const spots = r.int(3) === 0 ? 50 : 1;
      for (let i = 0; i < spots; i++) r.pick(all).set({ t: 'alias', a: name });
      return ['alias', root];
    }
    default: { // alias chain: a node referred to many times, nested (bounded expanded size)
      const levels = 3 + r.int(5);
      const lines = [];
      for (let i = 0; i < levels; i++) lines.push([`b${i}`, i === 0 ? { t: 'val', v: 'y'.repeat(1000 * r.int(100)), anchor: 'b0' } : { t: 'seq', i: Array.from({ length: 10 }, () => ({ t: 'alias', a: `b${i - 1}` })), anchor: `b${i}` }]);
      if (root.t === 'map') root.e.unshift(['Metadata', { t: 'map', e: lines }]);
      target.set({ t: 'alias', a: `b${levels - 1}` });
      return ['alias-bomb', root];
    }
  }
}

// ---- writers

function quote(v) {
  return JSON.stringify(v).replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

function scalarText(v, r) {
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '.nan';
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  if (r.chance(0.5) && /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(s) && s.length < 200) return s;
  return quote(s);
}

function toJson(node) {
  switch (node.t) {
    case 'map': return `{${node.e.map(([k, v]) => `${quote(k)}: ${toJson(v)}`).join(', ')}}`;
    case 'seq': return `[${node.i.map(toJson).join(', ')}]`;
    case 'tag': return toJson({ t: 'map', e: [[node.tag === '!GetAtt' ? 'Fn::GetAtt' : node.tag === '!Ref' ? 'Ref' : `Fn::${node.tag.slice(1)}`, node.n]] });
    case 'alias': return 'null';
    default: return node.v === undefined || (typeof node.v === 'number' && !Number.isFinite(node.v)) ? 'null' : quote(node.v);
  }
}

function props(node) {
  return node.anchor ? `&${node.anchor} ` : '';
}

function toFlow(node, r) {
  switch (node.t) {
    case 'map': return `${props(node)}{${node.e.map(([k, v]) => `${quote(k)}: ${toFlow(v, r)}`).join(', ')}}`;
    case 'seq': return `${props(node)}[${node.i.map((x) => toFlow(x, r)).join(', ')}]`;
    case 'tag': return `${node.tag} ${toFlow(node.n, r)}`;
    case 'alias': return `*${node.a}`;
    default: return `${props(node)}${scalarText(node.v, r)}`;
  }
}

function toBlock(node, indent, r) {
  const pad = ' '.repeat(indent);
  const inline = (n) => n.t === 'val' || n.t === 'alias' || (n.t === 'map' && n.e.length === 0) || (n.t === 'seq' && n.i.length === 0) || (n.t === 'tag' && n.n.t === 'val');
  const head = (n) => (n.t === 'tag' ? `${n.tag} ` : '') + props(n.t === 'tag' ? n.n : n);
  const body = (n) => (n.t === 'tag' ? n.n : n);
  if (node.t === 'map' && node.e.length > 0) {
    return node.e
      .map(([k, v]) => {
        const key = scalarText(k, r);
        if (inline(v)) return `${pad}${key}: ${toFlow(v, r)}`;
        return `${pad}${key}: ${head(v).trimEnd()}\n${toBlock(body(v), indent + 2, r)}`;
      })
      .join('\n');
  }
  if (node.t === 'seq' && node.i.length > 0) {
    return node.i
      .map((v) => {
        if (inline(v)) return `${pad}- ${toFlow(v, r)}`;
        return `${pad}- ${head(v).trimEnd()}\n${toBlock(body(v), indent + 2, r)}`;
      })
      .join('\n');
  }
  return `${pad}${toFlow(node, r)}`;
}

/** Writes the tree back in the syntax of its input. */
export function writeTree(node, syntax, r) {
  if (syntax === 'json') return r.chance(0.5) ? toJson(node) : JSON.stringify(JSON.parse(toJson(node)), null, 2);
  if (syntax === 'flow') return `${toFlow(node, r)}\n`;
  return `${toBlock(node, 0, r)}\n`;
}

/** Mutates a YAML or JSON input 1-4 times; returns the text and the mutators applied. */
export function mutateStructured(r, text, json) {
  let root = readTree(text, json);
  if (!root) return undefined;
  const ops = [];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const [op, next] = mutateTree(r, root, !json);
    root = next;
    ops.push(op);
  }
  const syntax = json ? 'json' : r.chance(0.8) ? 'block' : 'flow';
  return { text: writeTree(root, syntax, r), ops };
}

// ---- Terraform HCL: line- and block-wise

const HCL_VALUES = [
  '22', '-1', '65536', '"-1"', '"tcp"', '"constructor"', '"__proto__"', 'null', 'true', '[]', '{}', '["0.0.0.0/0"]', '["::/0"]',
  'var.missing', 'local.missing', 'each.value', 'count.index', 'self.id', 'aws_security_group.x.id', '"${var.x}"',
  'range(100000)', 'range(0, 1e9)', 'range(1, 0, -1)', 'join("", [for i in range(1000) : "x"])', 'format("%s%s", "a", "b")',
  '[for a in range(100) : [for b in range(100) : [for c in range(100) : c]]]', '"\\U00110000"', '"\\uD800"', `"${'x'.repeat(20000)}"`,
  `<<EOT\n${'line\n'.repeat(20000)}EOT`, '{ for k, v in var.m : k => v }', 'tolist(null)', 'lookup({}, "constructor", 1)',
  'merge({}, {"__proto__" = 1})', 'cidrsubnet("10.0.0.0/8", 30, 1)', '[for i in range(1000) : "10.0.0.0/8"]', '"${"${"${"x"}"}"}"',
];

/** Mutates a `.tf` text 1-4 times: swap, duplicate and delete attributes and blocks, inject expansions and expressions. */
export function mutateHcl(r, text) {
  let lines = text.split('\n');
  const ops = [];
  const n = 1 + r.int(4);
  for (let k = 0; k < n; k++) {
    const attrs = lines.map((l, i) => [l, i]).filter(([l]) => /^\s*[A-Za-z_][\w-]*\s*=/.test(l));
    const blocks = lines.map((l, i) => [l, i]).filter(([l]) => /\{\s*$/.test(l));
    const op = r.int(9);
    if (op === 0 && attrs.length) { // value swap
      const [l, i] = r.pick(attrs);
      lines[i] = l.replace(/=.*$/, `= ${r.pick(HCL_VALUES)}`);
      ops.push('type-swap');
    } else if (op === 1 && lines.length) { // duplicate a line
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[i]);
      ops.push('duplicate-key');
    } else if (op === 2 && lines.length) { // delete a line
      lines.splice(r.int(lines.length), 1);
      ops.push('delete');
    } else if (op === 3 && blocks.length) { // count / for_each on a block
      const [, i] = r.pick(blocks);
      lines.splice(i + 1, 0, r.pick(['  count = 1000', '  count = -1', '  count = "x"', '  for_each = toset([for i in range(1000) : tostring(i)])', '  for_each = { constructor = 1, __proto__ = 2 }', '  count = length(var.missing)']));
      ops.push('expansion');
    } else if (op === 4 && blocks.length) { // dynamic block around an ingress
      const [, i] = r.pick(blocks);
      lines.splice(i + 1, 0, '  dynamic "ingress" {', `    for_each = ${r.pick(['range(1000)', 'var.ports', '[22, 3389]', '{}', 'null'])}`, '    content {', '      from_port = ingress.value', '      to_port = ingress.value', '      protocol = "tcp"', '      cidr_blocks = ["0.0.0.0/0"]', '    }', '  }');
      ops.push('dynamic');
    } else if (op === 5) { // recursive locals, variables with odd defaults
      lines.push('locals {', '  a = local.b', '  b = local.a', `  c = ${r.pick(HCL_VALUES)}`, '}', `variable "${r.pick(['constructor', '__proto__', 'ports'])}" {`, `  default = ${r.pick(HCL_VALUES)}`, '}');
      ops.push('expression');
    } else if (op === 6 && lines.length) { // prototype names as types, labels, attribute names
      const i = r.int(lines.length);
      const name = r.pick(PROTO_NAMES);
      lines[i] = lines[i].replace(/"[^"]*"/, `"${name}"`).replace(/^(\s*)[A-Za-z_][\w-]*(\s*=)/, `$1${name.replace(/^_+/, 'x')}$2`);
      ops.push('proto');
    } else if (op === 7 && lines.length) { // copy a block
      const i = r.int(lines.length);
      lines.splice(r.int(lines.length), 0, ...lines.slice(i, i + 1 + r.int(10)));
      ops.push('graft');
    } else { // a whole hostile resource
      const name = r.pick(['aws_security_group', '__proto__', 'constructor', 'aws_security_group_rule']);
      lines.push(`resource "${name}" "${r.pick(PROTO_NAMES)}" {`, `  ${r.pick(['ingress', 'egress', 'type'])} = ${r.pick(HCL_VALUES)}`, '  ingress {', `    protocol = ${r.pick(HCL_VALUES)}`, '    from_port = 22', '    to_port = 22', `    cidr_blocks = ${r.pick(HCL_VALUES)}`, '  }', '}');
      ops.push('intrinsic');
    }
  }
  return { text: lines.join('\n'), ops };
}

/** Mutates a cloud-assembly manifest: the tree mutations plus nested assemblies that point back (cycles) or fan out (DAGs). */
export function mutateManifest(r, text) {
  const base = mutateStructured(r, text, true) ?? { text, ops: [] };
  let data;
  try {
    data = JSON.parse(base.text);
  } catch {
    return base;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return base;
  const arts = data.artifacts !== null && typeof data.artifacts === 'object' && !Array.isArray(data.artifacts) ? data.artifacts : (data.artifacts = {});
  const k = r.int(4);
  if (k === 0) arts.self = { type: 'cdk:cloud-assembly', properties: { directoryName: '.', displayName: 'self' } };
  if (k === 1) for (let i = 0; i < 30; i++) arts[`fan${i}`] = { type: 'cdk:cloud-assembly', properties: { directoryName: r.pick(['.', './', './/.', '..', '/']) } };
  if (k === 2) arts[r.pick(PROTO_NAMES)] = { type: r.pick(['aws:cloudformation:stack', 'cdk:cloud-assembly', 'constructor']), properties: { templateFile: r.pick(['manifest.json', '../x.json', '__proto__']), directoryName: '.' } };
  return { text: JSON.stringify(data, null, 1), ops: [...base.ops, k < 3 ? 'manifest-cycle' : 'manifest'] };
}
