import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateContactFlowCommand,
  CreateQuickConnectCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeQueueCommand,
  ListContactFlowsCommand,
  ListQueueQuickConnectsCommand,
  ListRoutingProfileQueuesCommand,
  UpdateContactFlowMetadataCommand,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { createClients, type Clients } from '../../src/connect/clients';
import { applyPlan } from '../../src/connect/writer';
import { planPush, type Plan } from '../../src/core/plan';
import type { Mapping } from '../../src/core/mapping';
import { ConnectCopyError } from '../../src/errors';
import { journalPath, openJournal } from '../../src/store/journal';
import {
  DEV_ACCOUNT,
  PROD_ACCOUNT,
  startEmulator,
  until,
  type TestEmulator,
} from '../helpers/emulator';
import { readInstance } from '../../src/connect/reader';
import { buildSnapshot, type Snapshot } from '../../src/core/snapshot';
import { NO_NAMING } from '../../src/core/naming';

type Body = Record<string, unknown>;
const tok = (form: 'arn' | 'id', kind: string, name: string) => `{{cc:${form}:${kind}:${name}}}`;

const action = (id: string, type: string, parameters: Body, next = 'end'): Body => ({
  Identifier: id,
  Type: type,
  Parameters: parameters,
  Transitions: { NextAction: next, Errors: [], Conditions: [] },
});
const end: Body = {
  Identifier: 'end',
  Type: 'DisconnectParticipant',
  Parameters: {},
  Transitions: {},
};
const content = (...actions: Body[]): Body => ({
  Version: '2019-10-30',
  StartAction: actions.length > 0 ? actions[0].Identifier : 'end',
  Metadata: { entryPointPosition: { x: 40, y: 40 } },
  Actions: [...actions, end],
});
const transferTo = (flow: string, id = 'transfer') =>
  action(id, 'TransferToFlow', { ContactFlowId: tok('arn', 'flow', flow) });

const flow = (name: string, body: Body, extra: Body = {}): [string, Body] => [
  `flows/${name}.json`,
  {
    Name: name,
    Type: 'CONTACT_FLOW',
    Description: `${name} flow`,
    State: 'ACTIVE',
    Status: 'PUBLISHED',
    Tags: {},
    Content: body,
    ...extra,
  },
];

const queueFile = (name: string, extra: Body = {}): [string, Body] => [
  `queues/${name}.json`,
  {
    Name: name,
    Description: `${name} queue`,
    HoursOfOperation: tok('id', 'hours', 'Office'),
    MaxContacts: 5,
    Status: 'ENABLED',
    OutboundCallerConfig: {},
    QuickConnects: [],
    Tags: {},
    ...extra,
  },
];

const QUEUES = Array.from({ length: 12 }, (_, i) => `Q${String(i + 1).padStart(2, '0')}`);

