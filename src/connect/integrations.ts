/**
 * Lambda functions and Lex bots are deployed per environment beforehand, but associating them
 * with the instance is part of what a push makes match: the branch's integrations.json lists them
 * by portable name, and each one the target instance lacks is found in the target account (so a
 * missing function stays an unresolved reference, never a broken association) and associated.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { ListBotAliasesCommand, ListBotsCommand } from '@aws-sdk/client-lex-models-v2';
import { AssociateBotCommand, AssociateLambdaFunctionCommand } from '@aws-sdk/client-connect';
import type { Mapping } from '../core/mapping';
import { lambdaArn, realLambdaName, realName, type LambdaOverrides } from '../core/naming';
import type { Clients } from './clients';
import { translateError } from './errors';

export interface WantedIntegrations {
  /** Portable Lambda names, a qualifier after `:` kept (`lookup:live`). */
  lambdaFunctions: string[];
  /** Portable Lex V2 aliases, `<bot>/<alias>`. */
  lexV2Aliases: string[];
}

export interface Association {
  kind: 'lambda' | 'lex-v2-alias';
  /** The portable name, as the branch's tokens say it. */
  name: string;
  arn: string;
}

/** Reads the branch's integrations.json; absent or unreadable means nothing is wanted. */
export function wantedIntegrations(text: string | undefined): WantedIntegrations {
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const list = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    lambdaFunctions: list(json.LambdaFunctions),
    lexV2Aliases: list(json.LexV2Aliases),
  };
}

/**
 * The associations the target lacks, looked up in its account: functions by their real name
 * (naming rule or override), Lex V2 aliases by bot and alias name. What does not exist there is
 * left out, so the plan reports the references to it as unresolved.
 */
export async function findMissingAssociations(
  clients: Clients,
  target: Mapping,
  wanted: WantedIntegrations,
  overrides: LambdaOverrides,
): Promise<Association[]> {
  const { region, account } = target.instance;
  const found: Association[] = [];
  try {
    for (const entry of wanted.lambdaFunctions) {
      const [portable, qualifier] = entry.split(':');
      if (target.resources.lambda?.[portable]) continue;
      const name = realLambdaName(portable, target.naming, overrides);
      const arn = lambdaArn({ partition: 'aws', region, account, name });
      if (
        !(await exists(() => clients.lambda.send(new GetFunctionCommand({ FunctionName: arn }))))
      ) {
        continue;
      }
      found.push({ kind: 'lambda', name: portable, arn: qualifier ? `${arn}:${qualifier}` : arn });
    }
    for (const portable of wanted.lexV2Aliases) {
      if (target.resources['lex-v2-alias']?.[portable]) continue;
      const [bot, alias] = portable.split('/');
      const arn = await findLexAlias(clients, realName(bot, target.naming.lex), alias, target);
      if (arn) found.push({ kind: 'lex-v2-alias', name: portable, arn });
    }
  } catch (error) {
    throw translateError(error, clients.context);
  }
  return found;
}

export async function associate(
  clients: Clients,
  instanceId: string,
  associations: Association[],
): Promise<void> {
  for (const a of associations) {
    try {
      if (a.kind === 'lambda') {
        await clients.connect.send(
          new AssociateLambdaFunctionCommand({ InstanceId: instanceId, FunctionArn: a.arn }),
        );
      } else {
        await clients.connect.send(
          new AssociateBotCommand({ InstanceId: instanceId, LexV2Bot: { AliasArn: a.arn } }),
        );
      }
    } catch (error) {
      throw translateError(error, { ...clients.context, instance: instanceId });
    }
  }
}

/** The target mapping with the found associations in it, so their tokens resolve. */
export function withAssociations(target: Mapping, associations: Association[]): Mapping {
  const resources = { ...target.resources };
  for (const a of associations) {
    const arn = a.kind === 'lambda' ? a.arn.split(':').slice(0, 7).join(':') : a.arn;
    resources[a.kind] = { ...(resources[a.kind] ?? {}), [a.name]: { arn } };
  }
  return { ...target, resources };
}

async function exists(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

async function findLexAlias(
  clients: Clients,
  botName: string,
  aliasName: string,
  target: Mapping,
): Promise<string | undefined> {
  const bots = await clients.lex.send(
    new ListBotsCommand({
      filters: [{ name: 'BotName', values: [botName], operator: 'EQ' }],
    }),
  );
  const bot = bots.botSummaries?.find((b) => b.botName === botName);
  if (!bot?.botId) return undefined;
  const aliases = await clients.lex.send(new ListBotAliasesCommand({ botId: bot.botId }));
  const alias = aliases.botAliasSummaries?.find((a) => a.botAliasName === aliasName);
  if (!alias?.botAliasId) return undefined;
  const { region, account } = target.instance;
  return `arn:aws:lex:${region}:${account}:bot-alias/${bot.botId}/${alias.botAliasId}`;
}
