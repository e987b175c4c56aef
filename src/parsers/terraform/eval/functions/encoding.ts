/**
 * Encoding functions: base64decode base64encode csvdecode jsondecode jsonencode urlencode yamldecode yamlencode, and
 * the hashes md5 sha1 sha256 sha512 base64sha256 base64sha512.
 */
import { createHash } from 'node:crypto';
import type { parseDocument as ParseDocument } from 'yaml';
import type { TfVal } from '../value';
import { list, map, nil, num, numberText, object, sortSet, str, tuple } from '../value';
import { sortFields } from '../evaluate';
import type { FnDef } from './args';
import { asString, fail } from './args';

/** JSON text as Terraform's jsonencode writes it: keys sorted, `<`, `>`, `&` escaped as Go does. */
export function jsonText(v: TfVal): string {
  switch (v.kind) {
    case 'scalar':
      if (typeof v.value === 'number') return Number.isFinite(v.value) ? numberText(v.value) : fail('cannot encode an infinite number');
      return goJson(JSON.stringify(v.value));
    case 'list':
      return `[${(v.type === 'set' ? sortSet(v.items) : v.items).map(jsonText).join(',')}]`;
    case 'object':
      return `{${[...sortFields(v.fields)].map(([k, f]) => `${goJson(JSON.stringify(k))}:${jsonText(f)}`).join(',')}}`;
    default:
      return fail('value is not known');
  }
}

function goJson(s: string): string {
  return s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A decoded JSON or YAML value as Terraform types it: objects, tuples, numbers, strings, bools. */
export function fromPlain(v: unknown): TfVal {
  if (v === null || v === undefined) return nil();
  if (Array.isArray(v)) return tuple(v.map(fromPlain));
  if (typeof v === 'object') return object(new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)])));
  if (typeof v === 'number') return num(v);
  if (typeof v === 'bigint') return num(Number(v));
  if (typeof v === 'boolean') return { kind: 'scalar', value: v };
  return str(String(v));
}

function yamlText(v: TfVal, indent: string): string {
  if (v.kind === 'scalar') {
    if (v.value === null) return 'null';
    if (typeof v.value === 'number') return numberText(v.value);
    if (typeof v.value === 'boolean') return String(v.value);
    return JSON.stringify(v.value);
  }
  if (v.kind === 'list') {
    const items = v.type === 'set' ? sortSet(v.items) : v.items;
    if (items.length === 0) return '[]';
    return items.map((i) => `\n${indent}- ${yamlText(i, `${indent}  `).replace(/^\n\s*/, '')}`).join('');
  }
  if (v.kind === 'object') {
    if (v.fields.size === 0) return '{}';
    // A list under a key is not indented further (as Terraform's YAML writer does).
    const field = (f: TfVal): string => yamlText(f, f.kind === 'list' ? indent : `${indent}  `);
    return [...sortFields(v.fields)].map(([k, f]) => `\n${indent}${JSON.stringify(k)}: ${field(f)}`.replace(/: \n/, ':\n')).join('');
  }
  return fail('value is not known');
}

const hash = (alg: string, enc: 'hex' | 'base64'): FnDef => ({
  params: ['str'],
  impl: ([a]) => str(createHash(alg).update(asString(a, 'str'), 'utf8').digest(enc)),
});

export const ENCODING: Record<string, FnDef> = {
  jsonencode: { params: ['val'], allowNull: true, impl: ([v]) => str(jsonText(v as TfVal)) },
  jsondecode: {
    params: ['str'],
    impl: ([a]) => {
      try {
        return fromPlain(JSON.parse(asString(a, 'str')));
      } catch (e) {
        return fail(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  },
  yamlencode: {
    params: ['value'],
    allowNull: true,
    impl: ([v]) => str(`${yamlText(v as TfVal, '').replace(/^\n/, '')}\n${v?.kind === 'scalar' && typeof v.value !== 'string' ? '...\n' : ''}`),
  },
  yamldecode: {
    params: ['src'],
    impl: ([a]) => {
      // Loaded on first use: the `yaml` package is large and most configurations never call yamldecode.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseDocument } = require('yaml') as { parseDocument: typeof ParseDocument };
      const doc = parseDocument(asString(a, 'src'), { uniqueKeys: true, version: '1.1' });
      const first = doc.errors[0];
      // The yaml package reports a stack overflow on deep nesting as a document error.
      if (first) return fail(/Maximum call stack/.test(first.message) ? 'the YAML is nested too deeply' : `on line ${first.linePos?.[0].line ?? '?'}: ${first.message}`);
      let plain: unknown;
      try {
        plain = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        // Aliases expanded too often ("Excessive alias count indicates a resource exhaustion attack") or too deep a
        // document: errors of this call, as go-yaml's are in Terraform, not of the whole file.
        if (e instanceof RangeError) return fail('the YAML is nested too deeply');
        if (e instanceof Error) return fail(e.message);
        throw e;
      }
      return fromPlain(plain);
    },
  },
  base64encode: { params: ['str'], impl: ([a]) => str(Buffer.from(asString(a, 'str'), 'utf8').toString('base64')) },
  base64decode: {
    params: ['str'],
    impl: ([a]) => {
      const s = asString(a, 'str');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return fail(`failed to decode base64 data ${JSON.stringify(s)}`);
      const bytes = Buffer.from(s, 'base64');
      const text = bytes.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(bytes)) return fail('the result of decoding the provided string is not valid UTF-8');
      return str(text);
    },
  },
  urlencode: {
    params: ['str'],
    impl: ([a]) => str(Array.from(Buffer.from(asString(a, 'str'), 'utf8'), (b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }).join('')),
  },
  csvdecode: {
    params: ['str'],
    impl: ([a]) => {
      const rows = parseCsv(asString(a, 'str'));
      const [header, ...data] = rows;
      if (!header) return fail('missing header line');
      return list(
        data.map((r, n) => {
          if (r.length !== header.length) fail(`record on line ${n + 2}: wrong number of fields`);
          return object(new Map(header.map((h, i) => [h, str(r[i] ?? '')])));
        }),
      );
    },
  },
  md5: hash('md5', 'hex'),
  sha1: hash('sha1', 'hex'),
  sha256: hash('sha256', 'hex'),
  sha512: hash('sha512', 'hex'),
  base64sha256: hash('sha256', 'base64'),
  base64sha512: hash('sha512', 'base64'),
};

/** RFC 4180 CSV as Go's encoding/csv reads it (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let any = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      any = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      any = true;
      i++;
    } else if (c === '\n' || c === '\r') {
      if (any || field !== '') {
        row.push(field);
        rows.push(row);
      }
      row = [];
      field = '';
      any = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      if (c === '"') fail('bare " in non-quoted field');
      field += c;
      any = true;
      i++;
    }
  }
  if (quoted) fail('extraneous or missing " in quoted field');
  if (any || field !== '') {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export { map };
