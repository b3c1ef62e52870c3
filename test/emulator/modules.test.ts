import { strict as assert } from 'node:assert';
import {
  ConnectClient,
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  DeleteContactFlowModuleCommand,
  DescribeContactFlowModuleCommand,
  DuplicateResourceException,
  IdempotencyException,
  InvalidContactFlowException,
  InvalidContactFlowModuleException,
  ListContactFlowModulesCommand,
  ResourceNotFoundException,
  SearchContactFlowModulesCommand,
  UpdateContactFlowModuleContentCommand,
  UpdateContactFlowModuleMetadataCommand,
  type ContactFlowModuleSearchCriteria,
  type ContactFlowModuleSearchFilter,
} from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { endAction, flowContent, moduleContent, sha256, step } from '../helpers/flows';
import type { InstanceSummary } from '../../src/emulator/control-client';

const SETTINGS = JSON.stringify({
  InputParameters: [],
  OutputParameters: [],
  Transitions: [{ DisplayName: 'Success', ReferenceName: 'Success', Description: '' }],
});

describe('emulator: contact flow modules', () => {
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

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    client.send(
      new CreateContactFlowModuleCommand({
        InstanceId: instance.Id,
        Name: name,
        Content: moduleContent(),
        ...extra,
      }),
    );
  const describe = (id: string) =>
    client.send(
      new DescribeContactFlowModuleCommand({ InstanceId: instance.Id, ContactFlowModuleId: id }),
    );
  const updateContent = (id: string, input: { Content?: string; Settings?: string }) =>
    client.send(
      new UpdateContactFlowModuleContentCommand({
        InstanceId: instance.Id,
        ContactFlowModuleId: id,
        ...input,
      }),
    );

  it('creates a module and describes it with lower-case state and status', async () => {
    const created = await create('Collect digits', {
      Description: 'asks for an account number',
      Settings: SETTINGS,
      Tags: { team: 'ivr' },
    });
    assert.equal(created.Arn, `${instance.Arn}/flow-module/${created.Id}`);

    const module = (await describe(created.Id!)).ContactFlowModule!;
    assert.equal(module.Id, created.Id);
    assert.equal(module.Name, 'Collect digits');
    assert.equal(module.Description, 'asks for an account number');
    assert.equal(module.State, 'active');
    assert.equal(module.Status, 'published');
    assert.equal(module.Content, moduleContent());
    assert.equal(module.FlowModuleContentSha256, sha256(moduleContent()));
    assert.equal(module.Settings, SETTINGS);
    assert.deepEqual(module.Tags, { team: 'ivr' });

    await emu.control.setOptions({ lowerCaseModuleStatus: false });
    const upper = (await describe(created.Id!)).ContactFlowModule!;
    assert.equal(upper.State, 'ACTIVE');
    assert.equal(upper.Status, 'PUBLISHED');
  });

  it('reports invalid content as InvalidContactFlowModuleException with Problems', async () => {
    const content = JSON.stringify({
      Version: '2019-10-30',
      StartAction: 'missing',
      Actions: [
        step('say', 'MessageParticipant', { PromptId: `${instance.Arn}/prompt/nope` }, 'gone'),
        { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
      ],
    });
    await assert.rejects(create('Broken', { Content: content }), (error: unknown) => {
      assert.ok(error instanceof InvalidContactFlowModuleException, String(error));
      const messages = (error.Problems ?? []).map((p) => p.message ?? '');
      assert.ok(
        messages.some((m) => m.includes('StartAction')),
        messages.join('; '),
      );
      assert.ok(
        messages.some((m) => m.includes('0.Transitions.NextAction')),
        messages.join('; '),
      );
      assert.ok(
        messages.some((m) => m.includes('Path: 0.Parameters.PromptId')),
        messages.join('; '),
      );
      return true;
    });
    await assert.rejects(
      create('Bad settings', { Settings: 'not json' }),
      (error: unknown) => error instanceof InvalidContactFlowModuleException,
    );
    const { ContactFlowModulesSummaryList: list } = await client.send(
      new ListContactFlowModulesCommand({ InstanceId: instance.Id }),
    );
    assert.deepEqual(list, []);
  });

  it('replays a create with the same ClientToken and refuses a changed one', async () => {
    const first = await create('Retry me', { ClientToken: 'token-1' });
    const again = await create('Retry me', { ClientToken: 'token-1' });
    assert.equal(again.Id, first.Id);
    await assert.rejects(
      create('Something else', { ClientToken: 'token-1' }),
      (error: unknown) => error instanceof IdempotencyException,
    );
    // Without a token the SDK mints a fresh one, so a repeat is a duplicate name.
    await assert.rejects(
      create('Retry me'),
      (error: unknown) => error instanceof DuplicateResourceException,
    );
    const { ContactFlowModulesSummaryList: list } = await client.send(
      new ListContactFlowModulesCommand({ InstanceId: instance.Id }),
    );
    assert.equal(list?.length, 1);
  });

  it('keeps module names apart from flow names', async () => {
    await create('Shared name');
    await client.send(
      new CreateContactFlowCommand({
        InstanceId: instance.Id,
        Name: 'Shared name',
        Type: 'CONTACT_FLOW',
        Content: flowContent([endAction()]),
      }),
    );
    const other = await create('Other');
    await assert.rejects(
      client.send(
        new UpdateContactFlowModuleMetadataCommand({
          InstanceId: instance.Id,
          ContactFlowModuleId: other.Id,
          Name: 'Shared name',
        }),
      ),
      (error: unknown) => error instanceof DuplicateResourceException,
    );
  });

  it('keeps a draft and its settings until published', async () => {
    const { Id: id } = await create('Drafted', { Settings: SETTINGS });
    const draft = moduleContent([
      step('say', 'MessageParticipant', { Text: 'Hi' }, 'done'),
      { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
    ]);
    const draftSettings = JSON.stringify({
      InputParameters: [],
      OutputParameters: [],
      Transitions: [],
    });
    await updateContent(`${id}:$SAVED`, { Content: draft, Settings: draftSettings });

    const plain = (await describe(id!)).ContactFlowModule!;
    assert.equal(plain.Content, moduleContent());
    assert.equal(plain.Settings, SETTINGS);
    assert.equal(plain.Status, 'published');
    const saved = (await describe(`${id}:$SAVED`)).ContactFlowModule!;
    assert.equal(saved.Content, draft);
    assert.equal(saved.Settings, draftSettings);
    assert.equal(saved.Status, 'saved');

    await updateContent(id!, { Content: draft });
    const published = (await describe(id!)).ContactFlowModule!;
    assert.equal(published.Content, draft);
    assert.equal(published.Settings, draftSettings);

    await updateContent(id!, { Settings: SETTINGS });
    assert.equal((await describe(id!)).ContactFlowModule?.Settings, SETTINGS);
    await assert.rejects(
      updateContent(id!, { Content: moduleContent([step('x', 'Loop', {}, 'nowhere')]) }),
      (error: unknown) => error instanceof InvalidContactFlowModuleException,
    );
  });

  it('archives, lists by state across pages, and deletes', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(`Module ${i}`)).Id!);
    await client.send(
      new UpdateContactFlowModuleMetadataCommand({
        InstanceId: instance.Id,
        ContactFlowModuleId: ids[0],
        State: 'ARCHIVED',
        Description: 'old',
      }),
    );
    const list = async (state?: 'ACTIVE' | 'ARCHIVED') => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListContactFlowModulesCommand({
            InstanceId: instance.Id,
            ContactFlowModuleState: state,
            MaxResults: 2,
            NextToken: token,
          }),
        );
        for (const m of page.ContactFlowModulesSummaryList ?? []) {
          assert.equal(m.Arn, `${instance.Arn}/flow-module/${m.Id}`);
          if (state) assert.equal(m.State, state.toLowerCase());
          seen.push(m.Id!);
        }
        token = page.NextToken;
      } while (token);
      return seen.sort();
    };
    assert.deepEqual(await list(), [...ids].sort());
    assert.deepEqual(await list('ARCHIVED'), [ids[0]]);
    assert.deepEqual(await list('ACTIVE'), ids.slice(1).sort());

    await client.send(
      new DeleteContactFlowModuleCommand({ InstanceId: instance.Id, ContactFlowModuleId: ids[1] }),
    );
    await assert.rejects(describe(ids[1]), (e: unknown) => e instanceof ResourceNotFoundException);
  });

  it('searches by name, state, status and tags, a page at a time', async () => {
    await create('Payments capture', { Tags: { team: 'payments' } });
    await create('Payments refund', { Tags: { team: 'payments', tier: 'gold' } });
    const { Id: archived } = await create('Greeting', { Tags: { team: 'front' } });
    await client.send(
      new UpdateContactFlowModuleMetadataCommand({
        InstanceId: instance.Id,
        ContactFlowModuleId: archived,
        State: 'ARCHIVED',
      }),
    );
    const search = async (
      criteria?: ContactFlowModuleSearchCriteria,
      filter?: ContactFlowModuleSearchFilter,
    ) => {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new SearchContactFlowModulesCommand({
            InstanceId: instance.Id,
            SearchCriteria: criteria,
            SearchFilter: filter,
            MaxResults: 1,
            NextToken: token,
          }),
        );
        for (const m of page.ContactFlowModules ?? []) {
          assert.equal(m.Content, moduleContent());
          names.push(m.Name!);
        }
        token = page.NextToken;
      } while (token);
      return names.sort();
    };
    assert.deepEqual(
      await search({
        StringCondition: { FieldName: 'name', Value: 'pay', ComparisonType: 'STARTS_WITH' },
      }),
      ['Payments capture', 'Payments refund'],
    );
    assert.deepEqual(
      await search({
        StringCondition: { FieldName: 'name', Value: 'refund', ComparisonType: 'CONTAINS' },
      }),
      ['Payments refund'],
    );
    assert.deepEqual(await search({ StateCondition: 'ARCHIVED' }), ['Greeting']);
    assert.deepEqual(await search({ StatusCondition: 'PUBLISHED' }), [
      'Greeting',
      'Payments capture',
      'Payments refund',
    ]);
    assert.deepEqual(
      await search(undefined, {
        TagFilter: {
          AndConditions: [
            { TagKey: 'team', TagValue: 'payments' },
            { TagKey: 'tier', TagValue: 'gold' },
          ],
        },
      }),
      ['Payments refund'],
    );
  });

  it('lets a flow invoke a module of the same instance only', async () => {
    const { Id: moduleId } = await create('Invoked');
    const invoking = (module: string) =>
      client.send(
        new CreateContactFlowCommand({
          InstanceId: instance.Id,
          Name: `Invokes ${module}`,
          Type: 'CONTACT_FLOW',
          Content: flowContent([
            step('m', 'InvokeFlowModule', { FlowModuleId: module }),
            endAction(),
          ]),
        }),
      );
    await invoking(moduleId!);
    await invoking(`${instance.Arn}/flow-module/${moduleId}`);
    const other = await emu.control.createInstance({ Alias: 'prod' });
    await assert.rejects(invoking(`${other.Arn}/flow-module/${moduleId}`), (error: unknown) => {
      assert.ok(error instanceof InvalidContactFlowException);
      assert.deepEqual(
        error.problems?.map((p) => p.message),
        ['Invalid Action property value. Path: 0.Parameters.FlowModuleId'],
      );
      return true;
    });
  });
});
