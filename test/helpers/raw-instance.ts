/**
 * A RawInstance as the Connect adapter would read it, built in memory: hours, queues with quick
 * connects, a routing profile, flows (hand-written ones referencing everything, plus real corpus
 * flows), a module, prompts with awkward names, agents, Lambda and Lex associations. Two
 * environments hold the same resources under the same names; ids, account, region and Lambda
 * names differ, and the lists come in a different order, as the API promises none.
 */
import { createHash } from 'node:crypto';
import type { RawInstance } from '../../src/core/raw';
import { corpusFiles } from './corpus-mapping';

export interface Environment {
  seed: string;
  account: string;
  region: string;
  lambdaPrefix: string;
}

export const DEV: Environment = {
  seed: 'dev',
  account: '111122223333',
  region: 'us-east-1',
  lambdaPrefix: 'dev-',
};
export const PROD: Environment = {
  seed: 'prod',
  account: '444455556666',
  region: 'eu-west-2',
  lambdaPrefix: 'prod-',
};

export function uuid(seed: string, name: string): string {
  const h = createHash('sha256').update(`${seed}/${name}`).digest('hex');
  const parts = [h.slice(0, 8), h.slice(8, 12), `4${h.slice(13, 16)}`, `8${h.slice(17, 20)}`];
  return [...parts, h.slice(20, 32)].join('-');
}

/**
 * An instance as the Connect adapter would read it. Both environments hold the same resources
 * under the same names; ids, account, region and Lambda names differ. Resources are listed in a
 * different order per environment, as the API does not promise any.
 */
