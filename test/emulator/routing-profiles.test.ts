import { strict as assert } from 'node:assert';
import {
  AssociateRoutingProfileQueuesCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  CreateUserCommand,
  DeleteRoutingProfileCommand,
  DescribeRoutingProfileCommand,
  DisassociateRoutingProfileQueuesCommand,
  DuplicateResourceException,
  InvalidParameterException,
  ListRoutingProfileQueuesCommand,
  ListRoutingProfilesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  RoutingProfileQueueConfig,
  SearchRoutingProfilesCommand,
  ServiceQuotaExceededException,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateRoutingProfileQueuesCommand,
} from '@aws-sdk/client-connect';
import { allPages, useEmulator } from './fixtures';

describe('emulator: routing profiles', () => {
  const t = useEmulator();
  const queues: string[] = [];
  beforeEach(async () => {
    queues.length = 0;
    for (let i = 0; i < 12; i++) {
      const { QueueId } = await t.client.send(
        new CreateQueueCommand({
          InstanceId: t.fx.instanceId,
          Name: `Q${String(i).padStart(2, '0')}`,
          HoursOfOperationId: t.fx.basicHoursId,
        }),
      );
      queues.push(QueueId!);
    }
  });
  const config = (
    QueueId: string,
    Channel: 'VOICE' | 'CHAT' = 'VOICE',
    Priority = 1,
  ): RoutingProfileQueueConfig => ({ QueueReference: { QueueId, Channel }, Priority, Delay: 0 });
  const createProfile = (Name: string, QueueConfigs: RoutingProfileQueueConfig[] = []) =>
    t.client.send(
      new CreateRoutingProfileCommand({
        InstanceId: t.fx.instanceId,
        Name,
        Description: `${Name} profile`,
        DefaultOutboundQueueId: t.fx.basicQueueId,
        MediaConcurrencies: [
          { Channel: 'VOICE', Concurrency: 1 },
          {
            Channel: 'CHAT',
            Concurrency: 3,
            CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' },
          },
        ],
        QueueConfigs,
        Tags: { tier: 'gold' },
      }),
    );
  const queueRows = async (RoutingProfileId: string) =>
    (
      await allPages(async (NextToken) => {
        const page = await t.client.send(
          new ListRoutingProfileQueuesCommand({
            InstanceId: t.fx.instanceId,
            RoutingProfileId,
            MaxResults: 4,
            NextToken,
          }),
        );
        return { items: page.RoutingProfileQueueConfigSummaryList, next: page.NextToken };
      })
    ).items;

  it('Describe omits AssociatedQueueIds; Search has them, minus timestamps', async () => {
    const { RoutingProfileId, RoutingProfileArn } = await createProfile('Gold', [
      config(queues[0]),
      config(queues[0], 'CHAT'),
      config(queues[1]),
    ]);
    assert.equal(RoutingProfileArn, `${t.fx.arn}/routing-profile/${RoutingProfileId}`);
    const { RoutingProfile: described } = await t.client.send(
      new DescribeRoutingProfileCommand({ InstanceId: t.fx.instanceId, RoutingProfileId }),
    );
    assert.equal(described?.RoutingProfileId, RoutingProfileId);
    assert.equal(described?.Description, 'Gold profile');
    assert.equal(described?.AssociatedQueueIds, undefined);
    assert.equal(described?.NumberOfAssociatedQueues, 2);
    assert.equal(described?.AgentAvailabilityTimer, 'TIME_SINCE_LAST_ACTIVITY');
    assert.ok(described?.LastModifiedTime instanceof Date);
    assert.equal(
      described?.MediaConcurrencies?.find((m) => m.Channel === 'CHAT')?.CrossChannelBehavior
        ?.BehaviorType,
      'ROUTE_ANY_CHANNEL',
    );

    const { RoutingProfiles } = await t.client.send(
      new SearchRoutingProfilesCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          StringCondition: {
            FieldName: 'associatedQueueIds',
            Value: queues[1],
            ComparisonType: 'EXACT',
          },
        },
      }),
    );
    assert.equal(RoutingProfiles?.length, 1);
    const found = RoutingProfiles![0];
    assert.deepEqual([...found.AssociatedQueueIds!].sort(), [queues[0], queues[1]].sort());
    assert.equal(found.LastModifiedTime, undefined);
    assert.equal(found.LastModifiedRegion, undefined);
    assert.equal(found.AgentAvailabilityTimer, undefined);
    assert.ok(found.MediaConcurrencies?.every((m) => m.CrossChannelBehavior === undefined));
    assert.deepEqual(found.Tags, { tier: 'gold' });
  });

  it('lists one queue row per queue and channel, with names and ARNs, across pages', async () => {
    const { RoutingProfileId } = await createProfile('Rows', [
      config(queues[0]),
      config(queues[0], 'CHAT', 2),
      config(queues[1]),
      config(queues[2]),
      config(queues[3]),
    ]);
    const rows = await queueRows(RoutingProfileId!);
    assert.equal(rows.length, 5);
    const chat = rows.find((r) => r.Channel === 'CHAT');
    assert.equal(chat?.QueueId, queues[0]);
    assert.equal(chat?.QueueName, 'Q00');
    assert.equal(chat?.QueueArn, `${t.fx.arn}/queue/${queues[0]}`);
    assert.equal(chat?.Priority, 2);
    await assert.rejects(
      t.client.send(
        new ListRoutingProfileQueuesCommand({
          InstanceId: t.fx.instanceId,
          RoutingProfileId,
          MaxResults: 101,
        }),
      ),
      InvalidParameterException,
    );
  });

  it('takes at most 10 queue configs a call on every queue-config operation', async () => {
    const eleven = queues.slice(0, 11).map((q) => config(q));
    await assert.rejects(createProfile('Too many', eleven), InvalidParameterException);
    const { RoutingProfileId } = await createProfile('Ten', eleven.slice(0, 10));
    const id = { InstanceId: t.fx.instanceId, RoutingProfileId };
    await assert.rejects(
      t.client.send(
        new AssociateRoutingProfileQueuesCommand({
          ...id,
          QueueConfigs: eleven.map((c) => ({
            ...c,
            QueueReference: { ...c.QueueReference!, Channel: 'CHAT' },
          })),
        }),
      ),
      InvalidParameterException,
    );
    await assert.rejects(
      t.client.send(new UpdateRoutingProfileQueuesCommand({ ...id, QueueConfigs: eleven })),
      InvalidParameterException,
    );
    await assert.rejects(
      t.client.send(
        new DisassociateRoutingProfileQueuesCommand({
          ...id,
          QueueReferences: eleven.map((c) => c.QueueReference!),
        }),
      ),
      InvalidParameterException,
    );
    assert.equal((await queueRows(RoutingProfileId!)).length, 10);
  });

  it('associates new pairs, rejects repeats, updates only associated pairs', async () => {
    const { RoutingProfileId } = await createProfile('Moves', [config(queues[0])]);
    const id = { InstanceId: t.fx.instanceId, RoutingProfileId };
    await t.client.send(
      new AssociateRoutingProfileQueuesCommand({
        ...id,
        QueueConfigs: [config(queues[1]), config(queues[0], 'CHAT')],
      }),
    );
    await assert.rejects(
      t.client.send(
        new AssociateRoutingProfileQueuesCommand({ ...id, QueueConfigs: [config(queues[1])] }),
      ),
      InvalidParameterException,
    );
    await assert.rejects(
      t.client.send(
        new UpdateRoutingProfileQueuesCommand({ ...id, QueueConfigs: [config(queues[2])] }),
      ),
      InvalidParameterException,
    );
    await t.client.send(
      new UpdateRoutingProfileQueuesCommand({
        ...id,
        QueueConfigs: [config(queues[1], 'VOICE', 7)],
      }),
    );
    await t.client.send(
      new DisassociateRoutingProfileQueuesCommand({
        ...id,
        QueueReferences: [{ QueueId: queues[0], Channel: 'VOICE' }],
      }),
    );
    const rows = await queueRows(RoutingProfileId!);
    assert.deepEqual(rows.map((r) => `${r.QueueName}/${r.Channel}/${r.Priority}`).sort(), [
      'Q00/CHAT/1',
      'Q01/VOICE/7',
    ]);
    await assert.rejects(
      t.client.send(
        new AssociateRoutingProfileQueuesCommand({
          ...id,
          QueueConfigs: [config('00000000-0000-4000-8000-000000000000')],
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('caps queue and channel pairs per profile with ServiceQuotaExceededException', async () => {
    await t.emu.control.setOptions({ quotas: { queuesPerRoutingProfile: 3 } as never });
    const { RoutingProfileId } = await createProfile('Capped', [
      config(queues[0]),
      config(queues[1]),
    ]);
    await assert.rejects(
      t.client.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: t.fx.instanceId,
          RoutingProfileId,
          QueueConfigs: [config(queues[2]), config(queues[3])],
        }),
      ),
      ServiceQuotaExceededException,
    );
  });

  it('updates name, concurrency, default outbound queue and availability timer', async () => {
    const { RoutingProfileId } = await createProfile('Edit');
    const id = { InstanceId: t.fx.instanceId, RoutingProfileId };
    await t.client.send(new UpdateRoutingProfileNameCommand({ ...id, Name: 'Edited' }));
    await t.client.send(
      new UpdateRoutingProfileConcurrencyCommand({
        ...id,
        MediaConcurrencies: [{ Channel: 'TASK', Concurrency: 5 }],
      }),
    );
    await t.client.send(
      new UpdateRoutingProfileDefaultOutboundQueueCommand({
        ...id,
        DefaultOutboundQueueId: queues[4],
      }),
    );
    await t.client.send(
      new UpdateRoutingProfileAgentAvailabilityTimerCommand({
        ...id,
        AgentAvailabilityTimer: 'TIME_SINCE_LAST_INBOUND',
      }),
    );
    const { RoutingProfile } = await t.client.send(new DescribeRoutingProfileCommand(id));
    assert.equal(RoutingProfile?.Name, 'Edited');
    assert.deepEqual(
      RoutingProfile?.MediaConcurrencies?.map((m) => [m.Channel, m.Concurrency]),
      [['TASK', 5]],
    );
    assert.equal(RoutingProfile?.DefaultOutboundQueueId, queues[4]);
    assert.equal(RoutingProfile?.AgentAvailabilityTimer, 'TIME_SINCE_LAST_INBOUND');
    await assert.rejects(
      t.client.send(new UpdateRoutingProfileNameCommand({ ...id, Name: 'Basic Routing Profile' })),
      DuplicateResourceException,
    );
    await assert.rejects(
      t.client.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({
          ...id,
          DefaultOutboundQueueId: '00000000-0000-4000-8000-000000000000',
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('requires Description, lists in pages, refuses to delete a profile in use', async () => {
    await assert.rejects(
      t.client.send(
        new CreateRoutingProfileCommand({
          InstanceId: t.fx.instanceId,
          Name: 'No description',
          DefaultOutboundQueueId: t.fx.basicQueueId,
          MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
        } as CreateRoutingProfileCommand['input']),
      ),
      InvalidParameterException,
    );
    const { RoutingProfileId } = await createProfile('Used');
    await createProfile('Spare');
    const listed = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListRoutingProfilesCommand({ InstanceId: t.fx.instanceId, MaxResults: 2, NextToken }),
      );
      return { items: page.RoutingProfileSummaryList, next: page.NextToken };
    });
    assert.deepEqual(listed.items.map((p) => p.Name).sort(), [
      'Basic Routing Profile',
      'Spare',
      'Used',
    ]);

    const { UserId } = await t.client.send(
      new CreateUserCommand({
        InstanceId: t.fx.instanceId,
        Username: 'agent',
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [t.fx.securityProfileId('Agent')],
        RoutingProfileId,
      }),
    );
    await assert.rejects(
      t.client.send(
        new DeleteRoutingProfileCommand({ InstanceId: t.fx.instanceId, RoutingProfileId }),
      ),
      (error: unknown) =>
        error instanceof ResourceInUseException &&
        error.ResourceType === 'USER' &&
        error.ResourceId === UserId,
    );
    const spare = listed.items.find((p) => p.Name === 'Spare')!;
    await t.client.send(
      new DeleteRoutingProfileCommand({ InstanceId: t.fx.instanceId, RoutingProfileId: spare.Id }),
    );
  });
});
