// Structure-aware fuzzing of the built CLI's pipeline over a corpus (default ../shared/corpus): every input format
// (CloudFormation YAML and JSON, Terraform plans, .tf.json and .tf, cdk.out assemblies and their manifests) is read,
// mutated by the mutators of scripts/fuzz-mutate.mjs, linted in-process by worker children, and rendered in every
// report format. An input fails when sg-lint throws or reports an internal error, runs past the time bound (a hang),
// uses more memory than the bound, writes invalid JSON/SARIF/XML or raw control characters to text output, or gives
// different output on a second run. Prints the number of inputs tried and a summary; failures are saved for replay.
//
// Usage: node scripts/fuzz-inputs.mjs [--inputs N] [--seed S] [--workers W] [--corpus DIR] [--out DIR] [--timeout MS]
import { fork } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((a) => a.split(/\s+/)),
);
const inputs = Number(args.inputs ?? process.env.SG_LINT_FUZZ_INPUTS ?? 2000);
const seed = Number(args.seed ?? process.env.SG_LINT_FUZZ_SEED ?? Date.now() % 1e9);
const workers = Number(args.workers ?? 1);
const corpusDir = args.corpus ?? join(root, '..', 'shared', 'corpus');
const outDir = args.out ?? join(tmpdir(), `sg-lint-fuzz-${seed}`);
const timeoutMs = Number(args.timeout ?? 10_000);
const heapMb = 1024;

if (!existsSync(join(root, 'dist', 'index.js'))) {
  console.error('fuzz: dist/ is missing; run npm run build first');
  process.exit(2);
}
if (!existsSync(corpusDir)) {
  console.log(`fuzz: corpus ${corpusDir} is absent; structure-aware fuzzing skipped`);
  process.exit(0);
}

/** Corpus entries by format: YAML, JSON (CloudFormation), plans, .tf.json, .tf, cdk.out assemblies. */
function collect(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) {
      if (existsSync(join(path, 'manifest.json'))) {
        out.push({ kind: 'cdk', path });
        out.push({ kind: 'manifest', path: join(path, 'manifest.json') });
        continue;
      }
      collect(path, out);
    } else if (st.size < 2_000_000) {
      if (/\.(ya?ml|template)$/.test(name)) out.push({ kind: 'yaml', path });
      else if (/\.tf$/.test(name)) out.push({ kind: 'hcl', path });
      else if (/\.json$/.test(name) && !/MANIFEST|package/.test(name)) {
        const head = readFileSync(path, 'utf8').slice(0, 4000);
        out.push({ kind: /\.tf\.json$/.test(name) ? 'tf-json' : /"(planned_values|format_version)"/.test(head) ? 'plan' : 'json', path });
      }
    }
  }
  return out;
}

const corpus = collect(corpusDir);
const byKind = {};
for (const c of corpus) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
mkdirSync(join(outDir, 'failures'), { recursive: true });
console.log(`fuzz: ${inputs} inputs, seed ${seed}, ${workers} worker(s), corpus ${relative(process.cwd(), corpusDir) || corpusDir}: ${JSON.stringify(byKind)}`);

const stats = { tried: 0, byKind: {}, byOp: {}, problems: {}, maxMs: 0, maxRssMb: 0, slow: 0 };
const failures = [];
const started = Date.now();

function record(i, kind, message, info, workDir) {
  stats.problems[kind] = (stats.problems[kind] ?? 0) + 1;
  // Hangs, crashes of the worker and memory blow-ups are told apart by input and mutators, other problems by message.
  const what = ['hang', 'crash', 'memory'].includes(kind) && !/please report/.test(message) ? ` ${info?.source ? relative(corpusDir, info.source) : ''} ${info?.ops?.join('+') ?? ''} #${i}` : '';
  const key = `${kind}: ${message.split('\n')[0].replace(/\d+/g, 'N').slice(0, 160)}${what}`;
  const known = failures.find((f) => f.key === key);
  if (known) {
    known.count++;
    return;
  }
  const saved = join(outDir, 'failures', `${failures.length}-${kind}-${i}`);
  try {
    cpSync(join(workDir, 'input'), saved, { recursive: true });
  } catch {
    /* the input may be gone */
  }
  failures.push({ key, kind, message, input: i, source: info?.source, ops: info?.ops, saved, count: 1 });
  console.log(`fuzz: input ${i} (${info?.kind} ${info?.source ? relative(corpusDir, info.source) : ''}, ${info?.ops?.join('+')}): ${kind}: ${message.split('\n')[0]}`);
}

