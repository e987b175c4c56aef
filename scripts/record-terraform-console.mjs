#!/usr/bin/env node
/**
 * Records what `terraform console` answers for every expression of scripts/terraform-expressions.mjs, in the
 * configuration fixtures/terraform-console/config/ (variables with type constraints, locals, files), and writes
 * fixtures/terraform-console/expected.json. test/parsers/terraform-console.test.ts compares sg-lint's evaluator with
 * it and needs no Terraform.
 *
 * Regenerate (Terraform on PATH; no provider and no network needed):
 *   node scripts/record-terraform-console.mjs            # all expressions, 2 at a time
 *   node scripts/record-terraform-console.mjs --jobs 4
 *   node scripts/record-terraform-console.mjs --group numberForms   # only that generator's expressions; the other
 *                                                                   # recorded results are kept as they are
 *
 * Each expression is one `terraform console` run with the expression on standard input (a piped console prints only
 * its last result and stops at the first error, so expressions are not batched). A value is stored in a canonical
 * form that keeps Terraform's types: {"s": string}, {"n": "decimal text"}, {"b": bool}, {"null": true},
 * {"tuple"|"list"|"set": [...]}, {"object"|"map": {...}}, {"sensitive": true}, {"type": "text"} for type(); an
 * error as {"error": "summary: detail"}.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressions } from './terraform-expressions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const configDir = join(root, 'fixtures', 'terraform-console', 'config');
const outFile = join(root, 'fixtures', 'terraform-console', 'expected.json');
const jobsArg = process.argv.indexOf('--jobs');
const jobs = jobsArg > 0 ? Number(process.argv[jobsArg + 1]) : 2;
const groups = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--group' ? [a] : []));

function run(expr, cwd) {
  return new Promise((resolve) => {
    const child = spawn('terraform', ['console', '-no-color'], {
      cwd,
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${expr}\n`);
  });
}

/** The summary and detail of a console error ("Error: Invalid index ... The given key ..."). */
function errorText(stderr) {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('Error: '));
  if (at < 0) return stderr.trim() || 'error';
  const summary = lines[at].slice(7).trim();
  const detail = lines
    .slice(at + 1)
    .filter((l) => l.trim() !== '' && !/^\s*on <console-input>|source code not available|^\s*\d+:/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return detail ? `${summary}: ${detail}` : summary;
}

/** Parses the console's rendering of a value into the canonical form. */
export function parseConsole(text) {
  let i = 0;
  const s = text.replace(/\r/g, '');
  const ws = () => {
    while (i < s.length && /[ \t\n]/.test(s[i])) i++;
  };
  const starts = (t) => s.startsWith(t, i);
  const fail = (m) => {
    throw new Error(`${m} at ${i}: ${JSON.stringify(s.slice(i, i + 40))}`);
  };
  const value = () => {
    ws();
    if (starts('(sensitive value)')) {
      i += 17;
      return { sensitive: true };
    }
    if (starts('(known after apply)')) {
      i += 19;
      return { unknown: true };
    }
    for (const w of ['tolist', 'toset', 'tomap']) {
      if (starts(`${w}(null)`)) {
        i += w.length + 6;
        ws();
        if (starts('/*')) i = s.indexOf('*/', i) + 2;
        return { null: true };
      }
      if (starts(`${w}(`)) {
        i += w.length + 1;
        const inner = value();
        ws();
        if (s[i] !== ')') fail('expected )');
        i++;
        const key = w === 'tolist' ? 'list' : w === 'toset' ? 'set' : 'map';
        return { [key]: inner.tuple ?? inner.object };
      }
    }
    for (const w of ['tonumber(null)', 'tostring(null)', 'tobool(null)']) {
      if (starts(w)) {
        i += w.length;
        return { null: true };
      }
    }
    if (starts('null')) {
      i += 4;
      const save = i;
      ws();
      if (starts('/*')) i = s.indexOf('*/', i) + 2;
      else i = save;
      return { null: true };
    }
    if (starts('true')) {
      i += 4;
      return { b: true };
    }
    if (starts('false')) {
      i += 5;
      return { b: false };
    }
    if (starts('"')) return { s: quoted() };
    if (starts('<<')) return { s: heredoc() };
    const num = /^[-+]?(\d+(\.\d+)?|Inf)/.exec(s.slice(i));
    if (num) {
      i += num[0].length;
      return { n: num[0] };
    }
    if (starts('[')) {
      i++;
      const items = [];
      for (;;) {
        ws();
        if (starts(']')) {
          i++;
          return { tuple: items };
        }
        items.push(value());
        ws();
        if (starts(',')) i++;
      }
    }
    if (starts('{')) {
      i++;
      const obj = {};
      for (;;) {
        ws();
        if (starts('}')) {
          i++;
          return { object: obj };
        }
        const key = starts('"') ? quoted() : /^[A-Za-z0-9_-]+/.exec(s.slice(i))?.[0];
        if (key === undefined) fail('expected key');
        if (!starts('"') && !s.slice(i - 1).startsWith('"')) i += key.length;
        ws();
        if (s[i] !== '=') fail('expected =');
        i++;
        obj[key] = value();
        ws();
        if (starts(',')) i++;
      }
    }
    return fail('unexpected');
  };
  const quoted = () => {
    i++;
    let out = '';
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\') {
        const c = s[i + 1];
        const simple = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v', $: '$', '%': '%' };
        if (c in simple) {
          out += simple[c];
          i += 2;
        } else if (c === 'x') {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
          i += 4;
        } else if (c === 'u') {
          out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (c === 'U') {
          out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 10), 16));
          i += 10;
        } else fail('bad escape');
      } else if (s[i] === '$' && s[i + 1] === '$' && s[i + 2] === '{') {
        out += '${';
        i += 3;
      } else if (s[i] === '%' && s[i + 1] === '%' && s[i + 2] === '{') {
        out += '%{';
        i += 3;
      } else out += s[i++];
    }
    i++;
    return out;
  };
  const heredoc = () => {
    const m = /^<<(-?)EOT\n/.exec(s.slice(i));
    if (!m) fail('bad heredoc');
    i += m[0].length;
    const lines = [];
    for (;;) {
      const nl = s.indexOf('\n', i);
      const line = s.slice(i, nl < 0 ? s.length : nl);
      if (line.trim() === 'EOT' || line.trim() === 'EOT,') {
        i += line.indexOf('EOT') + 3;
        break;
      }
      lines.push(line);
      if (nl < 0) fail('unterminated heredoc');
      i = nl + 1;
    }
    let body = lines;
    if (m[1] === '-') {
      const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)[0].length));
      if (Number.isFinite(indent)) body = lines.map((l) => l.slice(Math.min(indent, /^ */.exec(l)[0].length)));
    }
    // The console writes the string's lines and then the closing marker on a line of its own.
    return body.join('\n').replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  };
  const v = value();
  ws();
  if (i < s.length) fail('trailing text');
  return v;
}

