import { strict as assert } from 'node:assert';
import { findFlowReferences, parseArn } from '../../src/emulator/flow-references';
import { createInstance } from '../../src/emulator/instances';
import { emptyState, InstanceRecord } from '../../src/emulator/model';
import { validateContent, NOT_A_JSON_OBJECT } from '../../src/emulator/validate';
import { endAction, flowContent, idByName, step, TestAction } from '../helpers/flows';

const lenient = { validateIntegrations: false };

function newInstance(): InstanceRecord {
  return createInstance(emptyState(), { account: '111122223333', region: 'eu-west-2' });
}

describe('emulator: flow references', () => {
  const base = 'arn:aws:connect:eu-west-2:111122223333:instance/aaaa-1111';

  it('finds every static reference with its path, kind and form', () => {
    const content = JSON.parse(
      flowContent([
        step('q', 'UpdateContactTargetQueue', { QueueId: `${base}/queue/q-1` }),
        step('a', 'UpdateContactTargetQueue', { AgentId: `${base}/agent/u-1` }),
        step('h', 'UpdateContactEventHooks', { EventHooks: { CustomerQueue: 'flow-1' } }),
        step('p', 'MessageParticipantIteratively', {
          Messages: [{ Text: 'hi' }, { PromptId: `${base}/prompt/p-1` }],
        }),
        step('m', 'InvokeFlowModule', { FlowModuleId: 'mod-1:$LATEST' }),
        step('l', 'InvokeLambdaFunction', {
          LambdaFunctionARN: 'arn:aws:lambda:eu-west-2:999988887777:function:lookup:live',
        }),
        step('x', 'ConnectParticipantWithLexBot', {
          LexV2Bot: { AliasArn: 'arn:aws:lex:eu-west-2:111122223333:bot-alias/BOT1/ALIAS1' },
        }),
        step('v1', 'ConnectParticipantWithLexBot', {
          LexBot: { Name: 'Orders', Region: 'us-east-1', Alias: '$LATEST' },
        }),
        step('d', 'TransferToFlow', { ContactFlowId: '$.Attributes.next' }),
        step('e', 'UpdateContactTargetQueue', { QueueId: 'arn:aws:connect:$.Region:1:x' }),
        endAction(),
      ]),
    );
    const found = findFlowReferences(content).map((r) => [r.path, r.kind, r.form, r.id]);
    assert.deepEqual(found, [
      ['0.Parameters.QueueId', 'queue', 'arn', 'q-1'],
      ['1.Parameters.AgentId', 'agent', 'arn', 'u-1'],
      ['2.Parameters.EventHooks.CustomerQueue', 'flow', 'id', 'flow-1'],
      ['3.Parameters.Messages.1.PromptId', 'prompt', 'arn', 'p-1'],
      ['4.Parameters.FlowModuleId', 'module', 'id', 'mod-1'],
      ['5.Parameters.LambdaFunctionARN', 'lambda', 'arn', 'lookup'],
      ['6.Parameters.LexV2Bot.AliasArn', 'lexV2Alias', 'arn', 'BOT1/ALIAS1'],
      ['7.Parameters.LexBot.Name', 'lexV1', 'id', 'Orders'],
    ]);
    const references = findFlowReferences(content);
    assert.equal(references[4].qualifier, '$LATEST');
    assert.equal(references[5].qualifier, 'live');
    assert.deepEqual(references[7].lexV1, {
      name: 'Orders',
      region: 'us-east-1',
      alias: '$LATEST',
    });
    assert.equal(references[0].actionIdentifier, 'q');
    assert.equal(references[0].actionType, 'UpdateContactTargetQueue');
  });

  it('parses Connect, Lambda, Lex and AWS-owned ARNs', () => {
    assert.deepEqual(parseArn(`${base}/queue/agent/u-9`), {
      partition: 'aws',
      service: 'connect',
      region: 'eu-west-2',
      account: '111122223333',
      resource: 'instance/aaaa-1111/queue/agent/u-9',
      instanceId: 'aaaa-1111',
      resourceType: 'queue/agent',
      resourceId: 'u-9',
    });
    assert.equal(parseArn(`${base}/contact-flow/f-1:$SAVED`)?.qualifier, '$SAVED');
    const view = parseArn('arn:aws:connect:us-east-1:aws:view/cards:1');
    assert.equal(view?.account, 'aws');
    assert.equal(view?.resourceType, 'view');
    assert.equal(parseArn('arn:aws'), undefined);
    assert.equal(parseArn('not an arn'), undefined);
  });

  it('ignores content that is not Flow Language', () => {
    assert.deepEqual(findFlowReferences(null), []);
    assert.deepEqual(findFlowReferences({ modules: [] }), []);
  });
});

