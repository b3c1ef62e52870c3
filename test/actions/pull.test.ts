import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ListQueuesCommand } from '@aws-sdk/client-connect';
import { TestEmulator } from '../helpers/emulator';
import {
  corpusFlowsAndModules,
  corpusPath,
  FLOW_SETS,
  readJson,
  seedFolder,
} from '../helpers/fixtures';
import { pullFrom, retargetedCopies, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { MappingIndex, Mapping } from '../../src/core/mapping';
import { resolve, Json } from '../../src/core/tokens';
import { readFingerprints } from '../../src/store/fingerprints';

const run = promisify(execFile);

/** Every real set: the multi-file exports, and each other fixture on its own. */
function realSets(): [string, string[]][] {
  const inSets = new Set(Object.values(FLOW_SETS).flat());
  const singles = corpusFlowsAndModules()
    .filter((f) => !inSets.has(f.relative))
    .map((f): [string, string[]] => [f.relative, [f.relative]]);
  return [...Object.entries(FLOW_SETS), ...singles];
}

function exportedName(file: string): string {
  const name = (readJson(file) as { Metadata?: { name?: string } }).Metadata?.name;
  return name && name.trim() ? name : file.slice(file.lastIndexOf('/') + 1, -'.json'.length);
}

/** Every id and ARN the mapping knows for this instance, the instance's own included. */
function environmentSpecificStrings(mapping: Mapping): string[] {
  const out = [mapping.instance.id, mapping.instance.arn];
  for (const entries of Object.values(mapping.resources)) {
    for (const entry of Object.values(entries ?? {})) {
      if (entry.id) out.push(entry.id);
      if (entry.arn) out.push(entry.arn);
    }
  }
  return out;
}

function filesByName(
  files: Map<string, string>,
  folder: string,
): Map<string, Record<string, Json>> {
  const out = new Map<string, Record<string, Json>>();
  for (const [path, text] of files) {
    if (!path.startsWith(`${folder}/`)) continue;
    const file = JSON.parse(text) as Record<string, Json>;
    out.set(String(file.Name), file);
  }
  return out;
}

describe('pull: real flows into a snapshot repository', function () {
  this.timeout(120000);
  let emu: TestEmulator;
  let repo: TestRepo;

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  async function seed(files: string[], instanceJson?: unknown) {
    const folder = seedFolder(files, instanceJson);
    try {
      return await emu.control.seed(folder.dir);
    } finally {
      folder.remove();
    }
  }

  for (const [name, relatives] of realSets()) {
    it(`${name}: portable files that resolve back exactly, and a second pull changes nothing`, async () => {
      const files = relatives.map(corpusPath);
      const seeded = await seed(files);
      const first = await pullFrom(emu, repo, 'dev', seeded);
      assert.ok(first.commit, 'the first pull commits');

      const snapshot = await repo.store.readBranchFiles('env/dev');
      const mapping = JSON.parse(snapshot.get('mapping.json')!) as Mapping;
      const specific = environmentSpecificStrings(mapping);
      for (const [path, text] of snapshot) {
        if (path === 'mapping.json') continue;
        for (const value of specific) {
          assert.ok(!text.includes(value), `${path} holds ${value}, which belongs in mapping.json`);
        }
      }

      const index = new MappingIndex(mapping);
      const flows = filesByName(snapshot, 'flows');
      const modules = filesByName(snapshot, 'modules');
      for (const relative of relatives) {
        const exported = readJson(corpusPath(relative));
        const stored = (relative.startsWith('modules/') ? modules : flows).get(
          exportedName(corpusPath(relative)),
        );
        assert.ok(stored, `${relative} has a file`);
        const resolved = resolve(stored.Content as Json, index);
        assert.deepEqual(resolved.unresolved, []);
        assert.deepEqual(resolved.value, exported, `${relative} resolves back to the export`);
      }

      await emu.control.clearCalls();
      const second = await pullFrom(emu, repo, 'dev', seeded, { again: true });
      assert.equal(second.commit, undefined, 'no commit when nothing changed');
      assert.deepEqual(second.changed, []);
      assert.deepEqual(await repo.store.readBranchFiles('env/dev'), snapshot);
      const calls = await emu.control.calls();
      assert.ok(!calls.some((c) => c.operation === 'DescribeContactFlow'));
      assert.ok(!calls.some((c) => c.write), 'a pull never writes to Connect');
    });
  }

  it('gives two instances with the same flows branches that differ in mapping.json alone', async () => {
    const files = FLOW_SETS['terraform-templater'].map(corpusPath);
    const dev = await seed(files);
    const copies = retargetedCopies(files, { account: '444455556666', region: 'ap-southeast-2' });
    try {
      const prod = await seed(copies.files);
      assert.notEqual(prod.Id, dev.Id);
      assert.deepEqual([prod.Account, prod.Region], ['444455556666', 'ap-southeast-2']);
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
    } finally {
      copies.remove();
    }
    const changes = await repo.store.diffTrees('env/dev', 'env/prod');
    assert.deepEqual(
      changes.map((c) => c.path),
      ['mapping.json'],
    );
  });

  it('gives flows without ARNs, seeded in two accounts, the same files', async () => {
    const files = FLOW_SETS['outbound-call'].map(corpusPath);
    const dev = await seed(files, { account: '111122223333', region: 'us-east-1' });
    const prod = await seed(files, { account: '444455556666', region: 'eu-west-2' });
    await pullFrom(emu, repo, 'dev', dev);
    await pullFrom(emu, repo, 'prod', prod);
    const changes = await repo.store.diffTrees('env/dev', 'env/prod');
    assert.deepEqual(
      changes.map((c) => c.path),
      ['mapping.json'],
    );
  });

  it('shows a one-field change made with the AWS CLI as a one-file diff of a few lines', async () => {
    const seeded = await seed(FLOW_SETS['terraform-templater'].map(corpusPath));
    const before = await pullFrom(emu, repo, 'dev', seeded);
    const queues = await emu
      .connect(seeded.Account, seeded.Region)
      .send(new ListQueuesCommand({ InstanceId: seeded.Id, QueueTypes: ['STANDARD'] }));
    const queue = queues.QueueSummaryList!.find((q) => q.Name === 'BasicQueue')!;

    await run(
      'aws',
      [
        'connect',
        'update-queue-max-contacts',
        '--instance-id',
        seeded.Id,
        '--queue-id',
        queue.Id!,
        '--max-contacts',
        '42',
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: repo.dir,
          AWS_ENDPOINT_URL: emu.url,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_DEFAULT_REGION: seeded.Region,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );

    const after = await pullFrom(emu, repo, 'dev', seeded, { again: true });
    assert.ok(after.commit);
    const changes = await repo.store.diffTrees(before.commit!, after.commit!);
    assert.deepEqual(
      changes.map((c) => c.path),
      ['queues/BasicQueue.json'],
    );
    const oldText = (await repo.store.readFile(before.commit!, 'queues/BasicQueue.json'))!.split(
      '\n',
    );
    const newText = (await repo.store.readFile(after.commit!, 'queues/BasicQueue.json'))!.split(
      '\n',
    );
    const removed = oldText.filter((line) => !newText.includes(line));
    const added = newText.filter((line) => !oldText.includes(line));
    assert.deepEqual(removed, []);
    assert.deepEqual(
      added.map((l) => l.trim()),
      ['"MaxContacts": 42,'],
    );
    // The console change moved the queue's fingerprint (kept in a note, not in a file).
    const fingerprints = await readFingerprints(repo.store, 'env/dev');
    assert.ok(fingerprints['queues/BasicQueue']);
  });

  it('records the environment, so the next pull needs only its name', async () => {
    const seeded = await seed(FLOW_SETS['voicemail'].map(corpusPath));
    const first = await pullFrom(emu, repo, 'dev', seeded);
    assert.equal(first.configured, true);
    const config = await repo.store.readConfig();
    assert.equal(config.environments.dev.instance, seeded.Id);
    assert.equal(config.environments.dev.region, seeded.Region);
    assert.equal(config.environments.dev.endpointUrl, emu.url);
    const second = await pullFrom(emu, repo, 'dev', seeded, { again: true });
    assert.equal(second.configured, false);
    assert.equal(second.instance.id, seeded.Id);
  });
});
