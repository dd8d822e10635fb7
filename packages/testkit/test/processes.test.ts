import { expect } from 'chai';
import { spawnCaptured } from '@oktel/testkit';

describe('testkit spawnCaptured', () => {
  it('collects stdout and stderr and resolves the exit code, even when the process ended before anyone awaited it', async () => {
    const run = spawnCaptured(process.execPath, ['-e', "process.stdout.write('out '); process.stderr.write('err'); process.exitCode = 3"]);
    await new Promise((resolve) => run.child.once('close', resolve));
    expect(await run.exit).to.equal(3);
    expect(run.output()).to.include('out').and.include('err');
  });

  it('settles a little after exit when a process it left behind keeps its output open', async function () {
    this.timeout(15_000);
    // The grandchild inherits stdout and outlives its parent by a minute: 'close' would wait for it.
    const script =
      "const g = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'inherit', 'inherit'] }); console.log('grandchild ' + g.pid); g.unref();";
    const run = spawnCaptured(process.execPath, ['-e', script]);
    try {
      expect(await run.exit).to.equal(0);
    } finally {
      const pid = Number(/grandchild (\d+)/.exec(run.output())?.[1]);
      if (pid > 0) process.kill(pid, 'SIGKILL');
    }
  });

  it('rejects when the command cannot be started', async () => {
    const run = spawnCaptured('/nonexistent/oktel-test-command', []);
    const error = await run.exit.then(
      () => undefined,
      (err: unknown) => err as NodeJS.ErrnoException,
    );
    expect(error?.code).to.equal('ENOENT');
  });

  it('resolves -1 for a process ended by a signal, and lists it for clean-up', async () => {
    const children: import('node:child_process').ChildProcess[] = [];
    const run = spawnCaptured(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { children });
    expect(children).to.deep.equal([run.child]);
    run.child.kill('SIGKILL');
    expect(await run.exit).to.equal(-1);
  });
});
