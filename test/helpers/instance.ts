/**
 * Provisions a small but complete instance through the SDK, the way an admin's console work
 * would, and returns what it created so tests can compare a read against the inputs.
 */
import {
  AssociateBotCommand,
  AssociateLambdaFunctionCommand,
  AssociateQueueQuickConnectsCommand,
  AssociateRoutingProfileQueuesCommand,
  ConnectClient,
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  CreateHoursOfOperationCommand,
  CreatePromptCommand,
  CreateQueueCommand,
  CreateQuickConnectCommand,
  CreateRoutingProfileCommand,
  CreateUserCommand,
  ListContactFlowsCommand,
  ListSecurityProfilesCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowModuleContentCommand,
  type HoursOfOperationConfig,
  type MediaConcurrency,
} from '@aws-sdk/client-connect';
import { CreateBotCommand, LexModelsV2Client } from '@aws-sdk/client-lex-models-v2';
import { endAction, flowContent, moduleContent, step } from './flows';

export interface QueueConfigInput {
  queueName: string;
  channel: 'VOICE' | 'CHAT';
  priority: number;
  delay: number;
}

export interface SmallInstance {
  instanceId: string;
  instanceArn: string;
  hours: { id: string; name: string; timeZone: string; config: HoursOfOperationConfig[] };
  queues: { id: string; name: string; maxContacts: number; description: string }[];
  routingProfile: {
    id: string;
    name: string;
    queueConfigs: QueueConfigInput[];
    mediaConcurrencies: MediaConcurrency[];
    agentAvailabilityTimer: string;
  };
  quickConnect: { id: string; name: string; queues: string[] };
  prompt: { id: string; name: string };
  flows: { main: FlowCreated; sub: FlowCreated; unpublished: FlowCreated };
  mainDraft: string;
  module: { id: string; arn: string; name: string; content: string; draft: string };
  user: { id: string; username: string };
  lambdaArns: string[];
  lexV1: { name: string; region: string };
  lexV2AliasArn: string;
}

export interface FlowCreated {
  id: string;
  arn: string;
  name: string;
  content: string;
}

/**
 * Provisions hours, queues (12 by default), a routing profile holding all of them, flows, a
 * module and more.
 */
