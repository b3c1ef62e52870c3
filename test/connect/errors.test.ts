import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClients, type ClientOptions, type Clients } from '../../src/connect/clients';
import { readInstance, type InstanceRef } from '../../src/connect/reader';
import { translateError } from '../../src/connect/errors';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { DEV_ACCOUNT, startEmulator, type TestEmulator } from '../helpers/emulator';
import { NO_AWS_ENV, withEnv } from '../helpers/env';
import type { InstanceSummary } from '../../src/emulator/control-client';

const PROFILE = 'dev-admin';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connect: errors reading an instance', () => {
  let emu: TestEmulator;
  let instance: InstanceSummary;
  let tempDir: string;
  const open: Clients[] = [];

  const clientsFor = (options: ClientOptions = {}) => {
    const clients = createClients({
      region: 'us-east-1',
      profile: PROFILE,
      endpointUrl: emu.url,
      credentials: { accessKeyId: `AKIA${DEV_ACCOUNT}`, secretAccessKey: 'emulator-secret' },
      quota: { default: { rate: 1000, burst: 1000 } },
      ...options,
    });
    open.push(clients);
    return clients;
  };

  /** The read's failure, which must be a ConnectCopyError. */
  async function failure(clients: Clients, ref: InstanceRef): Promise<ConnectCopyError> {
    try {
      await readInstance(clients, ref);
    } catch (error) {
      assert.ok(error instanceof ConnectCopyError, `not a ConnectCopyError: ${String(error)}`);
      return error;
    }
    assert.fail('the read succeeded');
  }

  before(async () => {
    emu = await startEmulator();
    tempDir = await mkdtemp(join(tmpdir(), 'connect-errors-'));
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

  it('names an unknown instance id, the region and the profile', async () => {
    const missing = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
    const error = await failure(clientsFor(), { instance: missing, region: 'us-east-1' });
    assert.equal(error.code, 'AWS_INSTANCE_NOT_FOUND');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, new RegExp(`instance ${missing} not found in region us-east-1`));
    assert.match(error.message, /profile dev-admin/);
    assert.ok(
      error.suggestions.some((s) =>
        s.includes('aws connect list-instances --region us-east-1 --profile dev-admin'),
      ),
    );
  });

  it('names an unknown alias', async () => {
    const error = await failure(clientsFor(), { instance: 'nope', region: 'us-east-1' });
    assert.equal(error.code, 'AWS_INSTANCE_NOT_FOUND');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(
      error.message,
      /instance nope not found in region us-east-1 \(profile dev-admin\)/,
    );
  });

  it('says where it looked when the instance lives in another region', async () => {
    const clients = clientsFor({ region: 'eu-west-2' });
    const error = await failure(clients, { instance: 'dev', region: 'eu-west-2' });
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, /instance dev not found in region eu-west-2/);
    assert.ok(error.suggestions.some((s) => s.includes('--region')));

    const byId = await failure(clients, { instance: instance.Id, region: 'eu-west-2' });
    assert.equal(byId.code, 'AWS_INSTANCE_NOT_FOUND');
    assert.match(byId.message, new RegExp(`instance ${instance.Id} not found in region eu-west-2`));

    const byArn = await failure(clients, { instance: instance.Arn, region: 'eu-west-2' });
    assert.equal(byArn.code, 'INSTANCE_REGION_MISMATCH');
    assert.match(byArn.message, /us-east-1/);
  });

  it('names the IAM action, profile and region when access is denied', async () => {
    await emu.control.addFault({
      operations: ['SearchQueues'],
      status: 403,
      code: 'AccessDeniedException',
      message: 'User is not authorized to perform: connect:SearchQueues',
    });
    const error = await failure(clientsFor(), { instance: 'dev', region: 'us-east-1' });
    assert.equal(error.code, 'AWS_ACCESS_DENIED');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, /connect:SearchQueues/);
    assert.match(error.message, /region us-east-1/);
    assert.match(error.message, /profile dev-admin/);
    assert.equal(error.data.action, 'connect:SearchQueues');
    assert.ok(error.suggestions.some((s) => s.includes('docs/iam.md')));
  });

  it('says so when throttling outlasts the retries, and suggests a lower rate', async () => {
    await emu.control.addFault({ operations: ['SearchPrompts'], status: 429 });
    const error = await failure(clientsFor({ maxAttempts: 2 }), {
      instance: 'dev',
      region: 'us-east-1',
    });
    assert.equal(error.code, 'AWS_THROTTLED');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, /connect:SearchPrompts was still throttled .* after 2 attempts/);
    assert.ok(
      error.suggestions.some((s) => /"quota": \{ "operations": \{ "SearchPrompts"/.test(s)),
    );
    const attempts = (await emu.control.calls()).filter((c) => c.operation === 'SearchPrompts');
    assert.equal(attempts.length, 2);
  });

  it('names the endpoint it could not reach', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await failure(clientsFor({ endpointUrl: endpoint, maxAttempts: 2 }), {
      instance: 'dev',
      region: 'us-east-1',
    });
    assert.equal(error.code, 'AWS_UNREACHABLE');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, new RegExp(`Could not reach ${endpoint} \\(ECONNREFUSED\\)`));
    assert.match(error.message, /connect:ListInstances/);
  });

  it('explains the credential chain when no credentials are found', async () => {
    const none = join(tempDir, 'absent');
    const error = await withEnv(
      {
        ...NO_AWS_ENV,
        AWS_SHARED_CREDENTIALS_FILE: none,
        AWS_CONFIG_FILE: none,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      () =>
        failure(clientsFor({ profile: 'ghost', credentials: undefined }), {
          instance: 'dev',
          region: 'us-east-1',
        }),
    );
    assert.equal(error.code, 'AWS_NO_CREDENTIALS');
    assert.equal(error.exitCode, ExitCode.aws);
    assert.match(error.message, /profile ghost/);
    assert.match(error.message, /credential chain/);
    assert.match(error.message, /--profile/);
    assert.deepEqual(await emu.control.calls(), [], 'nothing was sent without credentials');
  });

  it('names the Lambda action when Lambda denies access', async () => {
    await emu.control.addFault({ operations: ['GetFunction'], status: 403 });
    const clients = clientsFor();
    const failed = await clients.lambda
      .send(new GetFunctionCommand({ FunctionName: 'dev-lookup' }))
      .then(
        () => undefined,
        (error: unknown) => translateError(error, clients.context),
      );
    assert.ok(failed instanceof ConnectCopyError);
    assert.equal(failed.code, 'AWS_ACCESS_DENIED');
    assert.match(failed.message, /lambda:GetFunction/);
  });

  it('tells rejected credentials apart from a denied action', async () => {
    await emu.control.addFault({
      operations: ['ListInstances'],
      status: 403,
      code: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const error = await failure(clientsFor(), { instance: 'dev', region: 'us-east-1' });
    assert.equal(error.code, 'AWS_INVALID_CREDENTIALS');
    assert.equal(error.exitCode, ExitCode.aws);
  });
});
