import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeInstanceCommand, ListInstancesCommand } from '@aws-sdk/client-connect';
import {
  createClients,
  debugEnabled,
  type ClientOptions,
  type Clients,
} from '../../src/connect/clients';
import { DEV_ACCOUNT, PROD_ACCOUNT, startEmulator, type TestEmulator } from '../helpers/emulator';
import { NO_AWS_ENV, withEnv } from '../helpers/env';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import type { InstanceSummary } from '../../src/emulator/control-client';

const SECRET = 'emulator-secret-never-logged';
const KEY_ID = `AKIA${DEV_ACCOUNT}`;

describe('connect: createClients', () => {
  let emu: TestEmulator;
  let instance: InstanceSummary;
  const open: Clients[] = [];
  let tempDir: string;

  const clientsFor = (options: ClientOptions = {}) => {
    const clients = createClients({
      region: 'us-east-1',
      endpointUrl: emu.url,
      credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
      ...options,
    });
    open.push(clients);
    return clients;
  };

  before(async () => {
    emu = await startEmulator();
    tempDir = await mkdtemp(join(tmpdir(), 'connect-clients-'));
  });
  after(async () => {
    await emu.stop();
    await rm(tempDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await emu.control.reset();
    instance = await emu.control.createInstance({ Alias: 'dev' });
  });
  afterEach(() => {
    for (const clients of open.splice(0)) clients.close();
  });

  const describeInstance = (clients: Clients) =>
    clients.connect.send(new DescribeInstanceCommand({ InstanceId: instance.Id }));

  it('paces each operation in its own bucket: a busy one does not hold others', async () => {
    // A full bucket of 3, then one token every 200 ms.
    const clients = clientsFor({ quota: { default: { rate: 5, burst: 3 } } });
    const started = performance.now();
    const finished = (promise: Promise<unknown>) => promise.then(() => performance.now() - started);

    const describes = Promise.all(
      Array.from({ length: 6 }, () => finished(describeInstance(clients))),
    );
    const list = finished(clients.connect.send(new ListInstancesCommand({})));
    const [describeTimes, listTime] = await Promise.all([describes, list]);

    const slowest = Math.max(...describeTimes);
    assert.ok(slowest >= 590, `six describes took ${slowest} ms; three had to wait 200 ms each`);
    assert.ok(listTime < 400, `ListInstances waited ${listTime} ms behind DescribeInstance`);
    assert.equal(clients.stats()['connect:DescribeInstance'].attempts, 6);
  });

  it('keeps its bucket behind the service when the first call of an operation arrives late', async () => {
    // The first call reaches the service 90 ms after its token was taken (a new connection, the
    // first signing); the service's bucket starts refilling only then. A client that counted its
    // refill from the token would send the sixth call of a chain before the service had one.
    await emu.control.setThrottle({ enabled: true, default: { rate: 2, burst: 5 } });
    await emu.control.addFault({ operations: ['DescribeInstance'], delayMs: 90, count: 1 });
    const clients = clientsFor({ quota: { default: { rate: 2, burst: 5 } } });
    await emu.control.clearCalls();
    for (let i = 0; i < 6; i++) await describeInstance(clients);
    const statuses = (await emu.control.calls())
      .filter((c) => c.operation === 'DescribeInstance')
      .map((c) => c.status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
  });

  it('makes every retry wait for a token too', async () => {
    await emu.control.addFault({ operations: ['DescribeInstance'], status: 500, count: 2 });
    const clients = clientsFor({
      quota: { operations: { DescribeInstance: { rate: 4, burst: 2 } } },
    });
    const started = performance.now();
    await describeInstance(clients);
    const elapsed = performance.now() - started;

    const calls = (await emu.control.calls()).filter((c) => c.operation === 'DescribeInstance');
    assert.deepEqual(
      calls.map((c) => [c.attempt, c.status]),
      [
        [1, 500],
        [2, 500],
        [3, 200],
      ],
    );
    assert.equal(new Set(calls.map((c) => c.invocationId)).size, 1, 'one call, three attempts');
    assert.equal(clients.stats()['connect:DescribeInstance'].attempts, 3);
    // A server error backs off by at most 100 ms; the third attempt needs a token that only
    // comes 250 ms after the bucket of 2 was full.
    assert.ok(elapsed >= 240, `three attempts at 4 a second with a bucket of 2 took ${elapsed} ms`);
  });

  it('retries per call under its limiter, adaptively without; 10 attempts or AWS_MAX_ATTEMPTS', async () => {
    const clients = clientsFor();
    assert.equal(await clients.connect.config.maxAttempts(), 10);
    const modeOf = async (c: typeof clients) => {
      const mode = c.connect.config.retryMode;
      return typeof mode === 'string' ? mode : await mode();
    };
    // Adaptive mode's one client-wide rate would let a 429 on one operation slow all the others.
    assert.equal(await modeOf(clients), 'standard');
    assert.equal(await modeOf(clientsFor({ quota: false })), 'adaptive');

    await emu.control.addFault({ operations: ['DescribeInstance'], status: 500 });
    await withEnv({ AWS_MAX_ATTEMPTS: '2' }, () =>
      assert.rejects(describeInstance(clientsFor()), { name: 'InternalServiceException' }),
    );
    const calls = await emu.control.calls();
    assert.deepEqual(
      calls.map((c) => c.attempt),
      [1, 2],
    );
  });

  it('logs each attempt with operation, status and duration, and never a credential', async () => {
    await emu.control.addFault({ operations: ['DescribeInstance'], status: 500, count: 1 });
    const lines: string[] = [];
    const clients = clientsFor({ verbose: true, log: (line) => lines.push(line) });
    await describeInstance(clients);

    assert.equal(lines.length, 2);
    assert.match(lines[0], /connect:DescribeInstance attempt=1 status=500 \d+ms/);
    assert.match(lines[1], /connect:DescribeInstance attempt=2 status=200 \d+ms/);
    for (const line of lines) {
      assert.ok(!line.includes(SECRET) && !line.includes(KEY_ID), line);
    }
  });

  it('logs when DEBUG asks for connect-copy, and stays quiet otherwise', async () => {
    const lines: string[] = [];
    await withEnv({ DEBUG: 'connect-copy*' }, async () => {
      await describeInstance(clientsFor({ log: (line) => lines.push(line) }));
    });
    assert.equal(lines.length, 1);

    await withEnv({ DEBUG: 'express:*' }, async () => {
      await describeInstance(clientsFor({ log: (line) => lines.push(line) }));
    });
    assert.equal(lines.length, 1);
  });

  it('refuses a quota that could never let a call through, naming the operation', () => {
    assert.throws(
      () => createClients({ quota: { operations: { SearchQueues: { rate: 0, burst: 5 } } } }),
      (error: unknown) =>
        error instanceof ConnectCopyError &&
        error.exitCode === ExitCode.usage &&
        /SearchQueues/.test(error.message),
    );
  });

  it('matches DEBUG patterns as the debug package does', () => {
    assert.equal(debugEnabled('connect-copy*'), true);
    assert.equal(debugEnabled('*'), true);
    assert.equal(debugEnabled('foo,connect-copy:aws'), true);
    assert.equal(debugEnabled('connect-copy*,-connect-copy:aws'), false);
    assert.equal(debugEnabled('connect'), false);
    assert.equal(debugEnabled(undefined), false);
  });

  it('reads the endpoint from AWS_ENDPOINT_URL when none is given', async () => {
    await withEnv({ ...NO_AWS_ENV, AWS_ENDPOINT_URL: emu.url }, async () => {
      const clients = clientsFor({ endpointUrl: undefined });
      const { Instance } = await describeInstance(clients);
      assert.equal(Instance?.Id, instance.Id);
      assert.equal(clients.context.endpointUrl, emu.url);
    });
  });

  it('takes credentials and region from a named profile in the shared files', async () => {
    const prod = await emu.control.createInstance({
      Alias: 'prod',
      Account: PROD_ACCOUNT,
      Region: 'eu-west-2',
    });
    const credentials = join(tempDir, 'credentials');
    const config = join(tempDir, 'config');
    await writeFile(
      credentials,
      `[prod-admin]\naws_access_key_id = AKIA${PROD_ACCOUNT}\naws_secret_access_key = ${SECRET}\n`,
    );
    await writeFile(config, `[profile prod-admin]\nregion = eu-west-2\n`);
    await withEnv(
      {
        ...NO_AWS_ENV,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
        AWS_CONFIG_FILE: config,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      async () => {
        const clients = createClients({ profile: 'prod-admin', endpointUrl: emu.url });
        open.push(clients);
        const listed = await clients.connect.send(new ListInstancesCommand({}));
        // The emulator lists the caller's account and region only.
        assert.deepEqual(
          listed.InstanceSummaryList?.map((i) => i.Id),
          [prod.Id],
        );
        assert.equal(await clients.connect.config.region(), 'eu-west-2');
        assert.equal(clients.context.profile, 'prod-admin');
      },
    );
  });
});
