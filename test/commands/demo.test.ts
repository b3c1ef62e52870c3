import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import git from 'isomorphic-git';
import { repoRoot } from '../helpers/paths';

const run = promisify(execFile);

describe('connect-copy demo (binary)', function () {
  this.timeout(120000);
  let parent: string;
  before(() => {
    parent = mkdtempSync(join(tmpdir(), 'connect-copy-demo-test-'));
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('runs the whole job on the emulator and leaves a repository with the snapshots and the copy', async () => {
    const dir = join(parent, 'demo');
    const { stdout } = await run(
      process.execPath,
      [join(repoRoot(), 'bin', 'run.js'), 'demo', '--dir', dir],
      {
        env: { PATH: process.env.PATH, HOME: parent },
      },
    );
    assert.match(stdout, /no difference outside mapping\.json/);
    assert.match(stdout, /git log --all/);

    const branches = (await git.listBranches({ fs, dir })).sort();
    assert.deepEqual(branches, ['env/dev', 'env/prod', 'main']);
    const prodLog = await git.log({ fs, dir, ref: 'env/prod' });
    const subjects = prodLog.map((c) => c.commit.message.split('\n')[0]);
    assert.ok(
      subjects.some((s) => /^copy dev@[0-9a-f]+ to prod$/.test(s)),
      subjects.join(' | '),
    );
    assert.ok(
      subjects.some((s) => /^push prod: 2 created/.test(s)),
      subjects.join(' | '),
    );
    assert.ok(
      subjects.some((s) => /^pull prod/.test(s)),
      subjects.join(' | '),
    );
    const devLog = await git.log({ fs, dir, ref: 'env/dev' });
    assert.ok(devLog.some((c) => c.commit.message.startsWith('pull dev')));
  });

  it('refuses a folder that is not empty', async () => {
    await assert.rejects(
      run(process.execPath, [join(repoRoot(), 'bin', 'run.js'), 'demo', '--dir', repoRoot()], {
        env: { PATH: process.env.PATH, HOME: parent },
      }),
      (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 2);
        assert.match(error.stderr, /is not empty/);
        return true;
      },
    );
  });
});