export function rawInstance(env: Environment): RawInstance {
  const id = (name: string) => uuid(env.seed, name);
  // Action identifiers belong to the flow, not the instance: a copied flow keeps them.
  const action = (n: number) => uuid('actions', String(n));
  const iid = id('instance');
  const arn = `arn:aws:connect:${env.region}:${env.account}:instance/${iid}`;
  const res = (type: string, name: string) => `${arn}/${type}/${id(name)}`;
  const lambda = (name: string) =>
    `arn:aws:lambda:${env.region}:${env.account}:function:${env.lambdaPrefix}${name}`;
  const botId = id('bot').replace(/-/g, '').slice(0, 10).toUpperCase();
  const lexAlias = `arn:aws:lex:${env.region}:${env.account}:bot-alias/${botId}/TSTALIASID`;
  const when = new Date(env.seed === 'dev' ? 1_700_000_000_000 : 1_710_000_000_000);

  const mainContent = {
    Version: '2019-10-30',
    StartAction: action(1),
    Metadata: {
      ActionMetadata: {
        [action(1)]: { queue: { id: res('queue', 'Sales'), text: 'Sales' } },
      },
    },
    Actions: [
      {
        Identifier: action(1),
        Type: 'UpdateContactTargetQueue',
        Parameters: { QueueId: res('queue', 'Sales') },
        Transitions: { NextAction: action(2) },
      },
      {
        Identifier: action(2),
        Type: 'InvokeLambdaFunction',
        Parameters: {
          LambdaFunctionARN: `${lambda('lookup')}:live`,
          InvocationTimeLimitSeconds: '3',
        },
        Transitions: { NextAction: action(3) },
      },
      {
        Identifier: action(3),
        Type: 'UpdateContactEventHooks',
        Parameters: {
          EventHooks: { CustomerQueue: `${res('contact-flow', 'Queue music')}:$SAVED` },
        },
        Transitions: { NextAction: action(4) },
      },
      {
        Identifier: action(4),
        Type: 'ConnectParticipantWithLexBot',
        Parameters: { LexV2Bot: { AliasArn: lexAlias }, PromptId: res('prompt', 'Welcome') },
        Transitions: { NextAction: action(5) },
      },
      {
        Identifier: action(5),
        Type: 'InvokeFlowModule',
        Parameters: { FlowModuleId: id('module:Get name') },
        Transitions: { NextAction: action(6) },
      },
      {
        Identifier: action(6),
        Type: 'CheckHoursOfOperation',
        Parameters: { HoursOfOperationId: res('operating-hours', 'Basic Hours') },
        Transitions: { NextAction: action(7) },
      },
      {
        Identifier: action(7),
        Type: 'UpdateContactAttributes',
        Parameters: {
          Attributes: { agent: `${arn}/agent/${id('user:bob')}`, note: 'literal {{cc: text' },
        },
        Transitions: {},
      },
    ],
  };
  const queueMusic = {
    Version: '2019-10-30',
    StartAction: 'play',
    Actions: [
      {
        Identifier: 'play',
        Type: 'MessageParticipant',
        Parameters: { PromptId: res('prompt', 'Welcome') },
        Transitions: {},
      },
    ],
  };
  const corpusFlows = corpusFiles()
    .filter((f) => f.file.startsWith('flows/'))
    .slice(0, 6)
    .map((f, i) => ({
      flow: {
        Id: id(`corpus-${i}`),
        Arn: res('contact-flow', `corpus-${i}`),
        Name: `Corpus ${f.file.slice(6, 40)}`,
        Type: 'CONTACT_FLOW' as const,
        State: 'ACTIVE' as const,
        Status: 'PUBLISHED' as const,
        Content: JSON.stringify(f.content),
        LastModifiedTime: when,
      },
    }));

  const flows = [
    {
      flow: {
        Id: id('Main IVR'),
        Arn: res('contact-flow', 'Main IVR'),
        Name: 'Main IVR',
        Type: 'CONTACT_FLOW' as const,
        State: 'ACTIVE' as const,
        Status: 'PUBLISHED' as const,
        Description: 'Entry point',
        Content: JSON.stringify(mainContent),
        Tags: { team: 'cx' },
        FlowContentSha256: 'ab'.repeat(32),
        LastModifiedTime: when,
        LastModifiedRegion: env.region,
      },
      draft: {
        Id: id('Main IVR'),
        Name: 'Main IVR',
        Content: JSON.stringify({ ...mainContent, Actions: mainContent.Actions.slice(0, 2) }),
      },
    },
    {
      flow: {
        Id: id('Queue music'),
        Arn: res('contact-flow', 'Queue music'),
        Name: 'Queue music',
        Type: 'CUSTOMER_QUEUE' as const,
        State: 'ACTIVE' as const,
        Status: 'PUBLISHED' as const,
        Content: JSON.stringify(queueMusic, null, env.seed === 'dev' ? 0 : 2),
      },
    },
    {
      flow: {
        Id: id('Default outbound'),
        Arn: res('contact-flow', 'Default outbound'),
        Name: 'Default outbound',
        Type: 'OUTBOUND_WHISPER' as const,
        State: 'ACTIVE' as const,
        Status: 'PUBLISHED' as const,
        Content: JSON.stringify({ Version: '2019-10-30', StartAction: 'x', Actions: [] }),
      },
    },
    ...corpusFlows,
  ];

  const users = ['bob', 'alice'].map((u) => ({
    Id: id(`user:${u}`),
    Arn: `${arn}/agent/${id(`user:${u}`)}`,
    Username: u,
  }));
  const raw: RawInstance = {
    instance: { id: iid, arn, alias: `acme-${env.seed}`, region: env.region, account: env.account },
    hours: [
      {
        HoursOfOperationId: id('Basic Hours'),
        HoursOfOperationArn: res('operating-hours', 'Basic Hours'),
        Name: 'Basic Hours',
        TimeZone: 'Europe/London',
        Config: [
          {
            Day: 'MONDAY',
            StartTime: { Hours: 13, Minutes: 0 },
            EndTime: { Hours: 17, Minutes: 0 },
          },
          {
            Day: 'SUNDAY',
            StartTime: { Hours: 10, Minutes: 0 },
            EndTime: { Hours: 12, Minutes: 0 },
          },
          {
            Day: 'MONDAY',
            StartTime: { Hours: 9, Minutes: 0 },
            EndTime: { Hours: 12, Minutes: 0 },
          },
        ],
        LastModifiedTime: when,
      },
    ],
    queues: [
      {
        queue: {
          QueueId: id('Sales'),
          QueueArn: res('queue', 'Sales'),
          Name: 'Sales',
          Description: 'Sales line',
          HoursOfOperationId: id('Basic Hours'),
          MaxContacts: 10,
          Status: 'ENABLED',
          OutboundCallerConfig: {
            OutboundCallerIdName: 'Acme',
            OutboundCallerIdNumberId: id('phone'),
            OutboundFlowId: id('Default outbound'),
          },
          LastModifiedTime: when,
        },
        quickConnectIds: [id('qc:Transfer to support'), id('qc:Bob direct')],
      },
      {
        queue: {
          QueueId: id('Support'),
          QueueArn: res('queue', 'Support'),
          Name: 'Support',
          HoursOfOperationId: id('Basic Hours'),
          Status: 'ENABLED',
          Tags: { tier: '1' },
        },
        quickConnectIds: [],
      },
    ],
    agentQueues: users.map((u) => ({
      Id: u.Id,
      Arn: `${arn}/queue/agent/${u.Id}`,
      QueueType: 'AGENT' as const,
    })),
    routingProfiles: [
      {
        profile: {
          RoutingProfileId: id('Basic Routing Profile'),
          RoutingProfileArn: res('routing-profile', 'Basic Routing Profile'),
          Name: 'Basic Routing Profile',
          Description: 'Default',
          DefaultOutboundQueueId: id('Sales'),
          MediaConcurrencies: [
            { Channel: 'VOICE', Concurrency: 1 },
            { Channel: 'CHAT', Concurrency: 2 },
          ],
          NumberOfAssociatedQueues: 3,
          IsDefault: true,
          LastModifiedTime: when,
        },
        queueConfigs: [
          {
            QueueId: id('Support'),
            QueueArn: res('queue', 'Support'),
            QueueName: 'Support',
            Channel: 'VOICE',
            Priority: 2,
            Delay: 0,
          },
          {
            QueueId: id('Sales'),
            QueueArn: res('queue', 'Sales'),
            QueueName: 'Sales',
            Channel: 'VOICE',
            Priority: 1,
            Delay: 0,
          },
          {
            QueueId: id('Sales'),
            QueueArn: res('queue', 'Sales'),
            QueueName: 'Sales',
            Channel: 'CHAT',
            Priority: 1,
            Delay: 5,
          },
        ],
      },
    ],
    flows: env.seed === 'dev' ? flows : [...flows].reverse(),
    modules: [
      {
        module: {
          Id: id('module:Get name'),
          Arn: `${arn}/flow-module/${id('module:Get name')}`,
          Name: 'Get name',
          // The real API answers in lower case for modules; the SDK types only know upper case.
          State: 'active' as 'ACTIVE',
          Status: 'published' as 'PUBLISHED',
          Content: JSON.stringify(
            corpusFiles().find((f) => f.file.startsWith('modules/'))!.content,
          ),
          Settings: JSON.stringify({ InputParameters: [], OutputParameters: [], Transitions: [] }),
        },
      },
    ],
    prompts: ['Welcome', 'a/b: odd name', 'CON'].map((name) => ({
      PromptId: id(name),
      PromptARN: res('prompt', name),
      Name: name,
      LastModifiedTime: when,
    })),
    quickConnects: ['Transfer to support', 'Bob direct'].map((name) => ({
      QuickConnectId: id(`qc:${name}`),
      QuickConnectARN: res('transfer-destination', `qc:${name}`),
      Name: name,
    })),
    users,
    securityProfiles: [{ Id: id('Admin'), Arn: res('security-profile', 'Admin'), Name: 'Admin' }],
    lambdaFunctions: [`${lambda('lookup')}`],
    lexBots: [],
    lexV2Aliases: [{ aliasArn: lexAlias, botName: 'Orders', aliasName: 'TestBotAlias' }],
    phoneNumbers: [
      {
        PhoneNumberId: id('phone'),
        PhoneNumberArn: `arn:aws:connect:${env.region}:${env.account}:phone-number/${id('phone')}`,
        PhoneNumber: '+15550100',
      },
    ],
  };
  return raw;
}
