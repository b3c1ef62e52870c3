import { strict as assert } from 'node:assert';
import { buildMapping, MappingIndex } from '../../src/core/mapping';
import {
  portableLambdaName,
  portableName,
  realLambdaName,
  realName,
  type NamingRules,
} from '../../src/core/naming';
import type { Warning } from '../../src/core/warnings';
import { DEV, rawInstance } from '../helpers/raw-instance';

const RULES: NamingRules = {
  lambda: { prefix: 'dev-', suffix: '-fn' },
  lex: { prefix: 'Dev', suffix: '' },
};

describe('core/naming', () => {
  it('removes the prefix and suffix only when both are there', () => {
    assert.equal(portableName('dev-lookup-fn', RULES.lambda), 'lookup');
    assert.equal(portableName('dev-lookup', RULES.lambda), 'dev-lookup');
    assert.equal(portableName('lookup-fn', RULES.lambda), 'lookup-fn');
    assert.equal(portableName('dev--fn', RULES.lambda), 'dev--fn');
    assert.equal(realName('lookup', RULES.lambda), 'dev-lookup-fn');
  });

  it('lets an override name a function that does not follow the rule', () => {
    const overrides = { lookup: 'LegacyLookup' };
    assert.equal(portableLambdaName('LegacyLookup', RULES, overrides), 'lookup');
    assert.equal(realLambdaName('lookup', RULES, overrides), 'LegacyLookup');
    assert.equal(realLambdaName('other', RULES, overrides), 'dev-other-fn');
  });
});

describe('core/mapping', () => {
  it('maps every resource of the instance by kind and name, with id and ARN lookups', () => {
    const raw = rawInstance(DEV);
    const mapping = buildMapping(raw, 'dev', {
      lambda: { prefix: 'dev-', suffix: '' },
      lex: { prefix: '', suffix: '' },
    });
    const index = new MappingIndex(mapping);

    const sales = raw.queues[0].queue;
    assert.deepEqual(index.byId(sales.QueueId!), { kind: 'queue', name: 'Sales' });
    assert.deepEqual(index.byArn(sales.QueueArn!), { kind: 'queue', name: 'Sales' });
    assert.equal(index.entry('queue', 'Sales')?.id, sales.QueueId);

    const bob = raw.users.find((u) => u.Username === 'bob')!;
    // An agent's queue shares the user's id; a bare id means the agent.
    assert.deepEqual(index.byId(bob.Id!), { kind: 'agent', name: 'bob' });
    assert.deepEqual(index.byArn(`${raw.instance.arn}/queue/agent/${bob.Id}`), {
      kind: 'agent-queue',
      name: 'bob',
    });
    assert.deepEqual(Object.keys(mapping.resources.lambda ?? {}), ['lookup']);
    assert.deepEqual(Object.keys(mapping.resources['lex-v2-alias'] ?? {}), ['Orders/TestBotAlias']);
    for (const kind of ['flow', 'module', 'hours', 'prompt', 'routing-profile', 'quick-connect']) {
      assert.ok(Object.keys(mapping.resources[kind as 'flow'] ?? {}).length > 0, kind);
    }
  });

  it('keeps duplicate and missing names apart and reports them', () => {
    const raw = rawInstance(DEV);
    raw.queues[1].queue.Name = 'Sales';
    raw.agentQueues.push({
      Id: 'no-such-user',
      Arn: `${raw.instance.arn}/queue/agent/no-such-user`,
    });
    raw.lexBots = [
      { name: 'DevOrders', region: 'us-east-1' },
      { name: 'DevOrders', region: 'us-west-2' },
    ];
    const warnings: Warning[] = [];
    const mapping = buildMapping(raw, 'dev', RULES, warnings);

    const queues = mapping.resources.queue ?? {};
    assert.equal(Object.keys(queues).length, 2);
    assert.ok(queues.Sales);
    assert.ok(Object.keys(queues).some((n) => n.startsWith('Sales [')));
    assert.ok(mapping.resources['agent-queue']?.['[no-such-user]']);
    assert.deepEqual(mapping.resources['lex-bot'], {
      Orders: { name: 'DevOrders', region: 'us-east-1' },
    });
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['duplicate-name', 'missing-name', 'duplicate-name'],
    );
  });
});
