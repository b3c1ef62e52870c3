/**
 * An instance's Lambda and Lex associations, and its phone numbers. Associations are stored as
 * given (ARN strings, V1 name + region): Connect does not normalise them either.
 */
import { bodyPage, paginate, PageLimits, queryPage } from '../common';
import { invalidParameter, notFound, resourceConflict, serviceQuotaExceeded } from '../errors';
import { instanceArn, LexV1BotRef } from '../model';
import type { RequestContext } from '../router';
import { route } from './shared';

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9-_$]+)?$/;
const LEX_V2_ALIAS_ARN =
  /^arn:aws[a-z-]*:lex:[a-z0-9-]+:\d{12}:bot-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}$/;
const ASSOCIATION_PAGE: PageLimits = { max: 25, defaultPage: 25 };

function lambdaArnOf(value: unknown, member: string): string {
  if (typeof value !== 'string' || value.length > 140 || !LAMBDA_ARN.test(value)) {
    throw invalidParameter(`${member} must be a Lambda function ARN; got ${String(value)}.`);
  }
  return value;
}

type BotRef = { v1: LexV1BotRef } | { v2: string };

/** AssociateBot and DisassociateBot take exactly one of LexBot (V1) and LexV2Bot. */
function botRef(body: Record<string, unknown>): BotRef {
  const v1 = body.LexBot as Partial<LexV1BotRef> | undefined;
  const v2 = body.LexV2Bot as { AliasArn?: unknown } | undefined;
  if (!!v1 === !!v2) throw invalidParameter('Give exactly one of LexBot and LexV2Bot.');
  if (v1) {
    if (typeof v1.Name !== 'string' || typeof v1.LexRegion !== 'string') {
      throw invalidParameter('LexBot needs Name and LexRegion.');
    }
    return { v1: { Name: v1.Name, LexRegion: v1.LexRegion } };
  }
  const alias = v2?.AliasArn;
  if (typeof alias !== 'string' || !LEX_V2_ALIAS_ARN.test(alias)) {
    throw invalidParameter(
      `LexV2Bot.AliasArn must be a Lex V2 bot alias ARN; got ${String(alias)}.`,
    );
  }
  return { v2: alias };
}

const sameV1 = (a: LexV1BotRef) => (b: LexV1BotRef) =>
  a.Name === b.Name && a.LexRegion === b.LexRegion;

/** V1 and V2 associations share one quota. */
function associateBot(ctx: RequestContext, ref: BotRef): void {
  const instance = ctx.instance();
  const known =
    'v1' in ref ? instance.lexBots.some(sameV1(ref.v1)) : instance.lexV2Bots.includes(ref.v2);
  if (known) throw resourceConflict('The bot is already associated with the instance.');
  const quota = ctx.emulator.options.quotas.lexBots;
  if (instance.lexBots.length + instance.lexV2Bots.length >= quota) {
    throw serviceQuotaExceeded(`An instance can have at most ${quota} Lex bots.`);
  }
  if ('v1' in ref) instance.lexBots.push(ref.v1);
  else instance.lexV2Bots.push(ref.v2);
}

