import { strict as assert } from 'node:assert';
import type { Mapping } from '../../src/core/mapping';
import { moveFingerprints } from '../../src/core/env-files';
import { rollbackFiles } from '../../src/core/rollback';
import {
  buildEnvFiles,
  flowResource,
  mappingsFor,
  moduleResource,
  parse,
  readCorpus,
} from '../helpers/environments';

const CALLBACK =
  'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json';
const WHISPER =
  'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallWhisperer.json';
const MODULE = 'modules/aws-samples__sample-amazon-connect-outbound-call__ErrorModule.json';

function add(
  mapping: Mapping,
  kind: 'flow' | 'module' | 'queue',
  name: string,
  id: string,
): Mapping {
  const segment = { flow: 'contact-flow', module: 'flow-module', queue: 'queue' }[kind];
  const entry = { id, arn: `${mapping.instance.arn}/${segment}/${id}` };
  return {
    ...mapping,
    resources: { ...mapping.resources, [kind]: { ...mapping.resources[kind], [name]: entry } },
  };
}

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('rollbackFiles', () => {
  it('restores the old files with the current mapping, lists what was created since', async () => {
    const { a, contents } = mappingsFor({ callback: CALLBACK });
    const then = add(a, 'flow', 'Callback entry', ID(1));
    const thenFiles = await buildEnvFiles(then, [
      flowResource('Callback entry', contents.get('callback')!),
    ]);

    let now = add(then, 'flow', 'Added flow', ID(2));
    now = add(now, 'module', 'Added module', ID(3));
    now = add(now, 'queue', 'Added queue', ID(4));
    now = { ...now, fingerprints: { 'flows/Callback entry': 'after', 'flows/Added flow': 'new' } };
    const edited = flowResource('Callback entry', contents.get('callback')!);
    edited.fields.Description = 'changed since';
    const nowFiles = await buildEnvFiles(now, [
      edited,
      flowResource('Added flow', readCorpus(WHISPER)),
      moduleResource('Added module', readCorpus(MODULE)),
    ]);
    assert.notEqual(nowFiles.get('mapping.json'), thenFiles.get('mapping.json'));

    const result = await rollbackFiles(nowFiles, thenFiles);

    assert.deepEqual([...result.files.keys()], [...thenFiles.keys()].sort());
    for (const [path, text] of thenFiles) {
      if (path !== 'mapping.json') assert.equal(result.files.get(path), text, path);
    }
    assert.equal(result.files.get('mapping.json'), nowFiles.get('mapping.json'));
    assert.deepEqual(result.createdSince, [
      { kind: 'flow', name: 'Added flow', id: ID(2) },
      { kind: 'module', name: 'Added module', id: ID(3) },
    ]);
    assert.deepEqual(result.otherCreatedSince, [{ kind: 'queue', name: 'Added queue' }]);
    assert.deepEqual(result.renamed, []);
  });

  it('gives a flow renamed since its old name back in the mapping, keeping its id', async () => {
    const { a, contents } = mappingsFor({ callback: CALLBACK });
    const then = add(a, 'flow', 'Old name', ID(7));
    const thenFiles = await buildEnvFiles(then, [
      flowResource('Old name', contents.get('callback')!),
    ]);
    const entries = { ...then.resources.flow };
    entries['New name'] = entries['Old name'];
    delete entries['Old name'];
    const now = {
      ...then,
      resources: { ...then.resources, flow: entries },
      fingerprints: { 'flows/New name': 'fp' },
    };
    const nowFiles = await buildEnvFiles(now, [
      flowResource('New name', contents.get('callback')!),
    ]);

    const result = await rollbackFiles(nowFiles, thenFiles);
    const mapping = parse(result.files.get('mapping.json')) as unknown as Mapping;
    assert.deepEqual(mapping.resources.flow!['Old name'], {
      id: ID(7),
      arn: `${a.instance.arn}/contact-flow/${ID(7)}`,
    });
    assert.equal(mapping.resources.flow!['New name'], undefined);
    assert.equal('fingerprints' in mapping, false, 'no fingerprints member added to mapping.json');
    assert.deepEqual(result.createdSince, [], 'a renamed flow is not new and must never be pruned');
    assert.deepEqual(
      result.renamed.map((r) => [r.kind, r.from, r.to]),
      [['flow', 'New name', 'Old name']],
    );
  });

  it('moves fingerprints of renamed resources at once, so swapped names keep their own', () => {
    const moves = [
      { kind: 'flow', folder: 'flows', from: 'A', to: 'B' },
      { kind: 'flow', folder: 'flows', from: 'B', to: 'A' },
    ];
    const prints = { 'flows/A': 'fa', 'flows/B': 'fb', 'queues/A': 'qa' };
    assert.deepEqual(moveFingerprints(prints, moves), {
      'flows/A': 'fb',
      'flows/B': 'fa',
      'queues/A': 'qa',
    });
  });
});
