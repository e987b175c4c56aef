// One fuzzing worker (a child process of scripts/fuzz.mjs): generates the inputs it is told to by index, writes each to
// its work folder, lints it in-process with the built sg-lint, renders every report format, and checks the outcome.
// It tells the parent which input it starts before linting it, so the parent can name the input of a hang or crash.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { mutateHcl, mutateManifest, mutateStructured, rng } from './fuzz-mutate.mjs';

const require = createRequire(import.meta.url);
const { lintRun, format } = require('../dist/index.js');

const FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'gitlab'];
/** Every how many inputs the input is linted a second time and all six reports compared byte for byte. */
const DETERMINISM_EVERY = Number(process.env.SG_LINT_FUZZ_DETERMINISM_EVERY ?? 4);
// Control characters other than newline and tab must never reach a terminal or a CI log raw.
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
const XML_INVALID = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;

const { seed, corpus, work, index: first, stride } = JSON.parse(process.argv[2]);

/** The input of number `i`: a corpus entry, mutated by the mutators of its format, written under `dir`. */
export function generate(i, dir) {
  const r = rng((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0);
  const entry = r.pick(corpus);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (entry.kind === 'cdk') {
    const out = join(dir, 'cdk.out');
    cpSync(entry.path, out, { recursive: true });
    if (r.chance(0.5)) {
      const m = mutateManifest(r, readFileSync(join(out, 'manifest.json'), 'utf8'));
      writeFileSync(join(out, 'manifest.json'), m.text);
      return { path: 'cdk.out', entry, ops: m.ops };
    }
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const templates = Object.values(manifest.artifacts ?? {}).map((a) => a?.properties?.templateFile).filter((t) => typeof t === 'string');
    const t = r.pick(templates);
    if (t === undefined) return { path: 'cdk.out', entry, ops: ['none'] };
    const m = mutateStructured(r, readFileSync(join(out, t), 'utf8'), true);
    if (m) writeFileSync(join(out, t), m.text);
    return { path: 'cdk.out', entry, ops: m?.ops ?? ['none'] };
  }
  const text = readFileSync(entry.path, 'utf8');
  const m = entry.kind === 'hcl' ? mutateHcl(r, text) : entry.kind === 'manifest' ? mutateManifest(r, text) : mutateStructured(r, text, entry.kind !== 'yaml');
  const name = basename(entry.path);
  writeFileSync(join(dir, name), m ? m.text : text);
  return { path: name, entry, ops: m?.ops ?? ['unparsed'] };
}

async function check(path, dir, twice) {
  const problems = [];
  const once = async () => {
    const run = await lintRun([path], { cwd: dir, config: false });
    const out = {};
    for (const f of FORMATS) out[f] = format(run.result, f, run.sources);
    return { run, out };
  };
  const a = await once();
  for (const e of a.run.result.errors) if (/please report this|internal error/i.test(e.message)) problems.push(['crash', e.message]);
  for (const f of ['json', 'sarif', 'gitlab']) {
    try {
      JSON.parse(a.out[f]);
    } catch (e) {
      problems.push(['invalid-output', `${f}: ${e.message}`]);
    }
  }
  if (XML_INVALID.test(a.out.junit)) problems.push(['invalid-output', 'junit: a character XML 1.0 does not allow']);
  for (const f of ['text', 'github']) if (RAW_CONTROL.test(a.out[f])) problems.push(['terminal-injection', `${f}: raw control character ${JSON.stringify(RAW_CONTROL.exec(a.out[f])[0])}`]);
  if (twice) {
    const b = await once();
    for (const f of FORMATS) if (a.out[f] !== b.out[f]) problems.push(['nondeterministic', `${f} differs between two runs`]);
  }
  return problems;
}

for (let i = first; ; i += stride) {
  const dir = join(work, 'input');
  let made;
  process.send({ type: 'start', i, path: '(being generated)', source: '', kind: 'generate', ops: [] });
  try {
    made = generate(i, dir);
  } catch (e) {
    process.send({ type: 'done', i, ms: 0, rss: process.memoryUsage().rss, problems: [['generator', String(e?.stack ?? e)]] });
    continue;
  }
  process.send({ type: 'start', i, path: made.path, source: made.entry.path, kind: made.entry.kind, ops: made.ops });
  const started = Date.now();
  const cpu = process.cpuUsage();
  let problems;
  try {
    problems = await check(made.path, dir, i % DETERMINISM_EVERY === 0);
  } catch (e) {
    problems = [['crash', `${e?.constructor?.name}: ${e?.message}\n${String(e?.stack ?? '').split('\n').slice(1, 6).join('\n')}`]];
  }
  const rss = process.memoryUsage().rss;
  if (rss > 1024 * 1024 * 1024) problems.push(['memory', `rss ${Math.round(rss / 1048576)} MB`]);
  const used = process.cpuUsage(cpu);
  const done = { type: 'done', i, ms: Date.now() - started, cpuMs: Math.round((used.user + used.system) / 1000), rss, problems };
  if (process.env.SG_LINT_FUZZ_ONCE) {
    process.send(done, () => process.exit(0));
    break;
  }
  process.send(done);
}
