import { strict as assert } from 'node:assert';
import {
  AssociateQueueQuickConnectsCommand,
  CreateHoursOfOperationCommand,
  CreateQueueCommand,
  CreateQuickConnectCommand,
  CreateRoutingProfileCommand,
  CreateUserCommand,
  DeleteQueueCommand,
  DeleteQuickConnectCommand,
  DescribeQueueCommand,
  DisassociateQueueQuickConnectsCommand,
  DuplicateResourceException,
  InvalidParameterException,
  LimitExceededException,
  ListQueueQuickConnectsCommand,
  ListQueuesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SearchQueuesCommand,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateQueueNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
  UpdateQueueStatusCommand,
} from '@aws-sdk/client-connect';
import { allPages, useEmulator } from './fixtures';

describe('emulator: queues', () => {
  const t = useEmulator();
  const createQueue = (Name: string, extra: Partial<CreateQueueCommand['input']> = {}) =>
    t.client.send(
      new CreateQueueCommand({
        InstanceId: t.fx.instanceId,
        Name,
        HoursOfOperationId: t.fx.basicHoursId,
        ...extra,
      }),
    );
  const describe_ = async (QueueId: string) =>
    (await t.client.send(new DescribeQueueCommand({ InstanceId: t.fx.instanceId, QueueId })))
      .Queue!;
  const createAgent = (Username: string) =>
    t.client.send(
      new CreateUserCommand({
        InstanceId: t.fx.instanceId,
        Username,
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [t.fx.securityProfileId('Agent')],
        RoutingProfileId: t.fx.basicProfileId,
      }),
    );
  const phoneQuickConnect = (Name: string) =>
    t.client.send(
      new CreateQuickConnectCommand({
        InstanceId: t.fx.instanceId,
        Name,
        QuickConnectConfig: {
          QuickConnectType: 'PHONE_NUMBER',
          PhoneConfig: { PhoneNumber: '+15555550100' },
        },
      }),
    );

  it('creates and describes a queue (no QueueType in Describe)', async () => {
    const created = await createQueue('Sales', {
      Description: 'Sales line',
      MaxContacts: 10,
      Tags: { dept: 'sales' },
      OutboundCallerConfig: {
        OutboundCallerIdName: 'Sales',
        OutboundFlowId: t.fx.flowId('Default outbound'),
      },
    });
    assert.equal(created.QueueArn, `${t.fx.arn}/queue/${created.QueueId}`);
    const queue = await describe_(created.QueueId!);
    assert.equal(queue.QueueId, created.QueueId);
    assert.equal(queue.QueueArn, created.QueueArn);
    assert.equal(queue.Name, 'Sales');
    assert.equal(queue.HoursOfOperationId, t.fx.basicHoursId);
    assert.equal(queue.MaxContacts, 10);
    assert.equal(queue.Status, 'ENABLED');
    assert.equal(queue.OutboundCallerConfig?.OutboundFlowId, t.fx.flowId('Default outbound'));
    assert.deepEqual(queue.Tags, { dept: 'sales' });
    assert.ok(queue.LastModifiedTime instanceof Date);
    assert.equal((queue as Record<string, unknown>).QueueType, undefined);
  });

  it('checks references: unknown hours, outbound flow and quick connects are 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(
      createQueue('A', { HoursOfOperationId: missing }),
      ResourceNotFoundException,
    );
    await assert.rejects(
      createQueue('B', { OutboundCallerConfig: { OutboundFlowId: missing } }),
      ResourceNotFoundException,
    );
    await assert.rejects(
      createQueue('C', { QuickConnectIds: [missing] }),
      ResourceNotFoundException,
    );
    const { QueueId } = await createQueue('D');
    await assert.rejects(
      t.client.send(
        new UpdateQueueOutboundCallerConfigCommand({
          InstanceId: t.fx.instanceId,
          QueueId,
          OutboundCallerConfig: { OutboundFlowId: missing },
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('applies every single-member update and moves LastModifiedTime forward', async () => {
    const { QueueId } = await createQueue('Support');
    // Age the record so a write within the same millisecond still shows as newer.
    t.emu.emulator.state.instances[t.fx.instanceId].queues[QueueId!].LastModifiedTime = 1000;
    const { HoursOfOperationId } = await t.client.send(
      new CreateHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        Name: 'Late',
        TimeZone: 'UTC',
        Config: [],
      }),
    );
    const id = { InstanceId: t.fx.instanceId, QueueId };
    await t.client.send(new UpdateQueueNameCommand({ ...id, Name: 'Support 2', Description: 'D' }));
    await t.client.send(new UpdateQueueHoursOfOperationCommand({ ...id, HoursOfOperationId }));
    await t.client.send(new UpdateQueueMaxContactsCommand({ ...id, MaxContacts: 3 }));
    await t.client.send(new UpdateQueueStatusCommand({ ...id, Status: 'DISABLED' }));
    await t.client.send(
      new UpdateQueueOutboundCallerConfigCommand({
        ...id,
        OutboundCallerConfig: { OutboundCallerIdName: 'Help' },
      }),
    );
    const after = await describe_(QueueId!);
    assert.equal(after.Name, 'Support 2');
    assert.equal(after.Description, 'D');
    assert.equal(after.HoursOfOperationId, HoursOfOperationId);
    assert.equal(after.MaxContacts, 3);
    assert.equal(after.Status, 'DISABLED');
    assert.deepEqual(after.OutboundCallerConfig, { OutboundCallerIdName: 'Help' });
    assert.ok(after.LastModifiedTime!.getTime() > 1000 * 1000);
    await assert.rejects(
      t.client.send(new UpdateQueueNameCommand({ ...id, Name: 'BasicQueue' })),
      DuplicateResourceException,
    );
  });

  it('lists agent queues for users, filters by queueTypes and pages', async () => {
    const { UserId } = await createAgent('agent.one');
    await createQueue('Extra');
    const all = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListQueuesCommand({ InstanceId: t.fx.instanceId, MaxResults: 1, NextToken }),
      );
      return { items: page.QueueSummaryList, next: page.NextToken };
    });
    assert.equal(all.pages, 3);
    const agent = all.items.find((q) => q.QueueType === 'AGENT');
    assert.equal(agent?.Id, UserId);
    assert.equal(agent?.Name, undefined);
    assert.equal(agent?.Arn, `${t.fx.arn}/queue/agent/${UserId}`);

    const standard = await t.client.send(
      new ListQueuesCommand({ InstanceId: t.fx.instanceId, QueueTypes: ['STANDARD'] }),
    );
    assert.deepEqual(standard.QueueSummaryList?.map((q) => q.Name).sort(), ['BasicQueue', 'Extra']);
    const agents = await t.client.send(
      new ListQueuesCommand({ InstanceId: t.fx.instanceId, QueueTypes: ['AGENT'] }),
    );
    assert.deepEqual(
      agents.QueueSummaryList?.map((q) => q.Id),
      [UserId],
    );
    await assert.rejects(
      t.client.send(new ListQueuesCommand({ InstanceId: t.fx.instanceId, MaxResults: 1001 })),
      InvalidParameterException,
    );
  });

  it('searches standard queues only, with QueueTypeCondition and a 500 maximum', async () => {
    await createAgent('agent.two');
    await createQueue('Billing', { Tags: { dept: 'finance' } });
    const all = await t.client.send(new SearchQueuesCommand({ InstanceId: t.fx.instanceId }));
    assert.deepEqual(all.Queues?.map((q) => q.Name).sort(), ['BasicQueue', 'Billing']);
    assert.equal(all.ApproximateTotalCount, 2);
    const byName = await t.client.send(
      new SearchQueuesCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          AndConditions: [
            { QueueTypeCondition: 'STANDARD' },
            { StringCondition: { FieldName: 'name', Value: 'ILL', ComparisonType: 'CONTAINS' } },
          ],
        },
      }),
    );
    assert.deepEqual(
      byName.Queues?.map((q) => q.Name),
      ['Billing'],
    );
    assert.deepEqual(byName.Queues?.[0].Tags, { dept: 'finance' });
    await t.client.send(new SearchQueuesCommand({ InstanceId: t.fx.instanceId, MaxResults: 500 }));
    await assert.rejects(
      t.client.send(new SearchQueuesCommand({ InstanceId: t.fx.instanceId, MaxResults: 501 })),
      InvalidParameterException,
    );
  });

  it('associates, lists and disassociates quick connects', async () => {
    const { QueueId } = await createQueue('With QCs');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await phoneQuickConnect(`QC ${i}`)).QuickConnectId!);
    const id = { InstanceId: t.fx.instanceId, QueueId };
    await t.client.send(new AssociateQueueQuickConnectsCommand({ ...id, QuickConnectIds: ids }));
    const listed = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListQueueQuickConnectsCommand({ ...id, MaxResults: 2, NextToken }),
      );
      return { items: page.QuickConnectSummaryList, next: page.NextToken };
    });
    assert.deepEqual(listed.items.map((q) => q.Id).sort(), [...ids].sort());
    assert.ok(listed.items.every((q) => q.QuickConnectType === 'PHONE_NUMBER'));
    await assert.rejects(
      t.client.send(new ListQueueQuickConnectsCommand({ ...id, MaxResults: 101 })),
      InvalidParameterException,
    );
    await assert.rejects(
      t.client.send(
        new AssociateQueueQuickConnectsCommand({
          ...id,
          QuickConnectIds: Array.from({ length: 51 }, () => ids[0]),
        }),
      ),
      InvalidParameterException,
    );

    await t.client.send(
      new DisassociateQueueQuickConnectsCommand({ ...id, QuickConnectIds: [ids[0]] }),
    );
    await t.client.send(
      new DeleteQuickConnectCommand({ InstanceId: t.fx.instanceId, QuickConnectId: ids[1] }),
    );
    const left = await t.client.send(new ListQueueQuickConnectsCommand(id));
    assert.deepEqual(
      left.QuickConnectSummaryList?.map((q) => q.Id),
      [ids[2]],
    );
  });

  it('deletes an unused queue and refuses one a routing profile uses', async () => {
    const { QueueId: unused } = await createQueue('Unused');
    await t.client.send(new DeleteQueueCommand({ InstanceId: t.fx.instanceId, QueueId: unused }));
    await assert.rejects(describe_(unused!), ResourceNotFoundException);

    const { QueueId } = await createQueue('Routed');
    const { RoutingProfileId } = await t.client.send(
      new CreateRoutingProfileCommand({
        InstanceId: t.fx.instanceId,
        Name: 'RP',
        Description: 'uses Routed',
        DefaultOutboundQueueId: t.fx.basicQueueId,
        MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
        QueueConfigs: [{ QueueReference: { QueueId, Channel: 'VOICE' }, Priority: 1, Delay: 0 }],
      }),
    );
    await assert.rejects(
      t.client.send(new DeleteQueueCommand({ InstanceId: t.fx.instanceId, QueueId })),
      (error: unknown) =>
        error instanceof ResourceInUseException &&
        error.ResourceId === RoutingProfileId &&
        typeof error.ResourceType === 'string',
    );
  });

  it('enforces the queue quota and duplicate names', async () => {
    await assert.rejects(createQueue('BasicQueue'), DuplicateResourceException);
    await t.emu.control.setOptions({ quotas: { queues: 2 } as never });
    await createQueue('Second');
    await assert.rejects(createQueue('Third'), LimitExceededException);
  });
});
