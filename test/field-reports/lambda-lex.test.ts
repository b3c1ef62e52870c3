import { strict as assert } from 'node:assert';
import {
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  ListLambdaFunctionsCommand,
} from '@aws-sdk/client-connect';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { TestEmulator } from '../helpers/emulator';
import { endAction, step } from '../helpers/flows';
import { TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import {
  DEV,
  PROD,
  copyAndPush,
  fileByName,
  idOf,
  lastSeq,
  pullBoth,
  push,
  seedSpecs,
} from './setup';

const lambdaArn = (account: string, name: string, qualifier = '') =>
  `arn:aws:lambda:us-east-1:${account}:function:${name}${qualifier}`;
const invoke = (id: string, arn: string, next = 'end') =>
  step(
    id,
    'InvokeLambdaFunction',
    { LambdaFunctionARN: arn, InvocationTimeLimitSeconds: '3' },
    next,
  );
const endModule = {
  Identifier: 'done',
  Type: 'EndFlowModuleExecution',
  Parameters: {},
  Transitions: {},
};

describe('field reports: Lambda and Lex references across environments', function () {
  this.timeout(60_000);
  let emu: TestEmulator;
  let repo: TestRepo;

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  const content = async (
    account: string,
    instanceId: string,
    kind: 'flow' | 'module',
    id: string,
  ) => {
    const sdk = emu.connect(account);
    const text =
      kind === 'flow'
        ? (
            await sdk.send(
              new DescribeContactFlowCommand({ InstanceId: instanceId, ContactFlowId: id }),
            )
          ).ContactFlow!.Content!
        : (
            await sdk.send(
              new DescribeContactFlowModuleCommand({
                InstanceId: instanceId,
                ContactFlowModuleId: id,
              }),
            )
          ).ContactFlowModule!.Content!;
    return JSON.parse(text) as {
      Actions: { Identifier: string; Parameters: Record<string, unknown> }[];
    };
  };
  const param = (doc: Awaited<ReturnType<typeof content>>, block: string, key: string) =>
    doc.Actions.find((a) => a.Identifier === block)!.Parameters[key];

  describe('field report #1: a dev- Lambda prefix becomes prod- in flows and modules', () => {
    it('rewrites the function ARN in a flow and a module, and a second copy changes nothing', async () => {
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Entry',
            actions: [invoke('fn', lambdaArn(DEV.account, 'dev-lookup')), endAction()],
          },
          {
            name: 'Lookup module',
            module: true,
            actions: [invoke('fn', lambdaArn(DEV.account, 'dev-lookup'), 'done'), endModule],
          },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { lambdaFunctions: ['prod-lookup'] },
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { prefix: 'dev-' } },
        prod: { lambda: { prefix: 'prod-' } },
      });

      const first = await copyAndPush(repo, prod);
      assert.ok(first.push);
      const flow = await idOf(repo, 'env/prod', 'flow', 'Entry');
      const module = await idOf(repo, 'env/prod', 'module', 'Lookup module');
      const expected = lambdaArn(PROD.account, 'prod-lookup');
      assert.equal(
        param(await content(PROD.account, prod.Id, 'flow', flow.id!), 'fn', 'LambdaFunctionARN'),
        expected,
      );
      assert.equal(
        param(
          await content(PROD.account, prod.Id, 'module', module.id!),
          'fn',
          'LambdaFunctionARN',
        ),
        expected,
      );

      // The rerun: nothing to copy, nothing to push.
      const before = await lastSeq(emu);
      const again = await copyAndPush(repo, prod);
      assert.equal(again.commit, undefined);
      assert.equal(again.push!.plan.summary.create + again.push!.plan.summary.update, 0);
      const writes = (await emu.control.calls(before)).filter((c) => c.write);
      assert.deepEqual(
        writes.map((w) => w.operation),
        [],
      );
    });
  });

  describe('field report extra: prefix-colliding function names are replaced whole', () => {
    it('maps foo-dev and foo-dev-helper-dev to foo-prod and foo-dev-helper-prod', async () => {
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Colliding',
            actions: [
              invoke('short', lambdaArn(DEV.account, 'foo-dev'), 'long'),
              invoke('long', lambdaArn(DEV.account, 'foo-dev-helper-dev')),
              endAction(),
            ],
          },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { lambdaFunctions: ['foo-prod', 'foo-dev-helper-prod'] },
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { suffix: '-dev' } },
        prod: { lambda: { suffix: '-prod' } },
      });
      await copyAndPush(repo, prod);
      const flow = await idOf(repo, 'env/prod', 'flow', 'Colliding');
      const doc = await content(PROD.account, prod.Id, 'flow', flow.id!);
      assert.equal(param(doc, 'short', 'LambdaFunctionARN'), lambdaArn(PROD.account, 'foo-prod'));
      assert.equal(
        param(doc, 'long', 'LambdaFunctionARN'),
        lambdaArn(PROD.account, 'foo-dev-helper-prod'),
      );
    });
  });

  describe('field report extra: qualifiers ($LATEST, :$SAVED, versions, aliases, views) are kept', () => {
    it('rewrites the ARN before each qualifier and keeps the qualifier literal', async () => {
      const devId = '0a0a0a0a-1111-4222-8333-444455556666';
      const target = 'b1b1b1b1-1111-4222-8333-444455556666';
      const savedArn = `arn:aws:connect:us-east-1:${DEV.account}:instance/${devId}/contact-flow/${target}:$SAVED`;
      const awsView = 'arn:aws:connect:us-east-1:aws:view/detail:$LATEST';
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Qualified',
            actions: [
              invoke('alias', lambdaArn(DEV.account, 'dev-lookup', ':live'), 'version'),
              invoke('version', lambdaArn(DEV.account, 'dev-lookup', ':3'), 'latest'),
              invoke('latest', lambdaArn(DEV.account, 'dev-lookup', ':$LATEST'), 'attrs'),
              step('attrs', 'UpdateContactAttributes', {
                Attributes: { saved: savedArn, view: awsView },
                TargetContact: 'Current',
              }),
              endAction(),
            ],
          },
        ],
        {
          id: devId,
          alias: 'dev',
          account: DEV.account,
          region: DEV.region,
          names: { [target]: 'Target' },
        },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { lambdaFunctions: ['prod-lookup'] },
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { prefix: 'dev-' } },
        prod: { lambda: { prefix: 'prod-' } },
      });
      await copyAndPush(repo, prod);
      const flows = JSON.parse((await repo.store.readBranchFiles('env/prod')).get('mapping.json')!)
        .resources.flow as Record<string, { id: string; arn: string }>;
      const doc = await content(PROD.account, prod.Id, 'flow', flows.Qualified.id);
      const fn = lambdaArn(PROD.account, 'prod-lookup');
      assert.equal(param(doc, 'alias', 'LambdaFunctionARN'), `${fn}:live`);
      assert.equal(param(doc, 'version', 'LambdaFunctionARN'), `${fn}:3`);
      assert.equal(param(doc, 'latest', 'LambdaFunctionARN'), `${fn}:$LATEST`);
      assert.deepEqual(param(doc, 'attrs', 'Attributes'), {
        saved: `${flows.Target.arn}:$SAVED`,
        view: awsView,
      });
    });
  });

  describe('field report #21: Lambda associations are pulled into integrations.json', () => {
    it('lists every associated function by portable name, used by a flow or not', async () => {
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Entry',
            actions: [invoke('fn', lambdaArn(DEV.account, 'dev-lookup')), endAction()],
          },
        ],
        {
          alias: 'dev',
          account: DEV.account,
          region: DEV.region,
          resources: { lambdaFunctions: ['dev-audit'] },
        },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { lambdaFunctions: ['prod-audit', 'prod-lookup'] },
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { prefix: 'dev-' } },
        prod: { lambda: { prefix: 'prod-' } },
      });
      const integrations = async (branch: string) =>
        JSON.parse((await repo.store.readBranchFiles(branch)).get('integrations.json')!) as {
          LambdaFunctions: string[];
        };
      assert.deepEqual((await integrations('env/dev')).LambdaFunctions, ['audit', 'lookup']);
      // Two environments with the same associations agree on the file.
      assert.deepEqual(await integrations('env/prod'), await integrations('env/dev'));
    });
  });

  describe('field report #21: push associates the Lambda functions the branch lists', () => {
    it('associates a function deployed in the target but not associated, then its flow', async () => {
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Entry',
            actions: [invoke('fn', lambdaArn(DEV.account, 'dev-lookup')), endAction()],
          },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
      });
      // Deployed in prod's account, never associated with the instance.
      await emu.lambda(PROD.account, PROD.region).send(
        new CreateFunctionCommand({
          FunctionName: 'prod-lookup',
          Runtime: 'nodejs20.x',
          Role: `arn:aws:iam::${PROD.account}:role/lambda`,
          Handler: 'index.handler',
          Code: { ZipFile: Buffer.from('exports.handler = async () => ({})') },
        }),
      );
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { prefix: 'dev-' } },
        prod: { lambda: { prefix: 'prod-' } },
      });

      const dry = await copyAndPush(repo, prod, { dryRun: true });
      assert.deepEqual(
        dry.push!.associations.map((a) => a.name),
        ['lookup'],
      );
      const copied = await copyAndPush(repo, prod);
      assert.deepEqual(
        copied.push!.associations.map((a) => a.arn),
        [lambdaArn(PROD.account, 'prod-lookup')],
      );

      const associated = await emu
        .connect(PROD.account)
        .send(new ListLambdaFunctionsCommand({ InstanceId: prod.Id }));
      assert.deepEqual(associated.LambdaFunctions, [lambdaArn(PROD.account, 'prod-lookup')]);
      const entry = await content(
        PROD.account,
        prod.Id,
        'flow',
        (await idOf(repo, 'env/prod', 'flow', 'Entry')).id!,
      );
      assert.equal(param(entry, 'fn', 'LambdaFunctionARN'), lambdaArn(PROD.account, 'prod-lookup'));
      const again = await push(repo, 'prod', prod);
      assert.deepEqual(again.associations, [], 'a second push associates nothing');
    });

    it('stops before any write when the function is not deployed in the target', async () => {
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Entry',
            actions: [invoke('fn', lambdaArn(DEV.account, 'dev-lookup')), endAction()],
          },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lambda: { prefix: 'dev-' } },
        prod: { lambda: { prefix: 'prod-' } },
      });
      await assert.rejects(copyAndPush(repo, prod), /\{\{cc:arn:lambda:lookup\}\}/);
    });
  });

  describe('field report #2: a Lex V2 alias is mapped by bot and alias name', () => {
    it("points ConnectParticipantWithLexBot at the target's alias of the same names", async () => {
      const devBot = `arn:aws:lex:us-east-1:${DEV.account}:bot-alias/DEVBOT0001/DEVALIAS01`;
      const dev = await seedSpecs(
        emu,
        [
          {
            name: 'Orders IVR',
            actions: [
              step('lex', 'ConnectParticipantWithLexBot', {
                Text: 'How can I help?',
                LexV2Bot: { AliasArn: devBot },
              }),
              endAction(),
            ],
            actionMetadata: { lex: { lexV2BotName: 'dev-orders', lexV2BotAliasName: 'live' } },
          },
        ],
        { alias: 'dev', account: DEV.account, region: DEV.region },
      );
      const prod = await seedSpecs(emu, [], {
        alias: 'prod',
        account: PROD.account,
        region: PROD.region,
        resources: { lexV2Bots: [{ name: 'prod-orders', aliases: ['test', 'live'] }] },
      });
      await pullBoth(emu, repo, dev, prod, {
        dev: { lex: { prefix: 'dev-' } },
        prod: { lex: { prefix: 'prod-' } },
      });
      const devFlow = await fileByName(repo, 'env/dev', 'flows', 'Orders IVR');
      assert.match(
        JSON.stringify(devFlow.body.Content),
        /\{\{cc:arn:lex-v2-alias:orders\/live\}\}/,
      );
      const prodAlias = (await idOf(repo, 'env/prod', 'lex-v2-alias', 'orders/live')).arn!;
      assert.match(prodAlias, new RegExp(`^arn:aws:lex:us-east-1:${PROD.account}:bot-alias/`));

      await copyAndPush(repo, prod);
      const flow = await idOf(repo, 'env/prod', 'flow', 'Orders IVR');
      const doc = await content(PROD.account, prod.Id, 'flow', flow.id!);
      assert.deepEqual(param(doc, 'lex', 'LexV2Bot'), { AliasArn: prodAlias });
      // The rerun plans nothing: the remapped alias reads back as the same token.
      const plan = await push(repo, 'prod', prod, { dryRun: true });
      assert.equal(plan.plan.summary.create + plan.plan.summary.update, 0);
    });
  });
});
