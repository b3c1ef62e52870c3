import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  CreateQueueCommand,
  DeleteContactFlowModuleCommand,
  DescribeContactFlowCommand,
  ListContactFlowsCommand,
  ListHoursOfOperationsCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
} from '@aws-sdk/client-connect';
import { TestEmulator } from '../helpers/emulator';
import { rejection } from '../helpers/errors';
import { corpusPath } from '../helpers/fixtures';
import { endAction, flowContent, moduleContent, step } from '../helpers/flows';
import { pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { repoRoot } from '../helpers/paths';
import { awsCli, clientOptionsFor, prepareDevAndProd, PROD, seed } from '../helpers/promote';
import { copyAction } from '../../src/actions/copy';
import { pushEnvironment } from '../../src/actions/push';
import { diffAction } from '../../src/actions/compare';
import { rollbackAction } from '../../src/actions/rollback';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import type { CallRecord } from '../../src/emulator/server';

const run = promisify(execFile);

const VOICEMAIL = ['flows/zhangyuezhong__amazonconnectvoicemail__Voicemail.json'];
const HELPDESK_WITH_LEX = [
  'flows/aws-samples__sample-awsaiops-helpdesk-bedrock-connect-lex__connect-flow-template.json',
];

const prodOptions = () => ({ clientOptions: clientOptionsFor(PROD.account) });
const writes = (calls: CallRecord[]) => calls.filter((c) => c.write);
const CONNECT_ARN = /arn:aws:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})/g;

