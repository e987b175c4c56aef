#!/usr/bin/env node
// sg-lint benchmark (`npm run bench`; never part of `npm test`). Measures, in one run and as ratios so the machine's
// noise cancels: cold start against bare node, end to end per template size against the lower bound of reading and
// parsing the same file, peak memory, a per-phase breakdown, a 2,000-file monorepo, and cdk-nag
// (AwsSolutions through CfnInclude, installed into bench/.cache on first use) on the same templates with its
// security-group findings counted next to ours. Prints a table and writes bench/RESULTS.md.
//
// Options: --runs N (default 5), --quick (sizes up to 1,000, 3 runs, cdk-nag at 100 and 1,000 only), --no-cdk-nag,
// --no-build
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, OUT, SIZES, PLAN_RULES } from './generate.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH, '..');
const CACHE = join(BENCH, '.cache');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const RUNS = Number(argv[argv.indexOf('--runs') + 1]) || (QUICK ? 3 : 5);
const WITH_NAG = !argv.includes('--no-cdk-nag');
const sizes = QUICK ? SIZES.filter((n) => n <= 1000) : SIZES;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// ------------------------------------------------------------------------------------------------------ helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs a child process; wall time in ms, peak RSS in MB (from /usr/bin/time -v when available), stdout. */
function run(cmd, args, { cwd = ROOT, env = process.env, input } = {}) {
  const full = TIME ? [TIME, ['-f', '%M', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const last = (r.stderr ?? '').trim().split('\n').pop() ?? '';
  const rssMb = TIME && /^\d+$/.test(last) ? Number(last) / 1024 : NaN;
  return { ms, rssMb, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

/** Median wall time and the largest peak RSS over `runs` runs. */
function measure(cmd, args, runs = RUNS, opts = {}) {
  const times = [];
  let rss = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    last = run(cmd, args, opts);
    times.push(last.ms);
    if (last.rssMb > rss) rss = last.rssMb;
  }
  return { ms: median(times), rssMb: rss || NaN, last };
}

const node = process.execPath;
const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtX = (x) => (Number.isFinite(x) ? `${x.toFixed(x >= 10 ? 0 : 1)}x` : 'n/a');
const fmtMb = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a');
const sizeOf = (f) => statSync(f).size;
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

function table(headers, rows) {
  const all = [headers, ...rows].map((r) => r.map(String));
  const w = headers.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(all[0]), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...all.slice(1).map(line)].join('\n');
}

// ------------------------------------------------------------------------------------------------------ setup

/** `npm run build`, retried: in a shared working tree another build may remove dist/ under this one. */
function build() {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(node, [join(ROOT, 'scripts', 'build.mjs')], { stdio: attempt === 1 ? 'inherit' : 'ignore', cwd: ROOT });
      return;
    } catch (e) {
      if (attempt >= 5) throw e;
      execFileSync('sleep', ['5']);
    }
  }
}
if (!argv.includes('--no-build') || !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) build();
generate({ log: () => {} });
// Measure a private copy of the package (bin, dist, package.json) so a rebuild of dist/ during the run cannot disturb it.
const PKG = join(OUT, 'pkg');
snapshotPackage();
const DIST = join(PKG, 'dist');
const BIN = join(PKG, 'bin', 'sg-lint.js');

