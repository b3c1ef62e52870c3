import { strict as assert } from 'node:assert';
import { createInstance } from '../../src/emulator/instances';
import { findResource, parseConnectArn, resolveConnectArn } from '../../src/emulator/lookup';
import { emptyState, resourceArn } from '../../src/emulator/model';

describe('emulator: lookup by id or ARN', () => {
  const state = emptyState();
  const instance = createInstance(state, { account: '111122223333', region: 'us-east-1' });
  const other = createInstance(state, { account: '111122223333', region: 'us-east-1' });
  const queueId = Object.keys(instance.queues)[0];
  const flowId = Object.keys(instance.flows)[0];

  it('parses every ARN shape, including agent queues and the instance itself', () => {
    assert.deepEqual(parseConnectArn(resourceArn(instance, 'agentQueue', 'u1')), {
      region: 'us-east-1',
      account: '111122223333',
      instanceId: instance.Id,
      kind: 'agentQueue',
      id: 'u1',
    });
    assert.equal(parseConnectArn(resourceArn(instance, 'hours', 'h1'))?.kind, 'hours');
    assert.equal(
      parseConnectArn(resourceArn(instance, 'quickConnect', 'q1'))?.kind,
      'quickConnect',
    );
    assert.equal(
      parseConnectArn(`arn:aws:connect:us-east-1:111122223333:instance/${instance.Id}`)?.kind,
      undefined,
    );
    assert.equal(parseConnectArn('arn:aws:lambda:us-east-1:111122223333:function:f'), undefined);
    assert.equal(
      parseConnectArn(`arn:aws:connect:us-east-1:111122223333:instance/${instance.Id}/widget/1`),
      undefined,
    );
  });

  it('finds by bare id, by ARN, and by qualified flow ARN; not across instances or kinds', () => {
    assert.equal(findResource(instance, 'queue', queueId)?.Name, 'BasicQueue');
    assert.equal(
      findResource(instance, 'queue', resourceArn(instance, 'queue', queueId))?.Id,
      queueId,
    );
    assert.equal(
      findResource(instance, 'flow', `${resourceArn(instance, 'flow', flowId)}:$SAVED`)?.Id,
      flowId,
    );
    assert.equal(findResource(other, 'queue', resourceArn(instance, 'queue', queueId)), undefined);
    assert.equal(
      findResource(instance, 'prompt', resourceArn(instance, 'queue', queueId)),
      undefined,
    );
    assert.equal(findResource(instance, 'queue', 'toString'), undefined);
  });

  it('resolves an ARN to its instance, kind and id', () => {
    const resolved = resolveConnectArn(state, resourceArn(instance, 'queue', queueId));
    assert.equal(resolved?.instance, instance);
    assert.equal(resolved?.kind, 'queue');
    assert.equal(resolved?.id, queueId);
    assert.equal(
      resolveConnectArn(state, `arn:aws:connect:us-east-1:111122223333:instance/${other.Id}`)?.kind,
      'instance',
    );
    assert.equal(resolveConnectArn(state, resourceArn(instance, 'queue', 'missing')), undefined);
    const wrongRegion = resourceArn(instance, 'queue', queueId).replace('us-east-1', 'eu-west-2');
    assert.equal(resolveConnectArn(state, wrongRegion), undefined);
  });
});