function startWorker(w, from) {
  const workDir = join(outDir, `w${w}`);
  mkdirSync(workDir, { recursive: true });
  const child = fork(join(root, 'scripts', 'fuzz-worker.mjs'), [JSON.stringify({ seed, corpus, work: workDir, index: from, stride: workers })], {
    execArgv: [`--max-old-space-size=${heapMb}`, '--stack-size=984'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const state = { child, current: undefined, since: 0, workDir, done: false, last: from - workers };
  child.on('message', (m) => {
    if (m.type === 'start') {
      if (m.i >= inputs) {
        state.done = true;
        child.kill('SIGKILL');
        return;
      }
      state.current = m;
      state.since = Date.now();
    } else if (m.type === 'done') {
      if (!state.current || state.killedForTime) return;
      stats.tried++;
      state.last = m.i;
      const info = state.current;
      stats.byKind[info.kind] = (stats.byKind[info.kind] ?? 0) + 1;
      for (const op of info.ops) stats.byOp[op] = (stats.byOp[op] ?? 0) + 1;
      stats.maxMs = Math.max(stats.maxMs, m.ms);
      stats.maxRssMb = Math.max(stats.maxRssMb, Math.round(m.rss / 1048576));
      if (m.ms > 2000) stats.slow++;
      for (const [kind, message] of m.problems) record(m.i, kind, message, info, workDir);
      state.current = undefined;
      if (process.env.FUZZ_VERBOSE) console.log('done', m.i, m.ms, info.kind, info.ops.join('+'));
      if (stats.tried % 1000 === 0) console.log(`fuzz: ${stats.tried} inputs tried (${Math.round((Date.now() - started) / 1000)} s), problems ${JSON.stringify(stats.problems)}`);
    }
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (state.done) return finish(w);
    const info = state.current;
    if (info) {
      stats.tried++;
      if (state.killedForTime && info.kind === 'generate') record(info.i, 'generator', 'generating the input took over 60 s (a fuzzer problem, not sg-lint)', info, workDir);
      else if (state.killedForTime) confirmHang(info, workDir);
      else record(info.i, /heap|memory/i.test(stderr) ? 'memory' : 'crash', `worker died (${signal ?? `exit ${code}`}): ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`, info, workDir);
      workersState[w] = startWorker(w, info.i + workers);
    } else workersState[w] = startWorker(w, (state.last ?? w - workers) + workers);
  });
  return state;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined where it cannot be read. */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    // After the command name: state is field 3, utime and stime are fields 14 and 15 (in clock ticks, 100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * A wall-clock timeout on a machine shared with other work is only a suspect: the input is run again alone in a fresh
 * worker, and it is a hang when that run needs more than the bound in CPU time. The CPU time is watched while it runs
 * (on Linux), so a run starved by other work (nice 19 on a loaded machine) is never taken for a hang: it is given up to
 * 60x the bound of wall time and then counted as unconfirmed. Without /proc, no answer within 12x the bound is a hang.
 */
let confirming = 0;
let stopping = false;
const confirmers = new Set();
function confirmHang(info, workDir) {
  confirming++;
  const saved = join(outDir, `confirm-${info.i}`);
  cpSync(join(workDir, 'input'), saved, { recursive: true });
  const child = fork(join(root, 'scripts', 'fuzz-worker.mjs'), [JSON.stringify({ seed, corpus, work: join(outDir, `confirm-w${info.i}`), index: info.i, stride: 1 })], {
    execArgv: [`--max-old-space-size=${heapMb}`, '--stack-size=984'],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, SG_LINT_FUZZ_ONCE: '1' },
  });
  confirmers.add(child);
  let answer;
  let cpuMs;
  let verdict;
  const startedAt = Date.now();
  const watch = setInterval(() => {
    const used = cpuMsOf(child.pid);
    if (used !== undefined) cpuMs = used;
    const wall = Date.now() - startedAt;
    if (cpuMs !== undefined ? cpuMs > timeoutMs : wall > timeoutMs * 12) verdict = 'hang';
    else if (wall > timeoutMs * 60) verdict = 'starved';
    if (verdict) child.kill('SIGKILL');
  }, 250);
  child.on('message', (m) => {
    if (m.type === 'done') answer = m;
  });
  child.on('exit', () => {
    clearInterval(watch);
    confirmers.delete(child);
    if (stopping) return;
    const where = `(${info.kind} ${relative(corpusDir, info.source)}, ${info.ops.join('+')})`;
    if (answer && answer.cpuMs < timeoutMs) {
      stats.slowUnderLoad = (stats.slowUnderLoad ?? 0) + 1;
      stats.slowest = Math.max(stats.slowest ?? 0, answer.cpuMs);
      console.log(`fuzz: input ${info.i} ${where} timed out under load; alone it took ${answer.cpuMs} ms of CPU: not a hang`);
    } else if (verdict === 'starved') {
      stats.unconfirmed = (stats.unconfirmed ?? 0) + 1;
      console.log(`fuzz: input ${info.i} ${where} timed out under load; alone it was starved of CPU (${cpuMs} ms in ${Math.round((Date.now() - startedAt) / 1000)} s of wall time): unconfirmed, saved in ${saved}`);
    } else record(info.i, 'hang', answer ? `${answer.cpuMs} ms of CPU time alone` : cpuMs !== undefined ? `more than ${timeoutMs} ms of CPU time alone` : `no answer within ${timeoutMs * 12} ms alone`, info, join(saved, '..', `confirm-w${info.i}`));
    confirming--;
    if (pendingFinish && confirming === 0) pendingFinish();
  });
}
let pendingFinish;

const workersState = [];
for (let w = 0; w < workers; w++) workersState.push(startWorker(w, w));

const timer = setInterval(() => {
  for (const s of workersState) {
    const bound = s.current?.kind === 'generate' ? 60_000 : timeoutMs;
    if (s.current && Date.now() - s.since > bound && !s.killedForTime) {
      s.killedForTime = true;
      s.child.kill('SIGKILL');
    }
  }
}, 250);

let finished = 0;
// Stopped early (Ctrl-C, a CI time limit): report what was tried so far.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    for (const s of workersState) s.child.kill('SIGKILL');
    for (const c of confirmers) c.kill('SIGKILL');
    confirming = 0;
    finished = workers - 1;
    finish();
  });
}

