import { strict as assert } from 'node:assert';
import { copyCommitMessage, copyEnvironment } from '../../src/core/copy';
import type { Mapping } from '../../src/core/mapping';
import { SnapshotStore } from '../../src/store/git-store';
import { findLastCopy, readMappingAt } from '../../src/store/history';
import {
  buildEnvFiles,
  flowResource,
  mappingsFor,
  otherInstance,
  parse,
  readCorpus,
} from '../helpers/environments';
import { useTempDirs } from '../helpers/temp-dir';

const WHISPER =
  'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallWhisperer.json';
const CALLBACK =
  'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json';

function withFlow(mapping: Mapping, name: string, id: string): Mapping {
  const arn = `${mapping.instance.arn}/contact-flow/${id}`;
  const flows = { ...mapping.resources.flow, [name]: { id, arn } };
  return { ...mapping, resources: { ...mapping.resources, flow: flows } };
}

describe('store: copy history', () => {
  const tmp = useTempDirs();

  it('finds the last copy from A on B and reads A’s mapping at its source commit', async () => {
    const store = await SnapshotStore.init(await tmp.make());
    const whisper = readCorpus(WHISPER);
    const dev = withFlow(
      mappingsFor({ c: CALLBACK }).a,
      'Greeting',
      '11111111-2222-4333-8444-555555555555',
    );
    const prod = otherInstance(dev, 'prod');

    const devFiles = await buildEnvFiles(dev, [flowResource('Greeting', whisper)]);
    const devSha = (await store.commitFiles('env/dev', devFiles, 'pull dev'))!;
    await store.commitFiles('env/prod', await buildEnvFiles(prod, []), 'pull prod');
    assert.equal(await findLastCopy(store, 'env/prod', 'dev'), undefined);

    // dev -> prod, then an unrelated copy from another environment on top.
    const first = await copyEnvironment({
      source: { env: 'dev', files: await store.readBranchFiles('env/dev') },
      target: { env: 'prod', files: await store.readBranchFiles('env/prod') },
    });
    await store.commitFiles(
      'env/prod',
      first.files,
      copyCommitMessage('dev', devSha, 'prod', first.summary),
    );
    await store.commitFiles(
      'env/prod',
      new Map([...first.files, ['flows/Other.json', '{"Name": "Other"}\n']]),
      copyCommitMessage('staging', 'f'.repeat(40), 'prod'),
    );

    // The flow is renamed in dev (same id) and pulled again.
    const renamedDev: Mapping = {
      ...dev,
      resources: { ...dev.resources, flow: { Renamed: dev.resources.flow!.Greeting } },
    };
    await store.commitFiles(
      'env/dev',
      await buildEnvFiles(renamedDev, [flowResource('Renamed', whisper)]),
      'pull dev',
    );

    const source = await findLastCopy(store, 'env/prod', 'dev');
    assert.equal(source, devSha);
    const previous = await readMappingAt(store, source!);
    assert.deepEqual(
      Object.keys(previous!.resources.flow!).sort(),
      Object.keys(dev.resources.flow!).sort(),
    );

    const second = await copyEnvironment({
      source: { env: 'dev', files: await store.readBranchFiles('env/dev') },
      target: { env: 'prod', files: await store.readBranchFiles('env/prod') },
      previousSourceMapping: previous,
    });
    assert.deepEqual(
      second.summary.renamed.map((r) => [r.from, r.to]),
      [['Greeting', 'Renamed']],
    );
    const mapping = parse(second.files.get('mapping.json')) as unknown as Mapping;
    assert.equal(mapping.resources.flow!.Renamed.id, prod.resources.flow!.Greeting.id);
    assert.ok(!second.files.has('flows/Greeting.json'));
    assert.ok(second.files.has('flows/Other.json'), "B's own flow stays");
  });

  it('reads no mapping from a commit that has none', async () => {
    const store = await SnapshotStore.init(await tmp.make());
    const sha = (await store.commitFiles('env/dev', new Map([['README.md', 'x\n']]), 'start'))!;
    assert.equal(await readMappingAt(store, sha), undefined);
  });
});