describe('promote: copy dev to prod, push, and roll back', function () {
  this.timeout(180000);
  let emu: TestEmulator;
  let repo: TestRepo;

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  for (const [label, files] of [
    ['a voicemail flow with a module, a prompt and a Lambda function', VOICEMAIL],
    ['a help-desk flow with a Lambda function and two Lex V2 bots', HELPDESK_WITH_LEX],
  ] as const) {
    it(`1. copies ${label} to a new prod instance that then references only prod`, async () => {
      const { dev, prod } = await prepareDevAndProd(emu, repo, files.map(corpusPath));
      const copied = await copyAction({
        cwd: repo.dir,
        from: 'dev',
        to: 'prod',
        push: true,
        pushOptions: prodOptions(),
      });
      assert.ok(copied.commit, 'the copy is a commit on env/prod');
      assert.ok(copied.push && copied.push.applied.length > 0, 'the push wrote to prod');

      const flows = (await awsCli(emu, prod, repo.dir, [
        'connect',
        'search-contact-flows',
        '--instance-id',
        prod.Id,
      ])) as { ContactFlows: { Name: string; Status: string; Content: string }[] };
      const modules = (await awsCli(emu, prod, repo.dir, [
        'connect',
        'search-contact-flow-modules',
        '--instance-id',
        prod.Id,
      ])) as { ContactFlowModules: { Name: string; Status: string; Content: string }[] };
      const everything = [...flows.ContactFlows, ...modules.ContactFlowModules];
      for (const item of everything) {
        assert.equal(item.Status.toUpperCase(), 'PUBLISHED', `${item.Name} is published`);
        for (const [arn, region, account, instance] of item.Content.matchAll(CONNECT_ARN)) {
          assert.deepEqual([region, account, instance], [PROD.region, PROD.account, prod.Id], arn);
        }
        assert.ok(!item.Content.includes(dev.Id), `${item.Name} names no dev instance id`);
        for (const [arn] of item.Content.matchAll(/arn:aws:lambda:[^"]+/g)) {
          assert.match(
            arn,
            new RegExp(`^arn:aws:lambda:${PROD.region}:${PROD.account}:function:prod-`),
          );
        }
        for (const [arn] of item.Content.matchAll(/arn:aws:lex:[^"]+/g)) {
          assert.match(arn, new RegExp(`^arn:aws:lex:${PROD.region}:${PROD.account}:bot-alias/`));
        }
      }
      const copiedNames = copied.summary.resources
        .filter((r) => r.folder === 'flows' || r.folder === 'modules')
        .map((r) => r.name);
      for (const name of copiedNames) {
        assert.ok(
          everything.some((i) => i.Name === name),
          `${name} exists in prod`,
        );
      }

      await pullFrom(emu, repo, 'prod', prod, { again: true });
      const diff = await diffAction({ cwd: repo.dir, a: 'dev', b: 'prod' });
      assert.deepEqual(diff.resources, [], 'no difference outside the mapping');
      assert.deepEqual(
        (await repo.store.diffTrees('env/dev', 'env/prod')).map((c) => c.path),
        ['mapping.json'],
      );
    });
  }

  it('2. a second push plans nothing and writes nothing; a dry run writes nothing', async () => {
    await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    await copyAction({ cwd: repo.dir, from: 'dev', to: 'prod' });

    await emu.control.clearCalls();
    const dry = await pushEnvironment({
      cwd: repo.dir,
      environment: 'prod',
      dryRun: true,
      ...prodOptions(),
    });
    assert.ok(dry.plan.summary.create > 0, 'the dry run shows what a push would create');
    assert.deepEqual(writes(await emu.control.calls()), [], 'a dry run makes no write call');

    await pushEnvironment({ cwd: repo.dir, environment: 'prod', ...prodOptions() });
    await emu.control.clearCalls();
    const again = await pushEnvironment({ cwd: repo.dir, environment: 'prod', ...prodOptions() });
    assert.deepEqual(again.plan.summary, {
      create: 0,
      update: 0,
      unchanged: again.plan.summary.unchanged,
      conflict: 0,
    });
    assert.deepEqual(writes(await emu.control.calls()), [], 'the second push writes nothing');
    const head = await repo.store.resolveRef('env/prod');
    const pulled = await pullFrom(
      emu,
      repo,
      'prod',
      { Id: '', Account: PROD.account, Region: PROD.region },
      { again: true },
    );
    assert.equal(pulled.commit, undefined, 'a pull after the push commits nothing');
    assert.equal(await repo.store.resolveRef('env/prod'), head);
  });

  it('3. creates reference cycles in prod: flows, flow and module, queue and whisper, hooks', async () => {
    const dev = await emu.control.createInstance({ Account: '111122223333', Region: 'us-east-1' });
    const client = emu.connect(dev.Account, dev.Region);
    const arn = (kind: string, id: string) => `${dev.Arn}/${kind}/${id}`;
    const create = async (Name: string, Type: string, Status: 'SAVED' | undefined = 'SAVED') =>
      (
        await client.send(
          new CreateContactFlowCommand({
            InstanceId: dev.Id,
            Name,
            Type: Type as never,
            Content: flowContent([endAction()]),
            Status,
          }),
        )
      ).ContactFlowId!;
    const publish = (id: string, content: string) =>
      client.send(
        new UpdateContactFlowContentCommand({
          InstanceId: dev.Id,
          ContactFlowId: id,
          Content: content,
        }),
      );

    // Flow A -> B -> A.
    const a = await create('Cycle A', 'CONTACT_FLOW');
    const b = await create('Cycle B', 'CONTACT_FLOW');
    // Flow <-> module: the module transfers back to the flow that invokes it.
    const withModule = await create('Calls module', 'CONTACT_FLOW');
    const module = await client.send(
      new CreateContactFlowModuleCommand({
        InstanceId: dev.Id,
        Name: 'Back to caller',
        Content: moduleContent([
          step(
            'back',
            'TransferToFlow',
            { ContactFlowId: arn('contact-flow', withModule) },
            'done',
          ),
          { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
        ]),
      }),
    );
    // Queue -> outbound whisper flow -> queue.
    const hours = await client.send(new ListHoursOfOperationsCommand({ InstanceId: dev.Id }));
    const whisper = await create('Outbound whisper', 'OUTBOUND_WHISPER');
    const queue = await client.send(
      new CreateQueueCommand({
        InstanceId: dev.Id,
        Name: 'Callbacks',
        HoursOfOperationId: hours.HoursOfOperationSummaryList![0].Id,
      }),
    );
    await client.send(
      new UpdateQueueOutboundCallerConfigCommand({
        InstanceId: dev.Id,
        QueueId: queue.QueueId,
        OutboundCallerConfig: { OutboundFlowId: whisper },
      }),
    );
    // Event hooks: the inbound flow names its queue flow, which transfers back to it.
    const inbound = await create('Hooked inbound', 'CONTACT_FLOW');
    const queueFlow = await create('Hooked queue flow', 'CUSTOMER_QUEUE');

    await publish(
      a,
      flowContent([
        step('to-b', 'TransferToFlow', { ContactFlowId: arn('contact-flow', b) }),
        endAction(),
      ]),
    );
    await publish(
      b,
      flowContent([
        step('to-a', 'TransferToFlow', { ContactFlowId: arn('contact-flow', a) }),
        endAction(),
      ]),
    );
    await publish(
      withModule,
      flowContent([step('invoke', 'InvokeFlowModule', { FlowModuleId: module.Id }), endAction()]),
    );
    await publish(
      whisper,
      flowContent([
        step('queue', 'UpdateContactTargetQueue', { QueueId: queue.QueueArn }),
        endAction('end'),
      ]),
    );
    await publish(
      inbound,
      flowContent([
        step('hook', 'UpdateContactEventHooks', {
          EventHooks: { CustomerQueue: arn('contact-flow', queueFlow) },
        }),
        endAction(),
      ]),
    );
    await publish(
      queueFlow,
      flowContent([
        step('back', 'TransferToFlow', { ContactFlowId: arn('contact-flow', inbound) }),
        { Identifier: 'end', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} },
      ]),
    );

    await pullFrom(emu, repo, 'dev', { Id: dev.Id, Account: dev.Account, Region: dev.Region });
    const prod = await seed(emu, [], { alias: 'prod', account: PROD.account, region: PROD.region });
    await pullFrom(emu, repo, 'prod', prod);
    const copied = await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    const stubs = copied.push!.plan.stubs.map((s) => s.key).sort();
    assert.ok(stubs.includes('flows/Cycle A') && stubs.includes('flows/Cycle B'), stubs.join());

    const prodClient = emu.connect(prod.Account, prod.Region);
    const listed = await prodClient.send(
      new ListContactFlowsCommand({ InstanceId: prod.Id, MaxResults: 1000 }),
    );
    const idOf = (name: string) => listed.ContactFlowSummaryList!.find((f) => f.Name === name)!.Id!;
    const contentOf = async (name: string) => {
      const { ContactFlow } = await prodClient.send(
        new DescribeContactFlowCommand({ InstanceId: prod.Id, ContactFlowId: idOf(name) }),
      );
      assert.equal(ContactFlow!.Status, 'PUBLISHED', `${name} is published`);
      return ContactFlow!.Content!;
    };
    assert.ok((await contentOf('Cycle A')).includes(`/contact-flow/${idOf('Cycle B')}`));
    assert.ok((await contentOf('Cycle B')).includes(`/contact-flow/${idOf('Cycle A')}`));
    assert.ok(
      (await contentOf('Hooked inbound')).includes(`/contact-flow/${idOf('Hooked queue flow')}`),
    );
    assert.ok(
      (await contentOf('Hooked queue flow')).includes(`/contact-flow/${idOf('Hooked inbound')}`),
    );
    assert.ok((await contentOf('Outbound whisper')).includes(`instance/${prod.Id}/queue/`));
    await contentOf('Calls module');

    const again = await pushEnvironment({ cwd: repo.dir, environment: 'prod', ...prodOptions() });
    assert.equal(again.plan.summary.create + again.plan.summary.update, 0, 'the cycles settle');
  });

  it('4. refuses to overwrite a prod flow edited with the AWS CLI (exit 4), unless forced', async () => {
    const { prod } = await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    // A change in dev to promote, and meanwhile someone edits the same flow in prod's console.
    const devFlows = await repo.store.readBranchFiles('env/dev');
    const path = [...devFlows.keys()].find((p) => p.startsWith('flows/Voicemail'))!;
    const devFile = JSON.parse(devFlows.get(path)!);
    devFile.Description = 'promoted from dev';
    await repo.store.commitFiles(
      'env/dev',
      new Map([[path, JSON.stringify(devFile, null, 2) + '\n']]),
      'edit',
      { base: 'keep' },
    );
    await copyAction({ cwd: repo.dir, from: 'dev', to: 'prod' });

    const listed = (await awsCli(emu, prod, repo.dir, [
      'connect',
      'list-contact-flows',
      '--instance-id',
      prod.Id,
    ])) as {
      ContactFlowSummaryList: { Id: string; Name: string }[];
    };
    const voicemail = listed.ContactFlowSummaryList.find((f) => f.Name === 'Voicemail')!;
    await awsCli(emu, prod, repo.dir, [
      'connect',
      'update-contact-flow-name',
      '--instance-id',
      prod.Id,
      '--contact-flow-id',
      voicemail.Id,
      '--name',
      'Voicemail',
      '--description',
      'edited in the console',
    ]);

    await emu.control.clearCalls();
    const failed = await run(
      process.execPath,
      [join(repoRoot(), 'bin', 'run.js'), 'push', 'prod'],
      {
        cwd: repo.dir,
        env: {
          PATH: process.env.PATH,
          HOME: repo.dir,
          AWS_ACCESS_KEY_ID: `AKIA${PROD.account}`,
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    ).then(
      () => assert.fail('push succeeded'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failed.code, ExitCode.conflict);
    assert.match(failed.stderr, /flows\/Voicemail/);
    assert.deepEqual(writes(await emu.control.calls()), [], 'nothing was written');

    const forced = await pushEnvironment({
      cwd: repo.dir,
      environment: 'prod',
      force: true,
      ...prodOptions(),
    });
    assert.ok(forced.applied.some((r) => r.key === 'flows/Voicemail'));
    const after = await awsCli(emu, prod, repo.dir, [
      'connect',
      'describe-contact-flow',
      '--instance-id',
      prod.Id,
      '--contact-flow-id',
      voicemail.Id,
    ]);
    assert.equal((after.ContactFlow as { Description: string }).Description, 'promoted from dev');
  });

  it('5. stops on a persistent failure at the seventh write, then finishes with no duplicate', async () => {
    await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    // Enough new resources that the push makes more than seven writes.
    const dev = JSON.parse(
      (await repo.store.readBranchFiles('env/dev')).get('mapping.json')!,
    ).instance;
    const client = emu.connect(dev.account, dev.region);
    for (let i = 0; i < 8; i++) {
      await client.send(
        new CreateContactFlowCommand({
          InstanceId: dev.id,
          Name: `Extra ${i}`,
          Type: 'CONTACT_FLOW',
          Content: flowContent([endAction()]),
        }),
      );
    }
    await pullFrom(
      emu,
      repo,
      'dev',
      { Id: dev.id, Account: dev.account, Region: dev.region },
      { again: true },
    );
    await copyAction({ cwd: repo.dir, from: 'dev', to: 'prod' });

    await emu.control.addFault({ operations: ['write'], skip: 6, status: 500 });
    const fewRetries = { ...clientOptionsFor(PROD.account), maxAttempts: 2 };
    await assert.rejects(
      pushEnvironment({ cwd: repo.dir, environment: 'prod', clientOptions: fewRetries }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectCopyError);
        assert.notEqual(error.exitCode, 0);
        assert.match(error.message, /Push stopped at/);
        assert.match(error.message, /InternalServiceException|Injected fault/);
        return true;
      },
    );
    await emu.control.clearFaults();
    await pushEnvironment({ cwd: repo.dir, environment: 'prod', ...prodOptions() });

    const prod = JSON.parse(
      (await repo.store.readBranchFiles('env/prod')).get('mapping.json')!,
    ).instance;
    const listed = await emu
      .connect(prod.account, prod.region)
      .send(new ListContactFlowsCommand({ InstanceId: prod.id, MaxResults: 1000 }));
    const names = listed.ContactFlowSummaryList!.map((f) => f.Name!);
    assert.equal(new Set(names).size, names.length, 'no flow exists twice');
    for (let i = 0; i < 8; i++) assert.ok(names.includes(`Extra ${i}`));
  });

  it('6. rolls back to the commit before the copy: the same flows, their earlier content', async () => {
    const { dev, prod } = await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    // dev changes a flow prod already has, so the copy updates it in place.
    const devClient = emu.connect(dev.Account, dev.Region);
    const devFlows = await devClient.send(
      new ListContactFlowsCommand({ InstanceId: dev.Id, MaxResults: 1000 }),
    );
    const devDisconnect = devFlows.ContactFlowSummaryList!.find(
      (f) => f.Name === 'Sample disconnect flow',
    )!;
    await devClient.send(
      new UpdateContactFlowContentCommand({
        InstanceId: dev.Id,
        ContactFlowId: devDisconnect.Id,
        Content: flowContent([
          step('bye', 'MessageParticipant', { Text: 'Goodbye from dev' }),
          endAction(),
        ]),
      }),
    );
    await pullFrom(emu, repo, 'dev', dev, { again: true });

    const before = await repo.store.resolveRef('env/prod');
    const prodClient = emu.connect(prod.Account, prod.Region);
    const prodFlows = await prodClient.send(
      new ListContactFlowsCommand({ InstanceId: prod.Id, MaxResults: 1000 }),
    );
    const prodDisconnect = prodFlows.ContactFlowSummaryList!.find(
      (f) => f.Name === 'Sample disconnect flow',
    )!;
    const describe = async () =>
      (
        await prodClient.send(
          new DescribeContactFlowCommand({ InstanceId: prod.Id, ContactFlowId: prodDisconnect.Id }),
        )
      ).ContactFlow!.Content!;
    const original = await describe();

    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    assert.ok((await describe()).includes('Goodbye from dev'), 'the copy updated the flow');

    const rolled = await rollbackAction({
      cwd: repo.dir,
      environment: 'prod',
      commit: before,
      ...prodOptions(),
    });
    assert.ok(rolled.commit);
    assert.deepEqual(
      JSON.parse(await describe()),
      JSON.parse(original),
      'earlier content, same id',
    );
    assert.ok(
      rolled.createdSince.some((c) => c.name === 'Voicemail'),
      'new flows are listed',
    );
    const stillThere = await prodClient.send(
      new ListContactFlowsCommand({ InstanceId: prod.Id, MaxResults: 1000 }),
    );
    assert.ok(
      stillThere.ContactFlowSummaryList!.some((f) => f.Name === 'Voicemail'),
      'and left alone',
    );

    const pulled = await pullFrom(emu, repo, 'prod', prod, { again: true });
    // The flows and modules created since were left in place, so the pull brings their files back;
    // everything else is as the rollback left it.
    const createdSince = rolled.createdSince.map(
      (c) => `${c.kind === 'flow' ? 'flows' : 'modules'}/${c.name}.json`,
    );
    assert.deepEqual(pulled.changed, createdSince.sort());
    const file = [...(await repo.store.readBranchFiles('env/prod')).entries()].find(([p]) =>
      p.startsWith('flows/Sample disconnect'),
    )!;
    assert.ok(!file[1].includes('Goodbye from dev'));
  });

  it('renames in prod, in place, a flow renamed in dev since the last copy', async () => {
    const { dev, prod } = await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    const prodClient = emu.connect(prod.Account, prod.Region);
    const flowsNamed = async (name: string) =>
      (
        await prodClient.send(
          new ListContactFlowsCommand({ InstanceId: prod.Id, MaxResults: 1000 }),
        )
      ).ContactFlowSummaryList!.filter((f) => f.Name === name);
    const [before] = await flowsNamed('Voicemail');

    const devClient = emu.connect(dev.Account, dev.Region);
    const devFlows = await devClient.send(
      new ListContactFlowsCommand({ InstanceId: dev.Id, MaxResults: 1000 }),
    );
    const devVoicemail = devFlows.ContactFlowSummaryList!.find((f) => f.Name === 'Voicemail')!;
    await devClient.send(
      new UpdateContactFlowNameCommand({
        InstanceId: dev.Id,
        ContactFlowId: devVoicemail.Id,
        Name: 'Voicemail v2',
      }),
    );
    await pullFrom(emu, repo, 'dev', dev, { again: true });
    const copied = await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    assert.deepEqual(
      copied.summary.renamed.map((r) => `${r.from} -> ${r.to}`),
      ['Voicemail -> Voicemail v2'],
    );

    assert.deepEqual(await flowsNamed('Voicemail'), [], 'the old name is gone');
    const renamed = await flowsNamed('Voicemail v2');
    assert.deepEqual(
      renamed.map((f) => f.Id),
      [before.Id],
      'one flow, the same id',
    );
  });

  it('rollback --prune deletes the flows and modules created since, and only those', async () => {
    const { prod } = await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    const before = await repo.store.resolveRef('env/prod');
    const prodClient = emu.connect(prod.Account, prod.Region);
    const names = async () =>
      (
        await prodClient.send(
          new ListContactFlowsCommand({ InstanceId: prod.Id, MaxResults: 1000 }),
        )
      )
        .ContactFlowSummaryList!.map((f) => f.Name!)
        .sort();
    const original = await names();
    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    assert.ok((await names()).includes('Voicemail'));

    const rolled = await rollbackAction({
      cwd: repo.dir,
      environment: 'prod',
      commit: before,
      prune: true,
      ...prodOptions(),
    });
    assert.deepEqual(
      rolled.pruned.map((p) => p.name).sort(),
      rolled.createdSince.map((c) => c.name).sort(),
    );
    assert.deepEqual(await names(), original, 'back to the flows prod had before the copy');
    const pulled = await pullFrom(emu, repo, 'prod', prod, { again: true });
    assert.deepEqual(pulled.changed, []);
  });

  it('refuses to copy a source file that cannot be read, naming it', async () => {
    await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    await repo.store.commitFiles('env/dev', new Map([['flows/Voicemail.json', '[1,2']]), 'bad', {
      base: 'keep',
    });
    const before = await repo.store.resolveRef('env/prod');
    await assert.rejects(
      copyAction({ cwd: repo.dir, from: 'dev', to: 'prod' }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectCopyError);
        assert.equal(error.exitCode, ExitCode.usage);
        assert.match(error.message, /flows\/Voicemail\.json/);
        return true;
      },
    );
    assert.equal(await repo.store.resolveRef('env/prod'), before, 'nothing committed');
  });

  it('finishes an interrupted prune when run again', async () => {
    const { prod } = await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    const before = await repo.store.resolveRef('env/prod');
    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    // A commit of another branch is refused, with how to name this one's.
    const elsewhere = await rejection(
      rollbackAction({ cwd: repo.dir, environment: 'prod', commit: 'env/dev', ...prodOptions() }),
    );
    assert.equal(elsewhere.code, 'NOT_ON_BRANCH');
    assert.ok(elsewhere.suggestions.includes('connect-copy rollback prod env/prod~1'));
    // Named as git would: so many commits back on the branch.
    const back = (await repo.store.log('env/prod')).findIndex((entry) => entry.sha === before);
    const dry = await rollbackAction({
      cwd: repo.dir,
      environment: 'prod',
      commit: `env/prod~${back}`,
      prune: true,
      dryRun: true,
      ...prodOptions(),
    });
    assert.equal(dry.target, before);
    assert.deepEqual(dry.wouldPrune!.map((p) => p.name).sort(), ['Setup Flow', 'Voicemail']);
    // The first run deleted one flow and died: the module is gone already when it runs again.
    const prodClient = emu.connect(prod.Account, prod.Region);
    const mapping = JSON.parse((await repo.store.readBranchFiles('env/prod')).get('mapping.json')!);
    await prodClient.send(
      new DeleteContactFlowModuleCommand({
        InstanceId: prod.Id,
        ContactFlowModuleId: mapping.resources.module['Setup Flow'].id,
      }),
    );
    const rolled = await rollbackAction({
      cwd: repo.dir,
      environment: 'prod',
      commit: before,
      prune: true,
      ...prodOptions(),
    });
    assert.deepEqual(rolled.pruned.map((p) => p.name).sort(), ['Setup Flow', 'Voicemail']);
  });

  it('rollback to a commit whose mapping.json is broken fails cleanly, committing nothing', async () => {
    // The rollback reads its files while the push opens the environment; their failure must reach
    // the caller as the rollback's error, not end the process as an unhandled rejection.
    await prepareDevAndProd(emu, repo, VOICEMAIL.map(corpusPath));
    const files = await repo.store.readBranchFiles('env/prod');
    const mapping = files.get('mapping.json')!;
    files.set('mapping.json', '{"instance": ');
    const broken = (await repo.store.commitFiles('env/prod', files, 'break mapping.json'))!;
    files.set('mapping.json', mapping);
    const fixed = (await repo.store.commitFiles('env/prod', files, 'restore mapping.json'))!;
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (const dryRun of [true, false]) {
        const failed = await rollbackAction({
          cwd: repo.dir,
          environment: 'prod',
          commit: broken,
          dryRun,
          ...prodOptions(),
        }).then(
          () => assert.fail('the rollback went on with a broken mapping.json'),
          (error: unknown) => error,
        );
        assert.ok(failed instanceof ConnectCopyError, String(failed));
        assert.match(failed.message, /mapping\.json/);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', record);
    }
    assert.deepEqual(unhandled, []);
    assert.equal(await repo.store.resolveRef('env/prod'), fixed, 'nothing committed');
  });

  it('8. creates N new acyclic flows with about N flow writes, not 2N', async () => {
    const dev = await emu.control.createInstance({ Account: '111122223333', Region: 'us-east-1' });
    const client = emu.connect(dev.Account, dev.Region);
    let previous: string | undefined;
    const n = 12;
    for (let i = 0; i < n; i++) {
      const actions = previous
        ? [
            step('next', 'TransferToFlow', {
              ContactFlowId: `${dev.Arn}/contact-flow/${previous}`,
            }),
            endAction(),
          ]
        : [endAction()];
      const created = await client.send(
        new CreateContactFlowCommand({
          InstanceId: dev.Id,
          Name: `Chain ${i}`,
          Type: 'CONTACT_FLOW',
          Content: flowContent(actions),
        }),
      );
      previous = created.ContactFlowId;
    }
    await pullFrom(emu, repo, 'dev', { Id: dev.Id, Account: dev.Account, Region: dev.Region });
    const prod = await seed(emu, [], { alias: 'prod', account: PROD.account, region: PROD.region });
    await pullFrom(emu, repo, 'prod', prod);
    await emu.control.clearCalls();
    await copyAction({
      cwd: repo.dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: prodOptions(),
    });
    const flowWrites = writes(await emu.control.calls()).filter((c) =>
      /ContactFlow(?!Module)/.test(c.operation),
    );
    assert.equal(flowWrites.length, n, flowWrites.map((c) => c.operation).join());
  });
});
