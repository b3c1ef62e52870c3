import { strict as assert } from 'node:assert';
import {
  ConnectClient,
  ContactFlowNotPublishedException,
  CreateContactFlowCommand,
  CreateContactFlowVersionCommand,
  DeleteContactFlowCommand,
  DescribeContactFlowCommand,
  DuplicateResourceException,
  InvalidContactFlowException,
  InvalidParameterException,
  LimitExceededException,
  ListContactFlowsCommand,
  ListContactFlowVersionsCommand,
  ResourceNotFoundException,
  SearchContactFlowsCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowMetadataCommand,
  UpdateContactFlowNameCommand,
  type ContactFlowSearchCriteria,
  type ContactFlowSearchFilter,
} from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import {
  endAction,
  flowContent,
  idByName,
  instanceState,
  minimalFlow,
  patchInstance,
  queueFlow,
  sha256,
  step,
} from '../helpers/flows';
import type { InstanceSummary } from '../../src/emulator/control-client';

const problemsOf = (error: unknown): string[] =>
  ((error as InvalidContactFlowException).problems ?? []).map((p) => p.message ?? '');

/** Asserts the call fails with InvalidContactFlowException naming each path. */
async function rejectsWithProblems(call: Promise<unknown>, ...paths: string[]): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof InvalidContactFlowException, `got ${String(error)}`);
    const problems = problemsOf(error);
    for (const path of paths) {
      assert.ok(
        problems.some((p) => p.includes(path)),
        `expected a problem naming ${path}: ${problems.join('; ')}`,
      );
    }
    return true;
  });
}

