import { strict as assert } from 'node:assert';
import {
  diffEnvironments,
  diffStatus,
  isEmptyDiff,
  renderDiffText,
  renderStatusText,
} from '../../src/core/diff';
import { renderCanonical } from '../../src/core/canonical';
import type { Mapping } from '../../src/core/mapping';
import type { Json } from '../../src/core/tokens';
import {
  buildEnvFiles,
  flowResource,
  mappingsFor,
  moduleResource,
  translate,
  type RawResource,
} from '../helpers/environments';

const CALLBACK =
  'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json';
const AGENT_HOLD = 'flows/sophyphile__amazon-connect-terraform-flow-templater__agent_hold.json';
const MODULE = 'modules/aws-samples__sample-amazon-connect-outbound-call__ErrorModule.json';

/** Identifier of the callback flow's "Set working queue" block. */
const SET_QUEUE = '7c70fd00-5faa-42ac-927c-d3ff96ce5c54';

type Action = { Identifier: string; Type: string; Parameters: Record<string, Json> };

function actions(content: Json): Action[] {
  return (content as { Actions: Action[] }).Actions;
}

function setup() {
  const pair = mappingsFor({ callback: CALLBACK, hold: AGENT_HOLD, module: MODULE });
  // A second queue both instances have, for a block to switch to.
  const salesA = `${pair.a.instance.arn}/queue/5b1c2f2e-0000-4000-8000-000000000001`;
  const salesB = `${pair.b.instance.arn}/queue/5b1c2f2e-0000-4000-8000-000000000002`;
  pair.a.resources.queue = {
    ...pair.a.resources.queue,
    Sales: { id: salesA.slice(-36), arn: salesA },
  };
  pair.b.resources.queue = {
    ...pair.b.resources.queue,
    Sales: { id: salesB.slice(-36), arn: salesB },
  };
  const resources = (m: Mapping, from: Mapping): RawResource[] => [
    flowResource('Callback entry', translate(pair.contents.get('callback')!, from, m)),
    flowResource('Agent hold', translate(pair.contents.get('hold')!, from, m), 'AGENT_HOLD'),
    moduleResource('Error module', translate(pair.contents.get('module')!, from, m)),
  ];
  return { ...pair, resources, salesB };
}

