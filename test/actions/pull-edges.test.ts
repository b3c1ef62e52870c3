import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import git from 'isomorphic-git';
import {
  CreateContactFlowCommand,
  CreateQueueCommand,
  ListHoursOfOperationsCommand,
} from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator, DEV_ACCOUNT } from '../helpers/emulator';
import { makeRepo, pullFrom, TestRepo } from '../helpers/repo';
import { minimalFlow } from '../helpers/flows';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { repoRoot } from '../helpers/paths';

const run = promisify(execFile);

describe('pull: odd names, bad input and failures', function () {
  this.timeout(120000);
  let emu: TestEmulator;
  let repo: TestRepo;
  let instance: { Id: string; Account: string; Region: string };

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(async () => {
    await emu.control.reset();
    repo = await makeRepo();
    const created = await emu.control.createInstance({ Account: DEV_ACCOUNT, Region: 'us-east-1' });
    instance = { Id: created.Id, Account: created.Account, Region: created.Region };
  });
  afterEach(() => repo.remove());

  const expectFailure = async (promise: Promise<unknown>, exitCode: number, pattern: RegExp) => {
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof ConnectCopyError, `a ConnectCopyError, got ${String(error)}`);
      assert.equal(error.exitCode, exitCode, error.message);
      assert.match(error.message, pattern);
      return true;
    });
  };

  const assertNothingCommitted = async () => {
    assert.equal(await repo.store.branchExists('env/dev'), false, 'no partial commit');
    assert.deepEqual(Object.keys((await repo.store.readConfig()).environments), []);
  };

  it('gives odd names safe, distinct, deterministic files that keep the exact name', async () => {
    const client = emu.connect();
    const hours = await client.send(new ListHoursOfOperationsCommand({ InstanceId: instance.Id }));
    const hoursId = hours.HoursOfOperationSummaryList![0].Id!;
    const names = [
      'a/b',
      'a\\b',
      '..',
      '.hidden',
      'trailing ',
      'trailing.',
      'CON',
      'con.txt',
      'LPT1',
      'q'.repeat(127),
      '日本語のキュー',
      'Caf\u00e9',
      'Cafe\u0301',
      'Sales',
      'sales',
      '%41',
      'emoji 📞 line',
    ];
    for (const Name of names) {
      await client.send(
        new CreateQueueCommand({ InstanceId: instance.Id, Name, HoursOfOperationId: hoursId }),
      );
    }
    // The same name in two types.
    await client.send(
      new CreateContactFlowCommand({
        InstanceId: instance.Id,
        Name: 'Sales',
        Type: 'CONTACT_FLOW',
        Content: minimalFlow(),
      }),
    );

    await pullFrom(emu, repo, 'dev', instance);
    const files = await repo.store.readBranchFiles('env/dev');
    const queueFiles = [...files.keys()].filter((p) => p.startsWith('queues/'));
    const stored = new Map(queueFiles.map((p) => [JSON.parse(files.get(p)!).Name as string, p]));
    for (const name of names) {
      const path = stored.get(name);
      assert.ok(path, `a file holds queue ${JSON.stringify(name)}`);
      const fileName = path.slice('queues/'.length);
      assert.ok(!fileName.includes('/') && !fileName.includes('\\'), path);
      assert.equal(posix.normalize(path), path, `${path} stays inside queues/`);
      assert.ok(!/^\./.test(fileName) && !/[ .]\.json$/.test(fileName), path);
      assert.ok(
        !/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(fileName.replace(/\.json$/, '')),
        path,
      );
      assert.ok(Buffer.byteLength(fileName) <= 200, `${path} is not too long`);
    }
    const folded = queueFiles.map((p) => p.normalize('NFC').toLowerCase());
    assert.equal(new Set(folded).size, folded.length, 'distinct even on case-insensitive disks');
    assert.ok(files.has('flows/Sales.json'), 'a flow and a queue may share a name');

    const again = await makeRepo();
    try {
      await pullFrom(emu, again, 'dev', instance);
      const paths = [...(await again.store.readBranchFiles('env/dev')).keys()].sort();
      assert.deepEqual(paths, [...files.keys()].sort(), 'the same names give the same files');
    } finally {
      again.remove();
    }
  });

  it('names the instance, region and profile when the instance does not exist', async () => {
    const missing = '0b6d0c8c-8c77-4c5e-9d52-2b8e3f3c9a10';
    await expectFailure(
      pullFrom(emu, repo, 'dev', { ...instance, Id: missing }),
      ExitCode.aws,
      new RegExp(`${missing}.*us-east-1`),
    );
    await assertNothingCommitted();
  });

  it('says the instance is not in the region asked', async () => {
    await expectFailure(
      pullFrom(emu, repo, 'dev', { ...instance, Region: 'eu-west-1' }),
      ExitCode.aws,
      /not found in region eu-west-1/,
    );
    await assertNothingCommitted();
  });

  it('names the IAM action on access denied, and commits nothing', async () => {
    await emu.control.addFault({
      operations: ['SearchQueues'],
      status: 403,
      code: 'AccessDeniedException',
    });
    await expectFailure(pullFrom(emu, repo, 'dev', instance), ExitCode.aws, /connect:SearchQueues/);
    await assertNothingCommitted();
  });

  it('reports a throttling storm that outlasts the retries, and commits nothing', async () => {
    await emu.control.addFault({
      operations: ['SearchContactFlows'],
      status: 429,
      code: 'ThrottlingException',
    });
    await expectFailure(
      pullFrom(emu, repo, 'dev', instance, {
        clientOptions: {
          credentials: { accessKeyId: `AKIA${DEV_ACCOUNT}`, secretAccessKey: 'x' },
          quota: false,
          maxAttempts: 2,
        },
      }),
      ExitCode.aws,
      /throttled/i,
    );
    await assertNothingCommitted();
  });

  it('leaves the branch as it was when a later pull fails', async () => {
    const first = await pullFrom(emu, repo, 'dev', instance);
    await emu.control.addFault({ operations: ['SearchPrompts'], status: 500 });
    await assert.rejects(
      pullFrom(emu, repo, 'dev', instance, {
        again: true,
        clientOptions: {
          credentials: { accessKeyId: `AKIA${DEV_ACCOUNT}`, secretAccessKey: 'x' },
          quota: false,
          maxAttempts: 1,
        },
      }),
    );
    assert.equal(await repo.store.resolveRef('env/dev'), first.commit);
  });

  /** Pulls, then commits `files` over the pulled branch as a user would; the pull and its files. */
  const pullThenCommit = async (files: Map<string, string>, message: string) => {
    const first = await pullFrom(emu, repo, 'dev', instance);
    const pulled = await repo.store.readBranchFiles('env/dev');
    await repo.store.commitFiles('env/dev', files, message, { base: 'keep' });
    return { first, pulled };
  };

  it('repairs a branch whose committed files were broken by hand', async () => {
    const broken = new Map([
      ['mapping.json', '{ broken'],
      ['flows/Sample AB test.json', 'not json'],
    ]);
    const { pulled: good } = await pullThenCommit(broken, 'a bad hand edit');
    const repaired = await pullFrom(emu, repo, 'dev', instance, { again: true });
    assert.deepEqual(repaired.changed, ['flows/Sample AB test.json', 'mapping.json']);
    assert.deepEqual(await repo.store.readBranchFiles('env/dev'), good);
  });

  it("keeps the user's own files on the branch, and drops strays in resource folders", async () => {
    const theirs = new Map([
      ['README.md', '# dev: what lives here\n'],
      ['.github/CODEOWNERS', '* @contact-centre\n'],
    ]);
    const stray = new Map([['flows/notes.txt', 'scratch\n']]);
    const { first, pulled } = await pullThenCommit(new Map([...theirs, ...stray]), 'own files');
    const again = await pullFrom(emu, repo, 'dev', instance, { again: true });
    assert.deepEqual(again.changed, ['flows/notes.txt']);
    assert.deepEqual(again.counts, first.counts, 'counts are of resources only');
    assert.deepEqual(await repo.store.readBranchFiles('env/dev'), new Map([...pulled, ...theirs]));
  });

  it('asks for the instance the first time an environment is pulled', async () => {
    await expectFailure(
      pullFrom(emu, repo, 'dev', instance, { again: true }),
      ExitCode.usage,
      /not in connect-copy.json yet/,
    );
  });

  it('refuses to pull into a checked-out branch with uncommitted edits', async () => {
    await pullFrom(emu, repo, 'dev', instance);
    await git.checkout({ fs, dir: repo.dir, ref: 'env/dev' });
    writeFileSync(join(repo.dir, 'queues', 'BasicQueue.json'), '{"edited": true}\n');
    await expectFailure(
      pullFrom(emu, repo, 'dev', instance, { again: true }),
      ExitCode.repositoryState,
      /uncommitted edits.*queues\/BasicQueue\.json/,
    );
  });

  it('prints counts, the commit and warnings as JSON, with no progress on stderr', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'run.js'),
        'pull',
        'dev',
        '--instance',
        instance.Id,
        '--region',
        instance.Region,
        '--endpoint-url',
        emu.url,
        '--json',
      ],
      {
        cwd: repo.dir,
        env: {
          PATH: process.env.PATH,
          HOME: repo.dir,
          AWS_ACCESS_KEY_ID: `AKIA${DEV_ACCOUNT}`,
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    const result = JSON.parse(stdout);
    assert.match(result.commit, /^[0-9a-f]{40}$/);
    assert.equal(result.counts.flows, 16);
    assert.equal(result.counts.queues, 1);
    assert.ok(Array.isArray(result.warnings));
    assert.equal(stderr, '');
    assert.equal(await repo.store.resolveRef('env/dev'), result.commit);
  });
});
