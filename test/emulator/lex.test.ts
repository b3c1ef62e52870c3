/**
 * @aws-sdk/client-lex-models-v2 is not a dependency, so these requests are made by hand in the
 * shape that client sends (restJson1, camelCase members, SigV4 scope naming the service).
 */
import { strict as assert } from 'node:assert';
import { DEV_ACCOUNT, startEmulator, TestEmulator } from '../helpers/emulator';

describe('emulator: Lex V2 models API', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(() => emu.control.reset());

  async function lex(method: string, path: string, body?: unknown, account = DEV_ACCOUNT) {
    const response = await fetch(`${emu.url}${path}`, {
      method,
      headers: {
        authorization:
          `AWS4-HMAC-SHA256 Credential=AKIA${account}/20260101/us-east-1/lex/aws4_request, ` +
          'SignedHeaders=host, Signature=0',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      errorType: response.headers.get('x-amzn-errortype') ?? undefined,
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('creates a bot with a TSTALIASID alias, adds an alias, lists and describes', async () => {
    const created = await lex('PUT', '/bots/', {
      botName: 'OrderFlowers',
      roleArn: `arn:aws:iam::${DEV_ACCOUNT}:role/lex`,
      dataPrivacy: { childDirected: false },
      idleSessionTTLInSeconds: 300,
    });
    assert.equal(created.status, 202);
    const botId = created.body.botId as string;
    assert.match(botId, /^[0-9A-Z]{10}$/);
    assert.equal(typeof created.body.creationDateTime, 'number');

    const described = await lex('GET', `/bots/${botId}/`);
    assert.equal(described.body.botName, 'OrderFlowers');
    assert.equal(described.body.botStatus, 'Available');

    const alias = await lex('PUT', `/bots/${botId}/botaliases/`, {
      botAliasName: 'prod',
      botVersion: '1',
    });
    assert.equal(alias.status, 202);
    const aliasId = alias.body.botAliasId as string;
    assert.match(aliasId, /^[0-9A-Z]{10}$/);

    const aliases = await lex('POST', `/bots/${botId}/botaliases/`, {});
    const summaries = aliases.body.botAliasSummaries as {
      botAliasId: string;
      botAliasName: string;
    }[];
    assert.deepEqual(
      summaries.map((a) => [a.botAliasId, a.botAliasName]),
      [
        ['TSTALIASID', 'TestBotAlias'],
        [aliasId, 'prod'],
      ],
    );
    const test = await lex('GET', `/bots/${botId}/botaliases/TSTALIASID/`);
    assert.equal(test.body.botVersion, 'DRAFT');

    const bots = await lex('POST', '/bots/', { maxResults: 10 });
    assert.deepEqual(
      (bots.body.botSummaries as { botId: string }[]).map((b) => b.botId),
      [botId],
    );
    const otherAccount = await lex('POST', '/bots/', {}, '444455556666');
    assert.deepEqual(otherAccount.body.botSummaries, []);
  });

  it('answers unknown bots and aliases with ResourceNotFoundException', async () => {
    const missingBot = await lex('GET', '/bots/ZZZZZZZZZZ/');
    assert.equal(missingBot.status, 404);
    assert.match(missingBot.errorType!, /^ResourceNotFoundException/);
    const { body } = await lex('PUT', '/bots/', { botName: 'B' });
    const missingAlias = await lex('GET', `/bots/${body.botId as string}/botaliases/ZZZZZZZZZZ/`);
    assert.equal(missingAlias.status, 404);
  });
});
