/**
 * What every new Amazon Connect instance holds before anyone touches it. Default flows reference
 * each other and the default prompts by this instance's ARNs (with names cached in Metadata), as
 * real ones do, so a fresh instance is already realistic input for reference rewriting.
 */
import { InstanceRecord, nowSeconds, resourceArn } from './model';

type IdFor = (kind: string, name: string) => string;

export const DEFAULT_PROMPTS = [
  'Beep.wav',
  'CustomerHold.wav',
  'CustomerQueue.wav',
  'Music_Jazz_MyTimetoFly_Inst.wav',
  'Music_Pop_ThisAndThatIsLife_Inst.wav',
  'Music_Pop_ThrowYourselfInFrontOfIt_Inst.wav',
  'Music_Rock_EverywhereTheSunShines_Inst.wav',
];

export const DEFAULT_SECURITY_PROFILES = ['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst'];

interface DefaultFlow {
  name: string;
  type: string;
  description: string;
}

export const DEFAULT_FLOWS: DefaultFlow[] = [
  {
    name: 'Default agent hold',
    type: 'AGENT_HOLD',
    description: 'Audio played for the agent when on hold',
  },
  {
    name: 'Default agent transfer',
    type: 'AGENT_TRANSFER',
    description: 'Default flow to transfer to an agent.',
  },
  {
    name: 'Default agent whisper',
    type: 'AGENT_WHISPER',
    description: 'Default whisper played to the agent.',
  },
  {
    name: 'Default customer hold',
    type: 'CUSTOMER_HOLD',
    description: 'Default audio the customer hears while on hold.',
  },
  {
    name: 'Default customer queue',
    type: 'CUSTOMER_QUEUE',
    description: 'Default audio played when a customer is waiting in queue.',
  },
  {
    name: 'Default customer whisper',
    type: 'CUSTOMER_WHISPER',
    description: 'Default whisper played to the customer',
  },
  {
    name: 'Default outbound',
    type: 'OUTBOUND_WHISPER',
    description: 'Default flow for outbound calls.',
  },
  {
    name: 'Default queue transfer',
    type: 'QUEUE_TRANSFER',
    description: 'Default flow used to transfer to a queue.',
  },
  {
    name: 'Sample inbound flow (first contact experience)',
    type: 'CONTACT_FLOW',
    description: 'First contact experience',
  },
  { name: 'Sample disconnect flow', type: 'CONTACT_FLOW', description: '' },
  { name: 'Sample queue customer', type: 'CONTACT_FLOW', description: '' },
  {
    name: 'Sample interruptible queue flow with callback',
    type: 'CUSTOMER_QUEUE',
    description: '',
  },
  { name: 'Sample AB test', type: 'CONTACT_FLOW', description: '' },
  { name: 'Sample recording behavior', type: 'CONTACT_FLOW', description: '' },
  { name: 'Sample Lambda integration', type: 'CONTACT_FLOW', description: '' },
  { name: 'Sample secure input with agent', type: 'CONTACT_FLOW', description: '' },
];

