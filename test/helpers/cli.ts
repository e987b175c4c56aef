// Runs the CLI in-process with captured output (fast; no build needed).
import { main } from '../../src/cli/main';

/** What one CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sg-lint <argv>` in `cwd` with colors off and returns exit code and output. */
export async function runCli(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    isTTY: false,
    env: { NO_COLOR: '1', ...env },
    cwd,
  });
  return { code, stdout, stderr };
}
