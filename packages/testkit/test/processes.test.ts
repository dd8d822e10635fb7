import { expect } from 'chai';
import { spawnCaptured } from '@oktel/testkit';

describe('testkit spawnCaptured', () => {
  it('collects stdout and stderr and resolves the exit code, even when the process ended before anyone awaited it', async () => {
    const run = spawnCaptured(process.execPath, ['-e', "process.stdout.write('out '); process.stderr.write('err'); process.exitCode = 3"]);
    await new Promise((resolve) => run.child.once('close', resolve));
    expect(await run.exit).to.equal(3);
    expect(run.output()).to.include('out').and.include('err');
  });

  it('resolves -1 for a process ended by a signal, and lists it for clean-up', async () => {
    const children: import('node:child_process').ChildProcess[] = [];
    const run = spawnCaptured(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { children });
    expect(children).to.deep.equal([run.child]);
    run.child.kill('SIGKILL');
    expect(await run.exit).to.equal(-1);
  });
});