describe('diffEnvironments', () => {
  it('is empty for two environments in sync whose mappings differ', async () => {
    const { a, b, resources } = setup();
    const filesA = await buildEnvFiles(a, resources(a, a));
    const filesB = await buildEnvFiles(b, resources(b, a));

    // The raw contents really differ (other instance, other ids); only the tokens make them equal.
    const rawA = JSON.stringify(resources(a, a)[0].fields.Content);
    const rawB = JSON.stringify(resources(b, a)[0].fields.Content);
    assert.notEqual(rawA, rawB);
    assert.ok(rawA.includes(a.instance.id) && rawB.includes(b.instance.id));

    const diff = diffEnvironments(filesA, filesB);
    assert.ok(isEmptyDiff(diff), renderDiffText(diff));
    assert.equal(diff.mappingDiffers, true);
    assert.equal(diff.counts.unchanged, 3);
    assert.match(renderDiffText(diff), /No differences/);
  });

  it('shows a one-block change in a real flow by block, type and referenced queue', async () => {
    const { a, b, resources, salesB } = setup();
    const filesA = await buildEnvFiles(a, resources(a, a));
    const changed = resources(b, a);
    const content = changed[0].fields.Content as {
      Metadata: { ActionMetadata: Record<string, { position: { x: number } }> };
    };
    actions(content).find((x) => x.Identifier === SET_QUEUE)!.Parameters.QueueId = salesB;
    // A designer move of another block is layout noise: counted, not listed.
    content.Metadata.ActionMetadata['48798a4c-edba-4b17-8996-362f0af1bc54'].position.x += 40;
    const filesB = await buildEnvFiles(b, changed);

    const diff = diffEnvironments(filesA, filesB);
    assert.equal(diff.resources.length, 1);
    const [r] = diff.resources;
    assert.deepEqual(
      [r.change, r.folder, r.name, r.fields],
      ['changed', 'flows', 'Callback entry', []],
    );
    assert.equal(r.content.length, 1);
    const c = r.content[0];
    assert.deepEqual(c.blocksAdded, []);
    assert.deepEqual(c.blocksRemoved, []);
    assert.equal(c.blocksChanged.length, 1);
    assert.equal(c.blocksChanged[0].identifier, SET_QUEUE);
    assert.equal(c.blocksChanged[0].type, 'UpdateContactTargetQueue');
    assert.deepEqual(c.blocksChanged[0].references, ['queue Sales']);
    assert.deepEqual(c.blocksChanged[0].fields, ['Parameters.QueueId']);
    assert.equal(c.layoutMoves, 1);
    assert.deepEqual(c.otherFields, []);

    const text = renderDiffText(diff, { labels: ['dev', 'prod'] });
    assert.match(text, /~ flows\/Callback entry/);
    assert.ok(text.includes(`UpdateContactTargetQueue "${SET_QUEUE}" -> queue Sales`), text);
    assert.match(text, /1 block moved in the designer/);
    assert.ok(!text.includes('"Actions"'), 'no raw JSON in the terminal output');
  });

  it('lists added, removed and changed resources, and blocks added and removed', async () => {
    const { a, resources } = setup();
    const base = resources(a, a);
    const filesA = await buildEnvFiles(a, base);
    const edited = base.filter((r) => r.name !== 'Error module').map((r) => structuredClone(r));
    const hold = edited.find((r) => r.name === 'Agent hold')!;
    const holdActions = actions(hold.fields.Content);
    const removed = holdActions.pop()!;
    holdActions.push({
      Identifier: 'new-block',
      Type: 'MessageParticipant',
      Parameters: { Text: 'hi' },
    });
    hold.fields.Description = 'Hold music, v2';
    edited.push(flowResource('Brand new', structuredClone(base[0].fields.Content)));
    const filesB = await buildEnvFiles(a, edited);

    const diff = diffEnvironments(filesA, filesB);
    const byName = new Map(diff.resources.map((r) => [r.name, r]));
    assert.equal(byName.get('Brand new')?.change, 'added');
    assert.equal(byName.get('Error module')?.change, 'removed');
    const h = byName.get('Agent hold')!;
    assert.deepEqual(h.fields, ['Description']);
    assert.deepEqual(
      h.content[0].blocksAdded.map((x) => x.identifier),
      ['new-block'],
    );
    assert.deepEqual(
      h.content[0].blocksRemoved.map((x) => x.identifier),
      [removed.Identifier],
    );
    assert.deepEqual(diff.counts, { added: 1, removed: 1, changed: 1, unchanged: 1 });

    const stat = renderDiffText(diff, { stat: true }).trimEnd().split('\n');
    assert.ok(stat.includes('+ flows/Brand new (added)'), stat.join('\n'));
    assert.ok(stat.includes('- modules/Error module (removed)'), stat.join('\n'));
    assert.ok(
      stat.includes('~ flows/Agent hold: Description; blocks: 1 added, 1 removed'),
      stat.join('\n'),
    );
    assert.equal(stat.filter((l) => l.startsWith('    ')).length, 0, 'stat has no block lines');

    const drafted = structuredClone(edited);
    drafted.find((r) => r.name === 'Brand new')!.fields.Draft = base[0].fields.Content;
    const withDraft = diffEnvironments(filesB, await buildEnvFiles(a, drafted));
    assert.deepEqual(
      withDraft.resources.map((r) => [r.name, r.fields, r.content.length]),
      [['Brand new', ['Draft'], 0]],
    );

    const flowsOnly = diffEnvironments(filesA, filesB, {
      include: ['flows/*'],
      exclude: ['flows/Brand*'],
    });
    assert.deepEqual(
      flowsOnly.resources.map((r) => r.name),
      ['Agent hold'],
    );
  });

  it('matches resources by the Name inside the file, not by file name', async () => {
    const { a, resources } = setup();
    const filesA = await buildEnvFiles(a, resources(a, a));
    const filesB = new Map<string, string>();
    for (const [path, text] of filesA) {
      filesB.set(path.replace('flows/Callback entry.json', 'flows/renamed-on-disk.json'), text);
    }
    assert.ok(filesB.has('flows/renamed-on-disk.json'));
    assert.ok(isEmptyDiff(diffEnvironments(filesA, filesB)));
  });

  it('lists the items added to and removed from a routing profile', async () => {
    const queue = (name: string, channel: string, priority: number) => ({
      Queue: `{{cc:arn:queue:${name}}}`,
      Channel: channel,
      Priority: priority,
      Delay: 0,
    });
    const profile = async (queues: object[]) =>
      renderCanonical({
        Name: 'Agents',
        Description: 'Front line',
        DefaultOutboundQueue: '{{cc:arn:queue:Sales}}',
        MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
        Queues: queues,
      });
    const filesA = new Map([
      ['routing-profiles/Agents.json', await profile([queue('Sales', 'VOICE', 1)])],
    ]);
    const filesB = new Map([
      [
        'routing-profiles/Agents.json',
        await profile([queue('Sales', 'VOICE', 2), queue('Support', 'CHAT', 1)]),
      ],
    ]);
    const [r] = diffEnvironments(filesA, filesB).resources;
    assert.deepEqual(r.fields, ['Queues']);
    assert.deepEqual(r.lists, [
      {
        field: 'Queues',
        added: [
          'Channel VOICE, Delay 0, Priority 2, queue Sales',
          'Channel CHAT, Delay 0, Priority 1, queue Support',
        ],
        removed: ['Channel VOICE, Delay 0, Priority 1, queue Sales'],
      },
    ]);
    assert.match(
      renderDiffText(diffEnvironments(filesA, filesB)),
      /\+ Queues: Channel CHAT, Delay 0, Priority 1, queue Support/,
    );
  });
});

