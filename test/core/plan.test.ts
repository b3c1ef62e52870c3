import { strict as assert } from 'node:assert';
import { planPush, printablePlan, type Plan, type PushInput } from '../../src/core/plan';
import type { Mapping } from '../../src/core/mapping';

type Body = Record<string, unknown>;

const INSTANCE = {
  id: '00000000-0000-4000-8000-000000000001',
  arn: 'arn:aws:connect:us-east-1:444455556666:instance/00000000-0000-4000-8000-000000000001',
  alias: 'prod',
  region: 'us-east-1',
  account: '444455556666',
};

const tok = (form: 'arn' | 'id', kind: string, name: string) => `{{cc:${form}:${kind}:${name}}}`;

function flowContent(...targets: string[]): Body {
  const actions: Body[] = targets.map((t, i) => ({
    Identifier: `a${i}`,
    Type: 'TransferToFlow',
    Parameters: { ContactFlowId: tok('arn', 'flow', t) },
    Transitions: { NextAction: 'end' },
  }));
  actions.push({
    Identifier: 'end',
    Type: 'DisconnectParticipant',
    Parameters: {},
    Transitions: {},
  });
  return { Version: '2019-10-30', StartAction: actions[0].Identifier as string, Actions: actions };
}

function flow(name: string, content: Body, extra: Body = {}): [string, Body] {
  return [
    `flows/${name}.json`,
    {
      Name: name,
      Type: 'CONTACT_FLOW',
      Description: '',
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Tags: {},
      Content: content,
      ...extra,
    },
  ];
}

function moduleFile(name: string, content: Body): [string, Body] {
  return [
    `modules/${name}.json`,
    {
      Name: name,
      Description: 'm',
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Tags: {},
      Content: content,
    },
  ];
}

function queue(name: string, extra: Body = {}): [string, Body] {
  return [
    `queues/${name}.json`,
    {
      Name: name,
      Description: 'q',
      HoursOfOperation: tok('id', 'hours', 'Basic Hours'),
      MaxContacts: 10,
      Status: 'ENABLED',
      OutboundCallerConfig: {},
      QuickConnects: [],
      Tags: {},
      ...extra,
    },
  ];
}

function hours(name: string, extra: Body = {}): [string, Body] {
  return [
    `hours/${name}.json`,
    { Name: name, Description: 'h', TimeZone: 'UTC', Config: [], Tags: {}, ...extra },
  ];
}

function files(...entries: [string, Body][]): Map<string, string> {
  return new Map(entries.map(([p, b]) => [p, JSON.stringify(b, null, 2) + '\n']));
}

let counter = 100;
function mapping(
  resources: Partial<Record<string, string[]>>,
  fingerprints: Record<string, string> = {},
): Mapping {
  const out: Mapping = {
    version: 1,
    environment: 'prod',
    instance: INSTANCE,
    naming: { lambda: { prefix: '', suffix: '' }, lex: { prefix: '', suffix: '' } },
    resources: {},
    fingerprints,
  };
  for (const [kind, names] of Object.entries(resources)) {
    const entries: Record<string, { id: string; arn: string }> = {};
    for (const name of names ?? []) {
      const id = `00000000-0000-4000-8000-${String(counter++).padStart(12, '0')}`;
      entries[name] = { id, arn: `${INSTANCE.arn}/${kind}/${id}` };
    }
    (out.resources as Record<string, unknown>)[kind] = entries;
  }
  return out;
}

const BASE = { hours: ['Basic Hours'], 'quick-connect': ['Reception'] };

function plan(
  branch: [string, Body][],
  remote: [string, Body][],
  remoteMapping: Mapping,
  options: Partial<PushInput> = {},
): Plan {
  return planPush({
    files: files(...branch),
    remote: { files: files(...remote), mapping: remoteMapping },
    lastPulled: remoteMapping.fingerprints,
    ...options,
  });
}

const step = (p: Plan, key: string) => {
  const s = p.steps.find((x) => x.key === key);
  assert.ok(s, `no step for ${key}: ${p.steps.map((x) => x.key).join(', ')}`);
  return s;
};
const writeKeys = (p: Plan) => p.steps.filter((s) => s.action !== 'unchanged').map((s) => s.key);