function finish() {
  if (++finished < workers) return;
  if (confirming > 0) {
    pendingFinish = () => {
      finished = workers - 1;
      pendingFinish = undefined;
      finish();
    };
    return;
  }
  clearInterval(timer);
  const seconds = Math.round((Date.now() - started) / 1000);
  const summary = { inputs: stats.tried, seed, seconds, slowUnderLoad: stats.slowUnderLoad ?? 0, unconfirmed: stats.unconfirmed ?? 0, slowestAloneCpuMs: stats.slowest ?? 0, corpus: byKind, byKind: stats.byKind, mutators: stats.byOp, problems: stats.problems, maxMsPerInput: stats.maxMs, maxRssMb: stats.maxRssMb, inputsOver2s: stats.slow, failures };
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`fuzz: ${stats.tried} inputs tried in ${seconds} s (seed ${seed}); slowest ${stats.maxMs} ms, peak RSS ${stats.maxRssMb} MB; ${stats.slowUnderLoad ?? 0} timed out under load but took under ${timeoutMs} ms of CPU alone (slowest ${stats.slowest ?? 0} ms), ${stats.unconfirmed ?? 0} starved of CPU when run again (unconfirmed)`);
  console.log(`fuzz: by format ${JSON.stringify(stats.byKind)}`);
  console.log(`fuzz: by mutator ${JSON.stringify(stats.byOp)}`);
  console.log(failures.length === 0 ? 'fuzz: no crash, hang, memory blow-up, invalid output or nondeterminism' : `fuzz: ${failures.length} distinct problem(s), inputs saved under ${join(outDir, 'failures')}`);
  for (const f of failures) console.log(`  ${f.count} x ${f.key}  (first: input ${f.input}, ${f.saved})`);
  process.exit(failures.length === 0 ? 0 : 1);
}
