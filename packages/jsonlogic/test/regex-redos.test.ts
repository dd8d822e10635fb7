import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { waitUntil } from '@oktel/testkit';

const child = fileURLToPath(new URL('./fixtures/redos-child.ts', import.meta.url));

/**
 * The attack of issue 9: `(\w|\d)+$` against a 40-character login held a core at 100 % under a
 * backtracking engine, and the process ignored SIGTERM. In a real child process, the rule matches
 * the login and the process then still answers SIGTERM promptly.
 */
describe('jsonlogic regex: linear time under a hostile pattern', () => {
  it('matches (\\w|\\d)+$ against a 40-character login and the process still stops on SIGTERM', async function () {
    this.timeout(20_000);
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal })),
    );
    // The child prints its verdicts, then waits for a signal: the match must be over by then.
    await waitUntil(
      () => out.includes('ready') || proc.exitCode !== null,
      15_000,
      () => `the child to finish matching (output: ${JSON.stringify(out)})`,
      20,
    );
    expect(out).to.include('match=false');
    expect(out).to.include('ready');
    proc.kill('SIGTERM');
    const result = await exited;
    expect(result.code).to.equal(0);
    expect(out).to.include('stopped by SIGTERM');
  });
});
