import { strict as assert } from 'node:assert';
import {
  ConnectClient,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeHoursOfOperationCommand,
  DescribePromptCommand,
  DescribeQueueCommand,
  InvalidContactFlowException,
  ListBotsCommand,
  ListContactFlowModulesCommand,
  ListContactFlowsCommand,
  ListLambdaFunctionsCommand,
  ListPromptsCommand,
  ListQueuesCommand,
  ListUsersCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowModuleContentCommand,
} from '@aws-sdk/client-connect';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import {
  corpusFlowsAndModules,
  corpusPath,
  FLOW_SETS,
  readJson,
  seedFolder,
} from '../helpers/fixtures';
import { fixturesDir } from '../helpers/paths';

const CONNECT_ARN =
  /arn:aws:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})\/([a-z-]+(?:\/agent)?)\/([0-9a-f-]{36})/g;

interface Seeded {
  Id: string;
  Account: string;
  Region: string;
}

async function seedFiles(emu: TestEmulator, files: string[], instanceJson?: unknown) {
  const folder = seedFolder(files, instanceJson);
  try {
    return await emu.control.seed(folder.dir);
  } finally {
    folder.remove();
  }
}

function clientFor(emu: TestEmulator, seeded: Seeded): ConnectClient {
  return emu.connect(seeded.Account, seeded.Region);
}

async function flowIdByName(client: ConnectClient, instanceId: string, name: string) {
  const { ContactFlowSummaryList } = await client.send(
    new ListContactFlowsCommand({ InstanceId: instanceId, MaxResults: 1000 }),
  );
  return ContactFlowSummaryList?.find((f) => f.Name === name)?.Id;
}

async function moduleIdByName(client: ConnectClient, instanceId: string, name: string) {
  const { ContactFlowModulesSummaryList } = await client.send(
    new ListContactFlowModulesCommand({ InstanceId: instanceId, MaxResults: 1000 }),
  );
  return ContactFlowModulesSummaryList?.find((m) => m.Name === name)?.Id;
}

function exportedName(file: string): string {
  const content = readJson(file) as { Metadata?: { name?: string } };
  const name = content.Metadata?.name;
  return name && name.trim() ? name : file.slice(file.lastIndexOf('/') + 1, -'.json'.length);
}

