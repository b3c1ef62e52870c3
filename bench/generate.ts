/**
 * The benchmark's instance: a deterministic, seeded generator of an instance shaped like the
 * real corpus (test/fixtures/corpus). Flows are console-style exports: friendly and UUID action
 * identifiers, designer Metadata naming what each block points at, and references where SUMMARY.md
 * section 4 found them (queue, prompt, hours and flow ARNs; bare module ids; Lambda ARNs, some
 * with a qualifier; bare queue ids inside contact attributes; `$.` dynamic values), including a
 * few reference cycles between flows.
 *
 * The records are written straight into the emulator's state: building 1,000 flows through the
 * API at 2 calls a second would take longer than the benchmark itself.
 */
import { createHash } from 'node:crypto';
import { createInstance } from '../src/emulator/instances';
import {
  lambdaArn,
  resourceArn,
  type EmulatorState,
  type FlowRecord,
  type HoursConfig,
  type InstanceRecord,
  type LambdaFunctionRecord,
  type ModuleRecord,
  type RoutingProfileQueueConfig,
} from '../src/emulator/model';

export interface Scale {
  flows: number;
  modules: number;
  queues: number;
  routingProfiles: number;
  hours: number;
  prompts: number;
  lambdas: number;
}

/**
 * The instance at 1,000 flows; other sizes keep the same proportions so cost can be
 * compared per resource. Lambda functions stay at 40: Connect allows 50 per instance.
 */
export function scaleFor(flows: number): Scale {
  const per = (ratio: number, min: number) => Math.max(min, Math.round(flows * ratio));
  return {
    flows,
    modules: per(0.1, 2),
    queues: per(0.3, 5),
    routingProfiles: per(0.1, 2),
    hours: per(0.05, 2),
    prompts: per(0.3, 5),
    lambdas: 40,
  };
}

