/**
 * Parsing many inputs on several cores. A monorepo scan reads and parses thousands of templates; parsing is CPU
 * work, so worker threads share it. Everything after parsing (configuration, rules, suppressions, baselines) stays on
 * the main thread, so results cannot depend on the thread count: `parseTargetsParallel` returns exactly what
 * `parseTargets` returns for the same targets, in the same order.
 *
 * Workers pull batches of targets from a queue (so a slow file does not hold up a whole share), the main thread parses
 * batches too while it waits, and targets of one folder stay in one batch (Terraform parses a folder as one module).
 * This module is also the worker's entry point.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Target } from '../parsers/discover';
import type { ParsedInput } from '../model/types';
import type { ParsedTargets, ParseTargetsOptions } from '../parsers';
import { parseTargets } from '../parsers';

/** Below these sizes a run stays on one thread: starting a worker and loading sg-lint in it costs ~0.2-0.4 s. */
export const PARALLEL_MIN_FILES = 200;

/** Targets per batch handed to a thread. */
const BATCH_FILES = 40;

/** Options of a parallel parse: those of `parseTargets` (minus the callback-only ones workers cannot share) plus threads. */
export interface ParallelParseOptions extends Omit<ParseTargetsOptions, 'onProgress'> {
  /** Threads to use, the main thread included; default: the cores available (at most 8). */
  threads?: number;
  /** Files per batch (default 40). */
  batchFiles?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Whether a run is worth spreading over threads: enough file targets and more than one core. Standard input and
 * cdk.out folders never go to workers.
 */
export function shouldParallelize(targets: readonly Target[], cores = availableParallelism()): boolean {
  return cores > 1 && targets.filter((t) => t.kind === 'file').length >= PARALLEL_MIN_FILES;
}

/**
 * Splits targets into batches: file targets grouped by folder (a folder is never split), at most about
 * `batchFiles` files per batch; stdin and cdk.out targets each in a batch of their own, kept for the main thread.
 */
export function partitionTargets(targets: readonly Target[], batchFiles = BATCH_FILES): { batches: Target[][]; local: Target[][] } {
  const byDir = new Map<string, Target[]>();
  const local: Target[][] = [];
  for (const t of targets) {
    if (t.kind !== 'file') {
      local.push([t]);
      continue;
    }
    const dir = dirname(t.path);
    const list = byDir.get(dir);
    if (list) list.push(t);
    else byDir.set(dir, [t]);
  }
  const batches: Target[][] = [];
  let current: Target[] = [];
  for (const group of byDir.values()) {
    if (current.length > 0 && current.length + group.length > batchFiles) {
      batches.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) batches.push(current);
  return { batches, local };
}

/**
 * Merges per-batch results into the order `parseTargets` produces for all targets at once: inputs of CloudFormation,
 * plans and cdk.out in target order, then Terraform JSON modules by folder, then HCL modules by folder.
 */
export function mergeParsed(targets: readonly Target[], parts: readonly ParsedTargets[]): ParsedTargets {
  const order = new Map<string, number>();
  targets.forEach((t, i) => order.set(t.kind === 'file' ? t.path : t.kind === 'cdk' ? t.dir : (t.name ?? '<stdin>'), i));
  const rank = (input: ParsedInput): number => order.get(input.file) ?? findCdkRank(input.file, targets, order);
  const plain: ParsedInput[] = [];
  const tfJson: ParsedInput[] = [];
  const hcl: ParsedInput[] = [];
  const out: ParsedTargets = { inputs: [], errors: [], notices: [], sources: new Map() };
  for (const part of parts) {
    for (const input of part.inputs) {
      if (input.format === 'terraform-json') tfJson.push(input);
      else if (input.format === 'terraform-hcl') hcl.push(input);
      else plain.push(input);
    }
    out.errors.push(...part.errors);
    out.notices.push(...part.notices);
    for (const [file, text] of part.sources) out.sources.set(file, text);
  }
  const byDir = (a: ParsedInput, b: ParsedInput): number => compare(dirname(a.file), dirname(b.file));
  out.inputs = [...stableSort(plain, (a, b) => rank(a) - rank(b)), ...stableSort(tfJson, byDir), ...stableSort(hcl, byDir)];
  return out;
}

function findCdkRank(file: string, targets: readonly Target[], order: ReadonlyMap<string, number>): number {
  for (const t of targets) if (t.kind === 'cdk' && file.startsWith(t.dir)) return order.get(t.dir) ?? Number.MAX_SAFE_INTEGER;
  return Number.MAX_SAFE_INTEGER;
}

function stableSort<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => cmp(a.item, b.item) || a.i - b.i)
    .map((x) => x.item);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where the compiled worker entry is (this file, compiled); absent when running from TypeScript sources. */
function workerEntry(): string | undefined {
  const file = join(__dirname, 'parallel.js');
  return existsSync(file) ? file : undefined;
}

interface WorkerInit {
  sgLintParallelWorker: true;
  options: Omit<ParseTargetsOptions, 'onProgress'>;
}

type ToWorker = { type: 'batch'; id: number; targets: Target[] } | { type: 'stop' };
type FromWorker =
  | { type: 'ready' }
  | { type: 'progress' }
  | { type: 'result'; id: number; parsed: { inputs: ParsedInput[]; errors: ParsedTargets['errors']; notices: ParsedTargets['notices']; sources: [string, string][] } };

/**
 * Parses targets on up to `threads` threads (the main thread included) and returns what `parseTargets` would.
 * Falls back to a single thread when only one is available or the worker entry is not compiled (tests from sources).
 */
export async function parseTargetsParallel(targets: readonly Target[], options: ParallelParseOptions = {}): Promise<ParsedTargets> {
  const { threads: requested, onProgress, batchFiles, ...shared } = options;
  const threads = Math.max(1, Math.min(requested ?? availableParallelism(), 8));
  const entry = workerEntry();
  if (threads < 2 || !entry) return parseTargets(targets, options);
  const { batches, local } = partitionTargets(targets, batchFiles);
  const total = targets.length;
  let done = 0;
  const progress = (n = 1): void => {
    done += n;
    onProgress?.(done, total);
  };
  const results: ParsedTargets[] = [];
  let next = 0;
  const take = (): Target[] | undefined => batches[next++];

  const workers = Array.from({ length: Math.min(threads - 1, Math.max(0, batches.length - 1)) }, () => runWorker(entry, shared, take, results, progress));
  // The main thread works too: first what only it can do (stdin, cdk.out), then batches from the same queue.
  for (const batch of local) results.push(await parseTargets(batch, { ...shared, onProgress: () => progress() }));
  for (let batch = take(); batch; batch = take()) results.push(await parseTargets(batch, { ...shared, onProgress: () => progress() }));
  await Promise.all(workers);
  return mergeParsed(targets, results);
}

/** Runs one worker until the queue is empty; resolves when it has stopped. */
function runWorker(
  entry: string,
  options: Omit<ParseTargetsOptions, 'onProgress'>,
  take: () => Target[] | undefined,
  results: ParsedTargets[],
  progress: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const init: WorkerInit = { sgLintParallelWorker: true, options };
    const worker = new Worker(entry, { workerData: init });
    const send = (): void => {
      const batch = take();
      const msg: ToWorker = batch ? { type: 'batch', id: 0, targets: batch } : { type: 'stop' };
      worker.postMessage(msg);
    };
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'progress') progress();
      else if (msg.type === 'ready') send();
      else {
        const p = msg.parsed;
        results.push({ inputs: p.inputs, errors: p.errors, notices: p.notices, sources: new Map(p.sources) });
        send();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`parser worker exited with code ${code}`))));
  });
}

/** The worker side: parse each batch received and send the result back. */
function serveWorker(init: WorkerInit): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    void parseTargets(msg.targets, { ...init.options, onProgress: () => port.postMessage({ type: 'progress' } satisfies FromWorker) }).then((parsed) => {
      const reply: FromWorker = {
        type: 'result',
        id: msg.id,
        parsed: { inputs: parsed.inputs, errors: parsed.errors, notices: parsed.notices, sources: [...parsed.sources] },
      };
      port.postMessage(reply);
    });
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread && (workerData as Partial<WorkerInit> | null)?.sgLintParallelWorker) serveWorker(workerData as WorkerInit);