describe('emulator: contact flows', () => {
  let emu: TestEmulator;
  let client: ConnectClient;
  let instance: InstanceSummary;

  before(async () => {
    emu = await startEmulator();
    client = emu.connect();
  });
  after(() => emu.stop());
  beforeEach(async () => {
    await emu.control.reset();
    instance = await emu.control.createInstance({ Alias: 'dev' });
  });

  const create = (name: string, content: string, extra: Record<string, unknown> = {}) =>
    client.send(
      new CreateContactFlowCommand({
        InstanceId: instance.Id,
        Name: name,
        Type: 'CONTACT_FLOW',
        Content: content,
        ...extra,
      }),
    );
  const describe = (id: string) =>
    client.send(new DescribeContactFlowCommand({ InstanceId: instance.Id, ContactFlowId: id }));
  const update = (id: string, content: string) =>
    client.send(
      new UpdateContactFlowContentCommand({
        InstanceId: instance.Id,
        ContactFlowId: id,
        Content: content,
      }),
    );

  it('creates a published flow and describes it with its hash, ARN and tags', async () => {
    const content = minimalFlow();
    const created = await create('Main menu', content, {
      Description: 'Entry point',
      Tags: { team: 'support' },
    });
    assert.equal(created.ContactFlowArn, `${instance.Arn}/contact-flow/${created.ContactFlowId}`);
    assert.equal(created.FlowContentSha256, sha256(content));

    const { ContactFlow: flow } = await describe(created.ContactFlowId!);
    assert.equal(flow?.Id, created.ContactFlowId);
    assert.equal(flow?.Arn, created.ContactFlowArn);
    assert.equal(flow?.Name, 'Main menu');
    assert.equal(flow?.Type, 'CONTACT_FLOW');
    assert.equal(flow?.Status, 'PUBLISHED');
    assert.equal(flow?.State, 'ACTIVE');
    assert.equal(flow?.Description, 'Entry point');
    assert.equal(flow?.Content, content);
    assert.equal(flow?.FlowContentSha256, sha256(content));
    assert.deepEqual(flow?.Tags, { team: 'support' });
    assert.equal(flow?.LastModifiedRegion, 'us-east-1');
    assert.ok(flow?.LastModifiedTime instanceof Date);
  });

  it('re-publishes every default flow of a new instance unchanged', async () => {
    const { ContactFlowSummaryList: flows } = await client.send(
      new ListContactFlowsCommand({ InstanceId: instance.Id }),
    );
    assert.ok(flows && flows.length >= 10, 'a new instance has its default flows');
    for (const summary of flows) {
      const before = (await describe(summary.Id!)).ContactFlow!;
      await update(summary.Id!, before.Content!);
      const after = (await describe(summary.Id!)).ContactFlow!;
      assert.equal(after.Content, before.Content, summary.Name);
      assert.equal(after.Status, 'PUBLISHED');
    }
  });

  it('requires a valid Type and keeps names unique across all flow types', async () => {
    await assert.rejects(
      create('Odd', minimalFlow(), { Type: 'NOT_A_TYPE' }),
      (error: unknown) => error instanceof InvalidParameterException,
    );
    await create('Shared name', minimalFlow());
    await assert.rejects(
      create('Shared name', minimalFlow(), { Type: 'CUSTOMER_QUEUE' }),
      (error: unknown) => error instanceof DuplicateResourceException,
    );
    const other = await create('Other', minimalFlow(), { Type: 'CUSTOMER_QUEUE' });
    await assert.rejects(
      client.send(
        new UpdateContactFlowNameCommand({
          InstanceId: instance.Id,
          ContactFlowId: other.ContactFlowId,
          Name: 'Shared name',
        }),
      ),
      (error: unknown) => error instanceof DuplicateResourceException,
    );
    // A default flow's name is taken too.
    await assert.rejects(
      create('Default customer queue', minimalFlow()),
      (error: unknown) => error instanceof DuplicateResourceException,
    );
  });

  it('creates a SAVED flow with dangling references and refuses to publish it', async () => {
    const missingQueue = `${instance.Arn}/queue/00000000-0000-4000-8000-000000000000`;
    const content = flowContent([
      step(
        'hook',
        'UpdateContactEventHooks',
        {
          EventHooks: { CustomerQueue: `${instance.Arn}/contact-flow/not-a-flow` },
        },
        'queue',
      ),
      step('queue', 'UpdateContactTargetQueue', { QueueId: missingQueue }),
      endAction(),
    ]);
    const created = await create('Stub', content, { Status: 'SAVED' });
    const { ContactFlow: saved } = await describe(created.ContactFlowId!);
    assert.equal(saved?.Status, 'SAVED');
    assert.equal(saved?.Content, content);

    await rejectsWithProblems(
      update(created.ContactFlowId!, content),
      'Path: 0.Parameters.EventHooks.CustomerQueue',
      'Path: 1.Parameters.QueueId',
    );
    assert.equal((await describe(created.ContactFlowId!)).ContactFlow?.Status, 'SAVED');

    await emu.control.setOptions({ notPublishedError: true });
    await assert.rejects(
      describe(created.ContactFlowId!),
      (error: unknown) => error instanceof ContactFlowNotPublishedException,
    );
    const draft = await describe(`${created.ContactFlowId}:$SAVED`);
    assert.equal(draft.ContactFlow?.Content, content);

    // Publishing valid content turns the SAVED flow into a PUBLISHED one.
    await update(created.ContactFlowId!, minimalFlow());
    const published = (await describe(created.ContactFlowId!)).ContactFlow!;
    assert.equal(published.Status, 'PUBLISHED');
    assert.equal(published.Content, minimalFlow());
  });

  it('rejects a SAVED flow whose content is not a JSON object', async () => {
    await rejectsWithProblems(create('Broken', '[1, 2]', { Status: 'SAVED' }), 'JSON object');
    await rejectsWithProblems(create('Broken', '{"Version":', { Status: 'SAVED' }), 'JSON object');
  });

  it('resolves queue references by ARN and bare id in this instance only', async () => {
    const state = await instanceState(emu, instance.Id);
    const queueId = idByName(state.queues, 'BasicQueue');
    await create('By ARN', queueFlow(`${instance.Arn}/queue/${queueId}`));
    await create('By id', queueFlow(queueId));
    await create('Dynamic', queueFlow('$.Attributes.queueArn'));

    await rejectsWithProblems(
      create('Missing', queueFlow(`${instance.Arn}/queue/${queueId.replace(/^.{8}/, 'deadbeef')}`)),
      'Parameters.QueueId',
    );
    await rejectsWithProblems(
      create('Wrong kind', queueFlow(`${instance.Arn}/prompt/${queueId}`)),
      'Parameters.QueueId',
    );

    const other = await emu.control.createInstance({ Alias: 'prod' });
    const otherQueue = idByName((await instanceState(emu, other.Id)).queues, 'BasicQueue');
    await rejectsWithProblems(
      create('Foreign', queueFlow(`${other.Arn}/queue/${otherQueue}`)),
      'Invalid Action property value. Path: 0.Parameters.QueueId',
    );
    // Even this instance's own queue id is not found under another instance's ARN.
    await rejectsWithProblems(
      create('Foreign id', queueFlow(`${other.Arn}/queue/${queueId}`)),
      'Parameters.QueueId',
    );
    // The same queue id under this instance's ARN with another account is not this instance's.
    const foreignAccount = `${instance.Arn.replace(/:\d{12}:/, ':999999999999:')}/queue/${queueId}`;
    await rejectsWithProblems(create('Account', queueFlow(foreignAccount)), 'Parameters.QueueId');
  });

  it('checks prompts, hours, flows, modules and agents, and accepts AWS-owned views', async () => {
    const state = await instanceState(emu, instance.Id);
    const prompt = `${instance.Arn}/prompt/${idByName(state.prompts, 'Beep.wav')}`;
    const hours = `${instance.Arn}/operating-hours/${idByName(state.hours, 'Basic Hours')}`;
    const queueFlowId = idByName(state.flows, 'Default customer queue');
    const userId = '5d1c7e0a-1111-4222-8333-944445555666';
    await patchInstance(emu, instance.Id, (i) => {
      i.users[userId] = { Id: userId, Username: 'agent1', Tags: {}, LastModifiedTime: 0 };
    });
    const actions = (agent: string, module: string) => [
      step('say', 'MessageParticipant', { PromptId: prompt }, 'loop'),
      step('loop', 'MessageParticipantIteratively', { Messages: [{ PromptId: prompt }] }, 'hours'),
      step('hours', 'CheckHoursOfOperation', { HoursOfOperationId: hours }, 'hook'),
      step(
        'hook',
        'UpdateContactEventHooks',
        {
          EventHooks: { CustomerQueue: `${instance.Arn}/contact-flow/${queueFlowId}` },
        },
        'agent',
      ),
      step('agent', 'UpdateContactTargetQueue', { AgentId: agent }, 'module'),
      step('module', 'InvokeFlowModule', { FlowModuleId: module }, 'view'),
      step('view', 'ShowView', {
        ViewResource: { Id: 'arn:aws:connect:us-east-1:aws:view/cards:1' },
      }),
      endAction(),
    ];
    await rejectsWithProblems(
      create('Refs', flowContent(actions(`${instance.Arn}/agent/${userId}`, 'no-such-module'))),
      'Path: 5.Parameters.FlowModuleId',
    );
    await rejectsWithProblems(
      create('Refs', flowContent(actions(`${instance.Arn}/agent/not-a-user`, '$.Attributes.m'))),
      'Path: 4.Parameters.AgentId',
    );
    await create('Refs', flowContent(actions(`${instance.Arn}/agent/${userId}`, '$.Attributes.m')));
  });

  it('checks Lambda associations only when validateIntegrations is on', async () => {
    const fn = 'arn:aws:lambda:us-east-1:111122223333:function:lookup';
    const content = flowContent([
      step('fn', 'InvokeLambdaFunction', { LambdaFunctionARN: fn }),
      endAction(),
    ]);
    await create('Lenient', content);
    await emu.control.setOptions({ validateIntegrations: true });
    await rejectsWithProblems(create('Strict', content), 'Path: 0.Parameters.LambdaFunctionARN');
    await patchInstance(emu, instance.Id, (i) => i.lambdaFunctions.push(fn));
    await create('Strict', content);
  });

  it('keeps a draft beside the published content until it is published', async () => {
    const published = minimalFlow();
    const { ContactFlowId: id } = await create('Drafted', published);
    const draft = flowContent([step('say', 'MessageParticipant', { Text: 'Hello' }), endAction()]);
    await update(`${id}:$SAVED`, draft);

    const plain = (await describe(id!)).ContactFlow!;
    assert.equal(plain.Content, published);
    assert.equal(plain.Status, 'PUBLISHED');
    const saved = (await describe(`${id}:$SAVED`)).ContactFlow!;
    assert.equal(saved.Content, draft);
    assert.equal(saved.Status, 'SAVED');
    assert.equal(saved.FlowContentSha256, sha256(draft));

    // A draft skips reference checks; publishing it does not.
    await update(`${id}:$SAVED`, queueFlow('no-such-queue'));
    await rejectsWithProblems(update(id!, queueFlow('no-such-queue')), '0.Parameters.QueueId');
    await rejectsWithProblems(update(`${id}:$SAVED`, 'not json'), 'JSON object');

    await update(id!, draft);
    assert.equal((await describe(id!)).ContactFlow?.Content, draft);
    assert.equal((await describe(`${id}:$SAVED`)).ContactFlow?.Content, draft);
  });

  it('renames, archives and deletes without changing the type', async () => {
    const { ContactFlowId: id } = await create('Old', minimalFlow(), { Type: 'CUSTOMER_QUEUE' });
    await client.send(
      new UpdateContactFlowNameCommand({
        InstanceId: instance.Id,
        ContactFlowId: id,
        Name: 'New',
        Description: 'renamed',
      }),
    );
    await client.send(
      new UpdateContactFlowMetadataCommand({
        InstanceId: instance.Id,
        ContactFlowId: id,
        ContactFlowState: 'ARCHIVED',
      }),
    );
    const flow = (await describe(id!)).ContactFlow!;
    assert.equal(flow.Name, 'New');
    assert.equal(flow.Description, 'renamed');
    assert.equal(flow.State, 'ARCHIVED');
    assert.equal(flow.Type, 'CUSTOMER_QUEUE');

    await client.send(new DeleteContactFlowCommand({ InstanceId: instance.Id, ContactFlowId: id }));
    await assert.rejects(
      describe(id!),
      (error: unknown) => error instanceof ResourceNotFoundException,
    );
  });

  it('lists by type across several pages with distinct tokens', async () => {
    const created = new Set<string>();
    for (let i = 0; i < 7; i++) {
      created.add(
        (await create(`Queue flow ${i}`, minimalFlow(), { Type: 'CUSTOMER_QUEUE' })).ContactFlowId!,
      );
    }
    const state = await instanceState(emu, instance.Id);
    const defaults = Object.values(state.flows).filter((f) => f.Type === 'CUSTOMER_QUEUE');
    for (const flow of defaults) created.add(flow.Id);

    const seen: string[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new ListContactFlowsCommand({
          InstanceId: instance.Id,
          ContactFlowTypes: ['CUSTOMER_QUEUE'],
          MaxResults: 3,
          NextToken: token,
        }),
      );
      for (const summary of page.ContactFlowSummaryList ?? []) {
        assert.equal(summary.ContactFlowType, 'CUSTOMER_QUEUE');
        assert.equal(summary.ContactFlowState, 'ACTIVE');
        assert.equal(summary.ContactFlowStatus, 'PUBLISHED');
        seen.push(summary.Id!);
      }
      token = page.NextToken;
      if (token) {
        assert.ok(!tokens.has(token), 'tokens are never repeated');
        tokens.add(token);
      }
      pages++;
    } while (token);
    assert.ok(pages >= 3);
    assert.deepEqual(new Set(seen), created);
    assert.equal(seen.length, created.size);

    await assert.rejects(
      client.send(new ListContactFlowsCommand({ InstanceId: instance.Id, MaxResults: 1001 })),
      (error: unknown) => error instanceof InvalidParameterException,
    );
  });

  it('searches by type, state, status, name and tags, a page at a time', async () => {
    await create('Billing main', minimalFlow(), { Tags: { team: 'billing' } });
    await create('Billing overflow', minimalFlow(), {
      Type: 'CUSTOMER_QUEUE',
      Tags: { team: 'billing', tier: 'gold' },
    });
    const { ContactFlowId: archived } = await create('Sales main', minimalFlow(), {
      Tags: { team: 'sales' },
    });
    await create('Sales draft', minimalFlow(), { Status: 'SAVED' });
    await client.send(
      new UpdateContactFlowMetadataCommand({
        InstanceId: instance.Id,
        ContactFlowId: archived,
        ContactFlowState: 'ARCHIVED',
      }),
    );

    const search = async (
      criteria?: ContactFlowSearchCriteria,
      filter?: ContactFlowSearchFilter,
    ) => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new SearchContactFlowsCommand({
            InstanceId: instance.Id,
            SearchCriteria: criteria,
            SearchFilter: filter,
            MaxResults: 2,
            NextToken: token,
          }),
        );
        for (const flow of page.ContactFlows ?? []) {
          assert.ok(flow.Content && flow.FlowContentSha256 === sha256(flow.Content));
          names.push(flow.Name!);
        }
        token = page.NextToken;
      } while (token);
      return names.sort();
    };

    const billing = {
      StringCondition: { FieldName: 'name', Value: 'billing', ComparisonType: 'STARTS_WITH' },
    } as const;
    assert.deepEqual(await search(billing), ['Billing main', 'Billing overflow']);
    assert.deepEqual(
      await search({
        StringCondition: { FieldName: 'name', Value: 'main', ComparisonType: 'CONTAINS' },
      }),
      ['Billing main', 'Sales main'],
    );
    assert.deepEqual(
      await search({
        StringCondition: { FieldName: 'name', Value: 'Sales main', ComparisonType: 'EXACT' },
      }),
      ['Sales main'],
    );
    assert.deepEqual(
      await search({
        StringCondition: { FieldName: 'name', Value: 'sales main', ComparisonType: 'EXACT' },
      }),
      [],
    );
    assert.deepEqual(
      await search({ AndConditions: [billing, { TypeCondition: 'CUSTOMER_QUEUE' }] }),
      ['Billing overflow'],
    );
    assert.deepEqual(await search({ StateCondition: 'ARCHIVED' }), ['Sales main']);
    assert.deepEqual(await search({ StatusCondition: 'SAVED' }), ['Sales draft']);
    assert.deepEqual(
      await search(undefined, {
        TagFilter: { TagCondition: { TagKey: 'team', TagValue: 'billing' } },
      }),
      ['Billing main', 'Billing overflow'],
    );
    assert.deepEqual(
      await search(undefined, {
        TagFilter: {
          OrConditions: [
            [{ TagKey: 'tier', TagValue: 'gold' }],
            [{ TagKey: 'team', TagValue: 'sales' }],
          ],
        },
      }),
      ['Billing overflow', 'Sales main'],
    );
    assert.deepEqual(
      await search(undefined, {
        FlowAttributeFilter: {
          AndCondition: {
            TagConditions: [{ TagKey: 'team', TagValue: 'billing' }],
            ContactFlowTypeCondition: { ContactFlowType: 'CONTACT_FLOW' },
          },
        },
      }),
      ['Billing main'],
    );

    const all = await client.send(new SearchContactFlowsCommand({ InstanceId: instance.Id }));
    const state = await instanceState(emu, instance.Id);
    assert.equal(all.ApproximateTotalCount, Object.keys(state.flows).length);
    await assert.rejects(
      client.send(new SearchContactFlowsCommand({ InstanceId: instance.Id, MaxResults: 101 })),
      (error: unknown) => error instanceof InvalidParameterException,
    );
  });

  it('numbers versions of the published content and describes them', async () => {
    const first = minimalFlow();
    const { ContactFlowId: id, ContactFlowArn: arn } = await create('Versioned', first);
    const v1 = await client.send(
      new CreateContactFlowVersionCommand({
        InstanceId: instance.Id,
        ContactFlowId: id,
        Description: 'first',
        FlowContentSha256: sha256(first),
      }),
    );
    assert.equal(v1.Version, 1);
    assert.equal(v1.ContactFlowArn, `${arn}:1`);
    await update(
      id!,
      flowContent([step('say', 'MessageParticipant', { Text: 'v2' }), endAction()]),
    );

    const old = (await describe(`${id}:1`)).ContactFlow!;
    assert.equal(old.Content, first);
    assert.equal(old.Version, 1);
    const { ContactFlowVersionSummaryList: versions } = await client.send(
      new ListContactFlowVersionsCommand({ InstanceId: instance.Id, ContactFlowId: id }),
    );
    assert.deepEqual(
      versions?.map((v) => [v.Version, v.VersionDescription]),
      [[1, 'first']],
    );
  });

  it('enforces the flow quota with LimitExceededException', async () => {
    const count = Object.keys((await instanceState(emu, instance.Id)).flows).length;
    const { quotas } = await emu.control.setOptions({});
    await emu.control.setOptions({ quotas: { ...quotas, flows: count + 1 } });
    await create('Last one', minimalFlow());
    const once = emu.connect(undefined, undefined, 1);
    await assert.rejects(
      once.send(
        new CreateContactFlowCommand({
          InstanceId: instance.Id,
          Name: 'One too many',
          Type: 'CONTACT_FLOW',
          Content: minimalFlow(),
        }),
      ),
      (error: unknown) => error instanceof LimitExceededException,
    );
  });
});
