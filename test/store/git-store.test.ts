import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as git from 'isomorphic-git';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { defaultConfig, defaultEnvironment, formatConfig } from '../../src/core/config';
import { DEFAULT_IDENTITY, SnapshotStore } from '../../src/store/git-store';
import { useTempDirs } from '../helpers/temp-dir';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries));

/** What `git status` would say, as rows of [path, head, workdir, stage]. */
const status = (dir: string) => git.statusMatrix({ fs, dir });

const branchHead = (dir: string, branch: string) =>
  git.resolveRef({ fs, dir, ref: `refs/heads/${branch}` });

function rejectsWith(code: string, exitCode?: number) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectCopyError, `expected a ConnectCopyError, got ${error}`);
    assert.equal(error.code, code);
    if (exitCode !== undefined) assert.equal(error.exitCode, exitCode);
    return true;
  };
}

describe('store: SnapshotStore', () => {
  const tmp = useTempDirs();

  /** A repository after `init`: main checked out with a committed README and config. */
  async function initialised(): Promise<{ dir: string; store: SnapshotStore }> {
    const dir = await tmp.make();
    const store = await SnapshotStore.init(dir);
    await store.commitFiles(
      'main',
      files({ 'README.md': '# hello\n', 'connect-copy.json': formatConfig(defaultConfig()) }),
      'init',
    );
    return { dir, store };
  }

  describe('init and open', () => {
    it('creates a repository whose HEAD is main', async () => {
      const dir = await tmp.make();
      const store = await SnapshotStore.init(join(dir, 'repo'));
      assert.equal(await git.currentBranch({ fs, dir: join(dir, 'repo') }), 'main');
      assert.equal(await store.checkedOutBranch(), 'main');
      assert.equal(await store.branchExists('main'), false, 'main is unborn until a commit');
    });

    it('opens the repository from a sub-directory', async () => {
      const { dir } = await initialised();
      await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
      const store = await SnapshotStore.open(join(dir, 'sub', 'deeper'));
      assert.equal(fs.realpathSync(store.dir), fs.realpathSync(dir));
      assert.equal(await store.branchExists('main'), true);
    });

    it('says to run init outside a repository', async () => {
      const dir = await tmp.make();
      await assert.rejects(SnapshotStore.open(dir), (error: unknown) => {
        rejectsWith('NOT_A_REPOSITORY', ExitCode.repositoryState)(error);
        assert.ok((error as ConnectCopyError).suggestions.includes('connect-copy init'));
        return true;
      });
      await assert.rejects(
        new SnapshotStore(dir).branchExists('main'),
        rejectsWith('NOT_A_REPOSITORY'),
      );
    });
  });

  describe('commitFiles', () => {
    it('creates an orphan env branch without touching HEAD, index or working tree', async () => {
      const { dir, store } = await initialised();
      await writeFile(join(dir, 'README.md'), '# local edit\n');
      await writeFile(join(dir, 'scratch.txt'), 'untracked\n');
      const mainBefore = await branchHead(dir, 'main');
      const statusBefore = await status(dir);
      const indexBefore = await readFile(join(dir, '.git', 'index'));

      const sha = await store.commitFiles(
        'env/dev',
        files({ 'mapping.json': '{}\n', 'flows/Main.json': '{"Name":"Main"}\n' }),
        'Pull dev',
      );

      assert.ok(sha);
      assert.equal(await branchHead(dir, 'env/dev'), sha);
      const { commit } = await git.readCommit({ fs, dir, oid: sha });
      assert.deepEqual(commit.parent, [], 'an environment branch shares no history with main');
      assert.equal(commit.message, 'Pull dev\n');
      assert.equal(await git.currentBranch({ fs, dir }), 'main');
      assert.equal(await branchHead(dir, 'main'), mainBefore);
      assert.deepEqual(await status(dir), statusBefore);
      assert.deepEqual(await readFile(join(dir, '.git', 'index')), indexBefore);
      assert.equal(await readFile(join(dir, 'README.md'), 'utf8'), '# local edit\n');
      assert.equal(fs.existsSync(join(dir, 'mapping.json')), false);
      assert.equal(fs.existsSync(join(dir, 'flows')), false);
    });

    it('stores exactly the given files, nested, and reads them back', async () => {
      const { store } = await initialised();
      const given = files({
        'mapping.json': '{"version":1}\n',
        'flows/Main IVR.json': '{ "Name": "Main IVR" }\n',
        'flows/Caf\u00e9 %2F.json': '{ "Name": "Caf\u00e9 /" }\n',
        'queues/Sales.json': '{}\n',
        'a/b/c/deep.json': 'deep\n',
      });
      const sha = await store.commitFiles('env/dev', given, 'Pull dev');
      const read = await store.readBranchFiles('env/dev');
      assert.deepEqual(read, given);
      assert.deepEqual(await store.readBranchFiles(sha!), given);
      assert.deepEqual([...read.keys()], [...given.keys()].sort());
      assert.equal(await store.readFile('env/dev', 'a/b/c/deep.json'), 'deep\n');
      assert.equal(await store.readFile('env/dev', 'missing.json'), undefined);
    });

    it('makes no commit when the tree is unchanged', async () => {
      const { dir, store } = await initialised();
      const given = files({ 'mapping.json': '{}\n', 'flows/A.json': 'a\n' });
      const first = await store.commitFiles('env/dev', given, 'first');
      const again = await store.commitFiles('env/dev', new Map(given), 'again');
      assert.equal(again, undefined);
      assert.equal(await branchHead(dir, 'env/dev'), first);
      assert.equal((await store.log('env/dev')).length, 1);

      const keep = await store.commitFiles('env/dev', files({ 'flows/A.json': 'a\n' }), 'keep', {
        base: 'keep',
      });
      assert.equal(keep, undefined, 'keeping everything and rewriting equal content is no change');
      assert.equal(await branchHead(dir, 'env/dev'), first);
    });

    it('makes no commit for an empty orphan branch', async () => {
      const { store } = await initialised();
      assert.equal(await store.commitFiles('env/empty', new Map(), 'nothing'), undefined);
      assert.equal(await store.branchExists('env/empty'), false);
    });

    it('replaces the whole tree by default and keeps other files with base: keep', async () => {
      const { store } = await initialised();
      await store.commitFiles(
        'env/prod',
        files({ 'mapping.json': 'm1\n', 'flows/A.json': 'a\n', 'queues/Q.json': 'q\n' }),
        'pull',
      );

      const kept = await store.commitFiles(
        'env/prod',
        files({ 'flows/A.json': 'a2\n', 'flows/B.json': 'b\n' }),
        'copy',
        { base: 'keep' },
      );
      assert.ok(kept);
      assert.deepEqual(
        await store.readBranchFiles('env/prod'),
        files({
          'flows/A.json': 'a2\n',
          'flows/B.json': 'b\n',
          'mapping.json': 'm1\n',
          'queues/Q.json': 'q\n',
        }),
      );

      await store.commitFiles('env/prod', files({ 'mapping.json': 'm2\n' }), 'keep and drop', {
        base: 'keep',
        remove: ['queues/Q.json'],
      });
      assert.deepEqual(
        [...(await store.readBranchFiles('env/prod')).keys()],
        ['flows/A.json', 'flows/B.json', 'mapping.json'],
      );

      await store.commitFiles('env/prod', files({ 'mapping.json': 'm3\n' }), 'replace');
      assert.deepEqual(await store.readBranchFiles('env/prod'), files({ 'mapping.json': 'm3\n' }));
      const history = await store.log('env/prod');
      assert.deepEqual(
        history.map((entry) => entry.message.trim()),
        ['replace', 'keep and drop', 'copy', 'pull'],
      );
      assert.deepEqual(history[0].parents, [history[1].sha]);
    });

    it('builds on an explicit parent', async () => {
      const { store } = await initialised();
      const first = await store.commitFiles('env/dev', files({ 'a.json': '1\n' }), 'one');
      await store.commitFiles('env/dev', files({ 'a.json': '2\n' }), 'two');
      const third = await store.commitFiles('env/dev', files({ 'b.json': '3\n' }), 'three', {
        parent: first,
        base: 'keep',
      });
      const [head] = await store.log('env/dev', 1);
      assert.equal(head.sha, third);
      assert.deepEqual(head.parents, [first]);
      assert.deepEqual(
        await store.readBranchFiles('env/dev'),
        files({ 'a.json': '1\n', 'b.json': '3\n' }),
      );
    });

    it('resolves ancestry as git writes it: env/dev~2, sha^, ^2 of a merge', async () => {
      const { dir, store } = await initialised();
      const one = (await store.commitFiles('env/dev', files({ 'a.json': '1\n' }), 'one'))!;
      const two = (await store.commitFiles('env/dev', files({ 'a.json': '2\n' }), 'two'))!;
      const three = (await store.commitFiles('env/dev', files({ 'a.json': '3\n' }), 'three'))!;
      assert.equal(await store.resolveRef('env/dev~0'), three);
      assert.equal(await store.resolveRef('env/dev~1'), two);
      assert.equal(await store.resolveRef('env/dev~2'), one);
      assert.equal(await store.resolveRef('env/dev^^'), one);
      assert.equal(await store.resolveRef(`${three.slice(0, 8)}~1^`), one);
      assert.equal(await store.resolveRef(`${two}^0`), two);

      // A merge commit: ^2 is the side branch.
      const side = (await store.commitFiles('env/side', files({ 'b.json': '1\n' }), 'side'))!;
      const { commit } = await git.readCommit({ fs, dir, oid: three });
      const merge = await git.writeCommit({
        fs,
        dir,
        commit: { ...commit, parent: [three, side], message: 'merge\n' },
      });
      assert.equal(await store.resolveRef(`${merge}^2`), side);
      assert.equal(await store.resolveRef(`${merge}^1~2`), one);

      await assert.rejects(store.resolveRef('env/dev~3'), (error: unknown) => {
        rejectsWith('REF_NOT_FOUND', ExitCode.repositoryState)(error);
        assert.match((error as Error).message, /"env\/dev~3" goes back further than history/);
        return true;
      });
      await assert.rejects(store.resolveRef(`${merge}^3`), rejectsWith('REF_NOT_FOUND'));
      await assert.rejects(store.resolveRef('env/nope~1'), rejectsWith('BRANCH_NOT_FOUND'));
    });

    it('signs as connect-copy by default, with one timestamp for author and committer', async () => {
      const { store } = await initialised();
      const date = new Date('2026-01-02T03:04:05Z');
      await store.commitFiles('env/dev', files({ 'a.json': '1\n' }), 'one', { date });
      await store.commitFiles('env/dev', files({ 'a.json': '2\n' }), 'two', {
        author: { name: 'Ada', email: 'ada@example.com' },
      });
      const [two, one] = await store.log('env/dev');
      assert.equal(one.author.name, DEFAULT_IDENTITY.name);
      assert.equal(one.author.email, DEFAULT_IDENTITY.email);
      assert.equal(one.author.date.getTime(), date.getTime());
      assert.equal(one.committer.date.getTime(), date.getTime());
      assert.equal(two.author.name, 'Ada');
      assert.equal(two.committer.date.getTime(), two.author.date.getTime());
    });

    it('rejects paths that are unsafe or clash with a folder', async () => {
      const { store } = await initialised();
      for (const bad of ['../x.json', 'a//b.json', '/abs.json', '.git/config', 'a/./b', 'a\\b']) {
        await assert.rejects(
          store.commitFiles('env/dev', files({ [bad]: 'x' }), 'bad'),
          rejectsWith('INVALID_PATH'),
          bad,
        );
      }
      await assert.rejects(
        store.commitFiles('env/dev', files({ flows: 'x', 'flows/A.json': 'a' }), 'clash'),
        rejectsWith('INVALID_PATH'),
      );
      await assert.rejects(
        store.commitFiles('../main', files({ 'a.json': 'x' }), 'bad branch'),
        rejectsWith('INVALID_BRANCH'),
      );
      assert.equal(await store.branchExists('env/dev'), false);
    });
  });

  describe('a checked-out branch', () => {
    /** main plus env/dev checked out, clean, with a nested folder. */
    async function devCheckedOut() {
      const { dir, store } = await initialised();
      await store.commitFiles(
        'env/dev',
        files({
          'mapping.json': 'm1\n',
          'flows/A.json': 'a1\n',
          'flows/B.json': 'b1\n',
          'queues/Q.json': 'q1\n',
        }),
        'pull',
      );
      await git.checkout({ fs, dir, ref: 'env/dev' });
      return { dir, store };
    }

    it('updates a clean checkout to the new commit', async () => {
      const { dir, store } = await devCheckedOut();
      assert.equal(await store.checkedOutBranch(), 'env/dev');
      assert.equal(await store.hasUncommittedChanges(), false);

      await store.commitFiles(
        'env/dev',
        files({ 'mapping.json': 'm1\n', 'flows/A.json': 'a2\n', 'hours/H.json': 'h\n' }),
        'pull again',
      );

      assert.equal(await readFile(join(dir, 'flows', 'A.json'), 'utf8'), 'a2\n');
      assert.equal(await readFile(join(dir, 'hours', 'H.json'), 'utf8'), 'h\n');
      assert.equal(fs.existsSync(join(dir, 'flows', 'B.json')), false);
      assert.equal(fs.existsSync(join(dir, 'queues')), false, 'emptied folders are removed');
      assert.equal(await store.hasUncommittedChanges(), false);
      assert.ok((await status(dir)).every(([, h, w, s]) => h === 1 && w === 1 && s === 1));
    });

    it('updates the checkout from its head when the commit builds on another parent', async () => {
      const { dir, store } = await devCheckedOut();
      const [first] = await store.log('env/dev');
      await store.commitFiles('env/dev', files({ 'flows/A.json': 'a2\n' }), 'two', {
        base: 'keep',
      });
      await store.commitFiles('env/dev', files({ 'flows/C.json': 'c\n' }), 'three', {
        base: 'keep',
        parent: first.sha,
      });
      assert.equal(await readFile(join(dir, 'flows', 'A.json'), 'utf8'), 'a1\n');
      assert.equal(await readFile(join(dir, 'flows', 'C.json'), 'utf8'), 'c\n');
      assert.equal(await store.hasUncommittedChanges(), false);
    });

    it('refuses when a file it would change has uncommitted edits, and changes nothing', async () => {
      const { dir, store } = await devCheckedOut();
      const before = await branchHead(dir, 'env/dev');
      await writeFile(join(dir, 'flows', 'A.json'), 'my edit\n');

      await assert.rejects(
        store.commitFiles(
          'env/dev',
          files({ 'mapping.json': 'm1\n', 'flows/A.json': 'a2\n', 'flows/B.json': 'b1\n' }),
          'pull',
          { base: 'replace' },
        ),
        (error: unknown) => {
          rejectsWith('UNCOMMITTED_CHANGES', ExitCode.repositoryState)(error);
          assert.deepEqual((error as ConnectCopyError).data.paths, ['flows/A.json']);
          return true;
        },
      );
      assert.equal(await branchHead(dir, 'env/dev'), before);
      assert.equal(await readFile(join(dir, 'flows', 'A.json'), 'utf8'), 'my edit\n');
    });

    it('refuses when a staged deletion or an untracked file is in the way', async () => {
      const { dir, store } = await devCheckedOut();
      await git.remove({ fs, dir, filepath: 'queues/Q.json' });
      await assert.rejects(
        store.commitFiles('env/dev', files({ 'queues/Q.json': 'q2\n' }), 'copy', { base: 'keep' }),
        rejectsWith('UNCOMMITTED_CHANGES'),
      );

      await mkdir(join(dir, 'hours'));
      await writeFile(join(dir, 'hours', 'H.json'), 'mine\n');
      await assert.rejects(
        store.commitFiles('env/dev', files({ 'hours/H.json': 'theirs\n' }), 'copy', {
          base: 'keep',
        }),
        rejectsWith('UNCOMMITTED_CHANGES'),
      );
      assert.equal(await readFile(join(dir, 'hours', 'H.json'), 'utf8'), 'mine\n');
    });

    it('commits when the edits are to files it does not change, and keeps them', async () => {
      const { dir, store } = await devCheckedOut();
      await writeFile(join(dir, 'queues', 'Q.json'), 'my edit\n');
      const sha = await store.commitFiles('env/dev', files({ 'flows/A.json': 'a2\n' }), 'copy', {
        base: 'keep',
      });
      assert.ok(sha);
      assert.equal(await readFile(join(dir, 'flows', 'A.json'), 'utf8'), 'a2\n');
      assert.equal(await readFile(join(dir, 'queues', 'Q.json'), 'utf8'), 'my edit\n');
      assert.deepEqual(await store.uncommittedPaths(), ['queues/Q.json']);
    });

    it('reports uncommitted changes: edits, staged files, deletions; untracked when named', async () => {
      const { dir, store } = await devCheckedOut();
      await writeFile(join(dir, 'scratch.txt'), 'untracked\n');
      assert.equal(await store.hasUncommittedChanges(), false, 'untracked files alone are fine');
      assert.equal(await store.hasUncommittedChanges(['scratch.txt']), true);

      await writeFile(join(dir, 'flows', 'A.json'), 'edit\n');
      await writeFile(join(dir, 'flows', 'B.json'), 'staged\n');
      await git.add({ fs, dir, filepath: 'flows/B.json' });
      await rm(join(dir, 'mapping.json'));
      assert.deepEqual(await store.uncommittedPaths(), [
        'flows/A.json',
        'flows/B.json',
        'mapping.json',
      ]);
      assert.deepEqual(await store.uncommittedPaths(['queues/Q.json']), []);
      assert.deepEqual(await store.uncommittedPaths(['flows/B.json']), ['flows/B.json']);
    });

    it('says no branch is checked out when HEAD is detached', async () => {
      const { dir, store } = await devCheckedOut();
      await git.checkout({ fs, dir, ref: await branchHead(dir, 'main') });
      assert.equal(await store.checkedOutBranch(), undefined);
    });
  });

  describe('configuration on main', () => {
    const withDev = () => {
      const config = defaultConfig();
      config.environments.dev = defaultEnvironment('my-dev', 'us-east-1');
      return config;
    };

    it('reads the committed configuration', async () => {
      const { store } = await initialised();
      assert.deepEqual(await store.readConfig(), defaultConfig());
    });

    it('commits it and updates the checked-out file and index, keeping the README', async () => {
      const { dir, store } = await initialised();
      const sha = await store.writeConfig(withDev(), 'Add dev');
      assert.ok(sha);
      assert.deepEqual(await store.readConfig(), withDev());
      assert.equal(
        await readFile(join(dir, 'connect-copy.json'), 'utf8'),
        await store.readFile('main', 'connect-copy.json'),
      );
      assert.equal(await store.readFile('main', 'README.md'), '# hello\n');
      assert.equal(await store.hasUncommittedChanges(), false);
      assert.equal(await store.writeConfig(withDev(), 'Again'), undefined);
    });

    it('commits without touching the working tree when main is not checked out', async () => {
      const { dir, store } = await initialised();
      await store.commitFiles('env/dev', files({ 'mapping.json': '{}\n' }), 'pull');
      await git.checkout({ fs, dir, ref: 'env/dev' });
      const sha = await store.writeConfig(withDev(), 'Add dev');
      assert.equal(await branchHead(dir, 'main'), sha);
      assert.equal(fs.existsSync(join(dir, 'connect-copy.json')), false);
      assert.equal(await store.checkedOutBranch(), 'env/dev');
      assert.deepEqual(await store.readConfig(), withDev());
    });

    it('refuses to overwrite uncommitted edits to connect-copy.json', async () => {
      const { dir, store } = await initialised();
      const before = await branchHead(dir, 'main');
      await writeFile(join(dir, 'connect-copy.json'), '{ "version": 1 }\n');
      await assert.rejects(
        store.writeConfig(withDev(), 'Add dev'),
        rejectsWith('UNCOMMITTED_CHANGES', ExitCode.repositoryState),
      );
      assert.equal(await branchHead(dir, 'main'), before);
      assert.equal(await readFile(join(dir, 'connect-copy.json'), 'utf8'), '{ "version": 1 }\n');
    });

    it('tells when the checked-out configuration has uncommitted edits', async () => {
      const { dir, store } = await initialised();
      assert.equal(await store.hasUncommittedConfigEdits(), false);
      await writeFile(join(dir, 'connect-copy.json'), '{ "version": 1 }\n');
      assert.equal(await store.hasUncommittedConfigEdits(), true);
      assert.deepEqual(await store.readConfig(), defaultConfig(), 'the committed file is read');
    });

    it('names the file and key of a bad committed configuration', async () => {
      const { store } = await initialised();
      await store.commitFiles(
        'main',
        files({ 'connect-copy.json': '{ "version": 1, "environments": { "dev": 3 } }\n' }),
        'break it',
        { base: 'keep' },
      );
      await assert.rejects(store.readConfig(), (error: unknown) => {
        rejectsWith('CONFIG_INVALID', ExitCode.usage)(error);
        const message = (error as Error).message;
        assert.match(message, /connect-copy\.json \(branch main\)/);
        assert.match(message, /environments\.dev/);
        return true;
      });
    });

    it('says to run init when main or the configuration is missing', async () => {
      const dir = await tmp.make();
      const store = await SnapshotStore.init(dir);
      await assert.rejects(store.readConfig(), (error: unknown) => {
        rejectsWith('CONFIG_NOT_FOUND', ExitCode.repositoryState)(error);
        assert.ok((error as ConnectCopyError).suggestions.includes('connect-copy init'));
        return true;
      });
    });
  });

  describe('refs and history', () => {
    it('resolves branches, full and abbreviated shas', async () => {
      const { store } = await initialised();
      const sha = await store.commitFiles('env/dev', files({ 'a.json': '1\n' }), 'one');
      assert.ok(sha);
      assert.equal(await store.resolveRef('env/dev'), sha);
      assert.equal(await store.resolveRef('refs/heads/env/dev'), sha);
      assert.equal(await store.resolveRef(sha), sha);
      assert.equal(await store.resolveRef(sha.slice(0, 10)), sha);
      assert.equal(await store.branchExists('env/dev'), true);
      assert.equal(await store.branchExists('env/prod'), false);
    });

    it('says which pull to run for a missing environment branch', async () => {
      const { store } = await initialised();
      await assert.rejects(store.readBranchFiles('env/prod'), (error: unknown) => {
        rejectsWith('BRANCH_NOT_FOUND', ExitCode.repositoryState)(error);
        assert.deepEqual((error as ConnectCopyError).suggestions, ['connect-copy pull prod']);
        return true;
      });
      await assert.rejects(store.diffTrees('env/dev', 'main'), rejectsWith('BRANCH_NOT_FOUND'));
      await assert.rejects(store.log('env/test'), rejectsWith('BRANCH_NOT_FOUND'));
    });

    it('does not read outside refs/ for a crafted name', async () => {
      const { store } = await initialised();
      for (const ref of ['../config', 'refs/../../config', 'HEAD/../config', 'a..b']) {
        await assert.rejects(store.resolveRef(ref), rejectsWith('REF_NOT_FOUND'), ref);
      }
      assert.equal(await store.branchExists('../../HEAD'), false);
    });

    it('reads and builds on a remote-tracking branch, as in a fresh clone', async () => {
      const { dir, store } = await initialised();
      const remoteHead = await store.commitFiles('env/prod', files({ 'a.json': '1\n' }), 'pull');
      await git.setConfig({
        fs,
        dir,
        path: 'remote.origin.url',
        value: 'https://example.invalid/r',
      });
      await git.writeRef({ fs, dir, ref: 'refs/remotes/origin/env/prod', value: remoteHead! });
      await git.deleteBranch({ fs, dir, ref: 'env/prod' });

      assert.equal(await store.branchExists('env/prod'), true);
      assert.equal(await store.resolveRef('env/prod'), remoteHead);
      assert.deepEqual(await store.readBranchFiles('env/prod'), files({ 'a.json': '1\n' }));
      assert.equal(
        await store.commitFiles('env/prod', files({ 'a.json': '1\n' }), 'same'),
        undefined,
        'equal to the remote snapshot: no commit, no local branch',
      );

      const sha = await store.commitFiles('env/prod', files({ 'a.json': '2\n' }), 'pull again');
      const [head] = await store.log('env/prod');
      assert.equal(head.sha, sha);
      assert.deepEqual(head.parents, [remoteHead], 'history continues from origin/env/prod');
      assert.equal(await branchHead(dir, 'env/prod'), sha);
    });

    it('limits the log to the requested depth, newest first', async () => {
      const { store } = await initialised();
      for (const n of [1, 2, 3]) {
        await store.commitFiles('env/dev', files({ 'a.json': `${n}\n` }), `pull ${n}`);
      }
      const log = await store.log('env/dev', 2);
      assert.deepEqual(
        log.map((entry) => entry.message),
        ['pull 3\n', 'pull 2\n'],
      );
    });
  });

  describe('diffTrees', () => {
    /** The change list computed directly from two file maps: the oracle for diffTrees. */
    function expectedChanges(a: Map<string, string>, b: Map<string, string>) {
      const changes: { path: string; kind: string }[] = [];
      for (const [path, text] of b) {
        if (!a.has(path)) changes.push({ path, kind: 'added' });
        else if (a.get(path) !== text) changes.push({ path, kind: 'modified' });
      }
      for (const path of a.keys()) if (!b.has(path)) changes.push({ path, kind: 'removed' });
      return changes.sort((x, y) => (x.path < y.path ? -1 : 1));
    }

    it('lists nested additions, removals and modifications', async () => {
      const { store } = await initialised();
      const dev = files({
        'mapping.json': 'dev\n',
        'flows/A.json': 'a\n',
        'flows/B.json': 'b\n',
        'flows/sub/C.json': 'c\n',
        'queues/Q.json': 'q\n',
        'hours/H.json': 'h\n',
        'prompts/P.json': 'p\n',
        'x/y.json': 'file\n',
      });
      const prod = files({
        'mapping.json': 'prod\n',
        'flows/A.json': 'a\n',
        'flows/sub/C.json': 'c2\n',
        'flows/sub/D.json': 'd\n',
        'queues/Q.json': 'q\n',
        'hours/H.json': 'h\n',
        'modules/M.json': 'm\n',
        'x/y.json/inner.json': 'now a folder\n',
      });
      await store.commitFiles('env/dev', dev, 'dev');
      await store.commitFiles('env/prod', prod, 'prod');

      const changes = await store.diffTrees('env/dev', 'env/prod');
      assert.deepEqual(changes, expectedChanges(dev, prod));
      assert.deepEqual(await store.diffTrees('env/prod', 'env/dev'), expectedChanges(prod, dev));
      assert.deepEqual(await store.diffTrees('env/dev', 'env/dev'), []);
    });

    it('agrees with a direct comparison on many random edits', async () => {
      const { store } = await initialised();
      let seed = 7;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const folders = ['flows', 'modules', 'queues', 'hours', 'flows/deep', 'flows/deep/er'];
      const a = new Map<string, string>();
      for (let i = 0; i < 300; i++) a.set(`${folders[random(6)]}/r${i}.json`, `v${i}\n`);
      const b = new Map(a);
      for (const path of [...a.keys()]) {
        const roll = random(10);
        if (roll === 0) b.delete(path);
        else if (roll === 1) b.set(path, 'changed\n');
      }
      for (let i = 0; i < 20; i++) b.set(`${folders[random(6)]}/new${i}.json`, 'new\n');

      await store.commitFiles('env/a', a, 'a');
      await store.commitFiles('env/b', b, 'b');
      const changes = await store.diffTrees('env/a', 'env/b');
      assert.ok(changes.length > 40, 'the edit is not trivial');
      assert.deepEqual(changes, expectedChanges(a, b));
    });
  });
});