/** A branch with every kind push writes, cycles included. */
function branchFiles(): Map<string, string> {
  const entries: [string, Body][] = [
    [
      'hours/Office.json',
      {
        Name: 'Office',
        Description: 'Office hours',
        TimeZone: 'Europe/London',
        Config: [
          {
            Day: 'MONDAY',
            StartTime: { Hours: 9, Minutes: 0 },
            EndTime: { Hours: 17, Minutes: 0 },
          },
        ],
        Tags: { team: 'ops' },
      },
    ],
    ...QUEUES.map((q, i) =>
      queueFile(q, i === 0 ? { QuickConnects: ['Front desk', 'Reception'] } : {}),
    ),
    queueFile('Outbound', {
      OutboundCallerConfig: {
        OutboundCallerIdName: 'Acme',
        OutboundFlow: tok('id', 'flow', 'Whisper'),
      },
    }),
    [
      'routing-profiles/Big.json',
      {
        Name: 'Big',
        Description: 'Many queues',
        DefaultOutboundQueue: tok('id', 'queue', 'Q01'),
        MediaConcurrencies: ['CHAT', 'VOICE'].map((Channel, i) => ({
          Channel,
          Concurrency: 2 - i,
          CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
        })),
        AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
        // 12 queues on VOICE and 11 on CHAT: 23 configs, more than two calls' worth.
        Queues: QUEUES.flatMap((q, i) =>
          (i < 11 ? ['CHAT', 'VOICE'] : ['VOICE']).map((channel) => ({
            Queue: tok('id', 'queue', q),
            Channel: channel,
            Priority: 1 + (i % 3),
            Delay: 0,
          })),
        ),
        Tags: {},
      },
    ],
    flow('Chain 1', content(transferTo('Chain 2'))),
    flow('Chain 2', content(transferTo('Chain 3'))),
    flow(
      'Chain 3',
      content(
        action('hook', 'UpdateContactEventHooks', {
          EventHooks: { CustomerRemaining: tok('arn', 'flow', 'Sample disconnect flow') },
        }),
      ),
    ),
    flow('Ping', content(transferTo('Pong'))),
    flow('Pong', content(transferTo('Ping'))),
    flow(
      'Entry',
      content(action('m', 'InvokeFlowModule', { FlowModuleId: tok('id', 'module', 'Helper') })),
    ),
    [
      'modules/Helper.json',
      {
        Name: 'Helper',
        Description: 'Calls back into Entry',
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Tags: {},
        Content: {
          Version: '2019-10-30',
          StartAction: 'back',
          Actions: [
            action(
              'back',
              'TransferToFlow',
              { ContactFlowId: tok('arn', 'flow', 'Entry') },
              'done',
            ),
            { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
          ],
        },
        Settings: { InputParameters: [], OutputParameters: [], Transitions: [] },
      },
    ],
    flow(
      'Whisper',
      content(
        action('q', 'UpdateContactTargetQueue', { QueueId: tok('arn', 'queue', 'Outbound') }),
      ),
      { Type: 'OUTBOUND_WHISPER' },
    ),
  ];
  return new Map(entries.map(([p, b]) => [p, JSON.stringify(b, null, 2) + '\n']));
}

describe('connect: applyPlan against the emulator', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let sdk: ConnectClient;
  let clients: Clients;
  let gitdir: string;

  before(async () => {
    emu = await startEmulator();
    sdk = emu.connect(PROD_ACCOUNT);
  });
  after(async () => {
    clients?.close();
    await emu.stop();
  });
  beforeEach(async () => {
    await emu.control.clearFaults();
    clients?.close();
    clients = clientsFor(PROD_ACCOUNT);
    gitdir = mkdtempSync(join(tmpdir(), 'cc-push-'));
  });
  afterEach(() => rmSync(gitdir, { recursive: true, force: true }));

  /** No retries: a fault injected by a test fails the write at once. */
  const clientsFor = (account: string) =>
    createClients({
      endpointUrl: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'emulator-secret' },
      maxAttempts: 1,
      quota: false,
    });

  /** A fresh instance with Connect's defaults and the two quick connects the branch names. */
  async function emptyTarget(
    account = PROD_ACCOUNT,
  ): Promise<{ instanceId: string; mapping: Mapping }> {
    const instance = await emu.control.createInstance({ Account: account, Region: 'us-east-1' });
    for (const name of ['Reception', 'Front desk']) {
      await emu.connect(account).send(
        new CreateQuickConnectCommand({
          InstanceId: instance.Id,
          Name: name,
          QuickConnectConfig: {
            QuickConnectType: 'PHONE_NUMBER',
            PhoneConfig: { PhoneNumber: '+15550100' },
          },
        }),
      );
    }
    const reader = account === PROD_ACCOUNT ? clients : clientsFor(account);
    return { instanceId: instance.Id, mapping: (await snapshotOf(instance.Id, reader)).mapping };
  }

  /** The instance as push sees it: read with the real reader, rendered into canonical files. */
  async function snapshotOf(instanceId: string, reader = clients): Promise<Snapshot> {
    // The emulator's search does not return the saved view of a flow with a draft: describe it.
    const raw = await readInstance(
      reader,
      { instance: instanceId, region: 'us-east-1' },
      { draftDetection: 'describe' },
    );
    return buildSnapshot(raw, { environment: 'prod', naming: NO_NAMING });
  }

  function planFor(mapping: Mapping): Plan {
    const plan = planPush({ files: branchFiles(), remote: { files: new Map(), mapping } });
    assert.equal(plan.blocked, false, JSON.stringify([plan.unresolved, plan.problems]));
    return plan;
  }

  const writesOf = async (since: number) =>
    (await emu.control.calls(since)).filter((c) => c.write && c.service === 'connect');

  it('fills an empty instance, cycles included, every reference local', async () => {
    const { instanceId, mapping } = await emptyTarget();
    // A dry run is the plan alone: reading and planning write nothing.
    const dryRun = (await emu.control.calls()).at(-1)?.seq ?? 0;
    const remote = await snapshotOf(instanceId);
    const plan = planPush({ files: branchFiles(), remote: { files: remote.files, mapping } });
    assert.equal(plan.blocked, false, JSON.stringify([plan.unresolved, plan.problems]));
    assert.deepEqual(await writesOf(dryRun), []);
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    const progress: string[] = [];

    const { mapping: updated, results } = await applyPlan(clients, plan, {
      instanceId,
      mapping,
      journal: openJournal(gitdir, 'prod'),
      onProgress: (e) => progress.push(`${e.done}/${e.total}`),
    });
    const writes = await writesOf(before);
    const count = (op: string) => writes.filter((w) => w.operation === op).length;

    const total = plan.steps.filter((s) => s.action !== 'unchanged').length;
    assert.equal(progress.at(-1), `${total}/${total}`);
    assert.equal(count('CreateRoutingProfile'), 1);
    assert.equal(count('AssociateRoutingProfileQueues'), 2);
    // 7 new flows: each is created once; only the 4 on cycles get their content afterwards.
    assert.equal(count('CreateContactFlow'), 7);
    assert.equal(count('UpdateContactFlowContent'), 4);
    assert.deepEqual(plan.stubs.map((s) => s.key).sort(), [
      'flows/Entry',
      'flows/Ping',
      'flows/Pong',
      'flows/Whisper',
      'modules/Helper',
      'queues/Outbound',
    ]);
    assert.equal(count('CreateContactFlowModule'), 1);
    assert.equal(count('UpdateContactFlowModuleContent'), 1);
    assert.equal(
      writes.every((w) => w.status < 300),
      true,
    );
    assert.equal(existsSync(journalPath(gitdir, 'prod')), false, 'journal removed on success');

    // Read back with the SDK: published, and every reference points at this instance.
    const flows = updated.resources.flow!;
    for (const name of ['Chain 1', 'Chain 2', 'Chain 3', 'Ping', 'Pong', 'Entry', 'Whisper']) {
      const { ContactFlow: f } = await sdk.send(
        new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: flows[name].id }),
      );
      assert.equal(f?.Status, 'PUBLISHED', name);
      assert.equal(f?.Description, `${name} flow`);
      assert.doesNotMatch(f!.Content!, /\{\{cc:/, name);
    }
    const ping = await sdk.send(
      new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: flows.Ping.id }),
    );
    assert.equal(
      JSON.parse(ping.ContactFlow!.Content!).Actions[0].Parameters.ContactFlowId,
      flows.Pong.arn,
    );
    const hooked = JSON.parse(
      (
        await sdk.send(
          new DescribeContactFlowCommand({
            InstanceId: instanceId,
            ContactFlowId: flows['Chain 3'].id,
          }),
        )
      ).ContactFlow!.Content!,
    );
    assert.equal(
      hooked.Actions[0].Parameters.EventHooks.CustomerRemaining,
      mapping.resources.flow!['Sample disconnect flow'].arn,
    );
    const helper = await sdk.send(
      new DescribeContactFlowModuleCommand({
        InstanceId: instanceId,
        ContactFlowModuleId: updated.resources.module!.Helper.id,
      }),
    );
    assert.equal(
      JSON.parse(helper.ContactFlowModule!.Content!).Actions[0].Parameters.ContactFlowId,
      flows.Entry.arn,
    );

    const outbound = await sdk.send(
      new DescribeQueueCommand({
        InstanceId: instanceId,
        QueueId: updated.resources.queue!.Outbound.id,
      }),
    );
    assert.equal(outbound.Queue?.OutboundCallerConfig?.OutboundFlowId, flows.Whisper.id);
    assert.equal(outbound.Queue?.HoursOfOperationId, updated.resources.hours!.Office.id);
    const quick = await sdk.send(
      new ListQueueQuickConnectsCommand({
        InstanceId: instanceId,
        QueueId: updated.resources.queue!.Q01.id,
      }),
    );
    assert.deepEqual(quick.QuickConnectSummaryList?.map((q) => q.Name).sort(), [
      'Front desk',
      'Reception',
    ]);
    const rows = await sdk.send(
      new ListRoutingProfileQueuesCommand({
        InstanceId: instanceId,
        RoutingProfileId: updated.resources['routing-profile']!.Big.id,
      }),
    );
    assert.equal(rows.RoutingProfileQueueConfigSummaryList?.length, 23);
    assert.equal(results.find((r) => r.key === 'flows/Ping')?.id, flows.Ping.id);

    // After the push, a fresh read gives a plan with nothing to do, and applying it writes nothing.
    const fresh = await snapshotOf(instanceId);
    const again = planPush({
      files: branchFiles(),
      remote: { files: fresh.files, mapping: fresh.mapping },
    });
    const pending = again.steps.filter((s) => s.action !== 'unchanged');
    assert.deepEqual(
      pending.map((s) => `${s.key} ${s.action} ${s.changedFields.join(',')}`),
      [],
    );
    assert.deepEqual(again.conflicts, []);
    assert.equal(again.blocked, false);
    const quiet = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await applyPlan(clients, again, {
      instanceId,
      mapping: fresh.mapping,
      journal: openJournal(gitdir, 'prod'),
    });
    assert.deepEqual(await writesOf(quiet), []);
  });

  it('copies a pulled branch to another account: it pulls back byte-equal', async () => {
    // dev: built by a push, then pulled.
    const devClients = clientsFor(DEV_ACCOUNT);
    try {
      const dev = await emptyTarget(DEV_ACCOUNT);
      await applyPlan(devClients, planFor(dev.mapping), {
        instanceId: dev.instanceId,
        mapping: dev.mapping,
        journal: openJournal(gitdir, 'dev'),
      });
      const pulled = await snapshotOf(dev.instanceId, devClients);

      // prod: dev's files with prod's mapping, as a copy leaves the prod branch.
      const prod = await emptyTarget();
      const before = await snapshotOf(prod.instanceId);
      const files = new Map(pulled.files);
      files.set('mapping.json', before.files.get('mapping.json')!);
      const plan = planPush({ files, remote: { files: before.files, mapping: before.mapping } });
      assert.equal(plan.blocked, false, JSON.stringify([plan.unresolved, plan.problems]));
      // The default resources match by name and are already equal.
      assert.ok(
        plan.steps.some(
          (s) => s.key === 'flows/Default customer queue' && s.action === 'unchanged',
        ),
      );
      await applyPlan(clients, plan, {
        instanceId: prod.instanceId,
        mapping: before.mapping,
        journal: openJournal(gitdir, 'prod'),
      });

      const after = await snapshotOf(prod.instanceId);
      const differing = [...pulled.files.keys()].filter(
        (path) => path !== 'mapping.json' && after.files.get(path) !== pulled.files.get(path),
      );
      assert.deepEqual(differing, []);
      assert.deepEqual([...after.files.keys()].sort(), [...pulled.files.keys()].sort());
    } finally {
      devClients.close();
    }
  });

  it('updates from an edited pull; a console edit is a conflict until forced', async () => {
    const { instanceId, mapping } = await emptyTarget();
    await applyPlan(clients, planFor(mapping), {
      instanceId,
      mapping,
      journal: openJournal(gitdir, 'prod'),
    });

    // The branch as a pull leaves it, then edited.
    const pulled = await snapshotOf(instanceId);
    const files = new Map(pulled.files);
    const edit = (path: string, change: (body: Body) => void) => {
      const body = JSON.parse(files.get(path)!) as Body;
      change(body);
      files.set(path, JSON.stringify(body, null, 2) + '\n');
    };
    const pathOf = (folder: string, name: string) =>
      [...files.keys()].find(
        (p) => p.startsWith(`${folder}/`) && (JSON.parse(files.get(p)!) as Body).Name === name,
      )!;
    edit(pathOf('hours', 'Office'), (b) => {
      b.TimeZone = 'Europe/Paris';
      b.Tags = { tier: 'gold' };
    });
    edit(pathOf('queues', 'Q02'), (b) => {
      b.MaxContacts = 9;
      b.Description = 'Second queue';
    });
    type Row = { Queue: string; Channel: string; Priority: number; Delay: number };
    edit(pathOf('routing-profiles', 'Big'), (b) => {
      const rows = (b.Queues as Row[]).filter((r) => r.Queue !== tok('id', 'queue', 'Q11'));
      for (const r of rows) if (r.Queue === tok('id', 'queue', 'Q01')) r.Priority = 7;
      rows.push({ Queue: tok('id', 'queue', 'Q12'), Channel: 'CHAT', Priority: 3, Delay: 5 });
      b.Queues = rows;
    });
    edit(pathOf('flows', 'Chain 3'), (b) => {
      b.Content = content(transferTo('Chain 1'));
    });
    edit(pathOf('flows', 'Default customer queue'), (b) => {
      b.Description = 'Our queue music';
    });
    edit(pathOf('modules', 'Helper'), (b) => {
      b.Description = 'Helps';
    });
    edit(pathOf('flows', 'Chain 2'), (b) => {
      b.Description = 'branch words';
    });
    // Meanwhile someone edits Chain 2 in the console.
    await sdk.send(
      new UpdateContactFlowMetadataCommand({
        InstanceId: instanceId,
        ContactFlowId: pulled.mapping.resources.flow!['Chain 2'].id,
        Description: 'console words',
      }),
    );

    const now = await snapshotOf(instanceId);
    const input = {
      files,
      remote: { files: now.files, mapping: now.mapping },
      lastPulled: pulled.mapping.fingerprints,
      updateExistingQueues: true,
    };
    const blocked = planPush(input);
    assert.deepEqual(
      blocked.conflicts.map((c) => [c.key, c.branch.Description, c.remote.Description]),
      [['flows/Chain 2', 'branch words', 'console words']],
    );
    assert.equal(blocked.blocked, true);

    const plan = planPush({ ...input, force: true });
    assert.deepEqual(
      plan.steps
        .filter((s) => s.action !== 'unchanged')
        .map((s) => `${s.key}: ${s.changedFields}`)
        .sort(),
      [
        'flows/Chain 2: Description',
        'flows/Chain 3: Content',
        'flows/Default customer queue: Description',
        'hours/Office: TimeZone,Tags',
        'modules/Helper: Description',
        'queues/Q02: Description,MaxContacts',
        'routing-profiles/Big: Queues',
      ],
    );
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await applyPlan(clients, plan, {
      instanceId,
      mapping: now.mapping,
      journal: openJournal(gitdir, 'prod'),
    });
    const ops = (await writesOf(before)).map((w) => w.operation);
    assert.equal(ops.filter((o) => o.startsWith('Create')).length, 0);
    for (const op of [
      'DisassociateRoutingProfileQueues',
      'UpdateRoutingProfileQueues',
      'AssociateRoutingProfileQueues',
      'TagResource',
      'UntagResource',
      'UpdateHoursOfOperation',
      'UpdateQueueMaxContacts',
      'UpdateQueueName',
      'UpdateContactFlowContent',
      'UpdateContactFlowMetadata',
      'UpdateContactFlowModuleMetadata',
    ]) {
      assert.ok(ops.includes(op), `${op} in ${ops.join(', ')}`);
    }

    const after = await snapshotOf(instanceId);
    const rows = await sdk.send(
      new ListRoutingProfileQueuesCommand({
        InstanceId: instanceId,
        RoutingProfileId: after.mapping.resources['routing-profile']!.Big.id,
      }),
    );
    assert.equal(rows.RoutingProfileQueueConfigSummaryList?.length, 22);
    const settled = planPush({
      files,
      remote: { files: after.files, mapping: after.mapping },
      lastPulled: pulled.mapping.fingerprints,
    });
    assert.deepEqual(settled.conflicts, []);
    assert.deepEqual(
      settled.steps.filter((s) => s.action !== 'unchanged').map((s) => s.key),
      [],
    );
  });

  it('carries drafts, unpublished flows and archived state', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const entries: [string, Body][] = [
      flow('Drafty', content(), { Draft: content(transferTo('Sample disconnect flow')) }),
      flow('Unpublished', content(transferTo('Drafty')), { Status: 'SAVED' }),
      flow('Retired', content(), { State: 'ARCHIVED' }),
    ];
    const files = new Map(entries.map(([p, b]) => [p, JSON.stringify(b)]));
    const plan = planPush({ files, remote: { files: new Map(), mapping } });
    const { mapping: updated } = await applyPlan(clients, plan, {
      instanceId,
      mapping,
      journal: openJournal(gitdir, 'prod'),
    });
    const describe = (id: string) =>
      sdk.send(new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: id }));
    const ids = updated.resources.flow!;
    const published = (await describe(ids.Drafty.id!)).ContactFlow!;
    const draft = (await describe(`${ids.Drafty.id}:$SAVED`)).ContactFlow!;
    assert.equal(published.Status, 'PUBLISHED');
    assert.equal(JSON.parse(published.Content!).Actions.length, 1);
    assert.equal(
      JSON.parse(draft.Content!).Actions[0].Parameters.ContactFlowId,
      mapping.resources.flow!['Sample disconnect flow'].arn,
    );
    assert.equal((await describe(ids.Unpublished.id!)).ContactFlow!.Status, 'SAVED');
    assert.equal((await describe(ids.Retired.id!)).ContactFlow!.State, 'ARCHIVED');

    const fresh = await snapshotOf(instanceId);
    const again = planPush({ files, remote: { files: fresh.files, mapping: fresh.mapping } });
    assert.deepEqual(again.conflicts, []);
    assert.deepEqual(
      again.steps
        .filter((s) => s.action !== 'unchanged')
        .map((s) => `${s.key}: ${s.changedFields}`),
      [],
    );

    // The draft leaves the branch: publishing again drops it from the instance too.
    const [path, body] = flow('Drafty', content());
    files.set(path, JSON.stringify(body));
    const dropped = planPush({
      files,
      remote: { files: fresh.files, mapping: fresh.mapping },
      lastPulled: fresh.mapping.fingerprints,
    });
    assert.deepEqual(
      dropped.steps
        .filter((s) => s.action !== 'unchanged')
        .map((s) => `${s.key}: ${s.changedFields}`),
      ['flows/Drafty: Draft'],
    );
    await applyPlan(clients, dropped, {
      instanceId,
      mapping: fresh.mapping,
      journal: openJournal(gitdir, 'prod'),
    });
    const latest = (await describe(`${ids.Drafty.id}:$SAVED`)).ContactFlow!;
    assert.equal(latest.Content, (await describe(ids.Drafty.id!)).ContactFlow!.Content);
  });

  it('creates N acyclic new flows in N CreateContactFlow calls, no content updates', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const names = Array.from({ length: 6 }, (_, i) => `Step ${i}`);
    const files = new Map(
      names.map((name, i) => {
        const [path, body] = flow(
          name,
          content(...(i + 1 < names.length ? [transferTo(names[i + 1])] : [])),
        );
        return [path, JSON.stringify(body)];
      }),
    );
    const plan = planPush({ files, remote: { files: new Map(), mapping } });
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') });
    const ops = (await writesOf(before)).map((w) => w.operation);
    assert.deepEqual(
      ops,
      names.map(() => 'CreateContactFlow'),
    );
  });

  it('stops at a persistent failure naming resource and step; resumes, no duplicates', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const plan = planFor(mapping);
    const start = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await emu.control.addFault({ operations: ['write'], skip: 6, status: 500 });

    const failure = await applyPlan(clients, plan, {
      instanceId,
      mapping,
      journal: openJournal(gitdir, 'prod'),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof ConnectCopyError, String(failure));
    assert.equal(failure.code, 'PUSH_WRITE_FAILED');
    const attempted = await writesOf(start);
    const mine = attempted.filter((w) => w.instanceId === instanceId);
    assert.equal(mine.filter((w) => w.status < 300).length, 6);
    const failed = mine.find((w) => w.status >= 500)!;
    // The error names the resource and the step of the write that failed.
    const failedStep = plan.steps.find((s) => s.key === failure.data.resource)!;
    assert.ok(failedStep, String(failure.data.resource));
    assert.match(
      failure.message,
      new RegExp(`"${failedStep.name}".*"${String(failure.data.step)}"`),
    );
    assert.ok(failed, 'a write failed');
    // Other writes were in flight: the step named is one the journal shows begun, never finished.
    const journaled = openJournal(gitdir, 'prod').get(`${failedStep.key}#${failure.data.step}`);
    assert.equal(journaled?.state, 'started');
    assert.equal(existsSync(journalPath(gitdir, 'prod')), true);

    await emu.control.clearFaults();
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') });
    const rerun = await writesOf(before);
    assert.equal(rerun.filter((w) => w.operation === 'CreateHoursOfOperation').length, 0);
    const creates = mine.filter((w) => w.status < 300 && w.operation.startsWith('Create')).length;
    const total = plan.steps.filter((s) => s.action === 'create').length;
    assert.equal(rerun.filter((w) => w.operation.startsWith('Create')).length, total - creates);

    const raw = await readInstance(clients, { instance: instanceId, region: 'us-east-1' });
    const names = [
      ...raw.queues.map((q) => `queue:${q.queue.Name}`),
      ...raw.flows.map((f) => `flow:${f.flow.Name}`),
      ...raw.modules.map((m) => `module:${m.module.Name}`),
      ...raw.hours.map((h) => `hours:${h.Name}`),
      ...raw.routingProfiles.map((r) => `routing-profile:${r.profile.Name}`),
    ];
    assert.equal(new Set(names).size, names.length, 'no duplicate names');
    assert.equal(existsSync(journalPath(gitdir, 'prod')), false);
  });

  it('resumes with a fresh plan: what the interrupted push wrote is not a conflict', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const lastPulled = mapping.fingerprints;
    await emu.control.addFault({ operations: ['write'], skip: 3, status: 500 });
    await assert.rejects(
      applyPlan(clients, planFor(mapping), {
        instanceId,
        mapping,
        journal: openJournal(gitdir, 'prod'),
      }),
      (e: unknown) => e instanceof ConnectCopyError && e.code === 'PUSH_WRITE_FAILED',
    );
    await emu.control.clearFaults();

    // The command re-reads the instance and re-plans; the journal says which writes were ours.
    const journal = openJournal(gitdir, 'prod');
    const touched = journal.touched();
    const now = await snapshotOf(instanceId);
    const input = {
      files: branchFiles(),
      remote: { files: now.files, mapping: now.mapping },
      lastPulled,
    };
    // Without the journal, half-made resources look like console edits (conflicts) or like
    // existing queues that push leaves alone.
    const stuck = (p: Plan) => [
      ...p.conflicts.map((c) => c.key),
      ...p.steps
        .filter((s) => s.action === 'unchanged' && s.changedFields.length > 0)
        .map((s) => s.key),
    ];
    const naive = stuck(planPush(input));
    assert.ok(naive.length > 0);
    assert.ok(
      naive.every((key) => touched.includes(key)),
      naive.join(),
    );

    const plan = planPush({ ...input, resumed: touched });
    assert.deepEqual(stuck(plan), []);
    assert.equal(plan.blocked, false);
    await applyPlan(clients, plan, { instanceId, mapping: now.mapping, journal });

    const done = await snapshotOf(instanceId);
    const names = [...done.files.keys()];
    assert.equal(new Set(names).size, names.length);
    const settled = planPush({
      files: branchFiles(),
      remote: { files: done.files, mapping: done.mapping },
    });
    assert.deepEqual(settled.conflicts, []);
    assert.deepEqual(
      settled.steps
        .filter((s) => s.action !== 'unchanged')
        .map((s) => `${s.key}: ${s.changedFields}`),
      [],
    );
    const outbound = await sdk.send(
      new DescribeQueueCommand({
        InstanceId: instanceId,
        QueueId: done.mapping.resources.queue!.Outbound.id,
      }),
    );
    assert.equal(
      outbound.Queue?.OutboundCallerConfig?.OutboundFlowId,
      done.mapping.resources.flow!.Whisper.id,
    );
  });

  it('redoes a batch of queues whose name an interrupted push used for other queues', async () => {
    // Big's 23 queue configs: 10 go with the create, then batches 0 (10) and 1 (3). The second
    // batch fails; the re-run's plan updates Big, and its first batch is the 3 still missing.
    const { instanceId, mapping } = await emptyTarget();
    await emu.control.addFault({
      operations: ['AssociateRoutingProfileQueues'],
      skip: 1,
      status: 500,
    });
    await assert.rejects(
      applyPlan(clients, planFor(mapping), {
        instanceId,
        mapping,
        journal: openJournal(gitdir, 'prod'),
      }),
      (e: unknown) => e instanceof ConnectCopyError && e.data.resource === 'routing-profiles/Big',
    );
    await emu.control.clearFaults();

    const journal = openJournal(gitdir, 'prod');
    assert.equal(journal.get('routing-profiles/Big#queues-associate:0')?.state, 'done');
    const now = await snapshotOf(instanceId);
    const plan = planPush({
      files: branchFiles(),
      remote: { files: now.files, mapping: now.mapping },
      lastPulled: mapping.fingerprints,
      resumed: journal.touched(),
    });
    const big = plan.steps.find((s) => s.key === 'routing-profiles/Big');
    assert.deepEqual([big?.action, big?.changedFields], ['update', ['Queues']]);
    await applyPlan(clients, plan, { instanceId, mapping: now.mapping, journal });

    const done = await snapshotOf(instanceId);
    const queues = JSON.parse(done.files.get('routing-profiles/Big.json')!) as { Queues: [] };
    assert.equal(queues.Queues.length, 23);
    const settled = planPush({
      files: branchFiles(),
      remote: { files: done.files, mapping: done.mapping },
    });
    assert.deepEqual(
      settled.steps.filter((s) => s.action !== 'unchanged').map((s) => s.key),
      [],
    );
  });

  it('adopts a create that happened but was never recorded instead of redoing it', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const files = new Map([flow('Solo', content())].map(([p, b]) => [p, JSON.stringify(b)]));
    const plan = planPush({ files, remote: { files: new Map(), mapping } });

    // The killed run: the journal says the create started, and Connect did create the flow.
    const journal = openJournal(gitdir, 'prod');
    await journal.begin(
      { key: 'flows/Solo#create', resource: 'flows/Solo', operation: 'create' },
      instanceId,
    );
    const created = await sdk.send(
      new CreateContactFlowCommand({
        InstanceId: instanceId,
        Name: 'Solo',
        Type: 'CONTACT_FLOW',
        Content: JSON.stringify(content()),
      }),
    );

    const { mapping: updated } = await applyPlan(clients, plan, {
      instanceId,
      mapping,
      journal: openJournal(gitdir, 'prod'),
    });
    assert.equal(updated.resources.flow!.Solo.id, created.ContactFlowId);
    const list = await sdk.send(new ListContactFlowsCommand({ InstanceId: instanceId }));
    assert.equal(list.ContactFlowSummaryList?.filter((f) => f.Name === 'Solo').length, 1);
  });

  describe('writes side by side', () => {
    const basicHours = { HoursOfOperation: tok('id', 'hours', 'Basic Hours') };
    const moduleFile = (name: string): [string, Body] => [
      `modules/${name}.json`,
      {
        Name: name,
        Description: `${name} module`,
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Tags: {},
        Content: {
          Version: '2019-10-30',
          StartAction: 'done',
          Actions: [
            { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
          ],
        },
      },
    ];
    const routerFlow = (queue: string) =>
      flow(
        'Router',
        content(action('q', 'UpdateContactTargetQueue', { QueueId: tok('arn', 'queue', queue) })),
      );
    const planOf = (mapping: Mapping, entries: [string, Body][]): Plan => {
      const files = new Map(entries.map(([p, b]) => [p, JSON.stringify(b)]));
      const plan = planPush({ files, remote: { files: new Map(), mapping } });
      assert.equal(plan.blocked, false, JSON.stringify([plan.unresolved, plan.problems]));
      return plan;
    };
    const lastSeq = async () => (await emu.control.calls()).at(-1)?.seq ?? 0;
    const heldBy = async (id: number) =>
      (await emu.control.faults()).find((f) => f.id === id)?.held ?? 0;
    const answered = async (since: number, operation: string) =>
      (await emu.control.calls(since)).filter((c) => c.operation === operation);

    /** Settles to the result or the error, so a pending push never rejects unhandled. */
    const settle = <T>(promise: Promise<T>) =>
      promise.then(
        (value) => ({ value, error: undefined }),
        (error: unknown) => ({ value: undefined, error }),
      );

    it('creates a module while a queue create is still unanswered', async () => {
      const { instanceId, mapping } = await emptyTarget();
      const plan = planOf(mapping, [
        queueFile('Held A', basicHours),
        queueFile('Held B', basicHours),
        moduleFile('Free'),
      ]);
      const since = await lastSeq();
      const hold = await emu.control.addFault({ operations: ['CreateQueue'], hold: true });

      const push = settle(
        applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') }),
      );
      try {
        await until('CreateContactFlowModule answered while CreateQueue is held', async () => {
          const module = await answered(since, 'CreateContactFlowModule');
          return (await heldBy(hold.Id)) > 0 && module.some((c) => c.status < 300);
        });
        assert.deepEqual(await answered(since, 'CreateQueue'), []);
      } finally {
        await emu.control.releaseFaults();
      }
      const { value, error } = await push;
      assert.equal(error, undefined, String(error));
      assert.deepEqual(
        value!.results.map((r) => `${r.key} ${r.operations.join(',')}`),
        plan.steps.map((s) => `${s.key} create`),
        'results in plan order',
      );
      assert.equal((await answered(since, 'CreateQueue')).length, 2);
    });

    it('starts a step only after the step creating what it references finished', async () => {
      const { instanceId, mapping } = await emptyTarget();
      const plan = planOf(mapping, [
        queueFile('Target', basicHours),
        routerFlow('Target'),
        moduleFile('Free'),
      ]);
      assert.deepEqual(plan.steps.find((s) => s.key === 'flows/Router')?.dependsOn, [
        'queues/Target',
      ]);
      const since = await lastSeq();
      const queueHold = await emu.control.addFault({ operations: ['CreateQueue'], hold: true });
      const flowHold = await emu.control.addFault({
        operations: ['CreateContactFlow'],
        hold: true,
      });

      const push = settle(
        applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') }),
      );
      try {
        await until('the module answered while the queue create is held', async () => {
          const module = await answered(since, 'CreateContactFlowModule');
          return (await heldBy(queueHold.Id)) > 0 && module.some((c) => c.status < 300);
        });
        assert.equal(await heldBy(flowHold.Id), 0, 'the flow was sent before its queue existed');
        assert.deepEqual(await answered(since, 'CreateContactFlow'), []);

        await emu.control.releaseFaults(queueHold.Id);
        await until('the flow is sent once its queue is created', async () => {
          return (await heldBy(flowHold.Id)) > 0;
        });
        assert.equal((await answered(since, 'CreateQueue')).length, 1);
      } finally {
        await emu.control.releaseFaults();
      }
      const { value, error } = await push;
      assert.equal(error, undefined, String(error));
      const created = value!.mapping.resources;
      const router = await sdk.send(
        new DescribeContactFlowCommand({
          InstanceId: instanceId,
          ContactFlowId: created.flow!.Router.id,
        }),
      );
      assert.equal(
        JSON.parse(router.ContactFlow!.Content!).Actions[0].Parameters.QueueId,
        created.queue!.Target.arn,
      );
    });

    it('stops starting steps at a failure, settles those in flight, resumes without twins', async () => {
      const { instanceId, mapping } = await emptyTarget();
      const plan = planOf(mapping, [
        queueFile('Held A', basicHours),
        queueFile('Held B', basicHours),
        moduleFile('Broken'),
        routerFlow('Held A'),
      ]);
      const since = await lastSeq();
      const hold = await emu.control.addFault({ operations: ['CreateQueue'], hold: true });
      await emu.control.addFault({ operations: ['CreateContactFlowModule'], status: 500 });

      const push = settle(
        applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') }),
      );
      try {
        await until('the module create failed while both queue creates are held', async () => {
          const module = await answered(since, 'CreateContactFlowModule');
          return (await heldBy(hold.Id)) === 2 && module.some((c) => c.status >= 500);
        });
      } finally {
        await emu.control.releaseFaults(hold.Id);
      }
      const { error } = await push;
      assert.ok(error instanceof ConnectCopyError, String(error));
      assert.equal(error.code, 'PUSH_WRITE_FAILED');
      assert.equal(error.data.resource, 'modules/Broken');
      assert.match(error.message, /"Broken"/);
      // The queues in flight finished and were journaled; the flow waiting on one never started.
      assert.equal((await answered(since, 'CreateQueue')).filter((c) => c.status < 300).length, 2);
      assert.deepEqual(await answered(since, 'CreateContactFlow'), []);
      const journal = openJournal(gitdir, 'prod');
      for (const queue of ['Held A', 'Held B']) {
        assert.equal(journal.get(`queues/${queue}#create`)?.state, 'done', queue);
      }

      await emu.control.clearFaults();
      const rerun = await lastSeq();
      await applyPlan(clients, plan, { instanceId, mapping, journal });
      const creates = (await emu.control.calls(rerun)).filter((c) =>
        c.operation.startsWith('Create'),
      );
      assert.deepEqual(creates.map((c) => c.operation).sort(), [
        'CreateContactFlow',
        'CreateContactFlowModule',
      ]);
      const raw = await readInstance(clients, { instance: instanceId, region: 'us-east-1' });
      const names = [
        ...raw.queues.map((q) => `queue:${q.queue.Name}`),
        ...raw.modules.map((m) => `module:${m.module.Name}`),
        ...raw.flows.map((f) => `flow:${f.flow.Name}`),
      ];
      assert.equal(new Set(names).size, names.length, 'no name twice');
      for (const name of ['queue:Held A', 'queue:Held B', 'module:Broken', 'flow:Router']) {
        assert.ok(names.includes(name), name);
      }
    });
  });

  it('refuses a journal that records writes to another instance', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const stale = openJournal(gitdir, 'prod');
    await stale.begin(
      { key: 'flows/Solo#create', resource: 'flows/Solo', operation: 'create' },
      'other',
    );
    await stale.finish('flows/Solo#create', { id: 'not-here', arn: 'arn:not-here' });
    const files = new Map([flow('Solo', content())].map(([p, b]) => [p, JSON.stringify(b)]));
    const plan = planPush({ files, remote: { files: new Map(), mapping } });
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await assert.rejects(
      applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') }),
      (e: unknown) => e instanceof ConnectCopyError && e.code === 'PUSH_JOURNAL_OTHER_INSTANCE',
    );
    assert.deepEqual(await writesOf(before), []);
  });

  it('refuses a blocked plan without writing anything', async () => {
    const { instanceId, mapping } = await emptyTarget();
    const files = new Map(
      [flow('Lost', content(transferTo('Nowhere')))].map(([p, b]) => [p, JSON.stringify(b)]),
    );
    const plan = planPush({ files, remote: { files: new Map(), mapping } });
    assert.equal(plan.blocked, true);
    const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
    await assert.rejects(
      applyPlan(clients, plan, { instanceId, mapping, journal: openJournal(gitdir, 'prod') }),
      (e: unknown) => e instanceof ConnectCopyError && e.code === 'PUSH_BLOCKED',
    );
    assert.deepEqual(await writesOf(before), []);
  });
});
