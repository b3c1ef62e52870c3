import { strict as assert } from 'node:assert';
import {
  copyCommitMessage,
  copyEnvironment,
  findRenames,
  parseCopyMessage,
} from '../../src/core/copy';
import { matchesFilters, readEnvResources } from '../../src/core/env-files';
import type { Mapping } from '../../src/core/mapping';
import { resolve, type Json } from '../../src/core/tokens';
import {
  buildEnvFiles,
  flowResource,
  mappingsFor,
  moduleResource,
  otherInstance,
  parse,
  readCorpus,
  translate,
} from '../helpers/environments';

const CALLBACK =
  'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json';
const WHISPER =
  'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallWhisperer.json';
const VOICEMAIL =
  'flows/aws-samples__sample-amazon-connect-ivr-recording-voicemail__voicemail.json';
const MODULE = 'modules/aws-samples__sample-amazon-connect-outbound-call__ErrorModule.json';
const DIALER = 'flows/aws-samples__amazon-connect-power-dialer__View-Dialer-DispositionCodes.json';

/** The flow the callback flow's event hook points at, named as the designer showed it. */
const HOOK_FLOW = 'Sample interruptible queue flow with callback-2';

function names(files: Map<string, string>): string[] {
  return [...readEnvResources(files).resources.keys()];
}

function withFlow(mapping: Mapping, name: string, id: string): Mapping {
  const arn = `${mapping.instance.arn}/contact-flow/${id}`;
  return {
    ...mapping,
    resources: { ...mapping.resources, flow: { ...mapping.resources.flow, [name]: { id, arn } } },
  };
}

function renamed(mapping: Mapping, kind: 'flow' | 'module', from: string, to: string): Mapping {
  const entries = { ...mapping.resources[kind] };
  entries[to] = entries[from];
  delete entries[from];
  return { ...mapping, resources: { ...mapping.resources, [kind]: entries } };
}

function setup() {
  const pair = mappingsFor({ callback: CALLBACK });
  const a = withFlow(pair.a, 'Callback entry', '0f0e0d0c-0b0a-4000-8000-00000000000a');
  const b = withFlow(otherInstance(a, 'prod'), 'Prod only', '0f0e0d0c-0b0a-4000-8000-00000000000b');
  const callback = pair.contents.get('callback')!;
  return { a, b, callback, whisper: readCorpus(WHISPER), voicemail: readCorpus(VOICEMAIL) };
}

