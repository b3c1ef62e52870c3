import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { TestEmulator, DEV_ACCOUNT } from '../helpers/emulator';
import { pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { patchInstance } from '../helpers/flows';
import { resourceArn } from '../../src/emulator/model';
import type { CallRecord } from '../../src/emulator/server';

const count = (calls: CallRecord[], operation: string) =>
  calls.filter((c) => c.operation === operation).length;

/**
 * An instance the size the issue names: 1,000 flows and 300 queues, each flow setting a queue,
 * calling another flow and playing a default prompt by ARN, as real flows do.
 */
async function bigInstance(
  emu: TestEmulator,
): Promise<{ Id: string; Account: string; Region: string }> {
  const created = await emu.control.createInstance({ Account: DEV_ACCOUNT, Region: 'us-east-1' });
  await patchInstance(emu, created.Id, (instance) => {
    const now = Date.now() / 1000;
    const hoursId = Object.values(instance.hours)[0].Id;
    const promptId = Object.values(instance.prompts)[0].Id;
    const queueIds = Array.from({ length: 300 }, () => randomUUID());
    queueIds.forEach((Id, i) => {
      instance.queues[Id] = {
        Id,
        Name: `Queue ${i}`,
        QueueType: 'STANDARD',
        HoursOfOperationId: hoursId,
        Status: 'ENABLED',
        QuickConnectIds: [],
        Tags: {},
        LastModifiedTime: now,
      };
    });
    const flowIds = Array.from({ length: 1000 }, () => randomUUID());
    flowIds.forEach((Id, i) => {
      const content = {
        Version: '2019-10-30',
        StartAction: 'say',
        Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
        Actions: [
          {
            Identifier: 'say',
            Type: 'MessageParticipant',
            Parameters: { PromptId: resourceArn(instance, 'prompt', promptId) },
            Transitions: { NextAction: 'queue', Errors: [], Conditions: [] },
          },
          {
            Identifier: 'queue',
            Type: 'UpdateContactTargetQueue',
            Parameters: { QueueId: resourceArn(instance, 'queue', queueIds[i % 300]) },
            Transitions: { NextAction: 'next', Errors: [], Conditions: [] },
          },
          {
            Identifier: 'next',
            Type: 'TransferToFlow',
            Parameters: { ContactFlowId: resourceArn(instance, 'flow', flowIds[(i + 1) % 1000]) },
            Transitions: { NextAction: 'end', Errors: [], Conditions: [] },
          },
          { Identifier: 'end', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
        ],
      };
      instance.flows[Id] = {
        Id,
        Name: `Flow ${String(i).padStart(4, '0')}`,
        Type: 'CONTACT_FLOW',
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: JSON.stringify(content),
        Tags: {},
        LastModifiedTime: now,
      };
    });
  });
  return { Id: created.Id, Account: created.Account, Region: created.Region };
}

describe('pull: a large instance', function () {
  this.timeout(300000);
  let emu: TestEmulator;
  let repo: TestRepo;

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  it('reads 1,000 flows and 300 queues in fewer than 60 calls, and again with no describe', async () => {
    const instance = await bigInstance(emu);
    await emu.control.clearCalls();
    const first = await pullFrom(emu, repo, 'dev', instance);
    const cold = await emu.control.calls();
    assert.ok(cold.length < 60, `${cold.length} calls`);
    assert.equal(count(cold, 'DescribeContactFlow'), 0);
    assert.equal(first.counts.flows, 1016);
    assert.equal(first.counts.queues, 301);

    await emu.control.clearCalls();
    const second = await pullFrom(emu, repo, 'dev', instance, { again: true });
    const warm = await emu.control.calls();
    assert.equal(second.commit, undefined);
    assert.equal(count(warm, 'DescribeContactFlow'), 0);
  });

  it('describes only what changed when search results carry no content', async () => {
    const instance = await bigInstance(emu);
    await emu.control.setOptions({ searchReturnsContent: false });
    await emu.control.clearCalls();
    await pullFrom(emu, repo, 'dev', instance);
    const cold = await emu.control.calls();
    assert.ok(count(cold, 'DescribeContactFlow') >= 1016, 'a cold pull must describe each flow');

    await patchInstance(emu, instance.Id, (record) => {
      const flow = Object.values(record.flows).find((f) => f.Name === 'Flow 0007')!;
      flow.Description = 'changed in the console';
      flow.LastModifiedTime = Date.now() / 1000 + 1;
    });
    await emu.control.clearCalls();
    const second = await pullFrom(emu, repo, 'dev', instance, { again: true });
    const warm = await emu.control.calls();
    assert.equal(count(warm, 'DescribeContactFlow'), 1, 'only the changed flow is described');
    assert.deepEqual(second.changed, ['flows/Flow 0007.json']);
  });
});
