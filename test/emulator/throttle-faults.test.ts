import { strict as assert } from 'node:assert';
import {
  ConnectClient,
  CreateQueueCommand,
  DescribeQueueCommand,
  InternalServiceException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { DEV_ACCOUNT, PROD_ACCOUNT, until } from '../helpers/emulator';
import { createInstanceFixture, useEmulator } from './fixtures';

describe('emulator: throttling and injected faults', () => {
  const t = useEmulator();
  /** A client set up the way the CLI sets itself up for bulk work. */
  const client = (maxAttempts: number, account = DEV_ACCOUNT) =>
    new ConnectClient({
      region: 'us-east-1',
      endpoint: t.emu.url,
      credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'emulator-secret' },
      maxAttempts,
      retryMode: 'adaptive',
    });
  const describeBasic = (
    c: ConnectClient,
    instanceId = t.fx.instanceId,
    queueId = t.fx.basicQueueId,
  ) => c.send(new DescribeQueueCommand({ InstanceId: instanceId, QueueId: queueId }));
  const createQueue = (c: ConnectClient, Name: string) =>
    c.send(
      new CreateQueueCommand({
        InstanceId: t.fx.instanceId,
        Name,
        HoursOfOperationId: t.fx.basicHoursId,
      }),
    );

  it('completes a burst over 2/s through adaptive retries; 429s on the wire', async function () {
    this.timeout(30000);
    await t.emu.control.setThrottle({ enabled: true, default: { rate: 2, burst: 5 } });
    await t.emu.control.clearCalls();
    const c = client(10);
    const results = await Promise.all(Array.from({ length: 12 }, () => describeBasic(c)));
    assert.ok(results.every((r) => r.Queue?.Name === 'BasicQueue'));

    const calls = (await t.emu.control.calls()).filter((r) => r.operation === 'DescribeQueue');
    const throttled = calls.filter((r) => r.status === 429);
    assert.ok(throttled.length > 0, 'some answers were 429');
    assert.ok(throttled.every((r) => r.errorCode === 'ThrottlingException'));
    assert.ok(
      calls.some((r) => r.status === 200 && r.attempt > 1),
      'a retry succeeded',
    );
    assert.equal(calls.filter((r) => r.status === 200).length, 12);
  });

  it('surfaces ThrottlingException when the client may not retry', async () => {
    await t.emu.control.setThrottle({ enabled: true, default: { rate: 0.01, burst: 1 } });
    const c = client(1);
    await describeBasic(c);
    await assert.rejects(describeBasic(c), ThrottlingException);
  });

  it('keeps a separate bucket per account', async () => {
    const prod = await createInstanceFixture(t.emu, PROD_ACCOUNT);
    await t.emu.control.setThrottle({ enabled: true, default: { rate: 0.01, burst: 1 } });
    const dev = client(1);
    await describeBasic(dev);
    await assert.rejects(describeBasic(dev), ThrottlingException);
    const result = await describeBasic(client(1, PROD_ACCOUNT), prod.instanceId, prod.basicQueueId);
    assert.equal(result.Queue?.Name, 'BasicQueue');
  });

  it('absorbs a one-shot 500 through the SDK retry', async () => {
    await t.emu.control.addFault({ operations: ['CreateQueue'], count: 1, status: 500 });
    await t.emu.control.clearCalls();
    const { QueueId } = await createQueue(client(3), 'After a fault');
    assert.ok(QueueId);
    const calls = (await t.emu.control.calls()).filter((r) => r.operation === 'CreateQueue');
    assert.deepEqual(
      calls.map((r) => [r.attempt, r.status]),
      [
        [1, 500],
        [2, 200],
      ],
    );
    assert.equal(calls[0].invocationId, calls[1].invocationId);
  });

  it('surfaces a persistent fault as InternalServiceException until it is cleared', async () => {
    await t.emu.control.addFault({ operations: ['CreateQueue'], status: 500 });
    await assert.rejects(createQueue(client(2), 'Never'), InternalServiceException);
    await assert.rejects(createQueue(client(2), 'Never again'), InternalServiceException);
    await t.emu.control.clearFaults();
    assert.ok((await createQueue(client(2), 'Finally')).QueueId);
  });

  it('delays a call by delayMs and then answers it', async () => {
    await t.emu.control.addFault({ operations: ['DescribeQueue'], count: 1, delayMs: 300 });
    const started = Date.now();
    const result = await describeBasic(client(1));
    assert.ok(Date.now() - started >= 300);
    assert.equal(result.Queue?.Name, 'BasicQueue');
    const quick = Date.now();
    await describeBasic(client(1));
    assert.ok(Date.now() - quick < 300, 'only the one call was delayed');
  });

  const untilHeld = (id: number, count: number) =>
    until(`the hold keeps ${count} calls waiting`, async () => {
      return (await t.emu.control.faults()).find((f) => f.id === id)?.held === count;
    });

  it('holds calls until released, answering other operations meanwhile', async () => {
    const { Id } = await t.emu.control.addFault({ operations: ['CreateQueue'], hold: true });
    const settled: string[] = [];
    const held = ['Held 1', 'Held 2'].map(async (name) => {
      const out = await createQueue(client(1), name);
      settled.push(name);
      return out;
    });
    await untilHeld(Id, 2);
    assert.equal((await describeBasic(client(1))).Queue?.Name, 'BasicQueue');
    assert.deepEqual(settled, []);

    assert.equal(await t.emu.control.releaseFaults(Id), 2);
    const created = await Promise.all(held);
    assert.ok(created.every((out) => out.QueueId));
    assert.deepEqual(await t.emu.control.faults(), [], 'a released hold is gone');
    assert.ok((await createQueue(client(1), 'Not held')).QueueId);
  });

  it('lets held calls go when the faults are cleared, failing them if a status is set', async () => {
    const { Id } = await t.emu.control.addFault({
      operations: ['CreateQueue'],
      hold: true,
      status: 500,
    });
    const held = assert.rejects(
      createQueue(client(1), 'Held then failed'),
      InternalServiceException,
    );
    await untilHeld(Id, 1);
    await t.emu.control.clearFaults();
    await held;
  });
});
