import { strict as assert } from 'node:assert';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetPolicyCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { DEV_ACCOUNT, PROD_ACCOUNT, startEmulator, TestEmulator } from '../helpers/emulator';

describe('emulator: Lambda API', () => {
  let emu: TestEmulator;
  let lambda: LambdaClient;
  before(async () => {
    emu = await startEmulator();
    lambda = emu.lambda();
  });
  after(() => emu.stop());
  beforeEach(() => emu.control.reset());

  const zip = Buffer.from('PK\u0003\u0004 not really a zip');
  const create = (FunctionName: string, client = lambda) =>
    client.send(
      new CreateFunctionCommand({
        FunctionName,
        Role: `arn:aws:iam::${DEV_ACCOUNT}:role/service-role/basic`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Description: 'test function',
        Code: { ZipFile: zip },
        Tags: { app: 'connect' },
      }),
    );
  const arn = (name: string) => `arn:aws:lambda:us-east-1:${DEV_ACCOUNT}:function:${name}`;

  it('creates a function with a realistic configuration and refuses a second one', async () => {
    const config = await create('greet');
    assert.equal(config.FunctionArn, arn('greet'));
    assert.equal(config.Version, '$LATEST');
    assert.equal(config.CodeSize, zip.length);
    assert.equal(config.CodeSha256, createHash('sha256').update(zip).digest('base64'));
    assert.match(config.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(config.Timeout, 3);
    await assert.rejects(create('greet'), ResourceConflictException);
  });

  it('gets a function by name, ARN, partial ARN, name:qualifier and Qualifier', async () => {
    await create('greet');
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'greet', Name: 'live', FunctionVersion: '$LATEST' }),
    );
    const forms: { FunctionName: string; Qualifier?: string; expectArn: string }[] = [
      { FunctionName: 'greet', expectArn: arn('greet') },
      { FunctionName: arn('greet'), expectArn: arn('greet') },
      { FunctionName: `${DEV_ACCOUNT}:function:greet`, expectArn: arn('greet') },
      { FunctionName: 'greet:live', expectArn: `${arn('greet')}:live` },
      { FunctionName: `${arn('greet')}:live`, expectArn: `${arn('greet')}:live` },
      { FunctionName: 'greet', Qualifier: 'live', expectArn: `${arn('greet')}:live` },
      { FunctionName: 'greet', Qualifier: '$LATEST', expectArn: arn('greet') },
    ];
    for (const { expectArn, ...input } of forms) {
      const result = await lambda.send(new GetFunctionCommand(input));
      assert.equal(result.Configuration?.FunctionArn, expectArn, JSON.stringify(input));
      assert.equal(result.Code?.RepositoryType, 'S3');
      assert.deepEqual(result.Tags, { app: 'connect' });
    }
  });

  it('answers a missing function with 404 "Function not found: <arn>"', async () => {
    await create('greet');
    const cases: [string, string | undefined, string][] = [
      ['nope', undefined, arn('nope')],
      ['greet:gone', undefined, `${arn('greet')}:gone`],
      [
        `arn:aws:lambda:eu-west-1:${DEV_ACCOUNT}:function:greet`,
        undefined,
        `arn:aws:lambda:eu-west-1:${DEV_ACCOUNT}:function:greet`,
      ],
    ];
    for (const [FunctionName, Qualifier, expected] of cases) {
      await assert.rejects(
        lambda.send(new GetFunctionCommand({ FunctionName, Qualifier })),
        (error: unknown) =>
          error instanceof ResourceNotFoundException &&
          error.message === `Function not found: ${expected}` &&
          error.Type === 'User',
      );
    }
  });

  it('lists functions of the caller account and region, at most 50 a page', async () => {
    for (let i = 0; i < 53; i++) await create(`fn-${String(i).padStart(2, '0')}`);
    await create('other-account', emu.lambda(PROD_ACCOUNT));
    const first = await lambda.send(new ListFunctionsCommand({ MaxItems: 1000 }));
    assert.equal(first.Functions?.length, 50);
    assert.ok(first.NextMarker);
    const second = await lambda.send(new ListFunctionsCommand({ Marker: first.NextMarker }));
    assert.equal(second.Functions?.length, 3);
    assert.equal(second.NextMarker, undefined);
    const names = [...first.Functions!, ...second.Functions!].map((f) => f.FunctionName);
    assert.equal(new Set(names).size, 53);
    assert.ok(!names.includes('other-account'));
    const small = await lambda.send(new ListFunctionsCommand({ MaxItems: 20 }));
    assert.equal(small.Functions?.length, 20);
  });

  it('adds permissions (201), reads the policy, lists aliases and deletes', async () => {
    await create('greet');
    const { Statement } = await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'greet',
        StatementId: 'connect',
        Action: 'lambda:InvokeFunction',
        Principal: 'connect.amazonaws.com',
        SourceArn: 'arn:aws:connect:us-east-1:111122223333:instance/x',
      }),
    );
    assert.equal(JSON.parse(Statement!).Sid, 'connect');
    await assert.rejects(
      lambda.send(
        new AddPermissionCommand({
          FunctionName: 'greet',
          StatementId: 'connect',
          Action: 'lambda:InvokeFunction',
          Principal: 'connect.amazonaws.com',
        }),
      ),
      ResourceConflictException,
    );
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: 'greet' }));
    assert.equal(JSON.parse(Policy!).Statement.length, 1);

    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'greet', Name: 'prod', FunctionVersion: '$LATEST' }),
    );
    const { Aliases } = await lambda.send(new ListAliasesCommand({ FunctionName: 'greet' }));
    assert.deepEqual(
      Aliases?.map((a) => a.AliasArn),
      [`${arn('greet')}:prod`],
    );

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet' }));
    await assert.rejects(
      lambda.send(new GetFunctionCommand({ FunctionName: 'greet' })),
      ResourceNotFoundException,
    );
  });
});