export const integrationRoutes = [
  route('GET', '/instance/{InstanceId}/lambda-functions', 'ListLambdaFunctions', (ctx) => {
    const functions = ctx.instance().lambdaFunctions;
    const { page, nextToken } = paginate(ctx, functions, ASSOCIATION_PAGE, queryPage(ctx));
    return { LambdaFunctions: page, NextToken: nextToken };
  }),
  route('PUT', '/instance/{InstanceId}/lambda-function', 'AssociateLambdaFunction', (ctx) => {
    const instance = ctx.instance();
    const arn = lambdaArnOf(ctx.body.FunctionArn, 'FunctionArn');
    if (instance.lambdaFunctions.includes(arn)) {
      throw resourceConflict(`Function ${arn} is already associated with the instance.`);
    }
    const quota = ctx.emulator.options.quotas.lambdaFunctions;
    if (instance.lambdaFunctions.length >= quota) {
      throw serviceQuotaExceeded(`An instance can have at most ${quota} Lambda functions.`);
    }
    instance.lambdaFunctions.push(arn);
    // The console documents that associating grants Connect permission to invoke the function.
    const fn = Object.values(ctx.state.lambdaFunctions).find(
      (f) => arn === `arn:aws:lambda:${f.Region}:${f.Account}:function:${f.FunctionName}`,
    );
    fn?.Policy.push({
      Sid: `connect-${instance.Id}`,
      Effect: 'Allow',
      Principal: { Service: 'connect.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: arn,
      Condition: { ArnLike: { 'AWS:SourceArn': instanceArn(instance) } },
    });
    return {};
  }),
  route('DELETE', '/instance/{InstanceId}/lambda-function', 'DisassociateLambdaFunction', (ctx) => {
    const instance = ctx.instance();
    const arn = lambdaArnOf(ctx.query.get('functionArn') ?? undefined, 'functionArn');
    if (!instance.lambdaFunctions.includes(arn)) {
      throw notFound(`Function ${arn} is not associated with the instance.`);
    }
    instance.lambdaFunctions = instance.lambdaFunctions.filter((f) => f !== arn);
    return {};
  }),
  route('GET', '/instance/{InstanceId}/bots', 'ListBots', (ctx) => {
    const instance = ctx.instance();
    const version = ctx.query.get('lexVersion');
    const rows: object[] | undefined =
      version === 'V1'
        ? instance.lexBots.map((bot) => ({ LexBot: { ...bot } }))
        : version === 'V2'
          ? instance.lexV2Bots.map((AliasArn) => ({ LexV2Bot: { AliasArn } }))
          : undefined;
    if (!rows) throw invalidParameter('lexVersion is required: V1 or V2.');
    const { page, nextToken } = paginate(ctx, rows, ASSOCIATION_PAGE, queryPage(ctx));
    return { LexBots: page, NextToken: nextToken };
  }),
  route('PUT', '/instance/{InstanceId}/bot', 'AssociateBot', (ctx) => {
    associateBot(ctx, botRef(ctx.body));
    return {};
  }),
  route('POST', '/instance/{InstanceId}/bot', 'DisassociateBot', (ctx) => {
    const instance = ctx.instance();
    const ref = botRef(ctx.body);
    if ('v1' in ref) {
      if (!instance.lexBots.some(sameV1(ref.v1))) throw notFound('The bot is not associated.');
      instance.lexBots = instance.lexBots.filter((b) => !sameV1(ref.v1)(b));
    } else {
      if (!instance.lexV2Bots.includes(ref.v2)) throw notFound('The bot is not associated.');
      instance.lexV2Bots = instance.lexV2Bots.filter((a) => a !== ref.v2);
    }
    return {};
  }),
  route('GET', '/instance/{InstanceId}/lex-bots', 'ListLexBots', (ctx) => {
    const bots = ctx.instance().lexBots.map((bot) => ({ ...bot }));
    const { page, nextToken } = paginate(ctx, bots, { max: 25, defaultPage: 10 }, queryPage(ctx));
    return { LexBots: page, NextToken: nextToken };
  }),
  route('PUT', '/instance/{InstanceId}/lex-bot', 'AssociateLexBot', (ctx) => {
    if (ctx.body.LexBot === undefined) throw invalidParameter('LexBot is required.');
    associateBot(ctx, botRef({ LexBot: ctx.body.LexBot }));
    return {};
  }),
  // The emulator claims no phone numbers; the answer still has the right shape and paging.
  route('POST', '/phone-number/list', 'ListPhoneNumbersV2', (ctx) => {
    if (ctx.body.InstanceId !== undefined) ctx.instance();
    const { page, nextToken } = paginate(ctx, [], { max: 1000, defaultPage: 100 }, bodyPage(ctx));
    return { ListPhoneNumbersSummaryList: page, NextToken: nextToken };
  }),
];
