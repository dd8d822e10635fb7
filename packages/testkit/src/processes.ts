import { spawn, type ChildProcess } from 'node:child_process';

/** A child process whose output is collected as it runs. */
export interface CapturedProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /**
   * Its exit code, or -1 when a signal ended it; rejects if it could not be started. Listened for
   * from the spawn on, so a process that exits before a test gets round to awaiting it is never
   * missed, and settled once its output is read to the end (see `spawnCaptured`).
   */
  readonly exit: Promise<number>;
}

/**
 * Spawns `command` with its output captured (stdin closed). `children` collects it for an
 * `afterEach` that kills whatever a failed test left running.
 */
export function spawnCaptured(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; detached?: boolean; children?: ChildProcess[] } = {},
): CapturedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: options.detached, stdio: ['ignore', 'pipe', 'pipe'] });
  options.children?.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    // 'exit' can come before the last of its output is read: settle on 'close', when stdout and
    // stderr are done, unless a grandchild it left behind holds them open.
    child.once('exit', (code) => setTimeout(() => resolve(code ?? -1), 2000).unref());
    child.once('close', (code) => resolve(code ?? -1));
  });
  // A failed spawn fails the test that awaits `exit`; it must not also surface as an unhandled rejection.
  exit.catch(() => undefined);
  return { child, output: () => output, exit };
}
