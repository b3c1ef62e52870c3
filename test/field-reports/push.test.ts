import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import {
  CreatePromptCommand,
  DescribeContactFlowCommand,
  ListContactFlowsCommand,
  UpdateContactFlowContentCommand,
} from '@aws-sdk/client-connect';
import { TestEmulator } from '../helpers/emulator';
import { endAction, flowContent, step } from '../helpers/flows';
import { pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { validateAction } from '../../src/actions/compare';
import { copyAction } from '../../src/actions/copy';
import { journalPath } from '../../src/store/journal';
import {
  DEV,
  PROD,
  copyAndPush,
  credentialsFor,
  fileByName,
  idOf,
  lastSeq,
  push,
  seedSpecs,
  startRecordingProxy,
  rejection,
} from './setup';

type Body = Record<string, unknown>;
type Doc = { Actions: { Identifier: string; Type: string; Parameters: Body }[] };
const DEV_ID = '0a0a0a0a-1111-4222-8333-444455556666';
const devArn = (rest: string, region = DEV.region) =>
  `arn:aws:connect:${region}:${DEV.account}:instance/${DEV_ID}/${rest}`;
const uuid = (n: number) => `c0c0c0c0-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('field reports: copy and push', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let repo: TestRepo;

  // A reset clears faults and pagination quirks too.
  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  const empty = (account: string, alias: string, region = 'us-east-1') =>
    seedSpecs(emu, [], { alias, account, region });

  async function flowDoc(account: string, instanceId: string, id: string, region?: string) {
    const flow = await emu
      .connect(account, region)
      .send(new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: id }));
    return { flow: flow.ContactFlow!, doc: JSON.parse(flow.ContactFlow!.Content!) as Doc };
  }

  describe('field report #9: a cross-region copy rewrites every Connect ARN and blocks on what is missing', () => {
    it('lists the missing prompt by name and writes nothing, then pushes with us-west-2 ARNs', async () => {
      const [queue, welcome, goodbye, next] = [uuid(1), uuid(2), uuid(3), uuid(4)];
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Regional',
            actions: [
              step('hello', 'MessageParticipant', { PromptId: devArn(`prompt/${welcome}`) }, 'bye'),
              step('bye', 'MessageParticipant', { PromptId: devArn(`prompt/${goodbye}`) }, 'queue'),
              step(
                'queue',
                'UpdateContactTargetQueue',
                { QueueId: devArn(`queue/${queue}`) },
                'go',
              ),
              step('go', 'TransferToFlow', { ContactFlowId: devArn(`contact-flow/${next}`) }),
              endAction(),
            ],
          },
        ],
        {
          id: DEV_ID,
          alias: 'dev',
          account: DEV.account,
          region: DEV.region,
          names: { [queue]: 'Sales', [welcome]: 'Welcome', [goodbye]: 'Goodbye', [next]: 'Next' },
        },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod-west',
        account: DEV.account,
        region: 'us-west-2',
        resources: { prompts: ['Welcome'] },
      });
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);

      const before = await lastSeq(emu);
      const blocked = await rejection(copyAndPush(repo, prod));
      assert.equal(blocked.code, 'UNRESOLVED_REFERENCES');
      const unresolved = blocked.data.unresolved as { token: string; file: string }[];
      assert.deepEqual(
        unresolved.map((u) => u.token),
        ['{{cc:arn:prompt:Goodbye}}'],
      );
      const writes = (await emu.control.calls(before)).filter((c) => c.write);
      assert.deepEqual(
        writes.map((w) => w.operation),
        [],
      );
      const invalid = await rejection(validateAction({ cwd: repo.dir, environment: 'prod' }));
      assert.equal(invalid.code, 'VALIDATION_FAILED');
      assert.match(invalid.message, /Goodbye/);

      await emu.connect(DEV.account, 'us-west-2').send(
        new CreatePromptCommand({
          InstanceId: prod.Id,
          Name: 'Goodbye',
          S3Uri: 's3://prompts-west/goodbye.wav',
        }),
      );
      await pullFrom(emu, repo, 'prod', prod, { again: true });
      await copyAndPush(repo, prod);
      const id = (await idOf(repo, 'env/prod', 'flow', 'Regional')).id!;
      const { flow } = await flowDoc(DEV.account, prod.Id, id, 'us-west-2');
      const arns = flow.Content!.match(/arn:aws:connect:[^"]+/g) ?? [];
      assert.equal(arns.length, 4);
      for (const arn of arns)
        assert.ok(
          arn.startsWith(`arn:aws:connect:us-west-2:${DEV.account}:instance/${prod.Id}/`),
          arn,
        );
    });
  });

  describe('field report #13: a quota error is not retried; push stops per resource and resumes', () => {
    for (const [status, code] of [
      [402, 'ServiceQuotaExceededException'],
      [429, 'LimitExceededException'],
    ] as const) {
      it(`stops at ${code} after one attempt, keeps the journal, and a rerun finishes`, async () => {
        const dev = await seedSpecs(
          emu,
          ['One', 'Two', 'Three'].map((name) => ({ name, actions: [endAction()] })),
          { alias: 'dev', account: DEV.account, region: DEV.region },
        );
        const prod = await empty(PROD.account, 'prod');
        await pullFrom(emu, repo, 'dev', dev);
        await pullFrom(emu, repo, 'prod', prod);
        await emu.control.addFault({ operations: ['CreateContactFlow'], skip: 1, status, code });
        const before = await lastSeq(emu);
        const failure = await rejection(
          copyAndPush(
            repo,
            prod,
            {},
            { clientOptions: { ...credentialsFor(PROD.account), maxAttempts: 5 } },
          ),
        );
        const refused = (await emu.control.calls(before)).filter((c) => c.errorCode === code);
        // Flows in flight side by side may each be refused once; none is tried a second time.
        assert.ok(refused.length > 0, `no ${code}`);
        assert.deepEqual(
          refused.map((c) => c.attempt),
          refused.map(() => 1),
          `${code} attempts`,
        );
        assert.match(String(failure.data.resource), /^flows\/(One|Two|Three)$/);
        assert.match(failure.message, /One|Two|Three/);
        assert.ok(existsSync(journalPath(`${repo.dir}/.git`, 'prod')));

        await emu.control.clearFaults();
        await push(repo, 'prod', prod);
        const listed = await emu
          .connect(PROD.account)
          .send(new ListContactFlowsCommand({ InstanceId: prod.Id }));
        const names = listed.ContactFlowSummaryList!.map((f) => f.Name);
        for (const name of ['One', 'Two', 'Three']) {
          assert.equal(names.filter((n) => n === name).length, 1, name);
        }
        assert.equal(existsSync(journalPath(`${repo.dir}/.git`, 'prod')), false);
      });
    }
  });

  describe('field report #15: two-pass push, stubs created SAVED then published, for a cycle A->B->A', () => {
    it('creates both flows SAVED, then publishes content pointing at each other', async () => {
      const dev = await seedSpecs(emu, [], {
        id: DEV_ID,
        alias: 'dev',
        account: DEV.account,
        region: DEV.region,
        names: {},
      });
      const sdk = emu.connect(DEV.account);
      const { CreateContactFlowCommand } = await import('@aws-sdk/client-connect');
      const made: Record<string, string> = {};
      for (const name of ['Flow A', 'Flow B']) {
        made[name] = (
          await sdk.send(
            new CreateContactFlowCommand({
              InstanceId: dev.Id,
              Name: name,
              Type: 'CONTACT_FLOW',
              Content: flowContent([endAction()]),
            }),
          )
        ).ContactFlowArn!;
      }
      const transfer = (target: string) =>
        flowContent([step('go', 'TransferToFlow', { ContactFlowId: target }), endAction()]);
      for (const [name, other] of [
        ['Flow A', 'Flow B'],
        ['Flow B', 'Flow A'],
      ]) {
        await sdk.send(
          new UpdateContactFlowContentCommand({
            InstanceId: dev.Id,
            ContactFlowId: made[name].split('/').pop(),
            Content: transfer(made[other]),
          }),
        );
      }
      const prod = await empty(PROD.account, 'prod');
      const proxy = await startRecordingProxy(emu.url);
      const sent = proxy.sent;
      try {
        const via = { ...emu, url: proxy.url };
        await pullFrom(via, repo, 'dev', dev);
        await pullFrom(via, repo, 'prod', prod);
        await copyAndPush(repo, prod);
      } finally {
        await proxy.stop();
      }
      const creates = sent.filter((s) => /^\/contact-flows\/[^/]+$/.test(s.path) && s.body.Name);
      assert.deepEqual(creates.map((s) => [s.body.Name, s.body.Status]).sort(), [
        ['Flow A', 'SAVED'],
        ['Flow B', 'SAVED'],
      ]);
      const A = await idOf(repo, 'env/prod', 'flow', 'Flow A');
      const B = await idOf(repo, 'env/prod', 'flow', 'Flow B');
      for (const [self, other] of [
        [A, B],
        [B, A],
      ]) {
        const { flow, doc } = await flowDoc(PROD.account, prod.Id, self.id!);
        assert.equal(flow.Status, 'PUBLISHED');
        assert.equal(doc.Actions[0].Parameters.ContactFlowId, other.arn);
      }
    });
  });

  describe('field report #16: a changed flow Type is refused with an explanation', () => {
    it('stops the push before any write and says the type cannot change', async () => {
      const dev = await seedSpecs(emu, [{ name: 'Hold music', actions: [endAction()] }], {
        alias: 'dev',
        account: DEV.account,
        region: DEV.region,
      });
      await pullFrom(emu, repo, 'dev', dev);
      const file = await fileByName(repo, 'env/dev', 'flows', 'Hold music');
      const files = await repo.store.readBranchFiles('env/dev');
      files.set(file.path, JSON.stringify({ ...file.body, Type: 'CUSTOMER_HOLD' }, null, 2) + '\n');
      await repo.store.commitFiles('env/dev', files, 'make it a hold flow');

      const before = await lastSeq(emu);
      const refused = await rejection(push(repo, 'dev', dev));
      assert.equal(refused.code, 'PLAN_PROBLEMS');
      assert.match(refused.message, /Hold music/);
      assert.match(refused.message, /type/i);
      assert.match(refused.message, /CONTACT_FLOW|CUSTOMER_HOLD/);
      assert.deepEqual(
        (await emu.control.calls(before)).filter((c) => c.write).map((c) => c.operation),
        [],
      );
    });
  });

  describe("field report #27: a flow whose Type differs from the target's flow of that name", () => {
    it('refuses the copied flow with a clear error and writes nothing', async () => {
      const dev = await seedSpecs(emu, [{ name: 'Voicemail', actions: [endAction()] }], {
        alias: 'dev',
        account: DEV.account,
        region: DEV.region,
      });
      const prod = await seedSpecs(
        emu,
        [{ name: 'Voicemail', type: 'agentWhisper', actions: [endAction()] }],
        { alias: 'prod', account: PROD.account, region: PROD.region },
      );
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
      const before = await lastSeq(emu);
      const refused = await rejection(copyAndPush(repo, prod));
      assert.equal(refused.code, 'PLAN_PROBLEMS');
      assert.match(refused.message, /Voicemail/);
      assert.match(refused.message, /AGENT_WHISPER/);
      assert.match(refused.message, /CONTACT_FLOW/);
      assert.deepEqual(
        (await emu.control.calls(before)).filter((c) => c.write).map((c) => c.operation),
        [],
      );
    });
  });

  describe('field report #18: Lex V2 and UpdateContactData blocks reach Connect as the file says', () => {
    it('sends content that is valid JSON equal to the resolved file', async () => {
      const bot = `arn:aws:lex:us-east-1:${PROD.account}:bot-alias/AAAAAAAAAA/BBBBBBBBBB`;
      const prod = await seedSpecs(
        emu,
        [
          {
            name: 'Lex and data',
            actions: [
              step(
                'lex',
                'ConnectParticipantWithLexBot',
                {
                  Text: 'Say "order" or 𝄞 — ünïcode',
                  LexV2Bot: { AliasArn: bot },
                  LexSessionAttributes: { 'x-amz-lex:allow-interrupt:*:*': 'True' },
                },
                'data',
              ),
              step('data', 'UpdateContactData', {
                Name: 'Order \\ "quoted"',
                Description: 'line\nbreak',
                Attributes: { channel: '$.Channel' },
              }),
              endAction(),
            ],
            actionMetadata: { lex: { lexV2BotName: 'orders', lexV2BotAliasName: 'live' } },
          },
        ],
        { alias: 'prod', account: PROD.account, region: PROD.region },
      );
      const proxy = await startRecordingProxy(emu.url);
      const sent = proxy.sent;
      try {
        await pullFrom({ ...emu, url: proxy.url }, repo, 'prod', prod);
        const file = await fileByName(repo, 'env/prod', 'flows', 'Lex and data');
        const files = await repo.store.readBranchFiles('env/prod');
        const changed = JSON.parse(JSON.stringify(file.body.Content)) as Doc;
        changed.Actions.find((a) => a.Identifier === 'data')!.Parameters.Description = 'edited';
        files.set(file.path, JSON.stringify({ ...file.body, Content: changed }, null, 2) + '\n');
        await repo.store.commitFiles('env/prod', files, 'edit the data block');
        await push(repo, 'prod', prod);
      } finally {
        await proxy.stop();
      }
      const update = sent.find(
        (s) => s.path.includes('/contact-flows/') && s.path.endsWith('/content'),
      );
      assert.ok(update, sent.map((s) => s.path).join());
      const bodySent = JSON.parse(update.body.Content as string) as Doc;
      const id = (await idOf(repo, 'env/prod', 'flow', 'Lex and data')).id!;
      const { doc } = await flowDoc(PROD.account, prod.Id, id);
      assert.deepEqual(bodySent, doc);
      const lex = bodySent.Actions.find((a) => a.Identifier === 'lex')!.Parameters;
      assert.deepEqual(lex.LexV2Bot, { AliasArn: bot });
      assert.equal(lex.Text, 'Say "order" or 𝄞 — ünïcode');
      const data = bodySent.Actions.find((a) => a.Identifier === 'data')!.Parameters;
      assert.deepEqual(data, {
        Name: 'Order \\ "quoted"',
        Description: 'edited',
        Attributes: { channel: '$.Channel' },
      });
    });
  });

  describe('field report extra: a flow referencing a SAVED-only flow, and a flow with a draft', () => {
    it('creates the SAVED flow unpublished, publishes the caller, and keeps the draft a draft', async () => {
      const dev = await empty(DEV.account, 'dev');
      const sdk = emu.connect(DEV.account);
      const { CreateContactFlowCommand } = await import('@aws-sdk/client-connect');
      const saved = await sdk.send(
        new CreateContactFlowCommand({
          InstanceId: dev.Id,
          Name: 'Never published',
          Type: 'CONTACT_FLOW',
          Status: 'SAVED',
          Content: flowContent([endAction()]),
        }),
      );
      const caller = await sdk.send(
        new CreateContactFlowCommand({
          InstanceId: dev.Id,
          Name: 'Caller',
          Type: 'CONTACT_FLOW',
          Content: flowContent([
            step('go', 'TransferToFlow', { ContactFlowId: saved.ContactFlowArn }),
            endAction(),
          ]),
        }),
      );
      // A draft over Caller's published content.
      await sdk.send(
        new UpdateContactFlowContentCommand({
          InstanceId: dev.Id,
          ContactFlowId: `${caller.ContactFlowId}:$SAVED`,
          Content: flowContent([endAction('draft-end')]),
        }),
      );
      const prod = await empty(PROD.account, 'prod');
      await pullFrom(emu, repo, 'dev', dev);
      const callerFile = await fileByName(repo, 'env/dev', 'flows', 'Caller');
      assert.ok(callerFile.body.Draft, 'the draft is flagged in the file');
      assert.match(JSON.stringify(callerFile.body.Content), /TransferToFlow/);
      await pullFrom(emu, repo, 'prod', prod);
      await copyAndPush(repo, prod);

      const never = await idOf(repo, 'env/prod', 'flow', 'Never published');
      const called = await idOf(repo, 'env/prod', 'flow', 'Caller');
      assert.equal(
        (await flowDoc(PROD.account, prod.Id, `${never.id}:$SAVED`)).flow.Status,
        'SAVED',
      );
      const published = await flowDoc(PROD.account, prod.Id, called.id!);
      assert.equal(published.flow.Status, 'PUBLISHED');
      assert.equal(published.doc.Actions[0].Parameters.ContactFlowId, never.arn);
      const draft = await flowDoc(PROD.account, prod.Id, `${called.id}:$SAVED`);
      assert.deepEqual(
        draft.doc.Actions.map((a) => a.Identifier),
        ['draft-end'],
      );
    });
  });

  describe('field report extra: a prompt named by a dynamic attribute, and one named by ARN', () => {
    it('rewrites only the ARN, and validate warns that the named prompt is missing', async () => {
      const welcome = uuid(21);
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Prompts',
            actions: [
              step(
                'hello',
                'MessageParticipant',
                { PromptId: devArn(`prompt/${welcome}`) },
                'pick',
              ),
              step('pick', 'UpdateContactAttributes', {
                Attributes: { holdPrompt: 'Hold music' },
                TargetContact: 'Current',
              }),
              endAction(),
            ],
          },
        ],
        {
          id: DEV_ID,
          alias: 'dev',
          account: DEV.account,
          region: DEV.region,
          names: { [welcome]: 'Welcome' },
          resources: { prompts: ['Hold music'] },
        },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { prompts: ['Welcome'] },
      });
      await pullFrom(emu, repo, 'dev', dev);
      await pullFrom(emu, repo, 'prod', prod);
      await copyAction({ cwd: repo.dir, from: 'dev', to: 'prod' });

      const report = await validateAction({ cwd: repo.dir, environment: 'prod' });
      assert.equal(report.errors, 0);
      assert.deepEqual(
        report.issues.map((i) => [i.severity, i.code, i.path, /"Hold music"/.test(i.message)]),
        [
          [
            'warning',
            'prompt-by-name',
            'Content.Actions[1].Parameters.Attributes.holdPrompt',
            true,
          ],
        ],
      );

      await push(repo, 'prod', prod);
      const { doc } = await flowDoc(
        PROD.account,
        prod.Id,
        (await idOf(repo, 'env/prod', 'flow', 'Prompts')).id!,
      );
      assert.equal(
        doc.Actions[0].Parameters.PromptId,
        (await idOf(repo, 'env/prod', 'prompt', 'Welcome')).arn,
      );
      assert.deepEqual(doc.Actions[1].Parameters.Attributes, { holdPrompt: 'Hold music' });
    });
  });
});
