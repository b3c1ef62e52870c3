import { strict as assert } from 'node:assert';
import { buildSnapshot, fingerprintOf } from '../../src/core/snapshot';
import { resolve, type Json } from '../../src/core/tokens';
import { DEV, PROD, rawInstance, type Environment } from '../helpers/raw-instance';

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

  it('gives two environments in sync the same files except mapping.json', async () => {
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

  it('stores flow content parsed and tokenized, resolving back to the original', async () => {
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

  it('resolves the flow files of dev to the content of prod', async () => {
    const dev = await buildSnapshot(rawInstance(DEV), options(DEV));
    const prodRaw = rawInstance(PROD);
    const prod = await buildSnapshot(prodRaw, options(PROD));
    let compared = 0;
    for (const [path, text] of dev.files) {
      if (!path.startsWith('flows/')) continue;
      const file = JSON.parse(text) as Record<string, Json>;
      const target = prodRaw.flows.find((f) => f.flow.Name === file.Name)!;
      const resolved = resolve(file.Content, prod.mapping);
      assert.deepEqual(resolved.unresolved, [], path);
      assert.deepStrictEqual(resolved.value, JSON.parse(target.flow.Content!), path);
      compared++;
    }
    assert.equal(compared, prodRaw.flows.length);
  });

  it('leaves out a draft equal to the published content', async () => {
    const raw = rawInstance(DEV);
    const music = raw.flows.find((f) => f.flow.Name === 'Queue music')!;
    music.draft = {
      ...music.flow,
      Content: JSON.stringify(JSON.parse(music.flow.Content!), null, 4),
    };
    const { files } = await buildSnapshot(raw, options(DEV));
    assert.equal(parse(files, 'flows/Queue music.json').Draft, undefined);
    assert.ok(parse(files, 'flows/Main IVR.json').Draft);
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