/** Mulberry32: small, fast and the same on every machine, so a seed gives the same instance. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  private readonly next: () => number;
  private counter = 0;
  constructor(
    private readonly seed: number,
    private readonly label: string,
  ) {
    this.next = seededRandom(seed ^ hashOf(label));
  }
  float = () => this.next();
  int = (min: number, max: number) => min + Math.floor(this.next() * (max - min + 1));
  pick = <T>(items: readonly T[]): T => items[Math.floor(this.next() * items.length)];
  chance = (p: number) => this.next() < p;
  /** A lower-case v4-shaped UUID, from the seed, so generated ids repeat run to run. */
  uuid = (): string => {
    const hex = createHash('sha256')
      .update(`${this.seed}:${this.label}:${this.counter++}`)
      .digest('hex');
    return (
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-` +
      `${'89ab'[parseInt(hex[16], 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
    );
  };
}

function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

const DEPARTMENTS = ['Sales', 'Support', 'Billing', 'Claims', 'Retention', 'Onboarding', 'Fraud'];
const LANGUAGES = ['EN', 'ES', 'FR', 'DE', 'PT'];
const ZONES = ['America/New_York', 'America/Chicago', 'Europe/London', 'Europe/Paris', 'UTC'];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const FUNCTIONS = [
  'lookup-customer',
  'check-balance',
  'create-case',
  'route-by-segment',
  'verify-pin',
  'log-interaction',
  'get-wait-time',
  'schedule-callback',
];

export interface Generated {
  source: InstanceRecord;
  target: InstanceRecord;
  counts: Record<string, number>;
}

export const SOURCE_ACCOUNT = '111122223333';
export const TARGET_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';

/**
 * Fills `state` with the source instance at `scale` and an empty target instance (a new instance
 * with Connect's default resources) in another account. The target gets the same prompts and
 * Lambda functions: audio and code are deployed by other means, and pushes resolve them by name.
 */
export function generate(state: EmulatorState, scale: Scale, seed = 1): Generated {
  const ids = new Dice(seed, 'ids');
  const source = createInstance(state, {
    id: ids.uuid(),
    alias: 'bench-source',
    account: SOURCE_ACCOUNT,
    region: REGION,
    idFor: () => ids.uuid(),
  });
  const target = createInstance(state, {
    id: ids.uuid(),
    alias: 'bench-target',
    account: TARGET_ACCOUNT,
    region: REGION,
    idFor: () => ids.uuid(),
  });
  const now = 1767225600; // 2026-01-01

  const functionNames = Array.from(
    { length: scale.lambdas },
    (_, i) => `${FUNCTIONS[i % FUNCTIONS.length]}-${Math.floor(i / FUNCTIONS.length) + 1}`,
  );
  for (const instance of [source, target]) {
    for (const name of functionNames) {
      state.lambdaFunctions[`${instance.Account}:${REGION}:${name}`] = lambdaRecord(
        instance.Account,
        name,
      );
      instance.lambdaFunctions.push(lambdaArn(instance.Account, REGION, name));
    }
  }
  for (const fn of Object.values(state.lambdaFunctions)) fn.Aliases = ['live'];

  const d = new Dice(seed, 'content');
  const hoursIds: string[] = [];
  for (let i = 0; i < scale.hours; i++) {
    const Id = ids.uuid();
    hoursIds.push(Id);
    const open = d.int(6, 9);
    const close = d.int(17, 21);
    const days = d.chance(0.3) ? DAYS : DAYS.slice(1, 6);
    const Config: HoursConfig[] = days.map((Day) => ({
      Day,
      StartTime: { Hours: open, Minutes: d.pick([0, 30]) },
      EndTime: { Hours: close, Minutes: 0 },
    }));
    source.hours[Id] = {
      Id,
      Name: `${d.pick(DEPARTMENTS)} hours ${String(i + 1).padStart(3, '0')}`,
      Description: `Opening hours for site ${i + 1}`,
      TimeZone: d.pick(ZONES),
      Config,
      Tags: { team: 'contact-centre' },
      LastModifiedTime: now,
    };
  }

  const queueIds: string[] = [];
  for (let i = 0; i < scale.queues; i++) {
    const Id = ids.uuid();
    queueIds.push(Id);
    const dept = DEPARTMENTS[i % DEPARTMENTS.length];
    const lang = LANGUAGES[Math.floor(i / DEPARTMENTS.length) % LANGUAGES.length];
    source.queues[Id] = {
      Id,
      Name: `${dept} ${lang} ${String(i + 1).padStart(4, '0')}`,
      QueueType: 'STANDARD',
      Description: `${dept} calls in ${lang}`,
      HoursOfOperationId: d.pick(hoursIds),
      MaxContacts: d.chance(0.5) ? d.int(10, 500) : undefined,
      Status: d.chance(0.95) ? 'ENABLED' : 'DISABLED',
      OutboundCallerConfig: { OutboundCallerIdName: `${dept} team` },
      QuickConnectIds: [],
      Tags: { department: dept.toLowerCase() },
      LastModifiedTime: now,
    };
  }

  const promptIds: string[] = [];
  const promptNames: string[] = [];
  for (let i = 0; i < scale.prompts; i++) {
    const name = `${d.pick(DEPARTMENTS).toLowerCase()}-message-${String(i + 1).padStart(4, '0')}`;
    promptNames.push(name);
    for (const instance of [source, target]) {
      const Id = ids.uuid();
      if (instance === source) promptIds.push(Id);
      instance.prompts[Id] = {
        Id,
        Name: name,
        Description: 'Recorded announcement',
        S3Uri: `s3://bench-audio-${instance.Account}/prompts/${name}.wav`,
        Tags: {},
        LastModifiedTime: now,
      };
    }
  }

  for (let i = 0; i < scale.routingProfiles; i++) {
    const Id = ids.uuid();
    const count = Math.min(d.int(5, 20), queueIds.length);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(d.pick(queueIds));
    const QueueConfigs: RoutingProfileQueueConfig[] = [];
    const chat = d.chance(0.4);
    for (const QueueId of chosen) {
      QueueConfigs.push({ QueueId, Channel: 'VOICE', Priority: d.int(1, 5), Delay: d.int(0, 30) });
      if (chat) QueueConfigs.push({ QueueId, Channel: 'CHAT', Priority: d.int(1, 5), Delay: 0 });
    }
    source.routingProfiles[Id] = {
      Id,
      Name: `${d.pick(DEPARTMENTS)} agents ${String(i + 1).padStart(3, '0')}`,
      Description: `Agents of team ${i + 1}`,
      DefaultOutboundQueueId: [...chosen][0],
      MediaConcurrencies: [
        {
          Channel: 'VOICE',
          Concurrency: 1,
          CrossChannelBehavior: { BehaviorType: 'ROUTE_ANY_CHANNEL' },
        },
        {
          Channel: 'CHAT',
          Concurrency: chat ? d.int(2, 5) : 1,
          CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
        },
        {
          Channel: 'TASK',
          Concurrency: d.int(1, 10),
          CrossChannelBehavior: { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
        },
      ],
      QueueConfigs,
      AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
      IsDefault: false,
      Tags: {},
      LastModifiedTime: now,
    };
  }

  const refs: References = {
    instance: source,
    queueIds,
    promptIds,
    promptNames,
    hoursIds,
    functionNames,
    moduleIds: [],
    flowIds: [],
    flowNames: [],
    queueFlowIds: [],
  };

  for (let i = 0; i < scale.modules; i++) {
    const Id = ids.uuid();
    refs.moduleIds.push(Id);
    source.modules[Id] = moduleRecord(Id, i, d, refs, now);
  }

  // Hook flows (queue and whisper flows) first, so inbound flows can point at them.
  const types: string[] = [];
  for (let i = 0; i < scale.flows; i++) {
    const roll = i % 100;
    types.push(
      roll < 4
        ? 'CUSTOMER_QUEUE'
        : roll < 7
          ? 'AGENT_WHISPER'
          : roll < 10
            ? 'CUSTOMER_WHISPER'
            : 'CONTACT_FLOW',
    );
  }
  for (let i = 0; i < scale.flows; i++) {
    refs.flowIds.push(ids.uuid());
    refs.flowNames.push(flowName(i, types[i]));
    if (types[i] === 'CUSTOMER_QUEUE') refs.queueFlowIds.push(refs.flowIds[i]);
  }
  for (let i = 0; i < scale.flows; i++) {
    const Id = refs.flowIds[i];
    source.flows[Id] = flowRecord(i, types[i], d, refs, now);
  }

  // Defaults carry the clock's time; a fixed one makes two generations with one seed equal.
  for (const instance of [source, target]) {
    instance.CreatedTime = now;
    for (const family of RECORD_FAMILIES) {
      for (const record of Object.values(instance[family])) record.LastModifiedTime = now;
    }
  }

  return {
    source,
    target,
    counts: {
      flows: scale.flows,
      modules: scale.modules,
      queues: scale.queues,
      routingProfiles: scale.routingProfiles,
      hours: scale.hours,
      prompts: scale.prompts,
      lambdaFunctions: scale.lambdas,
    },
  };
}

const RECORD_FAMILIES = [
  'hours',
  'queues',
  'routingProfiles',
  'flows',
  'modules',
  'prompts',
  'quickConnects',
  'securityProfiles',
  'users',
] as const;

interface References {
  instance: InstanceRecord;
  queueIds: string[];
  promptIds: string[];
  promptNames: string[];
  hoursIds: string[];
  functionNames: string[];
  moduleIds: string[];
  flowIds: string[];
  flowNames: string[];
  queueFlowIds: string[];
}

function flowName(i: number, type: string): string {
  const label: Record<string, string> = {
    CUSTOMER_QUEUE: 'Queue music',
    AGENT_WHISPER: 'Agent whisper',
    CUSTOMER_WHISPER: 'Customer whisper',
    CONTACT_FLOW: 'Inbound',
  };
  return `${label[type]} ${DEPARTMENTS[i % DEPARTMENTS.length]} ${String(i + 1).padStart(4, '0')}`;
}

function lambdaRecord(account: string, name: string): LambdaFunctionRecord {
  return {
    FunctionName: name,
    Account: account,
    Region: REGION,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${account}:role/connect-lambda`,
    Handler: 'index.handler',
    Description: `Contact centre function ${name}`,
    Timeout: 8,
    MemorySize: 256,
    Code: '',
    CodeSha256: createHash('sha256').update(name).digest('base64'),
    CodeSize: 0,
    LastModified: '2026-01-01T00:00:00.000+0000',
    RevisionId: '00000000-0000-4000-8000-000000000000',
    Aliases: [],
    Tags: {},
    Policy: [],
  };
}

type Action = {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: Record<string, unknown>;
};

/** Builds a console-style flow: blocks in order, each with designer metadata. */
class FlowBuilder {
  readonly actions: Action[] = [];
  readonly metadata: Record<string, unknown> = {};
  private x = 40;

  constructor(private readonly d: Dice) {}

  id(friendly?: string): string {
    return friendly && this.d.chance(0.4) ? friendly : this.d.uuid();
  }

  add(
    identifier: string,
    type: string,
    parameters: Record<string, unknown>,
    transitions: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ): void {
    this.actions.push({
      Identifier: identifier,
      Type: type,
      Parameters: parameters,
      Transitions: transitions,
    });
    this.x += 240;
    this.metadata[identifier] = {
      position: { x: this.x, y: 40 + this.d.int(0, 400) },
      ...(UUID_LIKE.test(identifier) ? {} : { isFriendlyName: true }),
      ...meta,
    };
  }

  content(start: string, name: string, description: string, type: string): string {
    return JSON.stringify({
      Version: '2019-10-30',
      StartAction: start,
      Metadata: {
        entryPointPosition: { x: 40, y: 40 },
        ActionMetadata: this.metadata,
        Annotations: [],
        name,
        description,
        type,
        status: 'PUBLISHED',
        hash: {},
      },
      Actions: this.actions,
    });
  }
}

const UUID_LIKE = /^[0-9a-f]{8}-/;

const next = (to: string, errors: string[] = ['NoMatchingError']) => ({
  NextAction: to,
  Errors: errors.map((ErrorType) => ({ NextAction: to, ErrorType })),
});

function flowRecord(i: number, type: string, d: Dice, refs: References, now: number): FlowRecord {
  const b = new FlowBuilder(d);
  const arn = (kind: 'queue' | 'prompt' | 'hours' | 'flow', id: string) =>
    resourceArn(refs.instance, kind, id);
  const promptAt = () => d.int(0, refs.promptIds.length - 1);
  const fn = () => {
    const name = d.pick(refs.functionNames);
    const base = lambdaArn(refs.instance.Account, REGION, name);
    return { name, arn: d.chance(0.2) ? `${base}:live` : base };
  };
  const end = b.id('Disconnect');
  const name = refs.flowNames[i];

  if (type !== 'CONTACT_FLOW') {
    // Hook flows are short: a prompt, perhaps a Lambda call, then end or loop.
    const p = promptAt();
    const say = b.id('Play hold message');
    const f = fn();
    const call = b.id('Log wait');
    b.add(say, 'MessageParticipant', { PromptId: arn('prompt', refs.promptIds[p]) }, next(call), {
      parameters: { PromptId: { displayName: refs.promptNames[p] } },
      promptName: refs.promptNames[p],
    });
    b.add(
      call,
      'InvokeLambdaFunction',
      {
        LambdaFunctionARN: f.arn,
        InvocationTimeLimitSeconds: '3',
        LambdaInvocationAttributes: { contactId: '$.ContactId', queue: '$.Queue.Name' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      },
      next(end),
      { parameters: { LambdaFunctionARN: { displayName: f.name } }, dynamicMetadata: {} },
    );
    b.add(end, 'EndFlowExecution', {}, {});
    return flow(refs.flowIds[i], name, type, b.content(say, name, '', type.toLowerCase()), d, now);
  }

  const ids = {
    logging: b.id('Enable logging'),
    welcome: b.id('Welcome'),
    lookup: b.id('Lookup customer'),
    attrs: b.id('Set attributes'),
    hours: b.id('Check hours'),
    closed: b.id('Closed message'),
    menu: b.id('Main menu'),
    hooks: b.id('Set queue flow'),
  };
  b.add(
    ids.logging,
    'UpdateFlowLoggingBehavior',
    { FlowLoggingBehavior: 'Enabled' },
    {
      NextAction: ids.welcome,
    },
  );
  const welcome = promptAt();
  b.add(
    ids.welcome,
    'MessageParticipant',
    { PromptId: arn('prompt', refs.promptIds[welcome]) },
    next(ids.lookup),
    { parameters: { PromptId: { displayName: refs.promptNames[welcome] } } },
  );
  const lookup = fn();
  b.add(
    ids.lookup,
    'InvokeLambdaFunction',
    {
      LambdaFunctionARN: lookup.arn,
      InvocationTimeLimitSeconds: '8',
      LambdaInvocationAttributes: {
        phone: '$.CustomerEndpoint.Address',
        channel: '$.Channel',
        flow: name,
      },
      ResponseValidation: { ResponseType: 'STRING_MAP' },
    },
    next(ids.attrs, ['NoMatchingError', 'TimeLimitExceeded']),
    { parameters: { LambdaFunctionARN: { displayName: lookup.name } }, dynamicMetadata: {} },
  );
  const callbackQueue = d.pick(refs.queueIds);
  b.add(
    ids.attrs,
    'UpdateContactAttributes',
    {
      Attributes: {
        segment: '$.External.segment',
        CallbackQueueId: callbackQueue,
        greeting: `Thank you for calling ${DEPARTMENTS[i % DEPARTMENTS.length]}`,
        language: d.pick(LANGUAGES),
      },
      TargetContact: 'Current',
    },
    next(ids.hours),
  );
  const hours = d.pick(refs.hoursIds);
  b.add(
    ids.hours,
    'CheckHoursOfOperation',
    { HoursOfOperationId: arn('hours', hours) },
    {
      NextAction: ids.closed,
      Conditions: [
        {
          NextAction: ids.hooks,
          Condition: { Operator: 'Equals', Operands: ['True'] },
        },
        { NextAction: ids.closed, Condition: { Operator: 'Equals', Operands: ['False'] } },
      ],
      Errors: [{ NextAction: ids.closed, ErrorType: 'NoMatchingError' }],
    },
    { Hours: { id: arn('hours', hours), text: refs.instance.hours[hours].Name } },
  );
  const closed = promptAt();
  b.add(
    ids.closed,
    'MessageParticipant',
    { PromptId: arn('prompt', refs.promptIds[closed]) },
    next(end),
    { parameters: { PromptId: { displayName: refs.promptNames[closed] } } },
  );
  const hook = refs.queueFlowIds.length > 0 ? d.pick(refs.queueFlowIds) : undefined;
  b.add(
    ids.hooks,
    'UpdateContactEventHooks',
    hook ? { EventHooks: { CustomerQueue: arn('flow', hook) } } : { EventHooks: {} },
    next(ids.menu),
    hook
      ? {
          contactFlow: {
            id: arn('flow', hook),
            text: refs.flowNames[refs.flowIds.indexOf(hook)],
          },
        }
      : {},
  );

  // The menu: one branch per option, each queueing, calling a module or moving to another flow.
  const options = d.int(2, 7);
  const branches: { digit: string; to: string }[] = [];
  const branchActions: (() => void)[] = [];
  for (let o = 1; o <= options; o++) {
    const digit = String(o);
    const kind = d.float();
    const first = b.id(`Option ${digit}`);
    branches.push({ digit, to: first });
    const ring = ringTarget(i, o === options, refs.flowIds);
    branchActions.push(() => {
      if (ring === undefined && kind < 0.55) {
        const queue = d.pick(refs.queueIds);
        const transfer = b.id(`Transfer ${digit}`);
        const queueName = refs.instance.queues[queue].Name;
        b.add(first, 'UpdateContactTargetQueue', { QueueId: arn('queue', queue) }, next(transfer), {
          queue: { id: arn('queue', queue), text: queueName },
          parameters: { QueueId: { displayName: queueName } },
        });
        b.add(
          transfer,
          'TransferContactToQueue',
          {},
          {
            NextAction: end,
            Errors: [
              { NextAction: end, ErrorType: 'QueueAtCapacity' },
              { NextAction: end, ErrorType: 'NoMatchingError' },
            ],
          },
        );
      } else if (ring === undefined && kind < 0.75 && refs.moduleIds.length > 0) {
        const mod = d.int(0, refs.moduleIds.length - 1);
        b.add(first, 'InvokeFlowModule', { FlowModuleId: refs.moduleIds[mod] }, next(end), {
          parameters: {
            FlowModuleId: {
              displayName: `Module ${String(mod + 1).padStart(3, '0')}`,
              Alias: { displayName: '$LATEST' },
            },
          },
        });
      } else {
        const target =
          ring ??
          (d.chance(0.5) ? refs.flowIds[(i + 1) % refs.flowIds.length] : d.pick(refs.flowIds));
        const targetName = refs.flowNames[refs.flowIds.indexOf(target)];
        b.add(first, 'TransferToFlow', { ContactFlowId: arn('flow', target) }, next(end), {
          ContactFlow: { id: arn('flow', target), text: targetName },
          parameters: { ContactFlowId: { displayName: targetName } },
        });
      }
    });
  }
  const menuPrompt = promptAt();
  b.add(
    ids.menu,
    'GetParticipantInput',
    {
      PromptId: arn('prompt', refs.promptIds[menuPrompt]),
      InputTimeLimitSeconds: '5',
      StoreInput: 'False',
    },
    {
      NextAction: end,
      Conditions: branches.map((x) => ({
        NextAction: x.to,
        Condition: { Operator: 'Equals', Operands: [x.digit] },
      })),
      Errors: [
        { NextAction: end, ErrorType: 'InputTimeLimitExceeded' },
        { NextAction: end, ErrorType: 'NoMatchingCondition' },
        { NextAction: end, ErrorType: 'NoMatchingError' },
      ],
    },
    {
      parameters: { PromptId: { displayName: refs.promptNames[menuPrompt] } },
      conditionMetadata: branches.map((x) => ({
        id: d.uuid(),
        operator: { name: 'Equals', value: 'Equals', shortDisplay: '=' },
        value: x.digit,
      })),
    },
  );
  for (const add of branchActions) add();
  b.add(end, 'DisconnectParticipant', {}, {});
  const content = b.content(ids.logging, name, `Entry flow ${i + 1}`, 'contactFlow');
  return flow(refs.flowIds[i], name, 'CONTACT_FLOW', content, d, now);
}

/**
 * Reference cycles, as real instances have them (a menu that transfers to a sub-menu that
 * transfers back): in every block of 50 flows, the last option of flows 20, 21 and 22 moves to the
 * next of the three, the third back to the first. Those three are always inbound flows.
 */
function ringTarget(i: number, lastOption: boolean, flowIds: string[]): string | undefined {
  const place = i % 50;
  if (!lastOption || place < 20 || place > 22 || i - place + 22 >= flowIds.length) return undefined;
  return flowIds[place === 22 ? i - 2 : i + 1];
}

function flow(
  Id: string,
  Name: string,
  Type: string,
  Content: string,
  d: Dice,
  now: number,
): FlowRecord {
  return {
    Id,
    Name,
    Type,
    Description: d.chance(0.6) ? `${Name} (maintained by the IVR team)` : undefined,
    State: 'ACTIVE',
    Status: 'PUBLISHED',
    Content,
    Tags: d.chance(0.3) ? { owner: 'ivr-team' } : {},
    LastModifiedTime: now,
  };
}

function moduleRecord(Id: string, i: number, d: Dice, refs: References, now: number): ModuleRecord {
  const b = new FlowBuilder(d);
  const f = d.pick(refs.functionNames);
  const call = b.id('Fetch data');
  const say = b.id('Play result');
  const done = b.id('Return');
  const p = d.int(0, refs.promptIds.length - 1);
  b.add(
    call,
    'InvokeLambdaFunction',
    {
      LambdaFunctionARN: lambdaArn(refs.instance.Account, REGION, f),
      InvocationTimeLimitSeconds: '8',
      ResponseValidation: { ResponseType: 'JSON' },
    },
    next(say),
    { parameters: { LambdaFunctionARN: { displayName: f } } },
  );
  b.add(
    say,
    'MessageParticipant',
    { PromptId: resourceArn(refs.instance, 'prompt', refs.promptIds[p]) },
    next(done),
    { parameters: { PromptId: { displayName: refs.promptNames[p] } } },
  );
  b.add(done, 'EndFlowModuleExecution', {}, {});
  const Name = `Module ${String(i + 1).padStart(3, '0')}`;
  return {
    Id,
    Name,
    Description: `Shared steps ${i + 1}`,
    State: 'ACTIVE',
    Status: 'PUBLISHED',
    Content: b.content(call, Name, '', 'module'),
    Settings: JSON.stringify({
      InputParameters: [],
      OutputParameters: [],
      Transitions: [{ DisplayName: 'Success', ReferenceName: 'Success', Description: '' }],
    }),
    Tags: {},
    LastModifiedTime: now,
  };
}