async function main() {
  const all = expressions();
  // With --group, only those groups are recorded again; every other expression keeps its recorded result.
  const previous = groups.length > 0 ? new Map(JSON.parse(readFileSync(outFile, 'utf8')).results.map((r) => [r.expr, r])) : new Map();
  const list = groups.length > 0 ? all.filter((e) => groups.includes(e.group)) : all;
  if (groups.length > 0 && list.length === 0) throw new Error(`no expression in group(s) ${groups.join(', ')}`);
  const results = new Array(list.length);
  let next = 0;
  let done = 0;
  // Each worker runs in its own copy of the configuration: console takes a state lock in its directory.
  const worker = async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sg-lint-console-'));
    cpSync(configDir, cwd, { recursive: true });
    try {
      await work(cwd);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  };
  const work = async (cwd) => {
    for (;;) {
      const n = next++;
      if (n >= list.length) return;
      const { expr, group } = list[n];
      const r = await run(expr, cwd);
      let entry;
      if (r.code !== 0) entry = { group, expr, error: errorText(r.stderr) };
      else if (/^type\(/.test(expr)) entry = { group, expr, value: { type: r.stdout.trim() } };
      else {
        try {
          entry = { group, expr, value: parseConsole(r.stdout.replace(/\n$/, '')) };
        } catch (e) {
          entry = { group, expr, unparsed: r.stdout, why: String(e) };
        }
      }
      results[n] = entry;
      if (++done % 200 === 0) process.stderr.write(`${done}/${list.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  if (groups.length > 0) {
    const fresh = new Map(results.map((r) => [r.expr, r]));
    const missing = all.filter((e) => !fresh.has(e.expr) && !previous.has(e.expr));
    if (missing.length > 0) throw new Error(`not recorded yet (run without --group): ${missing.map((e) => e.expr).join(', ')}`);
    results.splice(0, results.length, ...all.map((e) => fresh.get(e.expr) ?? previous.get(e.expr)));
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const header = { terraform: (await versionText()).trim(), count: results.length, generator: 'scripts/terraform-expressions.mjs' };
  writeFileSync(outFile, `${JSON.stringify({ ...header, results }, null, 1)}\n`);
  const unparsed = results.filter((r) => r.unparsed !== undefined);
  process.stderr.write(`wrote ${results.length} results (${results.filter((r) => r.error).length} errors, ${unparsed.length} unparsed) to ${outFile}\n`);
  for (const u of unparsed) process.stderr.write(`unparsed: ${u.expr}: ${u.why}\n`);
}

function versionText() {
  return new Promise((resolve) => {
    const child = spawn('terraform', ['version'], { env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.split('\n')[0] ?? ''));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