describe('copyEnvironment', () => {
  it("adds and updates A's resources and never removes B's own", async () => {
    const { a, b, callback, whisper, voicemail } = setup();
    const filesA = await buildEnvFiles(a, [
      flowResource('Callback entry', callback),
      {
        ...flowResource('Voicemail', voicemail),
        fields: { ...flowResource('Voicemail', voicemail).fields, Description: 'v2' },
      },
      moduleResource('Error module', readCorpus(MODULE)),
    ]);
    const filesB = await buildEnvFiles(
      b,
      [
        flowResource('Callback entry', translate(callback, a, b)),
        flowResource('Voicemail', voicemail),
        flowResource('Prod only', whisper, 'OUTBOUND_WHISPER'),
      ],
      { 'integrations.json': { lambda: ['prod-only-fn'] } },
    );

    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
    });

    assert.deepEqual(names(files), [
      'flows/Callback entry',
      'flows/Prod only',
      'flows/Voicemail',
      'modules/Error module',
    ]);
    assert.equal(files.get('flows/Prod only.json'), filesB.get('flows/Prod only.json'));
    assert.equal(
      files.get('mapping.json'),
      filesB.get('mapping.json'),
      "B's mapping is kept as is",
    );
    assert.equal(files.get('flows/Voicemail.json'), filesA.get('flows/Voicemail.json'));
    assert.deepEqual(summary.removedPaths, []);
    assert.deepEqual(
      summary.resources.map((r) => [r.key, r.change]),
      [
        ['flows/Callback entry', 'unchanged'],
        ['flows/Voicemail', 'updated'],
        ['modules/Error module', 'added'],
      ],
    );
    assert.deepEqual(parse(files.get('integrations.json')), { lambda: ['prod-only-fn'] });
  });

  it('copies only what include and exclude select', async () => {
    const { a, b, callback, voicemail } = setup();
    const filesA = await buildEnvFiles(a, [
      flowResource('Callback entry', callback),
      flowResource('Voicemail', voicemail),
      moduleResource('Error module', readCorpus(MODULE)),
    ]);
    const filesB = await buildEnvFiles(b, []);
    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
      include: ['flows/*'],
      exclude: ['flows/Voice*'],
    });
    assert.deepEqual(names(files), ['flows/Callback entry']);
    assert.deepEqual(summary.filteredOut, ['flows/Voicemail', 'modules/Error module']);
    // The copied flow uses a queue and a flow B has under the same names: nothing is missing.
    assert.deepEqual(summary.missingReferences, []);
  });

  it('turns a rename in A into a rename in B: file, mapping entry and tokens', async () => {
    const { a: previousA, b, callback, whisper, voicemail } = setup();
    const currentA = renamed(previousA, 'flow', HOOK_FLOW, 'Callback queue flow');
    const filesA = await buildEnvFiles(currentA, [
      flowResource('Callback entry', callback),
      flowResource('Callback queue flow', whisper, 'CUSTOMER_QUEUE'),
    ]);
    assert.ok(
      filesA.get('flows/Callback entry.json')!.includes('{{cc:arn:flow:Callback queue flow}}'),
    );

    const rawCallbackB = translate(callback, previousA, b);
    const filesB = await buildEnvFiles(b, [
      flowResource('Callback entry', rawCallbackB),
      flowResource(HOOK_FLOW, whisper, 'CUSTOMER_QUEUE'),
      flowResource('Prod only', voicemail),
    ]);
    const hookId = b.resources.flow![HOOK_FLOW].id;

    // Only the renamed flow is copied: B's own flows that name it must follow the rename.
    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
      include: ['flows/Callback queue flow'],
      previousSourceMapping: previousA,
    });

    assert.deepEqual(
      summary.renamed.map((r) => [r.kind, r.from, r.to, r.oldPath]),
      [['flow', HOOK_FLOW, 'Callback queue flow', `flows/${HOOK_FLOW}.json`]],
    );
    assert.deepEqual(names(files), [
      'flows/Callback entry',
      'flows/Callback queue flow',
      'flows/Prod only',
    ]);
    assert.ok(!files.has(`flows/${HOOK_FLOW}.json`));
    assert.deepEqual(summary.removedPaths, [`flows/${HOOK_FLOW}.json`]);

    const mappingB = parse(files.get('mapping.json')) as unknown as Mapping;
    assert.equal(mappingB.resources.flow!['Callback queue flow'].id, hookId);
    assert.equal(mappingB.resources.flow![HOOK_FLOW], undefined);
    assert.equal('fingerprints' in mappingB, false);

    const entry = parse(files.get('flows/Callback entry.json'));
    const text = files.get('flows/Callback entry.json')!;
    assert.ok(!text.includes(`:flow:${HOOK_FLOW}}}`), 'no token names the old name');
    assert.ok(text.includes('{{cc:arn:flow:Callback queue flow}}'));
    // Resolved with B's new mapping, B's flow still points at the same flow id as before.
    assert.deepStrictEqual(resolve(entry.Content as Json, mappingB).value, rawCallbackB);
    assert.equal(files.get('flows/Prod only.json'), filesB.get('flows/Prod only.json'));
  });

  it('finds renames by id, and skips one whose new name B uses for another flow', async () => {
    const { a: previousA, b, whisper } = setup();
    const currentA = renamed(previousA, 'flow', HOOK_FLOW, 'Prod only');
    assert.deepEqual(findRenames(previousA, currentA), [
      { kind: 'flow', from: HOOK_FLOW, to: 'Prod only' },
    ]);
    const filesA = await buildEnvFiles(currentA, [flowResource('Prod only', whisper)]);
    const filesB = await buildEnvFiles(b, [
      flowResource(HOOK_FLOW, whisper),
      flowResource('Prod only', whisper),
    ]);
    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
      previousSourceMapping: previousA,
    });
    assert.deepEqual(summary.renamed, []);
    assert.match(summary.renamesSkipped[0].reason, /already has a flow named "Prod only"/);
    assert.ok(names(files).includes(`flows/${HOOK_FLOW}`), 'nothing of B removed');
  });

  it("reports the portable Lambda names B's mapping does not have", async () => {
    const pair = mappingsFor({ dialer: DIALER });
    const filesA = await buildEnvFiles(
      pair.a,
      [flowResource('Dispositions', pair.contents.get('dialer')!)],
      {
        'integrations.json': { LambdaFunctions: [], LexBots: [], LexV2Aliases: ['OrderBot/live'] },
      },
    );
    const filesB = await buildEnvFiles(pair.b, []);
    const { summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
    });
    assert.deepEqual(summary.missingIntegrations, [
      {
        kind: 'lambda',
        name: 'power-dialer-sb-SetDispositionCode-OlUhjKcktIGr',
        usedBy: ['flows/Dispositions'],
      },
      { kind: 'lex-v2-alias', name: 'OrderBot/live', usedBy: ['integrations.json'] },
    ]);
  });

  it('moves a B file whose name now collides in case with a copied one', async () => {
    const { a, b, whisper } = setup();
    const filesA = await buildEnvFiles(a, [flowResource('sales', whisper)]);
    const filesB = await buildEnvFiles(b, [flowResource('Sales', whisper)]);
    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
    });
    assert.deepEqual(names(files), ['flows/Sales', 'flows/sales']);
    assert.equal(summary.relocated.length, 1);
    assert.equal(summary.relocated[0].from, 'flows/Sales.json');
    assert.match(summary.relocated[0].to, /^flows\/Sales~[0-9a-f]{8}\.json$/);
  });
  it('copies no unreadable file of A and leaves those of B where they are', async () => {
    const { a, b, whisper } = setup();
    const filesA = await buildEnvFiles(a, [flowResource('Good', whisper)]);
    filesA.set('flows/broken.json', '{ "Name": ');
    const filesB = await buildEnvFiles(b, []);
    filesB.set('flows/a%252Fb.json', '{"no": "name"}\n');
    const { files, summary } = await copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
    });
    assert.ok(!files.has('flows/broken.json'));
    assert.equal(files.get('flows/a%252Fb.json'), '{"no": "name"}\n');
    assert.deepEqual(
      summary.problems.map((p) => [p.side, p.path]),
      [
        ['source', 'flows/broken.json'],
        ['target', 'flows/a%252Fb.json'],
      ],
    );
  });

  it('refuses a mapping.json that is not a mapping, naming the file', async () => {
    const { a, b } = setup();
    const filesB = await buildEnvFiles(b, []);
    filesB.set('mapping.json', '[]\n');
    await assert.rejects(
      copyEnvironment({
        source: { env: 'dev', files: await buildEnvFiles(a, []) },
        target: { env: 'prod', files: filesB },
      }),
      (e: Error & { code?: string }) =>
        e.code === 'INVALID_MAPPING' && /branch of prod/.test(e.message),
    );
  });
});

