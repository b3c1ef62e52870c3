import { strict as assert } from 'node:assert';
import {
  CreateHoursOfOperationCommand,
  CreateQueueCommand,
  DeleteHoursOfOperationCommand,
  DescribeHoursOfOperationCommand,
  DuplicateResourceException,
  HoursOfOperationConfig,
  InvalidParameterException,
  LimitExceededException,
  ListHoursOfOperationsCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  SearchHoursOfOperationsCommand,
  UpdateHoursOfOperationCommand,
} from '@aws-sdk/client-connect';
import { allPages, useEmulator } from './fixtures';

const weekdays: HoursOfOperationConfig[] = ['MONDAY', 'TUESDAY'].map((Day) => ({
  Day: Day as HoursOfOperationConfig['Day'],
  StartTime: { Hours: 9, Minutes: 0 },
  EndTime: { Hours: 17, Minutes: 30 },
}));

describe('emulator: hours of operation', () => {
  const t = useEmulator();
  const create = (Name: string, extra: Partial<{ Tags: Record<string, string> }> = {}) =>
    t.client.send(
      new CreateHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        Name,
        TimeZone: 'Europe/London',
        Config: weekdays,
        ...extra,
      }),
    );

  it('creates, describes with HoursOfOperationId/Arn, updates and deletes', async () => {
    const created = await create('Office', { Tags: { team: 'ops' } });
    assert.equal(
      created.HoursOfOperationArn,
      `${t.fx.arn}/operating-hours/${created.HoursOfOperationId}`,
    );
    const { HoursOfOperation: h } = await t.client.send(
      new DescribeHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        HoursOfOperationId: created.HoursOfOperationId,
      }),
    );
    assert.equal(h?.HoursOfOperationId, created.HoursOfOperationId);
    assert.equal(h?.HoursOfOperationArn, created.HoursOfOperationArn);
    assert.deepEqual(h?.Config, weekdays);
    assert.deepEqual(h?.Tags, { team: 'ops' });
    assert.ok(h?.LastModifiedTime instanceof Date);
    assert.equal(h?.LastModifiedRegion, 'us-east-1');

    await t.client.send(
      new UpdateHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        HoursOfOperationId: created.HoursOfOperationId,
        Name: 'Office hours',
        TimeZone: 'America/Chicago',
      }),
    );
    const after = await t.client.send(
      new DescribeHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        HoursOfOperationId: created.HoursOfOperationId,
      }),
    );
    assert.equal(after.HoursOfOperation?.Name, 'Office hours');
    assert.equal(after.HoursOfOperation?.TimeZone, 'America/Chicago');
    assert.deepEqual(after.HoursOfOperation?.Config, weekdays);

    await t.client.send(
      new DeleteHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        HoursOfOperationId: created.HoursOfOperationId,
      }),
    );
    await assert.rejects(
      t.client.send(
        new DescribeHoursOfOperationCommand({
          InstanceId: t.fx.instanceId,
          HoursOfOperationId: created.HoursOfOperationId,
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('omits Tags when a resource has none', async () => {
    const { HoursOfOperation } = await t.client.send(
      new DescribeHoursOfOperationCommand({
        InstanceId: t.fx.instanceId,
        HoursOfOperationId: t.fx.basicHoursId,
      }),
    );
    assert.equal(HoursOfOperation?.Tags, undefined);
  });

  it('lists Id/Arn summaries across pages; rejects an out-of-range MaxResults', async () => {
    for (let i = 0; i < 4; i++) await create(`Hours ${i}`);
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListHoursOfOperationsCommand({ InstanceId: t.fx.instanceId, MaxResults: 2, NextToken }),
      );
      return { items: page.HoursOfOperationSummaryList, next: page.NextToken };
    });
    assert.equal(pages, 3);
    assert.deepEqual(items.map((h) => h.Name).sort(), [
      'Basic Hours',
      'Hours 0',
      'Hours 1',
      'Hours 2',
      'Hours 3',
    ]);
    assert.ok(items.every((h) => h.Arn === `${t.fx.arn}/operating-hours/${h.Id}`));
    for (const MaxResults of [0, 1001]) {
      await assert.rejects(
        t.client.send(
          new ListHoursOfOperationsCommand({ InstanceId: t.fx.instanceId, MaxResults }),
        ),
        InvalidParameterException,
      );
    }
  });

  it('searches by timezone and tag, with full objects and a total count', async () => {
    await create('London A', { Tags: { site: 'ldn' } });
    await create('London B');
    const result = await t.client.send(
      new SearchHoursOfOperationsCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          StringCondition: {
            FieldName: 'timezone',
            Value: 'europe/',
            ComparisonType: 'STARTS_WITH',
          },
        },
        SearchFilter: { TagFilter: { TagCondition: { TagKey: 'site', TagValue: 'ldn' } } },
      }),
    );
    assert.deepEqual(
      result.HoursOfOperations?.map((h) => h.Name),
      ['London A'],
    );
    assert.equal(result.ApproximateTotalCount, 1);
    assert.deepEqual(result.HoursOfOperations?.[0].Config, weekdays);
    await assert.rejects(
      t.client.send(
        new SearchHoursOfOperationsCommand({ InstanceId: t.fx.instanceId, MaxResults: 101 }),
      ),
      InvalidParameterException,
    );
  });

  it('rejects duplicate names on create and rename', async () => {
    const { HoursOfOperationId } = await create('Office');
    await assert.rejects(create('Office'), DuplicateResourceException);
    await assert.rejects(
      t.client.send(
        new UpdateHoursOfOperationCommand({
          InstanceId: t.fx.instanceId,
          HoursOfOperationId,
          Name: 'Basic Hours',
        }),
      ),
      DuplicateResourceException,
    );
  });

  it('refuses to delete hours a queue uses, naming the queue', async () => {
    const { HoursOfOperationId } = await create('Office');
    const { QueueId } = await t.client.send(
      new CreateQueueCommand({ InstanceId: t.fx.instanceId, Name: 'Q', HoursOfOperationId }),
    );
    await assert.rejects(
      t.client.send(
        new DeleteHoursOfOperationCommand({ InstanceId: t.fx.instanceId, HoursOfOperationId }),
      ),
      (error: unknown) => error instanceof ResourceInUseException && error.ResourceId === QueueId,
    );
  });

  it('enforces the hours quota with LimitExceededException', async () => {
    await t.emu.control.setOptions({ quotas: { hours: 2 } as never });
    await create('Second');
    await assert.rejects(create('Third'), LimitExceededException);
  });
});