describe('core: planPush', () => {
  it('plans create, update and unchanged, with reasons and changed fields', () => {
    const same = flow('Same', flowContent());
    const remote = [same, flow('Edited', flowContent()), hours('Office')];
    const branch = [
      same,
      flow('Edited', flowContent(), { Description: 'new words' }),
      flow('New', flowContent('Same')),
      hours('Office', { TimeZone: 'Europe/Paris' }),
    ];
    const target = mapping({ ...BASE, flow: ['Same', 'Edited'], hours: ['Basic Hours', 'Office'] });
    const p = plan(branch, remote, target);

    assert.equal(p.blocked, false);
    assert.equal(step(p, 'flows/Same').action, 'unchanged');
    assert.equal(step(p, 'flows/Same').reason, 'same as the instance');
    assert.equal(step(p, 'flows/Edited').action, 'update');
    assert.deepEqual(step(p, 'flows/Edited').changedFields, ['Description']);
    assert.equal(step(p, 'hours/Office').action, 'update');
    assert.deepEqual(step(p, 'hours/Office').changedFields, ['TimeZone']);
    assert.equal(step(p, 'flows/New').action, 'create');
    assert.match(step(p, 'flows/New').reason, /not in the instance/);
    assert.deepEqual(p.summary, { create: 1, update: 2, unchanged: 1, conflict: 0 });
    // Writes come first, hours before flows; the unchanged flow is listed after them.
    assert.deepEqual(writeKeys(p), ['hours/Office', 'flows/Edited', 'flows/New']);
    assert.equal(p.steps.at(-1)!.key, 'flows/Same');
    assert.equal('bodies' in printablePlan(p), false);
    assert.doesNotThrow(() => JSON.stringify(printablePlan(p)));
  });

  it('reports a conflict when both sides changed since the last pull, unless forced', () => {
    const remote = [flow('Main', flowContent(), { Description: 'console edit' })];
    const branch = [flow('Main', flowContent(), { Description: 'branch edit' })];
    const target = mapping({ ...BASE, flow: ['Main'] }, { 'flows/Main': 'after-console-edit' });
    const lastPulled = { 'flows/Main': 'at-last-pull' };

    const p = plan(branch, remote, target, { lastPulled });
    assert.equal(p.blocked, true);
    assert.equal(p.conflicts.length, 1);
    assert.equal(p.conflicts[0].key, 'flows/Main');
    assert.deepEqual(p.conflicts[0].changedFields, ['Description']);
    assert.equal(p.conflicts[0].branch.Description, 'branch edit');
    assert.equal(p.conflicts[0].remote.Description, 'console edit');
    assert.deepEqual(writeKeys(p), []);

    const forced = plan(branch, remote, target, { lastPulled, force: true });
    assert.equal(forced.blocked, false);
    assert.equal(forced.conflicts.length, 0);
    assert.equal(step(forced, 'flows/Main').action, 'update');
    assert.match(step(forced, 'flows/Main').reason, /forced/);

    // Changed remotely but equal to the branch: nothing to do, no conflict.
    const agreed = plan(remote, remote, target, { lastPulled });
    assert.equal(agreed.conflicts.length, 0);
    assert.equal(step(agreed, 'flows/Main').action, 'unchanged');

    // Changed only in the branch: an update, no conflict.
    const own = plan(branch, remote, target, { lastPulled: target.fingerprints });
    assert.equal(step(own, 'flows/Main').action, 'update');

    // Written by an interrupted push of ours: not a console change.
    const resumed = plan(branch, remote, target, { lastPulled, resumed: ['flows/Main'] });
    assert.equal(step(resumed, 'flows/Main').action, 'update');
  });

  it('lists every unresolved token with file and JSON path, and blocks the plan', () => {
    const content = flowContent('Missing');
    (content.Actions as Body[]).unshift({
      Identifier: 'q',
      Type: 'UpdateContactTargetQueue',
      Parameters: { QueueId: tok('arn', 'queue', 'Nowhere') },
      Transitions: { NextAction: 'a0' },
    });
    content.StartAction = 'q';
    content.Metadata = {
      lambda: `${tok('arn', 'lambda', 'lookup')}:live`,
      prompt: tok('arn', 'prompt', 'Welcome.wav'),
      known: tok('arn', 'prompt', 'Beep.wav'),
    };
    const branch = [
      flow('Main', content),
      queue('Support', { QuickConnects: ['Reception', 'Gone'] }),
      hours('Office'),
    ];
    const p = plan(branch, [], mapping({ ...BASE, prompt: ['Beep.wav'] }));

    assert.equal(p.blocked, true);
    const found = p.unresolved.map((u) => `${u.file} ${u.path} ${u.token}`).sort();
    assert.deepEqual(found, [
      'flows/Main.json Content.Actions[0].Parameters.QueueId {{cc:arn:queue:Nowhere}}',
      'flows/Main.json Content.Actions[1].Parameters.ContactFlowId {{cc:arn:flow:Missing}}',
      'flows/Main.json Content.Metadata.lambda {{cc:arn:lambda:lookup}}',
      'flows/Main.json Content.Metadata.prompt {{cc:arn:prompt:Welcome.wav}}',
      'queues/Support.json QuickConnects[1] Gone',
    ]);
    const reason = (token: string) => p.unresolved.find((u) => u.token === token)!.reason;
    assert.match(reason('{{cc:arn:queue:Nowhere}}'), /no queue named "Nowhere"/);
    assert.match(reason('{{cc:arn:lambda:lookup}}'), /not associated with the instance/);
    assert.match(reason('{{cc:arn:prompt:Welcome.wav}}'), /upload it there first/);
    // The steps are still shown, but nothing may run.
    assert.equal(step(p, 'flows/Main').action, 'create');
  });

  it('orders an acyclic chain of new resources without stubs', () => {
    const branch = [
      flow('A', flowContent('B')),
      flow('B', flowContent('C')),
      flow('C', flowContent()),
      queue('Sales', { HoursOfOperation: tok('id', 'hours', 'Office') }),
      hours('Office'),
    ];
    const p = plan(branch, [], mapping(BASE));
    assert.equal(p.blocked, false, JSON.stringify(p.unresolved));
    assert.deepEqual(p.stubs, []);
    assert.deepEqual(writeKeys(p), [
      'hours/Office',
      'queues/Sales',
      'flows/C',
      'flows/B',
      'flows/A',
    ]);
    assert.deepEqual(step(p, 'flows/A').dependsOn, ['flows/B']);
  });

  it('gives stubs to the members of reference cycles only', () => {
    const hook = flowContent();
    (hook.Actions as Body[]).unshift({
      Identifier: 'hook',
      Type: 'UpdateContactEventHooks',
      Parameters: { EventHooks: { CustomerRemaining: tok('arn', 'flow', 'Disconnect') } },
      Transitions: { NextAction: 'end' },
    });
    hook.StartAction = 'hook';
    const invoke = (module: string, transferTo?: string): Body => {
      const c = transferTo ? flowContent(transferTo) : flowContent();
      (c.Actions as Body[]).unshift({
        Identifier: 'm',
        Type: 'InvokeFlowModule',
        Parameters: { FlowModuleId: tok('id', 'module', module) },
        Transitions: { NextAction: 'end' },
      });
      c.StartAction = 'm';
      return c;
    };
    const whisper = flowContent();
    (whisper.Actions as Body[]).unshift({
      Identifier: 'w',
      Type: 'UpdateContactTargetQueue',
      Parameters: { QueueId: tok('arn', 'queue', 'Outbound') },
      Transitions: { NextAction: 'end' },
    });
    whisper.StartAction = 'w';

    const branch = [
      flow('A', flowContent('B')),
      flow('B', flowContent('A')),
      flow('Entry', invoke('Helper')),
      moduleFile('Helper', flowContent('Entry')),
      queue('Outbound', {
        OutboundCallerConfig: { OutboundFlow: tok('id', 'flow', 'Whisper') },
      }),
      flow('Whisper', whisper, { Type: 'OUTBOUND_WHISPER' }),
      flow('Main', hook),
      flow('Disconnect', flowContent('Main')),
      flow('Leaf', flowContent('A')),
      flow('Self', flowContent('Self')),
    ];
    const p = plan(branch, [], mapping(BASE));
    assert.equal(p.blocked, false, JSON.stringify([p.unresolved, p.problems]));

    const stubbed = p.stubs.map((s) => s.key).sort();
    assert.deepEqual(stubbed, [
      'flows/A',
      'flows/B',
      'flows/Disconnect',
      'flows/Entry',
      'flows/Main',
      'flows/Self',
      'flows/Whisper',
      'modules/Helper',
      'queues/Outbound',
    ]);
    assert.equal(step(p, 'flows/Leaf').stub, undefined);
    const cycles = p.cycles.map((c) => [...c].sort().join(' + ')).sort();
    assert.deepEqual(cycles, [
      'flows/A + flows/B',
      'flows/Disconnect + flows/Main',
      'flows/Entry + modules/Helper',
      'flows/Self',
      'flows/Whisper + queues/Outbound',
    ]);
    // Members of one cycle are contiguous, and what references a cycle comes after it.
    const keys = writeKeys(p);
    const at = (k: string) => keys.indexOf(k);
    assert.equal(Math.abs(at('flows/A') - at('flows/B')), 1);
    assert.ok(at('flows/Leaf') > at('flows/A') && at('flows/Leaf') > at('flows/B'));
    // A new inbound flow gets a phone-number follow-up.
    assert.ok(p.followUps.some((f) => f.code === 'phone-number' && f.key === 'flows/Leaf'));
  });

  it('touches nothing outside the include patterns or inside the exclude patterns', () => {
    const branch = [
      flow('Sales IVR', flowContent()),
      flow('Sales Test', flowContent()),
      flow('Support IVR', flowContent()),
      hours('Office'),
    ];
    const p = plan(branch, [], mapping(BASE), {
      include: ['flows/Sales*', 'hours/**'],
      exclude: ['flows/*Test'],
    });
    assert.deepEqual(writeKeys(p).sort(), ['flows/Sales IVR', 'hours/Office']);
    // A name may hold `/`: the name part of a pattern matches the whole name.
    const slashed = plan([flow('Sales/EMEA', flowContent())], [], mapping(BASE), {
      include: ['flows/Sales*'],
    });
    assert.deepEqual(writeKeys(slashed), ['flows/Sales/EMEA']);
    assert.deepEqual(p.excluded, ['flows/Sales Test', 'flows/Support IVR']);

    // A reference to an excluded resource that the target lacks is unresolved, and says why.
    const refers = plan(
      [flow('Sales IVR', flowContent('Support IVR')), flow('Support IVR', flowContent())],
      [],
      mapping(BASE),
      {
        include: ['flows/Sales*'],
      },
    );
    assert.equal(refers.blocked, true);
    assert.match(refers.unresolved[0].reason, /outside the include\/exclude filters/);
  });

  it('never writes quick connects, users, security profiles, phone numbers or prompts', () => {
    const branch: [string, Body][] = [
      ['quick-connects/Reception.json', { Name: 'Reception' }],
      ['users/alice.json', { Name: 'alice' }],
      ['prompts/Welcome.json', { Name: 'Welcome', Description: '', Tags: {} }],
      queue('Support', { QuickConnects: ['Reception'] }),
    ];
    const p = plan(branch, [], mapping(BASE));
    assert.deepEqual(writeKeys(p), ['queues/Support']);
    assert.ok(p.followUps.some((f) => f.code === 'prompt' && f.key === 'prompts/Welcome'));
  });

  it('leaves existing queues alone unless asked, and never plans deletions', () => {
    const remote = [queue('Support'), queue('Console only'), flow('Old', flowContent())];
    const branch = [queue('Support', { MaxContacts: 20 })];
    const target = mapping({ ...BASE, queue: ['Support', 'Console only'], flow: ['Old'] });

    const held = plan(branch, remote, target);
    assert.equal(step(held, 'queues/Support').action, 'unchanged');
    assert.deepEqual(step(held, 'queues/Support').changedFields, ['MaxContacts']);
    assert.match(step(held, 'queues/Support').reason, /existing queue/);
    assert.deepEqual(held.remoteOnly, ['flows/Old', 'queues/Console only']);
    assert.deepEqual(writeKeys(held), []);

    const asked = plan(branch, remote, target, { updateExistingQueues: true });
    assert.equal(step(asked, 'queues/Support').action, 'update');
  });

  it('treats routing profile queues and hours as sets, not as ordered lists', () => {
    const rows = ['A', 'B'].map((q) => ({
      Queue: tok('id', 'queue', q),
      Channel: 'VOICE',
      Priority: 1,
      Delay: 0,
    }));
    const profile = (queues: Body[]): [string, Body] => [
      'routing-profiles/Main.json',
      {
        Name: 'Main',
        Description: 'd',
        DefaultOutboundQueue: tok('id', 'queue', 'A'),
        Queues: queues,
        Tags: {},
      },
    ];
    const target = mapping({ ...BASE, queue: ['A', 'B'], 'routing-profile': ['Main'] });
    const same = plan([profile([rows[1], rows[0]])], [profile(rows)], target);
    assert.equal(step(same, 'routing-profiles/Main').action, 'unchanged');
    const moved = plan([profile([{ ...rows[1], Priority: 2 }, rows[0]])], [profile(rows)], target);
    assert.deepEqual(step(moved, 'routing-profiles/Main').changedFields, ['Queues']);
  });

  it('refuses a flow type change and reports an outbound caller ID it cannot set', () => {
    const remote = [flow('Whisper', flowContent(), { Type: 'OUTBOUND_WHISPER' })];
    const branch = [
      flow('Whisper', flowContent(), { Type: 'CONTACT_FLOW' }),
      queue('Outbound', {
        OutboundCallerConfig: { OutboundCallerIdNumber: tok('id', 'phone-number', '+15550100') },
      }),
    ];
    const p = plan(branch, remote, mapping({ ...BASE, flow: ['Whisper'] }));
    assert.equal(p.problems[0].code, 'type-change');
    assert.equal(p.blocked, true);
    // The foreign caller ID number is a follow-up, not an unresolved token.
    assert.deepEqual(p.unresolved, []);
    assert.ok(
      p.followUps.some((f) => f.code === 'outbound-caller-id' && f.key === 'queues/Outbound'),
    );
  });
});