export async function provisionSmallInstance(
  client: ConnectClient,
  instance: { Id: string; Arn: string; Account: string; Region: string },
  queueCount = 12,
): Promise<SmallInstance> {
  const InstanceId = instance.Id;

  const config: HoursOfOperationConfig[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY'].map((Day) => ({
    Day: Day as HoursOfOperationConfig['Day'],
    StartTime: { Hours: 9, Minutes: 0 },
    EndTime: { Hours: 17, Minutes: 30 },
  }));
  const hours = await client.send(
    new CreateHoursOfOperationCommand({
      InstanceId,
      Name: 'Support Hours',
      Description: 'Weekdays',
      TimeZone: 'Europe/London',
      Config: config,
      Tags: { team: 'support' },
    }),
  );

  const queues: SmallInstance['queues'] = [];
  for (let i = 1; i <= queueCount; i++) {
    const name = `Queue ${String(i).padStart(2, '0')}`;
    const description = `Queue number ${i}`;
    const created = await client.send(
      new CreateQueueCommand({
        InstanceId,
        Name: name,
        Description: description,
        HoursOfOperationId: hours.HoursOfOperationId,
        MaxContacts: 10 + i,
      }),
    );
    queues.push({ id: created.QueueId!, name, maxContacts: 10 + i, description });
  }

  const mediaConcurrencies: MediaConcurrency[] = [
    {
      Channel: 'VOICE',
      Concurrency: 1,
      CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
    },
    {
      Channel: 'CHAT',
      Concurrency: 3,
      CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' },
    },
  ];
  const profile = await client.send(
    new CreateRoutingProfileCommand({
      InstanceId,
      Name: 'Support Profile',
      Description: 'Every support queue',
      DefaultOutboundQueueId: queues[0].id,
      MediaConcurrencies: mediaConcurrencies,
      AgentAvailabilityTimer: 'TIME_SINCE_LAST_INBOUND',
    }),
  );
  // Ten queue configs per call at most; twelve need two calls.
  const queueConfigs: QueueConfigInput[] = queues.map((q, i) => ({
    queueName: q.name,
    channel: i % 3 === 0 ? 'CHAT' : 'VOICE',
    priority: i + 1,
    delay: i * 15,
  }));
  const idOf = (name: string) => queues.find((q) => q.name === name)!.id;
  for (const batch of [queueConfigs.slice(0, 10), queueConfigs.slice(10)]) {
    await client.send(
      new AssociateRoutingProfileQueuesCommand({
        InstanceId,
        RoutingProfileId: profile.RoutingProfileId,
        QueueConfigs: batch.map((c) => ({
          QueueReference: { QueueId: idOf(c.queueName), Channel: c.channel },
          Priority: c.priority,
          Delay: c.delay,
        })),
      }),
    );
  }

  const flowSummaries = await client.send(
    new ListContactFlowsCommand({ InstanceId, MaxResults: 1000 }),
  );
  const queueTransfer = flowSummaries.ContactFlowSummaryList!.find(
    (f) => f.ContactFlowType === 'QUEUE_TRANSFER',
  )!;
  const quickConnect = await client.send(
    new CreateQuickConnectCommand({
      InstanceId,
      Name: 'To Queue 01',
      QuickConnectConfig: {
        QuickConnectType: 'QUEUE',
        QueueConfig: { QueueId: queues[0].id, ContactFlowId: queueTransfer.Id },
      },
    }),
  );
  const quickConnectQueues = queues.slice(1, 3).map((q) => q.name);
  for (const name of quickConnectQueues) {
    await client.send(
      new AssociateQueueQuickConnectsCommand({
        InstanceId,
        QueueId: idOf(name),
        QuickConnectIds: [quickConnect.QuickConnectId!],
      }),
    );
  }

  const prompt = await client.send(
    new CreatePromptCommand({
      InstanceId,
      Name: 'Welcome',
      S3Uri: 's3://audio-bucket/welcome.wav',
    }),
  );

  const greeting = moduleContent();
  const module = await client.send(
    new CreateContactFlowModuleCommand({ InstanceId, Name: 'Greeting Module', Content: greeting }),
  );
  const moduleDraft = moduleContent([
    { Identifier: 'bye', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
  ]);
  await client.send(
    new UpdateContactFlowModuleContentCommand({
      InstanceId,
      ContactFlowModuleId: `${module.Id}:$SAVED`,
      Content: moduleDraft,
    }),
  );

  // Main and Sub transfer to each other: both start as saved stubs, then get their content.
  const stub = flowContent([endAction()]);
  const createStub = (Name: string) =>
    client.send(
      new CreateContactFlowCommand({
        InstanceId,
        Name,
        Type: 'CONTACT_FLOW',
        Content: stub,
        Status: 'SAVED',
      }),
    );
  const mainStub = await createStub('Main IVR');
  const subStub = await createStub('Sub Flow');
  const mainContent = flowContent([
    step(
      'queue',
      'UpdateContactTargetQueue',
      { QueueId: `${instance.Arn}/queue/${queues[0].id}` },
      'module',
    ),
    step('module', 'InvokeFlowModule', { FlowModuleId: module.Id }, 'sub'),
    step('sub', 'TransferToFlow', { ContactFlowId: subStub.ContactFlowArn }),
    endAction(),
  ]);
  const subContent = flowContent([
    step('back', 'TransferToFlow', { ContactFlowId: mainStub.ContactFlowArn }),
    endAction(),
  ]);
  for (const [id, content] of [
    [mainStub.ContactFlowId!, mainContent],
    [subStub.ContactFlowId!, subContent],
  ]) {
    await client.send(
      new UpdateContactFlowContentCommand({ InstanceId, ContactFlowId: id, Content: content }),
    );
  }
  const mainDraft = flowContent([
    step('prompt', 'MessageParticipant', { PromptId: prompt.PromptARN }),
    endAction(),
  ]);
  await client.send(
    new UpdateContactFlowContentCommand({
      InstanceId,
      ContactFlowId: `${mainStub.ContactFlowId}:$SAVED`,
      Content: mainDraft,
    }),
  );
  const unpublishedContent = flowContent([
    step('sub', 'TransferToFlow', { ContactFlowId: subStub.ContactFlowArn }),
    endAction(),
  ]);
  const unpublished = await client.send(
    new CreateContactFlowCommand({
      InstanceId,
      Name: 'Work In Progress',
      Type: 'CONTACT_FLOW',
      Content: unpublishedContent,
      Status: 'SAVED',
    }),
  );

  const securityProfiles = await client.send(new ListSecurityProfilesCommand({ InstanceId }));
  const agentProfile = securityProfiles.SecurityProfileSummaryList!.find(
    (p) => p.Name === 'Agent',
  )!;
  const user = await client.send(
    new CreateUserCommand({
      InstanceId,
      Username: 'agent.one',
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      SecurityProfileIds: [agentProfile.Id!],
      RoutingProfileId: profile.RoutingProfileId,
    }),
  );

  const lambdaArns = ['dev-lookup', 'dev-router'].map(
    (name) => `arn:aws:lambda:${instance.Region}:${instance.Account}:function:${name}`,
  );
  for (const FunctionArn of lambdaArns) {
    await client.send(new AssociateLambdaFunctionCommand({ InstanceId, FunctionArn }));
  }
  const lexV1 = { name: 'OrderBot', region: instance.Region };
  await client.send(
    new AssociateBotCommand({ InstanceId, LexBot: { Name: lexV1.name, LexRegion: lexV1.region } }),
  );
  // A real Lex V2 bot (the emulator gives every bot its TSTALIASID test alias), so a read can
  // name the alias by bot and alias name.
  const lex = new LexModelsV2Client({
    region: instance.Region,
    endpoint: client.config.endpoint,
    credentials: client.config.credentials,
  });
  const bot = await lex.send(
    new CreateBotCommand({
      botName: 'OrderBotV2',
      roleArn: `arn:aws:iam::${instance.Account}:role/lex`,
      dataPrivacy: { childDirected: false },
      idleSessionTTLInSeconds: 300,
    }),
  );
  lex.destroy();
  const lexAccount = `${instance.Region}:${instance.Account}`;
  const lexV2AliasArn = `arn:aws:lex:${lexAccount}:bot-alias/${bot.botId}/TSTALIASID`;
  await client.send(new AssociateBotCommand({ InstanceId, LexV2Bot: { AliasArn: lexV2AliasArn } }));

  return {
    instanceId: InstanceId,
    instanceArn: instance.Arn,
    hours: {
      id: hours.HoursOfOperationId!,
      name: 'Support Hours',
      timeZone: 'Europe/London',
      config,
    },
    queues,
    routingProfile: {
      id: profile.RoutingProfileId!,
      name: 'Support Profile',
      queueConfigs,
      mediaConcurrencies,
      agentAvailabilityTimer: 'TIME_SINCE_LAST_INBOUND',
    },
    quickConnect: {
      id: quickConnect.QuickConnectId!,
      name: 'To Queue 01',
      queues: quickConnectQueues,
    },
    prompt: { id: prompt.PromptId!, name: 'Welcome' },
    flows: {
      main: {
        id: mainStub.ContactFlowId!,
        arn: mainStub.ContactFlowArn!,
        name: 'Main IVR',
        content: mainContent,
      },
      sub: {
        id: subStub.ContactFlowId!,
        arn: subStub.ContactFlowArn!,
        name: 'Sub Flow',
        content: subContent,
      },
      unpublished: {
        id: unpublished.ContactFlowId!,
        arn: unpublished.ContactFlowArn!,
        name: 'Work In Progress',
        content: unpublishedContent,
      },
    },
    mainDraft,
    module: {
      id: module.Id!,
      arn: module.Arn!,
      name: 'Greeting Module',
      content: greeting,
      draft: moduleDraft,
    },
    user: { id: user.UserId!, username: 'agent.one' },
    lambdaArns,
    lexV1,
    lexV2AliasArn,
  };
}