function snapshotPackage() {
  for (let attempt = 0; attempt < 5; attempt++) {
    rmSync(PKG, { recursive: true, force: true });
    try {
      cpSync(join(ROOT, 'dist'), join(PKG, 'dist'), { recursive: true });
      cpSync(join(ROOT, 'bin'), join(PKG, 'bin'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(PKG, 'package.json'));
      if (existsSync(join(PKG, 'dist', 'cli', 'main.js'))) return;
    } catch {
      // dist/ was being rebuilt: try again
    }
    build();
  }
  throw new Error('could not take a consistent copy of dist/');
}
const sections = [];
/** Target verdicts: [target, measured, met?]. */
const verdicts = [];
const verdict = (target, measured, met) => verdicts.push([target, measured, met ? 'met' : 'MISSED']);
const load0 = loadavg()[0];
console.log(`sg-lint benchmark: ${RUNS} runs per measurement, load average ${load0.toFixed(2)} at start`);

// ------------------------------------------------------------------------------------------------------ cold start

/** Median wall time of a bare `node -e ''` in this run (the cold-start table; the warm-floor table builds on it). */
let bareNodeMs = NaN;
{
  const one = join(OUT, 'one-group.yaml');
  const bare = [];
  const cli = [];
  const bundled = [];
  const bundle = join(DIST, 'sg-lint.cjs');
  const bundleArgs = ['-e', `require(${JSON.stringify(bundle)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`, one];
  for (let i = 0; i < RUNS * 2; i++) {
    bare.push(run(node, ['-e', '']).ms);
    cli.push(run(node, [BIN, one]).ms);
    if (existsSync(bundle)) bundled.push(run(node, bundleArgs).ms);
  }
  const b = median(bare);
  bareNodeMs = b;
  const rows = [
    ['bare `node -e \'\'`', fmtMs(b), '1.0x'],
    ['`node bin/sg-lint.js one-group.yaml`', fmtMs(median(cli)), fmtX(median(cli) / b)],
  ];
  if (bundled.length) rows.push(['one-file bundle `dist/sg-lint.cjs`', fmtMs(median(bundled)), fmtX(median(bundled) / b)]);
  verdict('cold start <= 2x bare node', `${fmtX(median(cli) / b)} (bin/sg-lint.js)${bundled.length ? `, ${fmtX(median(bundled) / b)} (bundle)` : ''}`, median(cli) / b <= 2);
  sections.push({ title: 'Cold start (target: at most 2x bare node)', body: table(['run', 'median', 'ratio'], rows) });
  console.log(`cold start: ${rows.map((r) => `${r[0]} ${r[1]} (${r[2]})`).join('; ')}`);
}

// ------------------------------------------------------------------------------------------------------ end to end

/** Lower bound: a child that only reads and parses the file (JSON.parse, or js-yaml load with the CFN tags). */
const LOWER_BOUND = `
const fs = require('fs'); const f = process.argv[1]; const text = fs.readFileSync(f, 'utf8');
if (f.endsWith('.json')) JSON.parse(text); else {
  const y = require('js-yaml');
  const names = ['Ref','Condition','Base64','Cidr','FindInMap','GetAtt','GetAZs','ImportValue','Join','Select','Split','Sub','Transform','And','Equals','If','Not','Or','Length','ToJsonString'];
  const tags = names.flatMap((n) => [
    y.defineScalarTag('!' + n, { resolve: (s) => ({ [n]: s }), identify: () => false }),
    y.defineSequenceTag('!' + n, { create: () => [], addItem: (c, i) => { c.push(i); }, identify: () => false }),
    y.defineMappingTag('!' + n, { create: () => new Map(), addPair: (c, k, v) => { c.set(k, v); return ''; }, has: (c, k) => c.has(k), keys: (r) => r.keys(), get: (r, k) => r.get(k), identify: () => false }),
  ]);
  y.load(text, { schema: y.CORE_SCHEMA.withTags(...tags) });
}`;

function lintJson(file) {
  const r = run(node, [BIN, '-f', 'json', '--fail-on', 'none', file]);
  try {
    return JSON.parse(r.stdout);
  } catch {
    return { findings: [], errors: [{ message: r.stderr.slice(0, 200) }] };
  }
}

const e2eRows = [];
const e2e = {};
for (const n of sizes) {
  for (const ext of ['yaml', 'json']) {
    const file = join(OUT, `cfn-${n}.${ext}`);
    const runs = n >= 5000 ? Math.min(RUNS, 3) : RUNS;
    const ours = measure(node, [BIN, '--fail-on', 'none', '-f', 'json', file], runs);
    const lower = measure(node, ['-e', LOWER_BOUND, file], runs);
    const result = lintJson(file);
    e2e[`${n}.${ext}`] = { ms: ours.ms, rssMb: ours.rssMb, lowerMs: lower.ms, result };
    e2eRows.push([
      `${n} ${ext.toUpperCase()}`, mb(sizeOf(file)), fmtMs(ours.ms), fmtMs(lower.ms), fmtX(ours.ms / lower.ms), fmtMb(ours.rssMb),
      String(result.findings?.length ?? 0), String(result.errors?.length ?? 0),
    ]);
    console.log(`e2e ${n} ${ext}: ${fmtMs(ours.ms)} vs lower bound ${fmtMs(lower.ms)}, ${fmtMb(ours.rssMb)}`);
  }
}
{
  const plan = join(OUT, `tf-plan-${PLAN_RULES}.json`);
  const ours = measure(node, [BIN, '--fail-on', 'none', '-f', 'json', plan], Math.min(RUNS, 3));
  const lower = measure(node, ['-e', LOWER_BOUND, plan], Math.min(RUNS, 3));
  const result = lintJson(plan);
  e2eRows.push([`Terraform plan, ${PLAN_RULES} rules`, mb(sizeOf(plan)), fmtMs(ours.ms), fmtMs(lower.ms), fmtX(ours.ms / lower.ms), fmtMb(ours.rssMb), String(result.findings?.length ?? 0), String(result.errors?.length ?? 0)]);
}
/**
 * A child that parses every distinct `.tf` text under a folder with web-tree-sitter and the HCL grammar sg-lint ships,
 * five passes: prints {texts, bytes, passes} (ms per pass).
 */
const HCL_PASSES = `
const fs = require('fs'); const path = require('path');
const [dist, folder] = process.argv.slice(1);
const ts = require(require.resolve('web-tree-sitter', { paths: [dist] }));
const seen = new Set(); const texts = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walk(f);
    else if (e.name.endsWith('.tf')) { const t = fs.readFileSync(f, 'utf8'); if (!seen.has(t)) { seen.add(t); texts.push(t); } }
  }
})(folder);
(async () => {
  await ts.Parser.init();
  const parser = new ts.Parser();
  parser.setLanguage(await ts.Language.load(new Uint8Array(fs.readFileSync(path.join(dist, 'wasm', 'tree-sitter-hcl.wasm')))));
  const passes = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (const t of texts) parser.parse(t).delete();
    passes.push(performance.now() - t0);
  }
  const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
  process.stderr.write(JSON.stringify({ texts: texts.length, bytes, passes }) + '\\n');
})();`;

// ------------------------------------------------------------------------------------------------------ Terraform evaluation

{
  // A module library as real repositories write it (count over lists of rule names, lookup/merge/concat, local
  // modules, variable types), when ../shared is present, and a generated configuration of 1,000 groups written with
  // for_each over a map and dynamic ingress blocks.
  const rows = [];
  const library = join(ROOT, '..', 'shared', 'corpus', 'terraform-real', 'terraform-aws-security-group');
  const generated = join(OUT, 'tf-foreach-1000');
  const groups = Array.from({ length: 1000 }, (_x, i) => `    g${i} = { ports = [${22 + (i % 5)}, ${8000 + i}], cidrs = ["10.${i % 256}.0.0/16"${i % 50 === 0 ? ', "0.0.0.0/0"' : ''}] }`);
  const tf = [
    'locals {',
    '  groups = {',
    ...groups,
    '  }',
    '}',
    'resource "aws_security_group" "g" {',
    '  for_each    = local.groups',
    '  name        = "sg-${each.key}"',
    '  description = "group ${each.key}"',
    '  dynamic "ingress" {',
    '    for_each = each.value.ports',
    '    content {',
    '      description = "port ${ingress.value}"',
    '      from_port   = ingress.value',
    '      to_port     = ingress.value',
    '      protocol    = "tcp"',
    '      cidr_blocks = each.value.cidrs',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  rmSync(generated, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', generated]);
  writeFileSync(join(generated, 'main.tf'), tf);
  const cases = [['generated: 1,000 groups, for_each over a map + dynamic ingress', generated, ROOT]];
  if (existsSync(library)) cases.unshift(['terraform-aws-security-group (whole library)', '.', library]);
  for (const [name, target, cwd] of cases) {
    const m = measure(node, [BIN, '--fail-on', 'none', '-f', 'json', target], Math.min(RUNS, 3), { cwd });
    let result;
    try {
      result = JSON.parse(m.last.stdout);
    } catch {
      result = { findings: [], errors: [{}] };
    }
    rows.push([name, fmtMs(m.ms), fmtMb(m.rssMb), String(result.findings?.length ?? 0), String(result.errors?.length ?? 0)]);
    if (target === '.') verdict('terraform-aws-security-group library lints in < 3 s', fmtMs(m.ms), m.ms < 3000);
    console.log(`terraform ${name}: ${fmtMs(m.ms)}, ${fmtMb(m.rssMb)}`);
  }
  let parseNote = '';
  if (existsSync(library)) {
    // tree-sitter-hcl alone (WebAssembly), five passes over the library's distinct texts in one new process: what
    // reading .tf costs, and how much faster the same code runs once V8 has tiered it up.
    const r = spawnSync(node, ['-e', HCL_PASSES, DIST, library], { cwd: ROOT, encoding: 'utf8' });
    try {
      const { texts, bytes, passes } = JSON.parse((r.stderr ?? '').trim().split('\n').pop() ?? '');
      const rate = (ms) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
      const later = median(passes.slice(1));
      parseNote =
        `\n\ntree-sitter-hcl (WebAssembly) alone over the library's ${texts} distinct \`.tf\` texts (${mb(bytes)}), five passes in one ` +
        `new process: first ${fmtMs(passes[0])} (${rate(passes[0])}), passes 2-5 ${fmtMs(later)} (${rate(later)}; median).`;
      console.log(`tree-sitter-hcl: first pass ${fmtMs(passes[0])}, passes 2-5 ${fmtMs(later)} over ${mb(bytes)}`);
    } catch {
      parseNote = `\n\ntree-sitter-hcl passes: the child failed (${(r.stderr ?? '').slice(0, 200)})`;
    }
  }
  sections.push({ title: 'Terraform evaluation (`.tf` modules: count, for_each, dynamic, functions, local modules)', body: table(['input', 'median', 'peak RSS', 'findings', 'errors'], rows) + parseNote });
}

sections.push({
  title: 'End to end (`sg-lint -f json`, whole process) against reading + parsing the same file in a bare node process',
  body: table(['input', 'size', 'sg-lint', 'lower bound', 'ratio', 'peak RSS', 'findings', 'errors'], e2eRows),
});
if (e2e['1000.yaml'] && e2e['5000.yaml']) {
  const lin = (k) => (e2e[`5000.${k}`].ms - e2e[`10.${k}`].ms) / (e2e[`1000.${k}`].ms - e2e[`10.${k}`].ms);
  const growth = Math.max(lin('yaml'), lin('json'));
  const peak = Math.max(e2e['5000.yaml'].rssMb, e2e['5000.json'].rssMb);
  verdict('5,000 groups: linear growth from 1,000 (<= ~5.5x the 1,000-group work)', `${lin('yaml').toFixed(2)}x YAML, ${lin('json').toFixed(2)}x JSON`, growth <= 5.5);
  verdict('5,000 groups: peak memory < 300 MB', fmtMb(peak), peak < 300);
  sections.push({
    title: 'Growth 1,000 -> 5,000 groups (work above the fixed start-up cost; linear = 5.0)',
    body: `YAML ${lin('yaml').toFixed(2)}x, JSON ${lin('json').toFixed(2)}x; peak RSS at 5,000 groups: YAML ${fmtMb(e2e['5000.yaml'].rssMb)}, JSON ${fmtMb(e2e['5000.json'].rssMb)} (target < 300 MB).`,
  });
}

// ------------------------------------------------------------------------------------------------------ phases

{
  const d = (p) => require(join(DIST, p));
  const { readText } = d('parsers/read.js');
  const { readYamlFast } = d('parsers/shared/yaml-fast.js');
  const { readYaml } = d('parsers/cloudformation/yaml-reader.js');
  const { readJson } = d('parsers/shared/json-positions.js');
  const { parseCloudFormation } = d('parsers/cloudformation/index.js');
  const { activateRules, runRules } = d('engine/run.js');
  const { RULES } = d('rules/index.js');
  const { REPORTERS } = d('reporters/index.js');
  const rows = [];
  const findingCount = {};
  // Garbage collection inside the lint phases (read to report), from V8's gc performance entries.
  let gcMs = 0;
  const { PerformanceObserver } = await import('node:perf_hooks');
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const phaseSizes = sizes.filter((n) => n >= 500);
  for (const n of phaseSizes) {
    for (const ext of ['yaml', 'json']) {
      const file = join(OUT, `cfn-${n}.${ext}`);
      const t = { read: [], parse: [], model: [], rules: [], report: [], sarif: [], ref: [], gc: [] };
      const reps = n >= 5000 ? 2 : 3;
      let fastOk = true;
      for (let i = 0; i < reps; i++) {
        globalThis.gc?.();
        await new Promise((r) => setTimeout(r, 0));
        const gc0 = gcMs;
        let t0 = performance.now();
        const { text } = await readText(file);
        t.read.push(performance.now() - t0);
        t0 = performance.now();
        const tree = ext === 'json' ? readJson(text) : readYamlFast(text);
        t.parse.push(performance.now() - t0);
        if (ext === 'yaml' && !tree) fastOk = false;
        if (ext === 'yaml' && i === 0 && n <= 1000) {
          t0 = performance.now();
          readYaml(text);
          t.ref.push(performance.now() - t0);
        }
        t0 = performance.now();
        const input = parseCloudFormation(text, file);
        t.model.push(performance.now() - t0 - t.parse[i]);
        t0 = performance.now();
        const findings = runRules([input], activateRules(RULES));
        t.rules.push(performance.now() - t0);
        t0 = performance.now();
        const result = { findings, errors: input.errors, notices: input.notices, files: [file], rules: RULES.map((r) => r.meta) };
        const ctx = { result, source: () => text, color: false, toolVersion: '0', verbose: false, docsBaseUrl: '' };
        REPORTERS.json(ctx);
        t.report.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 0));
        t.gc.push(gcMs - gc0);
        if (i === 0 && n <= 500) {
          t0 = performance.now();
          REPORTERS.sarif(ctx);
          t.sarif.push(performance.now() - t0);
        }
        if (i === 0) findingCount[`${n}.${ext}`] = findings.length;
      }
      const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? median(v) : NaN]));
      const bytes = sizeOf(file);
      rows.push([
        `${n} ${ext.toUpperCase()}`, fmtMs(m.read), `${fmtMs(m.parse)} (${(bytes / 1e6 / (m.parse / 1000)).toFixed(1)} MB/s)${ext === 'yaml' && !fastOk ? ' FALLBACK' : ''}`,
        fmtMs(m.model), fmtMs(m.rules), String(findingCount[`${n}.${ext}`]), fmtMs(m.report), fmtMs(m.gc), Number.isFinite(m.sarif) ? fmtMs(m.sarif) : '', Number.isFinite(m.ref) ? `${fmtMs(m.ref)} (${(bytes / 1e6 / (m.ref / 1000)).toFixed(1)} MB/s)` : '',
      ]);
    }
  }
  gcObserver.disconnect();
  sections.push({
    title: 'Phases, in process; start-up is the cold-start table (read: fs + decode; parse: positioned tree (fast YAML path / JSON); model: the rest of parseCloudFormation; rules; report: JSON reporter, SARIF reporter at <= 500 groups)',
    body: table(['input', 'read', 'parse', 'model', 'rules', 'findings', 'report (JSON)', 'GC (within the phases)', 'SARIF', 'reference YAML reader (yaml pkg)'], rows),
  });
}

