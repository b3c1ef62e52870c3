import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  DescribeContactFlowCommand,
  UpdateContactFlowContentCommand,
} from '@aws-sdk/client-connect';
import { TestEmulator } from '../helpers/emulator';
import { endAction, flowContent, patchInstance, step } from '../helpers/flows';
import { makeRepo, pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import {
  DEV,
  PROD,
  copyAndPush,
  credentialsFor,
  exportOf,
  fileByName,
  idOf,
  seedSpecs,
  rejection,
} from './setup';

describe('field reports: pull', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let repo: TestRepo;

  // A reset clears faults and pagination quirks too.
  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  describe('field report #12: an invalid or unknown instance fails fast with a clear message', () => {
    for (const [label, instance] of [
      ['an unknown id', randomUUID()],
      [
        'an ARN of an instance that does not exist',
        `arn:aws:connect:us-east-1:${DEV.account}:instance/${randomUUID()}`,
      ],
      ['a malformed ARN', `arn:aws:connect:us-east-1:${DEV.account}:instance/not-an-id`],
    ]) {
      it(`stops at once on ${label}, naming it, with a non-zero exit code`, async () => {
        await emu.control.createInstance({ Account: DEV.account, Region: 'us-east-1' });
        const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
        const started = Date.now();
        const error = await rejection(
          pullFrom(emu, repo, 'dev', { Id: instance, Account: DEV.account, Region: 'us-east-1' }),
        );
        assert.ok(Date.now() - started < 5000, 'no hang');
        assert.notEqual(error.exitCode, 0);
        assert.ok(
          error.message.includes(instance) || error.message.includes('not-an-id'),
          error.message,
        );
        const calls = (await emu.control.calls(before)).filter((c) => c.service !== 'control');
        assert.ok(calls.length <= 3, `${calls.length} calls: ${calls.map((c) => c.operation)}`);
        assert.equal(await repo.store.branchExists('env/dev'), false);
      });
    }
  });

  describe('field report #14: transient 500s are retried; a persistent one is reported', () => {
    it('pulls through one 500 on a describe, and names what failed when it persists', async () => {
      const dev = await seedSpecs(
        emu,
        ['Alpha', 'Beta'].map((name) => ({ name, actions: [endAction()] })),
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      // Search results without content, so each flow is described.
      await emu.control.setOptions({ searchReturnsContent: false });
      try {
        await emu.control.addFault({ operations: ['DescribeContactFlow'], count: 1, status: 500 });
        const before = (await emu.control.calls()).at(-1)?.seq ?? 0;
        const pulled = await pullFrom(emu, repo, 'dev', dev);
        const failed = (await emu.control.calls(before)).filter((c) => c.status === 500);
        assert.equal(failed.length, 1);
        assert.ok(pulled.commit);
        await fileByName(repo, 'env/dev', 'flows', 'Alpha');
        await fileByName(repo, 'env/dev', 'flows', 'Beta');

        await emu.connect(DEV.account).send(
          new UpdateContactFlowContentCommand({
            InstanceId: dev.Id,
            ContactFlowId: (await idOf(repo, 'env/dev', 'flow', 'Alpha')).id,
            Content: flowContent([endAction('changed')]),
          }),
        );
        await emu.control.addFault({ operations: ['DescribeContactFlow'], status: 500 });
        const head = await repo.store.resolveRef('env/dev');
        const error = await rejection(
          pullFrom(emu, repo, 'dev', dev, {
            again: true,
            clientOptions: { ...credentialsFor(DEV.account), maxAttempts: 2 },
          }),
        );
        assert.match(error.message, /DescribeContactFlow/);
        assert.match(error.message, /Alpha|Beta/);
        assert.notEqual(error.exitCode, 0);
        // The design keeps a pull whole: nothing is committed from a partial read.
        assert.equal(await repo.store.resolveRef('env/dev'), head);
      } finally {
        await emu.control.clearFaults();
        await emu.control.setOptions({ searchReturnsContent: true });
      }
    });
  });

  describe('field report #17: a one-block edit is a small diff of the flow file', () => {
    it('changes one line of the pretty, key-sorted file when one block parameter changes', async () => {
      const actions = [
        step('greet', 'MessageParticipant', { Text: 'Welcome' }, 'attrs'),
        step('attrs', 'UpdateContactAttributes', { Attributes: { b: '2', a: '1' } }, 'bye'),
        step('bye', 'MessageParticipant', { Text: 'Goodbye' }),
        endAction(),
      ];
      const dev = await seedSpecs(emu, [{ name: 'Menu', actions }], {
        alias: 'dev',
        account: DEV.account,
        region: DEV.region,
      });
      const first = await pullFrom(emu, repo, 'dev', dev);
      const file = await fileByName(repo, 'env/dev', 'flows', 'Menu');
      const text = (await repo.store.readFile(first.commit!, file.path))!;
      // Parsed, pretty, keys sorted: `a` before `b` whatever the console sent.
      assert.match(text, /"a": "1",\s+"b": "2"/);

      const edited = actions.map((a) =>
        a.Identifier === 'bye' ? { ...a, Parameters: { Text: 'See you soon' } } : a,
      );
      await emu.connect(DEV.account).send(
        new UpdateContactFlowContentCommand({
          InstanceId: dev.Id,
          ContactFlowId: (await idOf(repo, 'env/dev', 'flow', 'Menu')).id,
          // The same export with one block changed, as the designer saves it.
          Content: JSON.stringify(exportOf({ name: 'Menu', actions: edited })),
        }),
      );
      const second = await pullFrom(emu, repo, 'dev', dev, { again: true });
      const changes = await repo.store.diffTrees(first.commit!, second.commit!);
      assert.deepEqual(
        changes.map((c) => c.path),
        [file.path],
      );
      const before = text.split('\n');
      const after = (await repo.store.readFile(second.commit!, file.path))!.split('\n');
      assert.equal(before.length, after.length);
      const differing = before.filter((line, i) => line !== after[i]);
      assert.deepEqual(
        differing.map((l) => l.trim()),
        ['"Parameters": { "Text": "Goodbye" },'],
      );
    });
  });

  describe('field report #20: a brand-new instance pulls to a stable tree', () => {
    it('commits the default resources once; a second pull and a fresh repository agree', async () => {
      const fresh = await emu.control.createInstance({ Account: DEV.account, Region: 'us-east-1' });
      const first = await pullFrom(emu, repo, 'dev', fresh);
      assert.ok(first.commit);
      assert.ok(first.counts.flows > 0 && first.counts.queues > 0 && first.counts.hours > 0);
      const second = await pullFrom(emu, repo, 'dev', fresh, { again: true });
      assert.equal(second.commit, undefined);
      assert.deepEqual(second.changed, []);

      const other = await makeRepo();
      try {
        await pullFrom(emu, other, 'dev', fresh);
        assert.deepEqual(
          await other.store.readBranchFiles('env/dev'),
          await repo.store.readBranchFiles('env/dev'),
        );
      } finally {
        other.remove();
      }
    });
  });

  describe('field report #24: a bare instance id in content is rewritten, look-alike digits are not', () => {
    it("puts prod's instance id where dev's stood bare, and leaves account-like text alone", async () => {
      const devId = '0a0a0a0a-1111-4222-8333-444455556666';
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Custom bot',
            actions: [
              step('attrs', 'UpdateContactAttributes', {
                Attributes: {
                  instanceId: devId,
                  ccp: `https://example.my.connect.aws/ccp-v2/${devId}/softphone`,
                  support: `Call ${DEV.account} or 1${DEV.account}9, ref ${DEV.account.slice(0, 8)}`,
                },
                TargetContact: 'Current',
              }),
              endAction(),
            ],
          },
        ],
        { id: devId, alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
      });
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
      await copyAndPush(repo, prod);

      const { id } = await idOf(repo, 'env/prod', 'flow', 'Custom bot');
      const flow = await emu
        .connect(PROD.account)
        .send(new DescribeContactFlowCommand({ InstanceId: prod.Id, ContactFlowId: id }));
      const attrs = (
        JSON.parse(flow.ContactFlow!.Content!) as {
          Actions: { Parameters: { Attributes?: Record<string, string> } }[];
        }
      ).Actions[0].Parameters.Attributes!;
      assert.deepEqual(attrs, {
        instanceId: prod.Id,
        ccp: `https://example.my.connect.aws/ccp-v2/${prod.Id}/softphone`,
        support: `Call ${DEV.account} or 1${DEV.account}9, ref ${DEV.account.slice(0, 8)}`,
      });
    });
  });

  describe('field report #25: pull follows every page, however small the pages', () => {
    it('sees all 250 queues and 250 flows at 7 items a page', async () => {
      const created = await emu.control.createInstance({
        Account: DEV.account,
        Region: 'us-east-1',
      });
      await patchInstance(emu, created.Id, (instance) => {
        const now = Date.now() / 1000;
        const hoursId = Object.values(instance.hours)[0].Id;
        for (let i = 0; i < 250; i++) {
          const queue = randomUUID();
          instance.queues[queue] = {
            Id: queue,
            Name: `Paged queue ${i}`,
            QueueType: 'STANDARD',
            HoursOfOperationId: hoursId,
            Status: 'ENABLED',
            QuickConnectIds: [],
            Tags: {},
            LastModifiedTime: now,
          };
          const flow = randomUUID();
          instance.flows[flow] = {
            Id: flow,
            Name: `Paged flow ${i}`,
            Type: 'CONTACT_FLOW',
            State: 'ACTIVE',
            Status: 'PUBLISHED',
            Content: flowContent([endAction()]),
            Tags: {},
            LastModifiedTime: now,
          };
        }
      });
      await emu.control.setOptions({ pagination: { shortPages: 7, shuffle: false } });
      const pulled = await pullFrom(emu, repo, 'dev', created);
      const files = [...(await repo.store.readBranchFiles('env/dev')).entries()];
      const named = (folder: string, prefix: string) =>
        files.filter(
          ([path, text]) =>
            path.startsWith(`${folder}/`) &&
            (JSON.parse(text) as { Name: string }).Name.startsWith(prefix),
        ).length;
      assert.equal(named('queues', 'Paged queue '), 250);
      assert.equal(named('flows', 'Paged flow '), 250);
      // Small pages really were served: far more than the 3 calls 100-item pages would take.
      assert.ok(
        (pulled.calls['connect:SearchContactFlows'] ?? 0) >= 250 / 7,
        JSON.stringify(pulled.calls),
      );
    });
  });
});
