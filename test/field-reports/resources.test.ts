import { strict as assert } from 'node:assert';
import {
  AssociateRoutingProfileQueuesCommand,
  CreateContactFlowModuleCommand,
  CreateHoursOfOperationCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeQueueCommand,
  ListHoursOfOperationsCommand,
  ListRoutingProfileQueuesCommand,
  type ConnectClient,
  type RoutingProfileQueueConfig,
} from '@aws-sdk/client-connect';
import { TestEmulator } from '../helpers/emulator';
import { endAction, moduleContent } from '../helpers/flows';
import { pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { diffAction } from '../../src/actions/compare';
import {
  DEV,
  PROD,
  copyAndPush,
  fileByName,
  idOf,
  seedSpecs,
  startRecordingProxy,
  type RecordingProxy,
} from './setup';

type Body = Record<string, unknown>;

describe('field reports: resource fields through pull, copy and push', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let repo: TestRepo;

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  const empty = (account: string, alias: string) =>
    seedSpecs(emu, [], { alias, account, region: 'us-east-1' });

  async function basicHours(sdk: ConnectClient, instanceId: string): Promise<string> {
    const list = await sdk.send(new ListHoursOfOperationsCommand({ InstanceId: instanceId }));
    return list.HoursOfOperationSummaryList!.find((h) => h.Name === 'Basic Hours')!.Id!;
  }

  async function createQueues(sdk: ConnectClient, instanceId: string, names: string[]) {
    const hours = await basicHours(sdk, instanceId);
    const ids: Record<string, string> = {};
    for (const name of names) {
      const made = await sdk.send(
        new CreateQueueCommand({ InstanceId: instanceId, Name: name, HoursOfOperationId: hours }),
      );
      ids[name] = made.QueueId!;
    }
    return ids;
  }

  /** Creates a routing profile with any number of queue configs, ten per call as Connect allows. */
  async function createProfile(
    sdk: ConnectClient,
    instanceId: string,
    name: string,
    configs: RoutingProfileQueueConfig[],
    extra: Body = {},
  ): Promise<string> {
    const made = await sdk.send(
      new CreateRoutingProfileCommand({
        InstanceId: instanceId,
        Name: name,
        Description: `${name} profile`,
        DefaultOutboundQueueId: configs[0].QueueReference!.QueueId,
        MediaConcurrencies: [
          { Channel: 'VOICE', Concurrency: 1 },
          { Channel: 'CHAT', Concurrency: 2 },
        ],
        QueueConfigs: configs.slice(0, 10),
        ...extra,
      }),
    );
    for (let i = 10; i < configs.length; i += 10) {
      await sdk.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: instanceId,
          RoutingProfileId: made.RoutingProfileId!,
          QueueConfigs: configs.slice(i, i + 10),
        }),
      );
    }
    return made.RoutingProfileId!;
  }

  /** Pulls, copies and pushes through a proxy that records every request body by path. */
  async function throughProxy(
    rewrite: (path: string, answer: Body) => Body = (_p, a) => a,
  ): Promise<{ proxy: RecordingProxy; sent: RecordingProxy['sent'] }> {
    const proxy = await startRecordingProxy(emu.url, rewrite);
    return { proxy, sent: proxy.sent };
  }

  describe('field report #3: fields describe gains later do not break push (hours)', () => {
    it('leaves the extra fields out of the file and of every write, and pushes', async () => {
      await unknownFieldsCase('HoursOfOperation', 'Office');
    });
  });

  describe('field report #4: NumberOfAssociatedQueues/Users are never echoed into a create', () => {
    it('pushes a routing profile whose describe carries counts and an unknown field', async () => {
      await unknownFieldsCase('RoutingProfile', 'Support');
    });
  });

  /**
   * Every hours and routing profile object the endpoint returns gains the counts and timestamps
   * the field reports name, plus a member no allow-list can know.
   */
  async function unknownFieldsCase(member: 'HoursOfOperation' | 'RoutingProfile', name: string) {
    const dev = await empty(DEV.account, 'dev');
    const prod = await empty(PROD.account, 'prod');
    const sdk = emu.connect(DEV.account);
    await sdk.send(
      new CreateHoursOfOperationCommand({
        InstanceId: dev.Id,
        Name: 'Office',
        TimeZone: 'Europe/London',
        Config: [
          {
            Day: 'MONDAY',
            StartTime: { Hours: 9, Minutes: 0 },
            EndTime: { Hours: 17, Minutes: 0 },
          },
        ],
      }),
    );
    const queues = await createQueues(sdk, dev.Id, ['Support queue']);
    await createProfile(sdk, dev.Id, 'Support', [
      {
        QueueReference: { QueueId: queues['Support queue'], Channel: 'VOICE' },
        Priority: 1,
        Delay: 0,
      },
    ]);

    const extra = {
      LastModifiedTime: 1767225600,
      LastModifiedRegion: 'us-east-1',
      NumberOfAssociatedQueues: 1,
      NumberOfAssociatedUsers: 4,
      ShinyNewSetting: { Enabled: true },
    };
    let grown = 0;
    const grow = (value: unknown) => {
      if (!value || typeof value !== 'object') return value;
      grown++;
      return { ...(value as Body), ...extra };
    };
    const { proxy, sent } = await throughProxy((_path, answer) => {
      const out: Body = { ...answer };
      if (out[member] !== undefined) out[member] = grow(out[member]);
      const plural = member === 'HoursOfOperation' ? 'HoursOfOperations' : 'RoutingProfiles';
      if (Array.isArray(out[plural])) out[plural] = (out[plural] as unknown[]).map(grow);
      return out;
    });
    try {
      const via = { ...emu, url: proxy.url };
      const pulled = await pullFrom(via, repo, 'dev', dev);
      // The SDK drops members its model does not have, so only modelled read-only members reach
      // the product; the allow-list keeps those out of the file (core/canonical tests the warning).
      assert.ok(pulled.commit && grown > 0);
      const file = await fileByName(
        repo,
        'env/dev',
        member === 'HoursOfOperation' ? 'hours' : 'routing-profiles',
        name,
      );
      for (const key of Object.keys(extra)) assert.equal(file.body[key], undefined, key);

      await pullFrom(via, repo, 'prod', prod);
      const copied = await copyAndPush(repo, prod);
      assert.ok(
        copied.push!.applied.some((r) => r.action === 'create' && r.key.endsWith(`/${name}`)),
      );
      const writes = sent.filter((s) => /^\/(hours-of-operations|routing-profiles)\//.test(s.path));
      assert.ok(writes.length > 0);
      for (const { path, body } of writes) {
        for (const key of Object.keys(extra))
          assert.equal(body[key], undefined, `${key} in ${path}`);
      }
      await idOf(
        repo,
        'env/prod',
        member === 'HoursOfOperation' ? 'hours' : 'routing-profile',
        name,
      );
    } finally {
      await proxy.stop();
    }
  }

  describe('field report #5: routing profile queue configs go at most 10 a call', () => {
    it('creates 13 queues x 2 channels in batches of 10, and disassociates 13 in batches', async () => {
      const dev = await empty(DEV.account, 'dev');
      const prod = await empty(PROD.account, 'prod');
      const sdk = emu.connect(DEV.account);
      const names = Array.from({ length: 13 }, (_, i) => `Q${String(i + 1).padStart(2, '0')}`);
      const queues = await createQueues(sdk, dev.Id, names);
      const rows = (channels: ('VOICE' | 'CHAT')[]) =>
        names.flatMap((q) =>
          channels.map((Channel) => ({
            QueueReference: { QueueId: queues[q], Channel },
            Priority: 1,
            Delay: 0,
          })),
        );
      const profile = await createProfile(sdk, dev.Id, 'Wide', rows(['VOICE', 'CHAT']));

      const { proxy, sent } = await throughProxy();
      try {
        const via = { ...emu, url: proxy.url };
        await pullFrom(via, repo, 'dev', dev);
        await pullFrom(via, repo, 'prod', prod);
        await copyAndPush(repo, prod);
        const prodProfile = (await idOf(repo, 'env/prod', 'routing-profile', 'Wide')).id!;
        const listed = async () =>
          (
            await emu.connect(PROD.account).send(
              new ListRoutingProfileQueuesCommand({
                InstanceId: prod.Id,
                RoutingProfileId: prodProfile,
                MaxResults: 100,
              }),
            )
          ).RoutingProfileQueueConfigSummaryList!;
        assert.equal((await listed()).length, 26);
        const batches = (suffix: string, member: string) =>
          sent
            .filter((s) => s.path.startsWith('/routing-profiles/') && s.path.endsWith(suffix))
            .map((s) => (s.body[member] as unknown[] | undefined)?.length ?? 0);
        const created = sent
          .filter((s) => /^\/routing-profiles\/[^/]+$/.test(s.path) && s.body.Name === 'Wide')
          .map((s) => (s.body.QueueConfigs as unknown[] | undefined)?.length ?? 0);
        const associated = batches('/associate-queues', 'QueueConfigs');
        assert.equal(
          [...created, ...associated].reduce((a, b) => a + b, 0),
          26,
        );
        assert.ok(
          [...created, ...associated].every((n) => n <= 10),
          String(associated),
        );

        // dev drops the CHAT channel from every queue: 13 rows go, in batches of ten at most.
        const { DisassociateRoutingProfileQueuesCommand } = await import('@aws-sdk/client-connect');
        const chat = rows(['CHAT']).map((r) => r.QueueReference);
        for (let i = 0; i < chat.length; i += 10) {
          await sdk.send(
            new DisassociateRoutingProfileQueuesCommand({
              InstanceId: dev.Id,
              RoutingProfileId: profile,
              QueueReferences: chat.slice(i, i + 10),
            }),
          );
        }
        await pullFrom(via, repo, 'dev', dev, { again: true });
        await copyAndPush(repo, prod);
        const removed = batches('/disassociate-queues', 'QueueReferences');
        assert.equal(
          removed.reduce((a, b) => a + b, 0),
          13,
        );
        assert.ok(removed.length >= 2 && removed.every((n) => n <= 10), String(removed));
        assert.deepEqual([...new Set((await listed()).map((r) => r.Channel))], ['VOICE']);
        assert.equal((await listed()).length, 13);
      } finally {
        await proxy.stop();
      }
    });
  });

  describe('field report #8: descriptions are carried over, empty and absent ones too', () => {
    it('creates flows, modules and queues in the target with exactly the source descriptions', async () => {
      const dev = await seedSpecs(
        emu,
        [
          { name: 'Described flow', description: 'Main menu', actions: [endAction()] },
          { name: 'Bare flow', actions: [endAction()] },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await empty(PROD.account, 'prod');
      const sdk = emu.connect(DEV.account);
      const hours = await basicHours(sdk, dev.Id);
      for (const [name, Description] of [
        ['Described queue', 'Sales callers'],
        ['Bare queue', undefined],
      ] as const) {
        await sdk.send(
          new CreateQueueCommand({
            InstanceId: dev.Id,
            Name: name,
            Description,
            HoursOfOperationId: hours,
          }),
        );
      }
      for (const [name, Description] of [
        ['Described module', 'Looks the caller up'],
        ['Bare module', undefined],
      ] as const) {
        await sdk.send(
          new CreateContactFlowModuleCommand({
            InstanceId: dev.Id,
            Name: name,
            Description,
            Content: moduleContent(),
          }),
        );
      }
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
      await copyAndPush(repo, prod);

      const target = emu.connect(PROD.account);
      const describe = async (kind: 'flow' | 'module' | 'queue', name: string) => {
        const { id } = await idOf(repo, 'env/prod', kind, name);
        if (kind === 'flow') {
          return (
            await target.send(
              new DescribeContactFlowCommand({ InstanceId: prod.Id, ContactFlowId: id }),
            )
          ).ContactFlow!.Description;
        }
        if (kind === 'module') {
          return (
            await target.send(
              new DescribeContactFlowModuleCommand({
                InstanceId: prod.Id,
                ContactFlowModuleId: id,
              }),
            )
          ).ContactFlowModule!.Description;
        }
        return (await target.send(new DescribeQueueCommand({ InstanceId: prod.Id, QueueId: id })))
          .Queue!.Description;
      };
      assert.equal(await describe('flow', 'Described flow'), 'Main menu');
      assert.equal(await describe('module', 'Described module'), 'Looks the caller up');
      assert.equal(await describe('queue', 'Described queue'), 'Sales callers');
      for (const [kind, name] of [
        ['flow', 'Bare flow'],
        ['module', 'Bare module'],
        ['queue', 'Bare queue'],
      ] as const) {
        assert.ok(['', undefined].includes(await describe(kind, name)), `${kind} ${name}`);
      }

      // Pulled back, the target's files equal the source's: nothing was added or lost.
      await pullFrom(emu, repo, 'prod', prod, { again: true });
      const diff = await diffAction({ cwd: repo.dir, a: 'dev', b: 'prod' });
      assert.deepEqual(
        diff.resources.map((r) => `${r.change} ${r.folder}/${r.name}`),
        [],
      );
    });
  });

  describe('field report #23: every writable field survives pull, push and pull', () => {
    it('gives the target files equal to the source, cross-channel behaviour and timer included', async () => {
      const dev = await seedSpecs(
        emu,
        [{ name: 'Tagged flow', description: 'd', actions: [endAction()] }],
        {
          alias: 'dev',
          account: DEV.account,
          region: DEV.region,
        },
      );
      const prod = await empty(PROD.account, 'prod');
      const sdk = emu.connect(DEV.account);
      const office = await sdk.send(
        new CreateHoursOfOperationCommand({
          InstanceId: dev.Id,
          Name: 'Office',
          Description: 'Weekdays',
          TimeZone: 'Europe/Paris',
          Config: ['MONDAY', 'FRIDAY'].map((Day) => ({
            Day: Day as 'MONDAY',
            StartTime: { Hours: 8, Minutes: 30 },
            EndTime: { Hours: 18, Minutes: 15 },
          })),
          Tags: { team: 'ops' },
        }),
      );
      const queue = await sdk.send(
        new CreateQueueCommand({
          InstanceId: dev.Id,
          Name: 'Sales',
          Description: 'Sales queue',
          HoursOfOperationId: office.HoursOfOperationId,
          MaxContacts: 7,
          OutboundCallerConfig: { OutboundCallerIdName: 'Acme Sales' },
          Tags: { cost: 'sales' },
        }),
      );
      await createProfile(
        sdk,
        dev.Id,
        'Agents',
        [
          { QueueReference: { QueueId: queue.QueueId, Channel: 'VOICE' }, Priority: 2, Delay: 5 },
          { QueueReference: { QueueId: queue.QueueId, Channel: 'CHAT' }, Priority: 3, Delay: 0 },
        ],
        {
          MediaConcurrencies: [
            {
              Channel: 'VOICE',
              Concurrency: 1,
              CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' },
            },
            {
              Channel: 'CHAT',
              Concurrency: 3,
              CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
            },
          ],
          AgentAvailabilityTimer: 'TIME_SINCE_LAST_INBOUND',
          Tags: { site: 'paris' },
        },
      );
      await sdk.send(
        new CreateContactFlowModuleCommand({
          InstanceId: dev.Id,
          Name: 'Tagged module',
          Description: 'm',
          Content: moduleContent(),
          Tags: { kind: 'module' },
        }),
      );

      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
      await copyAndPush(repo, prod);
      await pullFrom(emu, repo, 'prod', prod, { again: true });

      const dfiles = await repo.store.readBranchFiles('env/dev');
      const pfiles = await repo.store.readBranchFiles('env/prod');
      const profile = await fileByName(repo, 'env/dev', 'routing-profiles', 'Agents');
      assert.equal(profile.body.AgentAvailabilityTimer, 'TIME_SINCE_LAST_INBOUND');
      assert.match(JSON.stringify(profile.body.MediaConcurrencies), /ROUTE_ANY_CHANNEL/);
      for (const folder of ['hours', 'queues', 'routing-profiles', 'modules', 'flows']) {
        for (const [path, text] of dfiles) {
          if (path.startsWith(`${folder}/`)) assert.equal(pfiles.get(path), text, path);
        }
      }
    });
  });
});
