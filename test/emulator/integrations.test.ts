import { strict as assert } from 'node:assert';
import {
  AssociateBotCommand,
  AssociateLambdaFunctionCommand,
  AssociateLexBotCommand,
  DisassociateBotCommand,
  DisassociateLambdaFunctionCommand,
  InvalidParameterException,
  ListBotsCommand,
  ListLambdaFunctionsCommand,
  ListLexBotsCommand,
  ListPhoneNumbersV2Command,
  ResourceConflictException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
} from '@aws-sdk/client-connect';
import { CreateFunctionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { DEV_ACCOUNT } from '../helpers/emulator';
import { allPages, useEmulator } from './fixtures';

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${DEV_ACCOUNT}:function:${name}`;
const aliasArn = (bot: string) =>
  `arn:aws:lex:us-east-1:${DEV_ACCOUNT}:bot-alias/${bot}/TSTALIASID`;

describe('emulator: Lambda and Lex associations, phone numbers', () => {
  const t = useEmulator();
  const associate = (FunctionArn: string) =>
    t.client.send(new AssociateLambdaFunctionCommand({ InstanceId: t.fx.instanceId, FunctionArn }));

  it('associates functions, lists ARN strings 25 a page, disassociates', async () => {
    for (let i = 0; i < 27; i++) await associate(fnArn(`fn-${i}`));
    await assert.rejects(associate(fnArn('fn-3')), ResourceConflictException);
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListLambdaFunctionsCommand({ InstanceId: t.fx.instanceId, MaxResults: 25, NextToken }),
      );
      return { items: page.LambdaFunctions, next: page.NextToken };
    });
    assert.equal(pages, 2);
    assert.equal(items.length, 27);
    assert.ok(items.includes(fnArn('fn-26')));
    await assert.rejects(
      t.client.send(
        new ListLambdaFunctionsCommand({ InstanceId: t.fx.instanceId, MaxResults: 26 }),
      ),
      InvalidParameterException,
    );
    await t.client.send(
      new DisassociateLambdaFunctionCommand({
        InstanceId: t.fx.instanceId,
        FunctionArn: fnArn('fn-0'),
      }),
    );
    const after = await t.client.send(
      new ListLambdaFunctionsCommand({ InstanceId: t.fx.instanceId }),
    );
    assert.ok(!after.LambdaFunctions?.includes(fnArn('fn-0')));
    await assert.rejects(
      t.client.send(
        new DisassociateLambdaFunctionCommand({
          InstanceId: t.fx.instanceId,
          FunctionArn: fnArn('fn-0'),
        }),
      ),
      ResourceNotFoundException,
    );
  });

  it('refuses a 51st function with ServiceQuotaExceededException', async () => {
    for (let i = 0; i < 50; i++) await associate(fnArn(`f${i}`));
    await assert.rejects(associate(fnArn('one-too-many')), ServiceQuotaExceededException);
  });

  it('grants Connect permission on an existing function when associating it', async () => {
    const lambda = t.emu.lambda();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'lookup',
        Role: `arn:aws:iam::${DEV_ACCOUNT}:role/lambda`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: Buffer.from('zip') },
      }),
    );
    await associate(fnArn('lookup'));
    const { Policy } = await lambda.send(new GetPolicyCommand({ FunctionName: 'lookup' }));
    const statement = JSON.parse(Policy!).Statement[0];
    assert.deepEqual(statement.Principal, { Service: 'connect.amazonaws.com' });
    assert.equal(statement.Condition.ArnLike['AWS:SourceArn'], t.fx.arn);
  });

  it('associates V1 and V2 bots and lists them by lexVersion', async () => {
    const id = { InstanceId: t.fx.instanceId };
    await t.client.send(
      new AssociateBotCommand({ ...id, LexBot: { Name: 'OrderFlowers', LexRegion: 'us-east-1' } }),
    );
    await t.client.send(
      new AssociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('ABCDEFGHIJ') } }),
    );
    await t.client.send(
      new AssociateLexBotCommand({ ...id, LexBot: { Name: 'BookTrip', LexRegion: 'eu-west-2' } }),
    );
    await assert.rejects(
      t.client.send(
        new AssociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('ABCDEFGHIJ') } }),
      ),
      ResourceConflictException,
    );
    await assert.rejects(
      t.client.send(
        new AssociateLexBotCommand({ ...id, LexBot: { Name: 'BookTrip', LexRegion: 'eu-west-2' } }),
      ),
      ResourceConflictException,
    );
    const v1 = await t.client.send(new ListBotsCommand({ ...id, LexVersion: 'V1' }));
    assert.deepEqual(v1.LexBots, [
      { LexBot: { Name: 'OrderFlowers', LexRegion: 'us-east-1' } },
      { LexBot: { Name: 'BookTrip', LexRegion: 'eu-west-2' } },
    ]);
    const v2 = await t.client.send(new ListBotsCommand({ ...id, LexVersion: 'V2' }));
    assert.deepEqual(v2.LexBots, [{ LexV2Bot: { AliasArn: aliasArn('ABCDEFGHIJ') } }]);
    const legacy = await t.client.send(new ListLexBotsCommand(id));
    assert.deepEqual(
      legacy.LexBots?.map((b) => b.Name),
      ['OrderFlowers', 'BookTrip'],
    );

    await t.client.send(
      new DisassociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('ABCDEFGHIJ') } }),
    );
    const empty = await t.client.send(new ListBotsCommand({ ...id, LexVersion: 'V2' }));
    assert.deepEqual(empty.LexBots, []);
    await assert.rejects(
      t.client.send(
        new DisassociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('ABCDEFGHIJ') } }),
      ),
      ResourceNotFoundException,
    );
  });

  it('enforces the Lex bot quota with ServiceQuotaExceededException', async () => {
    await t.emu.control.setOptions({ quotas: { lexBots: 1 } as never });
    const id = { InstanceId: t.fx.instanceId };
    await t.client.send(
      new AssociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('AAAAAAAAAA') } }),
    );
    await assert.rejects(
      t.client.send(
        new AssociateBotCommand({ ...id, LexV2Bot: { AliasArn: aliasArn('BBBBBBBBBB') } }),
      ),
      ServiceQuotaExceededException,
    );
  });

  it('lists no phone numbers, in the right shape', async () => {
    const result = await t.client.send(
      new ListPhoneNumbersV2Command({ InstanceId: t.fx.instanceId, MaxResults: 10 }),
    );
    assert.deepEqual(result.ListPhoneNumbersSummaryList, []);
    assert.equal(result.NextToken, undefined);
    await assert.rejects(
      t.client.send(
        new ListPhoneNumbersV2Command({ InstanceId: '00000000-0000-4000-8000-000000000000' }),
      ),
      ResourceNotFoundException,
    );
  });
});