const REFERENCE_PARAMETERS = new Set([
  'QueueId',
  'AgentId',
  'ContactFlowId',
  'ContactFlowArn',
  'FlowModuleId',
  'PromptId',
  'HoursOfOperationId',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Where a file could not be published as it is, worked out independently of the emulator: a
 * static reference that is neither an ARN nor an id (a template placeholder such as
 * `{{prompts.X.arn}}` or `%QueueArn%`), or a transition to an action the flow does not have.
 */
function publishBlockers(content: unknown): string[] {
  const flow = content as { StartAction?: string; Actions: Record<string, unknown>[] };
  const identifiers = new Set(flow.Actions.map((a) => a.Identifier));
  const blockers: string[] = [];
  if (!identifiers.has(flow.StartAction)) blockers.push('StartAction');
  flow.Actions.forEach((action, index) => {
    const visit = (value: unknown, path: string[]) => {
      if (typeof value === 'string') {
        const key = path[path.length - 1];
        const isReference = REFERENCE_PARAMETERS.has(key) || path[0] === 'EventHooks';
        const isStatic = value !== '' && !value.includes('$.');
        if (isReference && isStatic && !value.startsWith('arn:aws:') && !UUID.test(value)) {
          blockers.push(`${index}.Parameters.${path.join('.')}`);
        }
      } else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
      }
    };
    visit(action.Parameters, []);
    const transitions = (action.Transitions ?? {}) as {
      NextAction?: string;
      Errors?: { NextAction?: string }[];
      Conditions?: { NextAction?: string }[];
    };
    const check = (next: string | undefined, path: string) => {
      if (next && !identifiers.has(next)) blockers.push(`${index}.Transitions.${path}`);
    };
    check(transitions.NextAction, 'NextAction');
    transitions.Errors?.forEach((e, i) => check(e.NextAction, `Errors.${i}.NextAction`));
    transitions.Conditions?.forEach((c, i) => check(c.NextAction, `Conditions.${i}.NextAction`));
  });
  return blockers;
}

describe('emulator: seeding from real exports', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(() => emu.control.reset());

  for (const fixture of corpusFlowsAndModules()) {
    const unpublishable = publishBlockers(readJson(fixture.path));
    const outcome = unpublishable.length
      ? `is refused on publish at ${unpublishable.join(', ')}`
      : 'republishes with every reference resolving';
    it(`imports ${fixture.relative} exactly and ${outcome}`, async () => {
      const seeded = await seedFiles(emu, [fixture.path]);
      const client = clientFor(emu, seeded);
      const text = JSON.stringify(readJson(fixture.path));
      const name = exportedName(fixture.path);

      const publish = fixture.isModule
        ? await describeModule(client, seeded.Id, name, text)
        : await describeFlow(client, seeded.Id, name, text);
      if (unpublishable.length === 0) {
        await publish();
      } else {
        // Templates and hand-written files hold placeholders or dangling transitions; Connect
        // refuses to publish them, and so must the emulator, naming each place.
        await assert.rejects(publish(), (error: unknown) => {
          const problems =
            (error as { problems?: { message?: string }[] }).problems ??
            (error as { Problems?: { message?: string }[] }).Problems ??
            [];
          const text = problems.map((p) => p.message ?? '').join('\n');
          for (const path of unpublishable) assert.ok(text.includes(path), `${path} in ${text}`);
          return true;
        });
      }

      for (const match of text.matchAll(CONNECT_ARN)) {
        const [, region, account, instanceId, segment, id] = match;
        assert.deepEqual([region, account, instanceId], [seeded.Region, seeded.Account, seeded.Id]);
        await assertExists(client, seeded.Id, segment, id);
      }
    });
  }

  it('rejects publishing a flow whose queue ARN names a missing queue, naming the path', async () => {
    const file = corpusPath(
      'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json',
    );
    const seeded = await seedFiles(emu, [file]);
    const client = clientFor(emu, seeded);
    const id = await flowIdByName(client, seeded.Id, exportedName(file));
    const content = readJson(file) as { Actions: { Parameters?: Record<string, unknown> }[] };
    const index = content.Actions.findIndex((a) => typeof a.Parameters?.QueueId === 'string');
    assert.ok(index >= 0, 'the fixture sets a queue');
    const missing = `arn:aws:connect:${seeded.Region}:${seeded.Account}:instance/${seeded.Id}/queue/0d4f6c3e-3d5b-4a5e-9f0a-1b2c3d4e5f60`;
    content.Actions[index].Parameters!.QueueId = missing;

    await assert.rejects(
      client.send(
        new UpdateContactFlowContentCommand({
          InstanceId: seeded.Id,
          ContactFlowId: id,
          Content: JSON.stringify(content),
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof InvalidContactFlowException);
        const messages = (error.problems ?? []).map((p) => p.message ?? '');
        assert.ok(
          messages.some((m) => m.includes(`${index}.Parameters.QueueId`)),
          `a problem names ${index}.Parameters.QueueId: ${messages.join('; ')}`,
        );
        return true;
      },
    );
  });

  it('names referenced resources as the designer metadata shows them', async () => {
    const seeded = await seedFiles(emu, FLOW_SETS['terraform-templater'].map(corpusPath));
    assert.deepEqual([seeded.Account, seeded.Region], ['637796036580', 'eu-west-2']);
    const client = clientFor(emu, seeded);

    const { QueueSummaryList } = await client.send(
      new ListQueuesCommand({ InstanceId: seeded.Id, QueueTypes: ['STANDARD'] }),
    );
    const queue = QueueSummaryList?.find((q) => q.Id === '9d1e923f-14a9-405a-84ce-8673151322a0');
    assert.equal(queue?.Name, 'BasicQueue');

    const { UserSummaryList } = await client.send(new ListUsersCommand({ InstanceId: seeded.Id }));
    assert.deepEqual(
      UserSummaryList?.map((u) => [u.Id, u.Username]),
      [['d1705c20-4ff5-402c-9950-beb6ae1cf019', 'exampleuser']],
    );

    const { LambdaFunctions } = await client.send(
      new ListLambdaFunctionsCommand({ InstanceId: seeded.Id }),
    );
    assert.deepEqual(LambdaFunctions, [
      'arn:aws:lambda:eu-west-2:637796036580:function:sample-connect-function',
    ]);
    const functions = await emu
      .lambda('637796036580', 'eu-west-2')
      .send(new ListFunctionsCommand({}));
    assert.deepEqual(
      functions.Functions?.map((f) => f.FunctionName),
      ['sample-connect-function'],
    );
  });

  it('connects flows of one export set and creates each module once', async () => {
    const seeded = await seedFiles(emu, FLOW_SETS['outbound-call'].map(corpusPath));
    const client = clientFor(emu, seeded);
    const { ContactFlowModulesSummaryList } = await client.send(
      new ListContactFlowModulesCommand({ InstanceId: seeded.Id }),
    );
    const names = ContactFlowModulesSummaryList!.map((m) => m.Name).sort();
    assert.deepEqual(names, [
      'ErrorHandlingModule',
      'getCustNameFlowModule',
      'getCustomerResponseModule',
    ]);
    const whisper = await flowIdByName(client, seeded.Id, 'OutobundWhisper');
    const { ContactFlow } = await client.send(
      new DescribeContactFlowCommand({ InstanceId: seeded.Id, ContactFlowId: whisper }),
    );
    assert.equal(ContactFlow?.Type, 'OUTBOUND_WHISPER');
  });

  it('rejects files that reference two different instances, naming both', async () => {
    const files = [
      'flows/zhangyuezhong__amazonconnectvoicemail__Voicemail.json',
      'flows/sophyphile__amazon-connect-terraform-flow-templater__agent_hold.json',
    ].map(corpusPath);
    await assert.rejects(seedFiles(emu, files), (error: Error) => {
      assert.match(error.message, /2 different instances/);
      assert.match(error.message, /Voicemail\.json/);
      assert.match(error.message, /agent_hold\.json/);
      return true;
    });
  });

  it('rejects a file that is not Flow Language, naming it', async () => {
    const legacy = fixturesDir(
      'corpus',
      'legacy',
      'bemer__amazon-connect-workshop__CableTVContactFlow.json',
    );
    await assert.rejects(seedFiles(emu, [legacy]), (error: Error) => {
      assert.match(error.message, /CableTVContactFlow\.json/);
      assert.match(error.message, /not Flow Language/);
      return true;
    });
  });

  it('rejects instance.json values that disagree with the ARNs', async () => {
    const file = corpusPath('flows/zhangyuezhong__amazonconnectvoicemail__Voicemail.json');
    await assert.rejects(seedFiles(emu, [file], { region: 'eu-west-1' }), /sets region eu-west-1/);
  });

  it('seeds an empty target from instance.json alone, with declared resources', async () => {
    const seeded = await seedFiles(emu, [], {
      alias: 'prod',
      account: '444455556666',
      region: 'eu-west-2',
      resources: {
        prompts: ['Welcome.wav'],
        queues: ['Sales'],
        lambdaFunctions: ['prod-customer-lookup'],
        lexV2Bots: [{ name: 'prod-OrderBot', aliases: ['live'] }],
      },
    });
    assert.deepEqual(
      [seeded.Account, seeded.Region, seeded.Alias],
      ['444455556666', 'eu-west-2', 'prod'],
    );
    const client = clientFor(emu, seeded);

    const prompts = await client.send(new ListPromptsCommand({ InstanceId: seeded.Id }));
    assert.ok(prompts.PromptSummaryList?.some((p) => p.Name === 'Welcome.wav'));
    assert.ok(
      prompts.PromptSummaryList?.some((p) => p.Name === 'Beep.wav'),
      'defaults exist',
    );
    const queues = await client.send(
      new ListQueuesCommand({ InstanceId: seeded.Id, QueueTypes: ['STANDARD'] }),
    );
    assert.deepEqual(queues.QueueSummaryList?.map((q) => q.Name).sort(), ['BasicQueue', 'Sales']);
    const lambdas = await client.send(new ListLambdaFunctionsCommand({ InstanceId: seeded.Id }));
    assert.deepEqual(lambdas.LambdaFunctions, [
      'arn:aws:lambda:eu-west-2:444455556666:function:prod-customer-lookup',
    ]);
    const bots = await client.send(
      new ListBotsCommand({ InstanceId: seeded.Id, LexVersion: 'V2' }),
    );
    assert.equal(bots.LexBots?.length, 1);
    assert.match(
      bots.LexBots![0].LexV2Bot!.AliasArn!,
      /^arn:aws:lex:eu-west-2:444455556666:bot-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}$/,
    );
    const flows = await client.send(new ListContactFlowsCommand({ InstanceId: seeded.Id }));
    assert.ok(flows.ContactFlowSummaryList!.every((f) => /^(Default|Sample) /.test(f.Name!)));
  });

  it('gives the same ids when the same folder is seeded again', async () => {
    const files = FLOW_SETS['rules-engine'].map(corpusPath);
    const first = await seedFiles(emu, files);
    const firstFlows = await clientFor(emu, first).send(
      new ListContactFlowsCommand({ InstanceId: first.Id }),
    );
    await emu.control.reset();
    const second = await seedFiles(emu, files);
    const secondFlows = await clientFor(emu, second).send(
      new ListContactFlowsCommand({ InstanceId: second.Id }),
    );
    assert.equal(second.Id, first.Id);
    const ids = (list: typeof firstFlows) =>
      list.ContactFlowSummaryList!.map((f) => `${f.Name}=${f.Id}`).sort();
    assert.deepEqual(ids(secondFlows), ids(firstFlows));
  });
});

