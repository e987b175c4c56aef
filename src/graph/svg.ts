/**
 * SVG rendering of the security-group graph with Graphviz compiled to WebAssembly (@viz-js/viz), loaded on first use
 * only: the lint path never pays for it.
 */
import type { Viz } from '@viz-js/viz' with { 'resolution-mode': 'require' };
import { requireOptional } from '../engine/optional';
import { renderDot } from './dot';
import type { SgGraph } from './types';

let vizInstance: Promise<Viz> | undefined;

/** Loads Graphviz once per process. */
function loadViz(): Promise<Viz> {
  if (vizInstance === undefined) {
    // The package ships a CommonJS build (its "require" export) next to the ES module; loading that one keeps this
    // module plain CommonJS like the rest of sg-lint (a dynamic import() would need Node's ESM loader hooks, which
    // Jest's module system lacks).
    // An optional peer dependency: a clear message when it is not installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const viz = requireOptional<{ instance(): Promise<Viz> }>('@viz-js/viz', () => require('@viz-js/viz'));
    vizInstance = viz.instance();
  }
  return vizInstance;
}

/**
 * Renders the graph as a standalone SVG document (the DOT rendering laid out by Graphviz `dot`).
 * Rejects with the Graphviz message when layout fails.
 */
export async function renderSvg(graph: SgGraph): Promise<string> {
  return dotToSvg(renderDot(graph));
}

/** Lays out DOT source with Graphviz and returns the SVG document. */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await loadViz();
  const result = viz.render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message.trim()).join('; ');
    throw new Error(`Graphviz could not lay out the graph: ${messages || 'unknown error'}`);
  }
  return result.output;
}