// ------------------------------------------------------------------------------------------------------ warm floor

/**
 * One process that loads the bundle as bin/sg-lint.js does (through its code cache) and runs the CLI's `main` on one
 * file `runs` times, stdout discarded: prints {load, runs} in ms. The first run is what a whole process does after
 * loading; the later runs show the same work with V8's code already compiled and optimised and its heap grown.
 */
const WARM = `
const { performance } = require('perf_hooks');
const [dist, file, runs] = process.argv.slice(1);
const t0 = performance.now();
const loaded = require(dist + '/cli/code-cache.js').loadBundle(dist + '/sg-lint.cjs');
const load = performance.now() - t0;
process.stdout.write = () => true;
(async () => {
  const out = [];
  for (let i = 0; i < Number(runs); i++) {
    const t = performance.now();
    await loaded.exports.main([file, '-f', 'json', '--fail-on', 'none']);
    out.push(performance.now() - t);
  }
  process.stderr.write(JSON.stringify({ load, runs: out }) + '\\n');
})();`;

if (sizes.includes(1000)) {
  // What the whole-process targets leave for a first run: Node's start (bare node, cold-start table) + loading the
  // bundle + the lint of a process whose code is already optimised. Runs 6-10 of each process count as warm.
  const RUNS_PER_PROCESS = 10;
  const rows = [];
  for (const ext of ['yaml', 'json']) {
    const file = join(OUT, `cfn-1000.${ext}`);
    const loads = [];
    const firsts = [];
    const warms = [];
    for (let p = 0; p < Math.min(RUNS, 3); p++) {
      const r = spawnSync(node, ['-e', WARM, DIST, file, String(RUNS_PER_PROCESS)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
      const line = (r.stderr ?? '').trim().split('\n').pop() ?? '';
      let parsed;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`warm-floor child failed on ${file}: ${(r.stderr ?? '').slice(0, 300)}`);
      }
      loads.push(parsed.load);
      firsts.push(parsed.runs[0]);
      warms.push(...parsed.runs.slice(5));
    }
    const limit = ext === 'yaml' ? 400 : 300;
    const load = median(loads);
    const first = median(firsts);
    const warm = median(warms);
    const floor = bareNodeMs + load + warm;
    rows.push([
      `1000 ${ext.toUpperCase()}`, fmtMs(bareNodeMs), fmtMs(load), fmtMs(first), fmtMs(warm), fmtMs(floor), `${limit} ms`,
      fmtMs(limit - floor), fmtMs(first - warm),
    ]);
    console.log(`warm floor 1000 ${ext}: node ${fmtMs(bareNodeMs)} + load ${fmtMs(load)} + warm run ${fmtMs(warm)} = ${fmtMs(floor)} (first run ${fmtMs(first)}; target ${limit} ms)`);
  }
  sections.push({
    title: 'What the 1,000-group targets leave for a first run (in-process runs after loading the bundle; 3 processes, 10 runs each, runs 6-10 count as warm)',
    body:
      table(['input', 'bare node', 'load bundle', 'first run', 'warm run', 'floor: node + load + warm run', 'target', 'left for first-run costs', 'first run minus warm run'], rows) +
      '\n\nA first run in a new process pays what a warmed process has already paid: V8 interpreting, compiling and optimising the ' +
      "code, and its heap growing from its initial size. The floor is the whole process if a first run cost no more than a warm one.",
  });
}

