import { strict as assert } from 'node:assert';
import {
  CreatePromptCommand,
  DeletePromptCommand,
  DescribePromptCommand,
  DuplicateResourceException,
  GetPromptFileCommand,
  InvalidParameterException,
  LimitExceededException,
  ListPromptsCommand,
  ResourceNotFoundException,
  SearchPromptsCommand,
  UpdatePromptCommand,
} from '@aws-sdk/client-connect';
import { allPages, createInstanceFixture, useEmulator } from './fixtures';

describe('emulator: prompts', () => {
  const t = useEmulator();
  const create = (Name: string, S3Uri = 's3://my-bucket/prompts/hello.wav') =>
    t.client.send(new CreatePromptCommand({ InstanceId: t.fx.instanceId, Name, S3Uri }));

  it('creates and describes a prompt with PromptARN, updates and deletes it', async () => {
    const created = await create('Hello');
    assert.equal(created.PromptARN, `${t.fx.arn}/prompt/${created.PromptId}`);
    const id = { InstanceId: t.fx.instanceId, PromptId: created.PromptId };
    const { Prompt } = await t.client.send(new DescribePromptCommand(id));
    assert.equal(Prompt?.PromptARN, created.PromptARN);
    assert.equal(Prompt?.PromptId, created.PromptId);
    assert.equal(Prompt?.Name, 'Hello');
    assert.ok(Prompt?.LastModifiedTime instanceof Date);

    const updated = await t.client.send(
      new UpdatePromptCommand({ ...id, Name: 'Hello there', Description: 'greeting' }),
    );
    assert.equal(updated.PromptARN, created.PromptARN);
    const again = await t.client.send(new DescribePromptCommand(id));
    assert.equal(again.Prompt?.Name, 'Hello there');
    assert.equal(again.Prompt?.Description, 'greeting');

    await t.client.send(new DeletePromptCommand(id));
    await assert.rejects(t.client.send(new DescribePromptCommand(id)), ResourceNotFoundException);
  });

  it('copies a prompt through the presigned URL GetPromptFile returns', async () => {
    const { PromptId } = await create('Source');
    const file = await t.client.send(
      new GetPromptFileCommand({ InstanceId: t.fx.instanceId, PromptId }),
    );
    assert.match(
      file.PromptPresignedUrl!,
      /^https:\/\/\S+\.s3\.us-east-1\.amazonaws\.com\/.+\?X-Amz-/,
    );
    assert.ok(file.LastModifiedTime instanceof Date);
    const target = await createInstanceFixture(t.emu);
    const copied = await t.client.send(
      new CreatePromptCommand({
        InstanceId: target.instanceId,
        Name: 'Source',
        S3Uri: file.PromptPresignedUrl,
      }),
    );
    assert.ok(copied.PromptId);
  });

  it('rejects an S3Uri that is neither s3://bucket/key nor https', async () => {
    for (const uri of ['s3://bucket-only', 'ftp://host/file.wav', 'hello.wav']) {
      await assert.rejects(create(`Bad ${uri}`, uri), InvalidParameterException);
    }
  });

  it('lists default and new prompts across pages; searches by name', async () => {
    await create('Custom greeting');
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListPromptsCommand({ InstanceId: t.fx.instanceId, MaxResults: 3, NextToken }),
      );
      return { items: page.PromptSummaryList, next: page.NextToken };
    });
    assert.equal(items.length, 8);
    assert.equal(pages, 3);
    assert.ok(items.some((p) => p.Name === 'Beep.wav'));
    assert.ok(items.every((p) => p.Arn === `${t.fx.arn}/prompt/${p.Id}`));

    const found = await t.client.send(
      new SearchPromptsCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          OrConditions: [
            {
              StringCondition: {
                FieldName: 'name',
                Value: 'Custom greeting',
                ComparisonType: 'EXACT',
              },
            },
            {
              StringCondition: { FieldName: 'name', Value: 'beep', ComparisonType: 'STARTS_WITH' },
            },
          ],
        },
      }),
    );
    assert.deepEqual(found.Prompts?.map((p) => p.Name).sort(), ['Beep.wav', 'Custom greeting']);
    assert.ok(found.Prompts?.every((p) => p.PromptARN?.endsWith(`/prompt/${p.PromptId}`)));
    await assert.rejects(
      t.client.send(new SearchPromptsCommand({ InstanceId: t.fx.instanceId, MaxResults: 101 })),
      InvalidParameterException,
    );
  });

  it('rejects duplicate names and enforces the prompt quota', async () => {
    await assert.rejects(create('Beep.wav'), DuplicateResourceException);
    await t.emu.control.setOptions({ quotas: { prompts: 8 } as never });
    await create('Eighth');
    await assert.rejects(create('Ninth'), LimitExceededException);
  });
});
