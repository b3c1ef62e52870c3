import { strict as assert } from 'node:assert';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import {
  ConnectClient,
  DescribeContactFlowCommand,
  ListContactFlowsCommand,
  ListQueuesCommand,
  ListRoutingProfilesCommand,
} from '@aws-sdk/client-connect';
import { corpusPath, FLOW_SETS, seedFolder } from '../helpers/fixtures';
import { repoRoot } from '../helpers/paths';

const run = promisify(execFile);

/**
 * The built binary, started as a user would, with the AWS CLI (an independent client) reading
 * what it serves.
 */
describe('connect-copy emulator (binary) and the AWS CLI', function () {
  this.timeout(120000);
  let child: ChildProcess;
  let url: string;
  let instance: { id: string; account: string; region: string };
  let folder: { dir: string; remove(): void };
  let work: string;
  let exited: Promise<number | null>;

  before(async () => {
    folder = seedFolder(FLOW_SETS['terraform-templater'].map(corpusPath));
    work = mkdtempSync(join(tmpdir(), 'connect-copy-emulator-'));
    child = spawn(
      process.execPath,
      [
        join(repoRoot(), 'bin', 'run.js'),
        'emulator',
        '--seed',
        folder.dir,
        '--state',
        join(work, 'state.json'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout! });
    const iterator = lines[Symbol.asyncIterator]();
    url = String((await iterator.next()).value);
    instance = JSON.parse(String((await iterator.next()).value));
  });

  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    folder.remove();
    rmSync(work, { recursive: true, force: true });
  });

  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', [...args, '--output', 'json'], {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: instance.region,
        AWS_CONFIG_FILE: join(work, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
      },
    });
    return JSON.parse(stdout || '{}');
  };

  const sdk = () =>
    new ConnectClient({
      region: instance.region,
      endpoint: url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

  it('prints its endpoint first, then the seeded instance', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual([instance.account, instance.region], ['637796036580', 'eu-west-2']);
  });

  it('serves list-instances and the flows with their original ARNs', async () => {
    const instances = await aws('connect', 'list-instances');
    assert.deepEqual(
      instances.InstanceSummaryList.map((i: { Id: string }) => i.Id),
      [instance.id],
    );

    const listed = await aws('connect', 'list-contact-flows', '--instance-id', instance.id);
    const fromSdk = await sdk().send(new ListContactFlowsCommand({ InstanceId: instance.id }));
    const names = (list: { Name?: string }[]) => list.map((f) => f.Name).sort();
    assert.deepEqual(names(listed.ContactFlowSummaryList), names(fromSdk.ContactFlowSummaryList!));
    const seeded = listed.ContactFlowSummaryList.find(
      (f: { Name: string }) => f.Name === 'agent_hold',
    );
    assert.ok(seeded, 'the exported flow is listed');

    const described = await aws(
      'connect',
      'describe-contact-flow',
      '--instance-id',
      instance.id,
      '--contact-flow-id',
      seeded.Id,
    );
    const original = JSON.parse(
      readFileSync(corpusPath(FLOW_SETS['terraform-templater'][0]), 'utf8'),
    );
    assert.deepEqual(JSON.parse(described.ContactFlow.Content), original);
    assert.match(
      described.ContactFlow.Content,
      /instance\/311bc0e2-a159-46e3-a12d-19216cb26568\/queue\//,
    );

    const viaSdk = await sdk().send(
      new DescribeContactFlowCommand({ InstanceId: instance.id, ContactFlowId: seeded.Id }),
    );
    assert.equal(described.ContactFlow.Content, viaSdk.ContactFlow!.Content);
    assert.equal(described.ContactFlow.Arn, viaSdk.ContactFlow!.Arn);
  });

  it('serves search-contact-flows with full objects', async () => {
    const found = await aws(
      'connect',
      'search-contact-flows',
      '--instance-id',
      instance.id,
      '--search-criteria',
      JSON.stringify({
        StringCondition: { FieldName: 'name', Value: 'agent_hold', ComparisonType: 'EXACT' },
      }),
    );
    assert.equal(found.ContactFlows.length, 1);
    assert.equal(found.ContactFlows[0].Name, 'agent_hold');
    assert.ok(found.ContactFlows[0].Content.includes('Version'));
  });

  it('creates a queue with the CLI that the SDK then lists', async () => {
    const hours = await aws('connect', 'list-hours-of-operations', '--instance-id', instance.id);
    const created = await aws(
      'connect',
      'create-queue',
      '--instance-id',
      instance.id,
      '--name',
      'Created by the CLI',
      '--hours-of-operation-id',
      hours.HoursOfOperationSummaryList[0].Id,
    );
    assert.match(created.QueueArn, new RegExp(`instance/${instance.id}/queue/${created.QueueId}$`));

    const standard = await aws(
      'connect',
      'list-queues',
      '--instance-id',
      instance.id,
      '--queue-types',
      'STANDARD',
    );
    const fromSdk = await sdk().send(
      new ListQueuesCommand({ InstanceId: instance.id, QueueTypes: ['STANDARD'] }),
    );
    const ids = (list: { Id?: string }[]) => list.map((q) => q.Id).sort();
    assert.deepEqual(ids(standard.QueueSummaryList), ids(fromSdk.QueueSummaryList!));
    assert.ok(
      standard.QueueSummaryList.some((q: { Name: string }) => q.Name === 'Created by the CLI'),
    );
  });

  it('serves list-routing-profile-queues and lambda list-functions', async () => {
    const profiles = await sdk().send(new ListRoutingProfilesCommand({ InstanceId: instance.id }));
    const basic = profiles.RoutingProfileSummaryList!.find(
      (p) => p.Name === 'Basic Routing Profile',
    );
    const queues = await aws(
      'connect',
      'list-routing-profile-queues',
      '--instance-id',
      instance.id,
      '--routing-profile-id',
      basic!.Id!,
    );
    assert.deepEqual(
      queues.RoutingProfileQueueConfigSummaryList.map(
        (q: { QueueName: string; Channel: string }) => [q.QueueName, q.Channel],
      ),
      [['BasicQueue', 'VOICE']],
    );

    const functions = await aws('lambda', 'list-functions');
    assert.deepEqual(
      functions.Functions.map((f: { FunctionArn: string }) => f.FunctionArn),
      ['arn:aws:lambda:eu-west-2:637796036580:function:sample-connect-function'],
    );
  });

  it('saves its state on SIGTERM and exits cleanly', async () => {
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const state = JSON.parse(readFileSync(join(work, 'state.json'), 'utf8'));
    assert.ok(state.instances[instance.id], 'the seeded instance is in the saved state');
    assert.ok(
      Object.values(state.instances[instance.id].queues).some(
        (q) => (q as { Name?: string }).Name === 'Created by the CLI',
      ),
    );
    assert.ok(!existsSync(join(work, `state.json.${child.pid}.tmp`)));
  });
});
