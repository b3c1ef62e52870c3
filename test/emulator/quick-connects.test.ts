import { strict as assert } from 'node:assert';
import {
  CreateQuickConnectCommand,
  CreateUserCommand,
  DeleteQuickConnectCommand,
  DescribeQuickConnectCommand,
  DuplicateResourceException,
  InvalidParameterException,
  LimitExceededException,
  ListQuickConnectsCommand,
  QuickConnectConfig,
  ResourceNotFoundException,
  SearchQuickConnectsCommand,
  UpdateQuickConnectConfigCommand,
  UpdateQuickConnectNameCommand,
} from '@aws-sdk/client-connect';
import { allPages, useEmulator } from './fixtures';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('emulator: quick connects', () => {
  const t = useEmulator();
  const create = (Name: string, QuickConnectConfig: QuickConnectConfig) =>
    t.client.send(
      new CreateQuickConnectCommand({ InstanceId: t.fx.instanceId, Name, QuickConnectConfig }),
    );
  const queueConfig = (): QuickConnectConfig => ({
    QuickConnectType: 'QUEUE',
    QueueConfig: {
      QueueId: t.fx.basicQueueId,
      ContactFlowId: t.fx.flowId('Default queue transfer'),
    },
  });
  const phoneConfig: QuickConnectConfig = {
    QuickConnectType: 'PHONE_NUMBER',
    PhoneConfig: { PhoneNumber: '+442071234567' },
  };

  it('creates each type, describes with QuickConnectARN, renames and reconfigures', async () => {
    const { UserId } = await t.client.send(
      new CreateUserCommand({
        InstanceId: t.fx.instanceId,
        Username: 'jo',
        PhoneConfig: { PhoneType: 'SOFT_PHONE' },
        SecurityProfileIds: [t.fx.securityProfileId('Agent')],
        RoutingProfileId: t.fx.basicProfileId,
      }),
    );
    const toUser = await create('To Jo', {
      QuickConnectType: 'USER',
      UserConfig: { UserId, ContactFlowId: t.fx.flowId('Default agent transfer') },
    });
    const toQueue = await create('To basic queue', queueConfig());
    await create('To London', phoneConfig);
    assert.equal(
      toUser.QuickConnectARN,
      `${t.fx.arn}/transfer-destination/${toUser.QuickConnectId}`,
    );

    const id = { InstanceId: t.fx.instanceId, QuickConnectId: toQueue.QuickConnectId };
    const { QuickConnect } = await t.client.send(new DescribeQuickConnectCommand(id));
    assert.equal(QuickConnect?.QuickConnectARN, toQueue.QuickConnectARN);
    assert.deepEqual(QuickConnect?.QuickConnectConfig, queueConfig());
    assert.ok(QuickConnect?.LastModifiedTime instanceof Date);

    await t.client.send(
      new UpdateQuickConnectNameCommand({ ...id, Name: 'Queue QC', Description: 'd' }),
    );
    await t.client.send(
      new UpdateQuickConnectConfigCommand({ ...id, QuickConnectConfig: phoneConfig }),
    );
    const after = await t.client.send(new DescribeQuickConnectCommand(id));
    assert.equal(after.QuickConnect?.Name, 'Queue QC');
    assert.deepEqual(after.QuickConnect?.QuickConnectConfig, phoneConfig);
    await assert.rejects(
      t.client.send(new UpdateQuickConnectNameCommand({ ...id, Name: 'To Jo' })),
      DuplicateResourceException,
    );

    await t.client.send(new DeleteQuickConnectCommand(id));
    await assert.rejects(
      t.client.send(new DescribeQuickConnectCommand(id)),
      ResourceNotFoundException,
    );
  });

  it('answers unknown users, queues and flows with ResourceNotFoundException', async () => {
    const configs: QuickConnectConfig[] = [
      {
        QuickConnectType: 'USER',
        UserConfig: { UserId: MISSING, ContactFlowId: t.fx.flowId('Default agent transfer') },
      },
      {
        QuickConnectType: 'QUEUE',
        QueueConfig: { QueueId: MISSING, ContactFlowId: t.fx.flowId('Default queue transfer') },
      },
      {
        QuickConnectType: 'QUEUE',
        QueueConfig: { QueueId: t.fx.basicQueueId, ContactFlowId: MISSING },
      },
    ];
    for (const [i, config] of configs.entries()) {
      await assert.rejects(create(`Broken ${i}`, config), ResourceNotFoundException);
    }
    await assert.rejects(
      create('Bad number', {
        QuickConnectType: 'PHONE_NUMBER',
        PhoneConfig: { PhoneNumber: '555' },
      }),
      InvalidParameterException,
    );
  });

  it('filters the list by the PascalCase QuickConnectTypes query and pages', async () => {
    await create('Queue 1', queueConfig());
    await create('Phone 1', phoneConfig);
    await create('Phone 2', { ...phoneConfig, PhoneConfig: { PhoneNumber: '+15555550100' } });
    const phones = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListQuickConnectsCommand({
          InstanceId: t.fx.instanceId,
          QuickConnectTypes: ['PHONE_NUMBER'],
          MaxResults: 1,
          NextToken,
        }),
      );
      return { items: page.QuickConnectSummaryList, next: page.NextToken };
    });
    assert.deepEqual(phones.items.map((q) => q.Name).sort(), ['Phone 1', 'Phone 2']);
    assert.ok(phones.items.every((q) => q.QuickConnectType === 'PHONE_NUMBER'));
    const everything = await t.client.send(
      new ListQuickConnectsCommand({ InstanceId: t.fx.instanceId }),
    );
    assert.equal(everything.QuickConnectSummaryList?.length, 3);
  });

  it('searches with full objects and enforces the quick connect quota', async () => {
    await create('Alpha', queueConfig());
    await create('Beta', phoneConfig);
    const found = await t.client.send(
      new SearchQuickConnectsCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'ph', ComparisonType: 'CONTAINS' },
        },
      }),
    );
    assert.deepEqual(
      found.QuickConnects?.map((q) => q.Name),
      ['Alpha'],
    );
    assert.deepEqual(found.QuickConnects?.[0].QuickConnectConfig, queueConfig());
    assert.equal(found.ApproximateTotalCount, 1);

    await t.emu.control.setOptions({ quotas: { quickConnects: 2 } as never });
    await assert.rejects(create('Gamma', phoneConfig), LimitExceededException);
  });
});
