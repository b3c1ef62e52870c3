import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { RawInstance } from '../../src/core/raw';
import { buildSnapshot, fingerprintOf } from '../../src/core/snapshot';
import { resolve, type Json } from '../../src/core/tokens';
import { corpusFiles } from '../helpers/corpus-mapping';

interface Environment {
  seed: string;
  account: string;
  region: string;
  lambdaPrefix: string;
}

const DEV: Environment = {
  seed: 'dev',
  account: '111122223333',
  region: 'us-east-1',
  lambdaPrefix: 'dev-',
};
const PROD: Environment = {
  seed: 'prod',
  account: '444455556666',
  region: 'eu-west-2',
  lambdaPrefix: 'prod-',
};

function uuid(seed: string, name: string): string {
  const h = createHash('sha256').update(`${seed}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * An instance as the Connect adapter would read it. Both environments hold the same resources
 * under the same names; ids, account, region and Lambda names differ. Resources are listed in a
 * different order per environment, as the API does not promise any.
 */
function rawInstance(env: Environment): RawInstance {
  const id = (name: string) => uuid(env.seed, name);
  // Action identifiers belong to the flow, not the instance: a copied flow keeps them.
  const action = (n: number) => uuid('actions', String(n));
  const iid = id('instance');
  const arn = `arn:aws:connect:${env.region}:${env.account}:instance/${iid}`;
  const res = (type: string, name: string) => `${arn}/${type}/${id(name)}`;
  const lambda = (name: string) =>
    `arn:aws:lambda:${env.region}:${env.account}:function:${env.lambdaPrefix}${name}`;
  const lexAlias = `arn:aws:lex:${env.region}:${env.account}:bot-alias/${id('bot').replace(/-/g, '').slice(0, 10).toUpperCase()}/TSTALIASID`;
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

function options(env: Environment) {
  return {
    environment: env.seed,
    naming: { lambda: { prefix: env.lambdaPrefix, suffix: '' }, lex: { prefix: '', suffix: '' } },
  };
}

function parse(files: Map<string, string>, path: string): Record<string, Json> {
  const text = files.get(path);
  assert.ok(text !== undefined, `${path} missing; have ${[...files.keys()].join(', ')}`);
  return JSON.parse(text) as Record<string, Json>;
}

describe('core/snapshot', () => {
  it('renders identical bytes when run twice', async () => {
    const a = await buildSnapshot(rawInstance(DEV), options(DEV));
    const b = await buildSnapshot(rawInstance(DEV), options(DEV));
    assert.deepEqual([...a.files.keys()].sort(), [...b.files.keys()].sort());
    for (const [path, text] of a.files) assert.equal(b.files.get(path), text, path);
  });

  it('gives two environments with the same content the same files except mapping.json', async () => {
    const dev = await buildSnapshot(rawInstance(DEV), options(DEV));
    const prod = await buildSnapshot(rawInstance(PROD), options(PROD));
    assert.deepEqual([...dev.files.keys()].sort(), [...prod.files.keys()].sort());
    for (const [path, text] of dev.files) {
      if (path === 'mapping.json') assert.notEqual(prod.files.get(path), text);
      else assert.equal(prod.files.get(path), text, path);
    }
    for (const text of dev.files.values()) {
      assert.ok(text.endsWith('}\n'));
    }
    const everything = [...dev.files]
      .filter(([p]) => p !== 'mapping.json')
      .map(([, t]) => t)
      .join('');
    const raw = rawInstance(DEV);
    for (const secret of [raw.instance.id, raw.instance.account, raw.queues[0].queue.QueueId!]) {
      assert.ok(!everything.includes(secret), secret);
    }
  });

  it('writes the resource files the design describes', async () => {
    const raw = rawInstance(DEV);
    const { files, warnings } = await buildSnapshot(raw, options(DEV));

    const queue = parse(files, 'queues/Sales.json');
    assert.deepEqual(queue, {
      Name: 'Sales',
      Description: 'Sales line',
      HoursOfOperation: '{{cc:id:hours:Basic Hours}}',
      MaxContacts: 10,
      Status: 'ENABLED',
      OutboundCallerConfig: {
        OutboundCallerIdName: 'Acme',
        OutboundCallerIdNumber: '{{cc:id:phone-number:+15550100}}',
        OutboundFlow: '{{cc:id:flow:Default outbound}}',
      },
      QuickConnects: ['Bob direct', 'Transfer to support'],
      Tags: {},
    });

    const profile = parse(files, 'routing-profiles/Basic Routing Profile.json');
    assert.equal(profile.DefaultOutboundQueue, '{{cc:id:queue:Sales}}');
    assert.deepEqual(
      (profile.Queues as Record<string, Json>[]).map((q) => [q.Queue, q.Channel]),
      [
        ['{{cc:id:queue:Sales}}', 'CHAT'],
        ['{{cc:id:queue:Sales}}', 'VOICE'],
        ['{{cc:id:queue:Support}}', 'VOICE'],
      ],
    );
    assert.deepEqual(
      (profile.MediaConcurrencies as Record<string, Json>[]).map((m) => m.Channel),
      ['CHAT', 'VOICE'],
    );
    assert.equal(profile.NumberOfAssociatedQueues, undefined);

    const hours = parse(files, 'hours/Basic Hours.json');
    assert.deepEqual(
      (hours.Config as Record<string, Record<string, number>>[]).map((c) => [
        c.Day,
        c.StartTime.Hours,
      ]),
      [
        ['SUNDAY', 10],
        ['MONDAY', 9],
        ['MONDAY', 13],
      ],
    );

    const module = parse(files, 'modules/Get name.json');
    assert.equal(module.State, 'ACTIVE');
    assert.equal(module.Status, 'PUBLISHED');
    assert.deepEqual(module.Settings, {
      InputParameters: [],
      OutputParameters: [],
      Transitions: [],
    });

    assert.ok(files.has('prompts/a%2Fb%3A odd name.json'));
    assert.ok(files.has('prompts/%43ON.json'));
    assert.deepEqual(parse(files, 'integrations.json'), {
      LambdaFunctions: ['lookup'],
      LexBots: [],
      LexV2Aliases: ['Orders/TestBotAlias'],
    });
    assert.deepEqual(warnings, []);
  });

  it('stores flow content parsed and tokenized, and resolves back to the instance content', async () => {
    const raw = rawInstance(DEV);
    const { files, mapping } = await buildSnapshot(raw, options(DEV));
    const main = parse(files, 'flows/Main IVR.json');
    assert.deepEqual(Object.keys(main).sort(), [
      'Content',
      'Description',
      'Draft',
      'Name',
      'State',
      'Status',
      'Tags',
      'Type',
    ]);
    const actions = (main.Content as { Actions: { Parameters: Json }[] }).Actions;
    assert.deepEqual(actions[0].Parameters, { QueueId: '{{cc:arn:queue:Sales}}' });
    assert.deepEqual(actions[1].Parameters, {
      InvocationTimeLimitSeconds: '3',
      LambdaFunctionARN: '{{cc:arn:lambda:lookup}}:live',
    });
    assert.deepEqual(actions[2].Parameters, {
      EventHooks: { CustomerQueue: '{{cc:arn:flow:Queue music}}:$SAVED' },
    });

    for (const { flow, draft } of raw.flows) {
      const file = [...files.keys()].find(
        (p) => p.startsWith('flows/') && parse(files, p).Name === flow.Name,
      )!;
      const stored = parse(files, file);
      const back = resolve(stored.Content, mapping);
      assert.deepEqual(back.unresolved, []);
      assert.deepStrictEqual(back.value, JSON.parse(flow.Content!));
      if (draft)
        assert.deepStrictEqual(resolve(stored.Draft, mapping).value, JSON.parse(draft.Content!));
      else assert.equal(stored.Draft, undefined);
    }
  });

  it('writes only the files the globs select but maps every resource', async () => {
    const snapshot = await buildSnapshot(rawInstance(DEV), {
      ...options(DEV),
      include: ['flows/**', 'queues/Sales'],
      exclude: ['flows/Corpus*'],
    });
    assert.deepEqual([...snapshot.files.keys()].sort(), [
      'flows/Default outbound.json',
      'flows/Main IVR.json',
      'flows/Queue music.json',
      'integrations.json',
      'mapping.json',
      'queues/Sales.json',
    ]);
    const m = snapshot.mapping;
    assert.ok(m.resources.queue?.Support?.id);
    assert.ok(m.resources.hours?.['Basic Hours']?.arn);
    assert.ok(m.resources['agent-queue']?.bob?.arn?.includes('/queue/agent/'));
    assert.ok(m.fingerprints['queues/Support']);
    assert.ok(m.fingerprints['flows/Corpus aws-samples__amazon-connect-callba']);
  });

  it('warns about API fields it does not know and leaves them out', async () => {
    const raw = rawInstance(DEV);
    (raw.queues[1].queue as Record<string, unknown>).BrandNewSetting = { on: true };
    const { files, warnings } = await buildSnapshot(raw, options(DEV));
    assert.deepEqual(
      warnings.map((w) => [w.code, w.resource, w.path]),
      [['unknown-field', 'queues/Support', 'BrandNewSetting']],
    );
    assert.ok(!files.get('queues/Support.json')!.includes('BrandNewSetting'));
  });

  it('reports the foreign references of real flows with their file and path', async () => {
    const { findings } = await buildSnapshot(rawInstance(DEV), options(DEV));
    assert.ok(findings.foreign.length > 0);
    for (const f of findings.foreign) {
      assert.match(f.resource, /^flows\/Corpus /);
      assert.match(f.path, /^(Actions|Metadata)/);
    }
  });

  it('changes a fingerprint when the resource changes, and only then', () => {
    const queue = rawInstance(DEV).queues[0].queue;
    const same = fingerprintOf('queue', { ...queue }, []);
    assert.equal(fingerprintOf('queue', queue, []), same);
    assert.notEqual(fingerprintOf('queue', { ...queue, MaxContacts: 11 }, []), same);
    assert.notEqual(fingerprintOf('queue', { ...queue, LastModifiedTime: new Date(0) }, []), same);
    assert.notEqual(fingerprintOf('queue', queue, ['qc']), same);
  });
});
