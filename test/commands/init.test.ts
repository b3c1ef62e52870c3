import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as git from 'isomorphic-git';
import { parseConfig } from '../../src/core/config';
import { repoRoot } from '../helpers/paths';
import { useTempDirs } from '../helpers/temp-dir';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built binary, as a user would. */
function run(args: string[]): Promise<Run> {
  const bin = join(repoRoot(), 'bin', 'run.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot() }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const readMain = async (dir: string, filepath: string) => {
  const oid = await git.resolveRef({ fs, dir, ref: 'main' });
  const { blob } = await git.readBlob({ fs, dir, oid, filepath });
  return Buffer.from(blob).toString('utf8');
};

describe('commands: init', () => {
  const tmp = useTempDirs();

  it('creates a repository with the configuration and README committed on main', async () => {
    const dir = join(await tmp.make(), 'snapshots');
    const result = await run(['init', dir, '--json']);
    assert.equal(result.code, 0, result.stderr);

    const output = JSON.parse(result.stdout);
    const head = await git.resolveRef({ fs, dir, ref: 'main' });
    assert.equal(output.commit, head);
    assert.equal(output.branch, 'main');
    assert.deepEqual(output.files, ['README.md', 'connect-copy.json']);
    assert.deepEqual(output.environments, []);

    assert.equal(await git.currentBranch({ fs, dir }), 'main');
    assert.deepEqual(await git.listBranches({ fs, dir }), ['main']);
    assert.deepEqual((await git.listFiles({ fs, dir, ref: 'main' })).sort(), output.files);
    const config = parseConfig(await readMain(dir, 'connect-copy.json'));
    assert.deepEqual(config.environments, {});

    const readme = await readMain(dir, 'README.md');
    assert.doesNotMatch(readme, /\{\{version\}\}/, 'placeholders are rendered');
    assert.match(readme, /\{\{cc:arn:queue:Sales\}\}/, 'token examples are left as they are');
    const { version } = JSON.parse(await readFile(join(repoRoot(), 'package.json'), 'utf8'));
    assert.ok(readme.includes(version));

    // The checkout matches the commit: nothing to commit after init.
    const rows = await git.statusMatrix({ fs, dir });
    assert.deepEqual(
      rows.map(([file, ...state]) => [file, ...state]),
      [
        ['README.md', 1, 1, 1],
        ['connect-copy.json', 1, 1, 1],
      ],
    );
  });

  it('configures the environments given as flags', async () => {
    const dir = await tmp.make();
    const result = await run([
      'init',
      dir,
      '--env',
      'dev=dev-centre',
      '--env',
      'prod=prod-centre',
      '--region',
      'eu-west-2',
      '--profile',
      'admin',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /connect-copy pull dev/, 'human output names the next step');

    const config = parseConfig(await readMain(dir, 'connect-copy.json'));
    assert.deepEqual(Object.keys(config.environments), ['dev', 'prod']);
    assert.equal(config.environments.prod.instance, 'prod-centre');
    assert.equal(config.environments.prod.region, 'eu-west-2');
    assert.equal(config.environments.dev.profile, 'admin');
  });

  it('refuses to initialise twice, with exit code 6', async () => {
    const dir = await tmp.make();
    assert.equal((await run(['init', dir])).code, 0);
    const head = await git.resolveRef({ fs, dir, ref: 'main' });

    const again = await run(['init', dir, '--json']);
    assert.equal(again.code, 6);
    const { error } = JSON.parse(again.stdout);
    assert.equal(error.code, 'ALREADY_INITIALISED');
    assert.equal(error.exitCode, 6);
    assert.equal(await git.resolveRef({ fs, dir, ref: 'main' }), head);

    const human = await run(['init', dir]);
    assert.equal(human.code, 6);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /already a connect-copy snapshot repository/);
  });

  it('adopts an empty repository whose HEAD names another unborn branch', async () => {
    const dir = await tmp.make();
    await git.init({ fs, dir, defaultBranch: 'master' });
    const result = await run(['init', dir, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await git.currentBranch({ fs, dir }), 'main');
    assert.deepEqual(await git.listBranches({ fs, dir }), ['main']);
    assert.ok(fs.existsSync(join(dir, 'connect-copy.json')), 'the checkout shows main');
  });

  it('refuses to overwrite a README already in the directory', async () => {
    const dir = await tmp.make();
    await writeFile(join(dir, 'README.md'), 'mine\n');
    const result = await run(['init', dir, '--json']);
    assert.equal(result.code, 6);
    const { error } = JSON.parse(result.stdout);
    assert.equal(error.code, 'FILES_IN_THE_WAY');
    assert.deepEqual(error.data.paths, ['README.md']);
    assert.equal(await readFile(join(dir, 'README.md'), 'utf8'), 'mine\n');
    assert.equal(fs.existsSync(join(dir, '.git')), false, 'no half-made repository is left');
  });

  it('answers bad flags with exit code 2 and a message naming the flag', async () => {
    const dir = await tmp.make();
    const noRegion = await run(['init', dir, '--env', 'dev=x']);
    assert.equal(noRegion.code, 2);
    assert.match(noRegion.stderr, /--region is required/);

    const badName = await run(['init', dir, '--env', 'Dev=x', '--region', 'us-east-1', '--json']);
    assert.equal(badName.code, 2);
    assert.equal(JSON.parse(badName.stdout).error.code, 'INVALID_ENVIRONMENT_NAME');

    const unknown = await run(['init', dir, '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--bogus/);
    assert.equal(fs.existsSync(join(dir, '.git')), false, 'nothing was created');
  });
});