// ------------------------------------------------------------------------------------------------------ monorepo

{
  // One thread (worker threads were measured and removed: docs/performance.md, "No worker threads").
  const cli = measure(node, [BIN, '--fail-on', 'none', '-f', 'json', join(OUT, 'monorepo')], Math.min(RUNS, 3));
  sections.push({
    title: `2,000-file monorepo (${MONOREPO_BYTES()}), whole CLI run on one thread`,
    body: table(['run', 'median', 'peak RSS'], [['`sg-lint -f json monorepo/`', fmtMs(cli.ms), fmtMb(cli.rssMb)]]),
  });
  console.log(`monorepo: CLI ${fmtMs(cli.ms)}, ${fmtMb(cli.rssMb)}`);
}

function MONOREPO_BYTES() {
  const out = execFileSync('du', ['-sb', join(OUT, 'monorepo')], { encoding: 'utf8' });
  return mb(Number(out.split(/\s/)[0]));
}

// ------------------------------------------------------------------------------------------------------ cdk-nag

const SG_NAG_RULES = ['AwsSolutions-EC23', 'AwsSolutions-EC27'];
/**
 * cdk-nag the way its README tells users to run it: an App, the template brought in with CfnInclude, AwsSolutionsChecks
 * added with `Validations.of(app).addPlugins(...)`, then `app.synth()` (bench/cdk-nag-run.cjs). aws-cdk-lib also runs
 * its own built-in CloudFormation template validation on synth unless CDK_VALIDATION=false; that is not cdk-nag and
 * costs 3-4x cdk-nag's own time, so the headline pairs turn it off (the fastest set-up of the peer) and one extra run
 * shows the default for reference. Runs alternate sg-lint / cdk-nag on the same file, and the ratio is taken per pair.
 */