export function seedDefaultResources(instance: InstanceRecord, idFor: IdFor): void {
  const now = nowSeconds();
  const hoursId = idFor('hours', 'Basic Hours');
  instance.hours[hoursId] = {
    Id: hoursId,
    Name: 'Basic Hours',
    Description: 'Basic Hours',
    TimeZone: 'America/New_York',
    Config: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].map(
      (Day) => ({ Day, StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } }),
    ),
    Tags: {},
    LastModifiedTime: now,
  };

  const queueId = idFor('queue', 'BasicQueue');
  instance.queues[queueId] = {
    Id: queueId,
    Name: 'BasicQueue',
    QueueType: 'STANDARD',
    Description: 'A simple, basic voice queue.',
    HoursOfOperationId: hoursId,
    Status: 'ENABLED',
    OutboundCallerConfig: {},
    QuickConnectIds: [],
    Tags: {},
    LastModifiedTime: now,
  };

  const profileId = idFor('routingProfile', 'Basic Routing Profile');
  instance.routingProfiles[profileId] = {
    Id: profileId,
    Name: 'Basic Routing Profile',
    Description: 'Basic Routing Profile',
    DefaultOutboundQueueId: queueId,
    MediaConcurrencies: [
      {
        Channel: 'VOICE',
        Concurrency: 1,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
      {
        Channel: 'CHAT',
        Concurrency: 2,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
      {
        Channel: 'TASK',
        Concurrency: 1,
        CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
      },
    ],
    QueueConfigs: [{ QueueId: queueId, Channel: 'VOICE', Priority: 1, Delay: 0 }],
    AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
    IsDefault: true,
    Tags: {},
    LastModifiedTime: now,
  };

  for (const name of DEFAULT_SECURITY_PROFILES) {
    const id = idFor('securityProfile', name);
    instance.securityProfiles[id] = { Id: id, Name: name, Tags: {}, LastModifiedTime: now };
  }

  const promptIds: Record<string, string> = {};
  for (const name of DEFAULT_PROMPTS) {
    const id = idFor('prompt', name);
    promptIds[name] = id;
    instance.prompts[id] = {
      Id: id,
      Name: name,
      Description: '',
      S3Uri: `s3://amazon-connect-default-prompts/${name}`,
      Tags: {},
      LastModifiedTime: now,
    };
  }

  const flowIds: Record<string, string> = {};
  for (const flow of DEFAULT_FLOWS) flowIds[flow.name] = idFor('flow', flow.name);
  const refs: DefaultRefs = {
    flowArn: (name) => resourceArn(instance, 'flow', flowIds[name]),
    promptArn: (name) => resourceArn(instance, 'prompt', promptIds[name]),
    queueArn: resourceArn(instance, 'queue', queueId),
  };
  for (const flow of DEFAULT_FLOWS) {
    const id = flowIds[flow.name];
    instance.flows[id] = {
      Id: id,
      Name: flow.name,
      Type: flow.type,
      Description: flow.description,
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Content: JSON.stringify(defaultFlowContent(flow, refs)),
      Tags: {},
      LastModifiedTime: now,
    };
  }
}

interface DefaultRefs {
  flowArn(name: string): string;
  promptArn(name: string): string;
  queueArn: string;
}

type Action = {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: Record<string, unknown>;
};

/** Identifiers are fixed per flow so every instance's default content differs only in ARNs. */
function defaultFlowContent(flow: DefaultFlow, refs: DefaultRefs): unknown {
  const end: Action = {
    Identifier: 'end',
    Type: endType(flow.type),
    Parameters: {},
    Transitions: {},
  };
  const actionMetadata: Record<string, unknown> = { end: { position: { x: 600, y: 40 } } };
  let actions: Action[];

  const loopPrompt = (prompt: string): Action => {
    actionMetadata.loop = {
      position: { x: 200, y: 40 },
      audio: [{ id: refs.promptArn(prompt), text: prompt, type: 'Prompt' }],
    };
    return {
      Identifier: 'loop',
      Type: 'MessageParticipantIteratively',
      Parameters: { Messages: [{ PromptId: refs.promptArn(prompt) }] },
      Transitions: { NextAction: 'end', Errors: [], Conditions: [] },
    };
  };

  switch (flow.type) {
    case 'CUSTOMER_QUEUE':
      actions = [loopPrompt('Music_Pop_ThisAndThatIsLife_Inst.wav'), end];
      break;
    case 'CUSTOMER_HOLD':
    case 'AGENT_HOLD':
      actions = [loopPrompt('CustomerHold.wav'), end];
      break;
    case 'AGENT_TRANSFER':
    case 'QUEUE_TRANSFER':
      actionMetadata.target = { position: { x: 200, y: 40 }, useDynamic: true, queue: 'Agent.ARN' };
      actions = [
        {
          Identifier: 'target',
          Type: 'UpdateContactTargetQueue',
          Parameters:
            flow.type === 'AGENT_TRANSFER'
              ? { AgentId: '$.Agent.ARN' }
              : { QueueId: '$.Queue.ARN' },
          Transitions: {
            NextAction: 'transfer',
            Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }],
            Conditions: [],
          },
        },
        {
          Identifier: 'transfer',
          Type: 'TransferContactToQueue',
          Parameters: {},
          Transitions: {
            NextAction: 'end',
            Errors: [
              { NextAction: 'end', ErrorType: 'QueueAtCapacity' },
              { NextAction: 'end', ErrorType: 'NoMatchingError' },
            ],
            Conditions: [],
          },
        },
        end,
      ];
      break;
    case 'CONTACT_FLOW':
      if (flow.name.startsWith('Sample inbound')) {
        actionMetadata.hook = {
          position: { x: 100, y: 40 },
          contactFlow: {
            id: refs.flowArn('Sample disconnect flow'),
            text: 'Sample disconnect flow',
          },
          parameters: {
            EventHooks: { CustomerRemaining: { displayName: 'Sample disconnect flow' } },
          },
        };
        actionMetadata.queue = {
          position: { x: 300, y: 40 },
          queue: { id: refs.queueArn, text: 'BasicQueue' },
          parameters: { QueueId: { displayName: 'BasicQueue' } },
        };
        actions = [
          {
            Identifier: 'hook',
            Type: 'UpdateContactEventHooks',
            Parameters: {
              EventHooks: { CustomerRemaining: refs.flowArn('Sample disconnect flow') },
            },
            Transitions: {
              NextAction: 'queue',
              Errors: [{ NextAction: 'queue', ErrorType: 'NoMatchingError' }],
              Conditions: [],
            },
          },
          {
            Identifier: 'queue',
            Type: 'UpdateContactTargetQueue',
            Parameters: { QueueId: refs.queueArn },
            Transitions: {
              NextAction: 'transfer',
              Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }],
              Conditions: [],
            },
          },
          {
            Identifier: 'transfer',
            Type: 'TransferContactToQueue',
            Parameters: {},
            Transitions: {
              NextAction: 'end',
              Errors: [
                { NextAction: 'end', ErrorType: 'QueueAtCapacity' },
                { NextAction: 'end', ErrorType: 'NoMatchingError' },
              ],
              Conditions: [],
            },
          },
          end,
        ];
      } else {
        actionMetadata.say = { position: { x: 200, y: 40 } };
        actions = [
          {
            Identifier: 'say',
            Type: 'MessageParticipant',
            Parameters: { Text: `${flow.name}.` },
            Transitions: {
              NextAction: 'end',
              Errors: [{ NextAction: 'end', ErrorType: 'NoMatchingError' }],
              Conditions: [],
            },
          },
          end,
        ];
      }
      break;
    default:
      actions = [end];
  }

  return {
    Version: '2019-10-30',
    StartAction: actions[0].Identifier,
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: actionMetadata,
      name: flow.name,
      description: flow.description,
      status: 'published',
      hash: {},
    },
    Actions: actions,
  };
}

function endType(type: string): string {
  return type === 'CONTACT_FLOW' || type === 'AGENT_TRANSFER' || type === 'QUEUE_TRANSFER'
    ? 'DisconnectParticipant'
    : 'EndFlowExecution';
}