describe('copy filters and commit messages', () => {
  it('matches include and exclude globs on <folder>/<name>', () => {
    assert.equal(matchesFilters('flows/Main IVR'), true);
    assert.equal(matchesFilters('queues/Sales EU', ['queues/Sales*']), true);
    assert.equal(matchesFilters('queues/Support', ['queues/Sales*']), false);
    assert.equal(matchesFilters('flows/.hidden', ['flows/*']), true);
    assert.equal(matchesFilters('flows/#1 !x', ['flows/*'], ['flows/Test*']), true);
    assert.equal(matchesFilters('flows/Test 1', ['flows/*'], ['flows/Test*']), false);
  });

  it('writes and reads back the copy commit message', () => {
    const sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const message = copyCommitMessage('dev', sha, 'prod', {
      resources: [
        { key: 'flows/Main', folder: 'flows', name: 'Main', change: 'updated' },
        { key: 'queues/Q', folder: 'queues', name: 'Q', change: 'unchanged' },
      ],
      renamed: [{ kind: 'flow', folder: 'flows', from: 'Old', to: 'New' }],
    });
    const [subject] = message.split('\n');
    assert.equal(subject, 'copy dev@a1b2c3d4e5f6 to prod');
    assert.match(message, /^updated flows\/Main$/m);
    assert.match(message, /^renamed flows\/Old -> flows\/New$/m);
    assert.doesNotMatch(message, /queues\/Q/);
    assert.deepEqual(parseCopyMessage(message), { source: 'dev', target: 'prod', sha });
    assert.deepEqual(parseCopyMessage('copy dev@abc1234 to prod'), {
      source: 'dev',
      target: 'prod',
      sha: 'abc1234',
    });
    assert.equal(parseCopyMessage('pull dev'), undefined);
    assert.equal(parseCopyMessage('copy Dev@xyz to prod'), undefined);
  });
});