if (WITH_NAG) {
  if (!existsSync(join(CACHE, 'node_modules', 'cdk-nag'))) {
    console.log('installing aws-cdk-lib, constructs and cdk-nag into bench/.cache (first run only)...');
    if (!existsSync(join(CACHE, 'package.json'))) {
      execFileSync('mkdir', ['-p', CACHE]);
      writeFileSync(join(CACHE, 'package.json'), '{"name":"sg-lint-bench-cache","private":true}\n');
    }
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'aws-cdk-lib', 'constructs', 'cdk-nag'], { cwd: CACHE, stdio: 'inherit' });
  }
  const versions = ['aws-cdk-lib', 'constructs', 'cdk-nag'].map((p) => `${p}@${JSON.parse(readFileSync(join(CACHE, 'node_modules', p, 'package.json'), 'utf8')).version}`).join(', ');
  const nagEnv = { ...process.env, NODE_PATH: join(CACHE, 'node_modules'), CDK_VALIDATION: 'false' };
  const defaultEnv = { ...process.env, NODE_PATH: join(CACHE, 'node_modules') };
  delete defaultEnv.CDK_VALIDATION;
  const tmp = mkdtempSync(join(tmpdir(), 'sg-lint-bench-'));
  const rows = [];
  const nagSizes = sizes.filter((n) => n <= 1000 && (!QUICK || n === 100 || n === 1000));
  for (const n of nagSizes) {
    for (const ext of ['yaml', 'json']) {
      const file = join(OUT, `cfn-${n}.${ext}`);
      const resultFile = join(tmp, `${n}.${ext}.json`);
      const pairs = n >= 1000 ? Math.max(3, Math.min(RUNS, 5)) : Math.min(RUNS, 3);
      const oursMs = [];
      const nagMs = [];
      const ratios = [];
      let nagRss = 0;
      for (let i = 0; i < pairs; i++) {
        const a = run(node, [BIN, '--fail-on', 'none', '-f', 'json', file]);
        const b = run(node, [join(BENCH, 'cdk-nag-run.cjs'), file, resultFile], { env: nagEnv });
        oursMs.push(a.ms);
        nagMs.push(b.ms);
        ratios.push(b.ms / a.ms);
        if (b.rssMb > nagRss) nagRss = b.rssMb;
      }
      const ours = e2e[`${n}.${ext}`];
      let sgCount = 0;
      let covered = 'n/a';
      if (existsSync(resultFile)) {
        const { counts, flagged } = JSON.parse(readFileSync(resultFile, 'utf8'));
        sgCount = SG_NAG_RULES.reduce((s, id) => s + (counts[id] ?? 0), 0);
        const nagWorld = new Set(flagged['AwsSolutions-EC23'] ?? []);
        const oursFlagged = new Set((ours?.result.findings ?? []).map((f) => f.securityGroup ?? f.resource));
        covered = `${[...nagWorld].filter((g) => oursFlagged.has(g)).length}/${nagWorld.size}`;
      }
      const ratio = median(ratios);
      let withValidation = '';
      if (n === 1000) {
        const d = run(node, [join(BENCH, 'cdk-nag-run.cjs'), file, join(tmp, 'default.json')], { env: defaultEnv });
        withValidation = fmtMs(d.ms);
        const oursMed = median(oursMs);
        const limit = ext === 'yaml' ? 400 : 300;
        verdict(`1,000 groups ${ext.toUpperCase()}: whole process <= ${limit} ms`, fmtMs(oursMed), oursMed <= limit);
        verdict(`1,000 groups ${ext.toUpperCase()}: >= 12x cdk-nag (median of per-pair ratios)`, fmtX(ratio), ratio >= 12);
      }
      rows.push([
        `${n} ${ext.toUpperCase()}`, String(pairs), fmtMs(median(nagMs)), fmtMb(nagRss), fmtMs(median(oursMs)), fmtX(ratio),
        `${fmtX(Math.min(...ratios))}-${fmtX(Math.max(...ratios))}`, withValidation, String(sgCount), String(ours?.result.findings?.length ?? ''), covered,
      ]);
      console.log(`cdk-nag ${n} ${ext}: ${fmtMs(median(nagMs))} vs sg-lint ${fmtMs(median(oursMs))}: ${fmtX(ratio)} (pairs ${ratios.map((r) => r.toFixed(1)).join(', ')})`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  sections.push({
    title: `cdk-nag (${versions}) on its documented path vs sg-lint, alternating runs (targets at 1,000 groups: >= 12x)`,
    body:
      table(['input', 'pairs', 'cdk-nag', 'cdk-nag peak RSS', 'sg-lint', 'ratio (median of pairs)', 'pair range', 'cdk-nag with aws-cdk-lib validation (1 run)', 'cdk-nag SG findings', 'sg-lint findings', 'EC23 groups sg-lint also flags'], rows) +
      `\n\ncdk-nag: App + CfnInclude + \`Validations.of(app).addPlugins(new AwsSolutionsChecks(app))\` + \`app.synth()\`, with CDK_VALIDATION=false ` +
      '(aws-cdk-lib\'s own CloudFormation validation off; the extra column shows one run with it on, as a default App does). ' +
      `The stack resource limit (500) is lifted with the \`@aws-cdk/core:stackResourceLimit\` context so one template can be read whole. ` +
      `cdk-nag SG findings count ${SG_NAG_RULES.join(', ')}; a cdk-nag run that reports none is not a valid timing.`,
  });
}

// ------------------------------------------------------------------------------------------------------ report

const machine = [
  `- date: ${new Date().toISOString()}`,
  `- machine: ${availableParallelism()} CPUs (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory`,
  `- node ${process.version}, ${process.platform}/${process.arch}; load average at start ${load0.toFixed(2)}, at end ${loadavg()[0].toFixed(2)}`,
  `- ${RUNS} runs per measurement (medians; 5,000 groups fewer; cdk-nag and sg-lint alternate, A B A B), peak RSS from ${TIME ? '`/usr/bin/time -f %M`' : 'n/a'}`,
].join('\n');
const md = [
  '# sg-lint benchmark results',
  '',
  'Generated by `npm run bench` (`node bench/run.mjs`); inputs from `bench/generate.mjs`. See docs/performance.md for',
  'what is measured and why, and for the targets this run is judged against.',
  '',
  machine,
  '',
  '## Targets',
  '',
  table(['target', 'measured', 'verdict'], verdicts),
  '',
  'Why a missed target is missed and what would reach it: see "Analysis" at the end (bench/ANALYSIS.md) and docs/performance.md.',
  '',
  ...sections.flatMap((s) => [`## ${s.title}`, '', s.body, '']),
  ...(existsSync(join(BENCH, 'ANALYSIS.md')) ? [readFileSync(join(BENCH, 'ANALYSIS.md'), 'utf8')] : []),
].join('\n');
writeFileSync(join(BENCH, 'RESULTS.md'), md);
console.log(`\n${sections.map((s) => `${s.title}\n${s.body}`).join('\n\n')}\n\nwritten bench/RESULTS.md`);