describe('diffStatus', () => {
  it('tells local edits, console changes and conflicts apart', async () => {
    const { a, resources } = setup();
    const pulled = await buildEnvFiles(a, resources(a, a));
    const fingerprints = {
      'flows/Callback entry': 'p1',
      'flows/Agent hold': 'p2',
      'modules/Error module': 'p3',
    };

    const local = resources(a, a).map((r) => structuredClone(r));
    local[0].fields.Description = 'edited on the branch'; // Callback: local only
    local[1].fields.Description = 'edited on the branch'; // Agent hold: both
    const branch = await buildEnvFiles(a, local);

    const remote = resources(a, a).map((r) => structuredClone(r));
    remote[1].fields.Description = 'edited in the console';
    remote[2].fields.Description = 'edited in the console'; // Error module: console only
    const remoteFiles = await buildEnvFiles(a, remote);
    const remotePrints = {
      ...fingerprints,
      'flows/Agent hold': 'r2',
      'modules/Error module': 'r3',
    };

    const status = diffStatus(branch, remoteFiles, fingerprints, remotePrints, pulled);
    const states = Object.fromEntries(status.entries.map((e) => [e.key, e.state]));
    assert.deepEqual(states, {
      'flows/Agent hold': 'conflict',
      'flows/Callback entry': 'local',
      'modules/Error module': 'remote',
    });
    assert.equal(status.exact, true);
    assert.match(renderStatusText(status, 'dev'), /C flows\/Agent hold: CONFLICT/);

    // Without the pulled files a console change hides whether the branch changed too.
    const rough = diffStatus(branch, remoteFiles, fingerprints, remotePrints);
    assert.equal(rough.entries.find((e) => e.key === 'flows/Callback entry')?.state, 'local');
    assert.equal(rough.entries.find((e) => e.key === 'modules/Error module')?.state, 'remote');
    assert.equal(rough.exact, false);
  });

  it('reports resources created and deleted on either side', async () => {
    const { a, resources } = setup();
    const all = resources(a, a);
    const pulled = await buildEnvFiles(a, all.slice(0, 2));
    const prints = { 'flows/Callback entry': 'p1', 'flows/Agent hold': 'p2' };
    const branch = await buildEnvFiles(a, [all[0], all[1], all[2]]); // module added locally
    const remoteFiles = await buildEnvFiles(a, [all[0]]); // hold deleted in the console
    const status = diffStatus(
      branch,
      remoteFiles,
      prints,
      { 'flows/Callback entry': 'p1' },
      pulled,
    );
    assert.deepEqual(
      status.entries.map((e) => [e.key, e.state, e.local ?? e.remote]),
      [
        ['flows/Agent hold', 'remote', 'removed'],
        ['modules/Error module', 'local', 'added'],
      ],
    );
  });
});