describe('emulator: flow content validation', () => {
  it('accepts every default flow of a new instance', () => {
    const instance = newInstance();
    for (const flow of Object.values(instance.flows)) {
      assert.deepEqual(validateContent(flow.Content, instance, lenient), [], flow.Name);
    }
  });

  it('reports every structural problem at once', () => {
    const actions: TestAction[] = [
      step('start', 'MessageParticipant', { Text: 'hi' }, 'nowhere'),
      step('start', 'MessageParticipant', { Text: 'again' }),
      step('bad:id', 'MessageParticipant', { Text: 'colon' }),
      step('__proto__', 'MessageParticipant', { Text: 'reserved' }),
      step('x'.repeat(51), 'MessageParticipant', { Text: 'long' }),
      {
        ...step('branch', 'Compare', { ComparisonValue: '$.Attributes.x' }),
        Transitions: {
          NextAction: 'end',
          Errors: [{ NextAction: 'lost', ErrorType: 'NoMatchingCondition' }],
          Conditions: [{ NextAction: 'gone', Condition: { Operator: 'Equals', Operands: ['1'] } }],
        },
      },
      endAction(),
    ];
    const content = JSON.parse(flowContent(actions, 'missing'));
    content.Version = '2020-01-01';
    const problems = validateContent(JSON.stringify(content), newInstance(), lenient);
    const expected = [
      'Version',
      'StartAction',
      'Duplicate Action identifier. Path: 1.Identifier',
      'Invalid Action identifier. Path: 2.Identifier',
      'Invalid Action identifier. Path: 3.Identifier',
      'Invalid Action identifier. Path: 4.Identifier',
      'Path: 0.Transitions.NextAction',
      'Path: 0.Transitions.Errors.0.NextAction',
      'Path: 5.Transitions.Errors.0.NextAction',
      'Path: 5.Transitions.Conditions.0.NextAction',
    ];
    for (const text of expected) {
      assert.ok(
        problems.some((p) => p.includes(text)),
        `${text} in ${problems.join('; ')}`,
      );
    }
    assert.equal(problems.length, expected.length, problems.join('; '));
  });

  it('limits a flow to 250 actions', () => {
    const chain = (n: number) =>
      flowContent([
        ...Array.from({ length: n - 1 }, (_, i) =>
          step(`a${i}`, 'MessageParticipant', { Text: `${i}` }, i === n - 2 ? 'end' : `a${i + 1}`),
        ),
        endAction(),
      ]);
    assert.deepEqual(validateContent(chain(250), newInstance(), lenient), []);
    const problems = validateContent(chain(251), newInstance(), lenient);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /250/);
  });

  it('accepts unknown action types and branches left unconnected', () => {
    const content = flowContent([
      {
        ...step('new', 'SomeFutureAction', { Anything: { goes: true } }),
        Transitions: {
          NextAction: 'end',
          Errors: [{ NextAction: '', ErrorType: 'NoMatchingError' }],
        },
      },
      endAction(),
    ]);
    assert.deepEqual(validateContent(content, newInstance(), lenient), []);
  });

  it('requires a JSON object', () => {
    for (const content of ['', 'null', '[]', '"flow"', '{']) {
      assert.deepEqual(validateContent(content, newInstance(), lenient), [NOT_A_JSON_OBJECT]);
    }
  });

  it('resolves references against this instance only, by kind', () => {
    const instance = newInstance();
    const other = newInstance();
    const arn = (i: InstanceRecord, type: string, id: string) =>
      `arn:aws:connect:${i.Region}:${i.Account}:instance/${i.Id}/${type}/${id}`;
    const queue = idByName(instance.queues, 'BasicQueue');
    const hours = idByName(instance.hours, 'Basic Hours');
    const check = (parameters: Record<string, unknown>) =>
      validateContent(
        flowContent([step('s', 'UpdateContactTargetQueue', parameters), endAction()]),
        instance,
        lenient,
      );

    assert.deepEqual(check({ QueueId: arn(instance, 'queue', queue) }), []);
    assert.deepEqual(check({ QueueId: queue }), []);
    assert.deepEqual(check({ HoursOfOperationId: arn(instance, 'operating-hours', hours) }), []);
    const invalid = ['Invalid Action property value. Path: 0.Parameters.QueueId'];
    assert.deepEqual(
      check({ QueueId: arn(other, 'queue', idByName(other.queues, 'BasicQueue')) }),
      invalid,
    );
    assert.deepEqual(check({ QueueId: arn(other, 'queue', queue) }), invalid);
    const moved = { ...instance, Region: 'us-west-2' };
    assert.deepEqual(check({ QueueId: arn(moved, 'queue', queue) }), invalid);
    assert.deepEqual(check({ QueueId: arn(instance, 'operating-hours', hours) }), invalid);
    assert.deepEqual(check({ QueueId: hours }), invalid);
    assert.deepEqual(check({ QueueId: '${var.queues_map["Sales"]}' }), invalid);
    assert.deepEqual(check({ QueueId: '$.Attributes.queue' }), []);
  });

  it('checks Lambda and Lex only when asked, against the associations', () => {
    const instance = newInstance();
    const fn = 'arn:aws:lambda:eu-west-2:111122223333:function:lookup';
    const alias = 'arn:aws:lex:eu-west-2:111122223333:bot-alias/BOT1/ALIAS1';
    const content = flowContent([
      step('fn', 'InvokeLambdaFunction', { LambdaFunctionARN: `${fn}:live` }, 'lex'),
      step('lex', 'ConnectParticipantWithLexBot', { LexV2Bot: { AliasArn: alias } }, 'v1'),
      step('v1', 'ConnectParticipantWithLexBot', {
        LexBot: { Name: 'Orders', Region: 'eu-west-2' },
      }),
      endAction(),
    ]);
    const strict = { validateIntegrations: true };
    assert.deepEqual(validateContent(content, instance, lenient), []);
    assert.deepEqual(
      validateContent(content, instance, strict).map((p) => p.replace(/.*Path: /, '')),
      [
        '0.Parameters.LambdaFunctionARN',
        '1.Parameters.LexV2Bot.AliasArn',
        '2.Parameters.LexBot.Name',
      ],
    );
    instance.lambdaFunctions.push(fn);
    instance.lexV2Bots.push(alias);
    instance.lexBots.push({ Name: 'Orders', LexRegion: 'eu-west-2' });
    assert.deepEqual(validateContent(content, instance, strict), []);
  });

  it('lets module content carry Settings but requires an object there', () => {
    const instance = newInstance();
    const module = (settings: unknown) =>
      JSON.stringify({
        Version: '2019-10-30',
        StartAction: 'done',
        Actions: [
          { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
        ],
        Settings: settings,
      });
    assert.deepEqual(
      validateContent(module({ InputParameters: [] }), instance, lenient, 'module'),
      [],
    );
    assert.equal(validateContent(module('text'), instance, lenient, 'module').length, 1);
  });
});
