/**
 * A one-line progress indicator on standard error for scans of many files on a terminal.
 *
 * It never writes to the report stream, stays silent for scans that finish quickly, redraws at most a few times a
 * second, and erases itself when the scan is done so the terminal shows only the report.
 */

/** What the CLI calls while parsing: `update` after each target, `done` once at the end. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

/** The part of a stream the indicator uses (a `NodeJS.WriteStream` has it; tests pass a fake). */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/** Timing knobs, for tests and callers with unusual needs. */
export interface ProgressOptions {
  /** Nothing is drawn before this many milliseconds have passed since the first update (default 300). */
  delayMs?: number;
  /** Minimum milliseconds between two redraws (default 100). */
  intervalMs?: number;
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * Creates a progress indicator writing to `stream` (standard error). When `enabled` is false (standard error is not a
 * terminal, or the user asked for quiet output) every method is a no-op. Otherwise `update` draws
 * "sg-lint: parsing 12/340 files (3%)" in place, no earlier than `delayMs` after the first update and no more often
 * than every `intervalMs`, cut to the terminal width; `done` erases the line if anything was drawn.
 */
export function createProgress(stream: ProgressStream, enabled: boolean, options: ProgressOptions = {}): Progress {
  if (!enabled) return { update: () => undefined, done: () => undefined };
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let startedAt: number | undefined;
  let drawnAt: number | undefined;
  let finished = false;
  return {
    update(done, total) {
      if (finished) return;
      const t = now();
      startedAt ??= t;
      if (t - startedAt < delayMs) return;
      if (drawnAt !== undefined && t - drawnAt < intervalMs) return;
      drawnAt = t;
      stream.write(CLEAR_LINE + fit(progressText(done, total), stream.columns));
    },
    done() {
      if (finished) return;
      finished = true;
      if (drawnAt !== undefined) stream.write(CLEAR_LINE);
    },
  };
}

/** "sg-lint: parsing 12/340 files (3%)". */
export function progressText(done: number, total: number): string {
  const percent = total > 0 ? Math.floor((Math.min(done, total) / total) * 100) : 100;
  return `sg-lint: parsing ${done}/${total} ${total === 1 ? 'file' : 'files'} (${percent}%)`;
}

/** Cuts text to one column less than the terminal width so the cursor never wraps to a new line. */
function fit(text: string, columns: number | undefined): string {
  if (columns === undefined || columns <= 1 || text.length < columns) return text;
  return text.slice(0, columns - 1);
}
