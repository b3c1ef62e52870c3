import { strict as assert } from 'node:assert';
import {
  CreateQueueCommand,
  DescribeQueueCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-connect';
import { resourceArn } from '../../src/emulator/model';
import { createInstanceFixture, useEmulator } from './fixtures';

describe('emulator: tags by ARN', () => {
  const t = useEmulator();
  const tagsOf = async (resourceArn: string) =>
    (await t.client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

  it('tags, lists and untags a queue; Describe shows the same tags', async () => {
    const { QueueId, QueueArn } = await t.client.send(
      new CreateQueueCommand({
        InstanceId: t.fx.instanceId,
        Name: 'Tagged',
        HoursOfOperationId: t.fx.basicHoursId,
        Tags: { a: '1' },
      }),
    );
    // The ARN holds `:` and `/`; the SDK percent-encodes both into one path segment.
    await t.client.send(
      new TagResourceCommand({ resourceArn: QueueArn, tags: { 'b/c': 'x:y', 'd e': '' } }),
    );
    assert.deepEqual(await tagsOf(QueueArn!), { a: '1', 'b/c': 'x:y', 'd e': '' });
    await t.client.send(new UntagResourceCommand({ resourceArn: QueueArn, tagKeys: ['a', 'd e'] }));
    assert.deepEqual(await tagsOf(QueueArn!), { 'b/c': 'x:y' });
    const { Queue } = await t.client.send(
      new DescribeQueueCommand({ InstanceId: t.fx.instanceId, QueueId }),
    );
    assert.deepEqual(Queue?.Tags, { 'b/c': 'x:y' });
  });

  it('tags the instance and every resource kind, flows and modules too', async () => {
    const state = t.emu.emulator.state.instances[t.fx.instanceId];
    const prompt = Object.keys(state.prompts)[0];
    // Modules are another family's handlers; a record planted in the state stands in for one.
    const moduleId = '0d0d0d0d-0000-4000-8000-000000000000';
    state.modules[moduleId] = {
      Id: moduleId,
      Name: 'Planted module',
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Content: '{}',
      Tags: {},
      LastModifiedTime: 0,
    };
    const arns = [
      t.fx.arn,
      resourceArn(state, 'flow', t.fx.flowId('Default outbound')),
      resourceArn(state, 'prompt', prompt),
      resourceArn(state, 'hours', t.fx.basicHoursId),
      resourceArn(state, 'routingProfile', t.fx.basicProfileId),
      resourceArn(state, 'securityProfile', t.fx.securityProfileId('Admin')),
      resourceArn(state, 'module', moduleId),
    ];
    for (const [i, arn] of arns.entries()) {
      await t.client.send(new TagResourceCommand({ resourceArn: arn, tags: { n: String(i) } }));
    }
    for (const [i, arn] of arns.entries()) assert.deepEqual(await tagsOf(arn), { n: String(i) });
    assert.deepEqual(state.flows[t.fx.flowId('Default outbound')].Tags, { n: '1' });
  });

  it('answers an unknown or foreign ARN with ResourceNotFoundException', async () => {
    const other = await createInstanceFixture(t.emu);
    const state = t.emu.emulator.state.instances[t.fx.instanceId];
    const wrongInstance = resourceArn(state, 'queue', other.basicQueueId);
    const wrongAccount = t.fx.arn.replace(/:\d{12}:/, ':999999999999:');
    for (const arn of [
      wrongInstance,
      wrongAccount,
      'arn:aws:connect:us-east-1:111122223333:nothing',
    ]) {
      await assert.rejects(
        t.client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
        ResourceNotFoundException,
      );
    }
  });

  it('validates tags: no aws: prefix, at most 50', async () => {
    await assert.rejects(
      t.client.send(new TagResourceCommand({ resourceArn: t.fx.arn, tags: { 'aws:x': 'y' } })),
      InvalidParameterException,
    );
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']));
    await t.client.send(new TagResourceCommand({ resourceArn: t.fx.arn, tags: many }));
    const more = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`m${i}`, 'v']));
    await assert.rejects(
      t.client.send(new TagResourceCommand({ resourceArn: t.fx.arn, tags: more })),
      InvalidParameterException,
    );
  });
});
