/**
 * The slice of the Lex V2 models API needed to provision bots and aliases that Connect can
 * associate. @aws-sdk/client-lex-models-v2 is not installed here: the paths follow the public
 * Lex V2 API reference (note the trailing slashes). Lex has no `/instance/...` paths, and Connect
 * none under `/bots/`, so the two never collide.
 */
import { randomInt } from 'node:crypto';
import { paginate } from '../common';
import { invalidParameter, notFound, duplicate } from '../errors';
import { LexV2BotRecord, nowSeconds } from '../model';
import type { RequestContext, Route } from '../router';
import { route } from './shared';

/** The alias every bot gets for its draft version. */
export const TEST_ALIAS_ID = 'TSTALIASID';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LEX_PAGE = { max: 1000, defaultPage: 100 };

function lexId(): string {
  return Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** Lex list operations are POSTs whose paging members are camelCase body members. */
const lexPage = (ctx: RequestContext) => ({
  nextToken: ctx.body.nextToken,
  maxResults: ctx.body.maxResults,
});

const key = (account: string, region: string, botId: string) => `${account}:${region}:${botId}`;

function getBot(ctx: RequestContext): LexV2BotRecord {
  const botId = ctx.params.botId ?? '';
  const bot = ctx.state.lexV2Bots[key(ctx.account, ctx.region, botId)];
  if (!bot) throw notFound(`Bot ${botId} was not found.`);
  return bot;
}

function getAlias(ctx: RequestContext) {
  const bot = getBot(ctx);
  const alias = bot.Aliases.find((a) => a.BotAliasId === ctx.params.botAliasId);
  if (!alias) throw notFound(`Bot alias ${ctx.params.botAliasId ?? ''} was not found.`);
  return { bot, alias };
}

function botShape(bot: LexV2BotRecord) {
  return {
    botId: bot.BotId,
    botName: bot.BotName,
    description: bot.Description,
    roleArn: bot.RoleArn,
    dataPrivacy: { childDirected: false },
    idleSessionTTLInSeconds: 300,
    botStatus: 'Available',
    creationDateTime: bot.CreatedTime,
    lastUpdatedDateTime: bot.CreatedTime,
    botType: 'Bot',
  };
}

function aliasShape(bot: LexV2BotRecord, alias: LexV2BotRecord['Aliases'][number]) {
  return {
    botAliasId: alias.BotAliasId,
    botAliasName: alias.BotAliasName,
    botVersion: alias.BotVersion ?? 'DRAFT',
    botAliasStatus: 'Available',
    botId: bot.BotId,
    creationDateTime: bot.CreatedTime,
    lastUpdatedDateTime: bot.CreatedTime,
  };
}

const lexRoute = (
  method: string,
  path: string,
  operation: string,
  handler: (ctx: RequestContext) => unknown,
) => route(method, path, operation, handler, 'lex');

/**
 * The Lex V2 models API reference writes paths with a trailing slash (`/bots/{botId}/`), while
 * the current SDK sends them without one; both are served.
 */
const withAndWithoutSlash = (routes: Route[]): Route[] =>
  routes.flatMap((r) => [r, { ...r, path: r.path.replace(/\/$/, '') }]);

export const lexRoutes = withAndWithoutSlash([
  lexRoute('PUT', '/bots/', 'CreateBot', (ctx) => {
    const name = ctx.body.botName;
    if (typeof name !== 'string' || !/^([0-9a-zA-Z][_-]?){1,100}$/.test(name)) {
      throw invalidParameter('botName must be 1-100 letters, digits, - or _.');
    }
    const mine = Object.values(ctx.state.lexV2Bots).filter(
      (b) => b.Account === ctx.account && b.Region === ctx.region,
    );
    if (mine.some((b) => b.BotName === name))
      throw duplicate(`A bot named ${name} already exists.`);
    const bot: LexV2BotRecord = {
      BotId: lexId(),
      BotName: name,
      Account: ctx.account,
      Region: ctx.region,
      Description: typeof ctx.body.description === 'string' ? ctx.body.description : undefined,
      RoleArn: typeof ctx.body.roleArn === 'string' ? ctx.body.roleArn : undefined,
      CreatedTime: nowSeconds(),
      Aliases: [{ BotAliasId: TEST_ALIAS_ID, BotAliasName: 'TestBotAlias', BotVersion: 'DRAFT' }],
    };
    ctx.state.lexV2Bots[key(ctx.account, ctx.region, bot.BotId)] = bot;
    ctx.status = 202;
    return { ...botShape(bot), botStatus: 'Creating' };
  }),
  lexRoute('GET', '/bots/{botId}/', 'DescribeBot', (ctx) => botShape(getBot(ctx))),
  lexRoute('POST', '/bots/', 'ListBots', (ctx) => {
    const bots = Object.values(ctx.state.lexV2Bots)
      .filter((b) => b.Account === ctx.account && b.Region === ctx.region)
      .sort((a, b) => (a.BotId < b.BotId ? -1 : 1));
    const { page, nextToken } = paginate(ctx, bots, LEX_PAGE, lexPage(ctx));
    return {
      botSummaries: page.map((bot) => {
        const { botId, botName, description, botStatus, lastUpdatedDateTime, botType } =
          botShape(bot);
        return { botId, botName, description, botStatus, lastUpdatedDateTime, botType };
      }),
      nextToken,
    };
  }),
  lexRoute('PUT', '/bots/{botId}/botaliases/', 'CreateBotAlias', (ctx) => {
    const bot = getBot(ctx);
    const name = ctx.body.botAliasName;
    if (typeof name !== 'string' || !/^([0-9a-zA-Z][_-]?){1,100}$/.test(name)) {
      throw invalidParameter('botAliasName must be 1-100 letters, digits, - or _.');
    }
    if (bot.Aliases.some((a) => a.BotAliasName === name)) {
      throw duplicate(`Bot ${bot.BotId} already has an alias named ${name}.`);
    }
    const alias = {
      BotAliasId: lexId(),
      BotAliasName: name,
      BotVersion: typeof ctx.body.botVersion === 'string' ? ctx.body.botVersion : 'DRAFT',
    };
    bot.Aliases.push(alias);
    ctx.status = 202;
    return { ...aliasShape(bot, alias), botAliasStatus: 'Creating' };
  }),
  lexRoute('GET', '/bots/{botId}/botaliases/{botAliasId}/', 'DescribeBotAlias', (ctx) => {
    const { bot, alias } = getAlias(ctx);
    return aliasShape(bot, alias);
  }),
  lexRoute('POST', '/bots/{botId}/botaliases/', 'ListBotAliases', (ctx) => {
    const bot = getBot(ctx);
    const { page, nextToken } = paginate(ctx, bot.Aliases, LEX_PAGE, lexPage(ctx));
    return { botAliasSummaries: page.map((a) => aliasShape(bot, a)), nextToken, botId: bot.BotId };
  }),
]);

/** The ARN Connect's AssociateBot and flows use for a Lex V2 alias. */
export function lexAliasArn(bot: LexV2BotRecord, aliasId: string): string {
  return `arn:aws:lex:${bot.Region}:${bot.Account}:bot-alias/${bot.BotId}/${aliasId}`;
}