async function assertExists(
  client: ConnectClient,
  instanceId: string,
  segment: string,
  id: string,
) {
  switch (segment) {
    case 'queue':
      await client.send(new DescribeQueueCommand({ InstanceId: instanceId, QueueId: id }));
      return;
    case 'contact-flow':
      await client.send(
        new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: id }),
      );
      return;
    case 'flow-module':
      await client.send(
        new DescribeContactFlowModuleCommand({ InstanceId: instanceId, ContactFlowModuleId: id }),
      );
      return;
    case 'prompt':
      await client.send(new DescribePromptCommand({ InstanceId: instanceId, PromptId: id }));
      return;
    case 'operating-hours':
      await client.send(
        new DescribeHoursOfOperationCommand({ InstanceId: instanceId, HoursOfOperationId: id }),
      );
      return;
    case 'agent':
    case 'queue/agent': {
      const { UserSummaryList } = await client.send(
        new ListUsersCommand({ InstanceId: instanceId }),
      );
      assert.ok(
        UserSummaryList?.some((u) => u.Id === id),
        `agent ${id} exists`,
      );
      return;
    }
    default:
      assert.fail(`unexpected ARN kind ${segment}`);
  }
}

async function describeFlow(client: ConnectClient, instanceId: string, name: string, text: string) {
  const id = await flowIdByName(client, instanceId, name);
  assert.ok(id, `flow ${name} exists`);
  const { ContactFlow } = await client.send(
    new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: id }),
  );
  assert.deepEqual(JSON.parse(ContactFlow!.Content!), JSON.parse(text));
  return () =>
    client.send(
      new UpdateContactFlowContentCommand({
        InstanceId: instanceId,
        ContactFlowId: id,
        Content: ContactFlow!.Content,
      }),
    );
}

async function describeModule(
  client: ConnectClient,
  instanceId: string,
  name: string,
  text: string,
) {
  const id = await moduleIdByName(client, instanceId, name);
  assert.ok(id, `module ${name} exists`);
  const { ContactFlowModule } = await client.send(
    new DescribeContactFlowModuleCommand({ InstanceId: instanceId, ContactFlowModuleId: id }),
  );
  assert.deepEqual(JSON.parse(ContactFlowModule!.Content!), JSON.parse(text));
  return () =>
    client.send(
      new UpdateContactFlowModuleContentCommand({
        InstanceId: instanceId,
        ContactFlowModuleId: id,
        Content: ContactFlowModule!.Content,
      }),
    );
}
