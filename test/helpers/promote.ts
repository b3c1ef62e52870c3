import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ClientOptions } from '../../src/connect/clients';
import type { TestEmulator } from './emulator';
import { seedFolder } from './fixtures';
import { pullFrom, SeededInstance, TestRepo } from './repo';

const run = promisify(execFile);

export const PROD = { account: '444455556666', region: 'eu-west-2' };

export const clientOptionsFor = (account: string): Partial<ClientOptions> => ({
  credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'emulator-secret' },
  quota: false,
});

export async function seed(emu: TestEmulator, files: string[], instanceJson?: unknown) {
  const folder = seedFolder(files, instanceJson);
  try {
    return await emu.control.seed(folder.dir);
  } finally {
    folder.remove();
  }
}

export interface Promotion {
  dev: SeededInstance;
  prod: SeededInstance;
}

/**
 * dev imported from real exports; prod a new instance in another account and region holding its
 * defaults plus what is set up per environment beforehand: dev's prompts, its Lambda functions
 * under prod's naming rule (`prod-`), its Lex bots and its agents. Both are pulled, and prod's
 * naming rule is recorded in the configuration.
 */
export async function prepareDevAndProd(
  emu: TestEmulator,
  repo: TestRepo,
  devFiles: string[],
): Promise<Promotion> {
  const dev = await seed(emu, devFiles);
  await pullFrom(emu, repo, 'dev', dev);
  const devFilesOnBranch = await repo.store.readBranchFiles('env/dev');
  const mapping = JSON.parse(devFilesOnBranch.get('mapping.json')!) as {
    resources: Record<string, Record<string, unknown>>;
  };
  const names = (kind: string) => Object.keys(mapping.resources[kind] ?? {});
  const prod = await seed(emu, [], {
    alias: 'prod',
    account: PROD.account,
    region: PROD.region,
    resources: {
      prompts: names('prompt'),
      users: names('agent'),
      lambdaFunctions: names('lambda').map((name) => `prod-${name}`),
      lexV2Bots: lexBots(names('lex-v2-alias')),
    },
  });
  await pullFrom(emu, repo, 'prod', prod);
  const config = await repo.store.readConfig();
  config.environments.prod.naming.lambda.prefix = 'prod-';
  await repo.store.writeConfig(config, 'prod names its Lambda functions prod-*');
  await pullFrom(emu, repo, 'prod', prod, { again: true });
  return { dev, prod };
}

/** `bot/alias` portable names grouped into bots with their aliases. */
function lexBots(aliases: string[]): { name: string; aliases: string[] }[] {
  const bots = new Map<string, string[]>();
  for (const portable of aliases) {
    const [bot, alias] = portable.split('/');
    bots.set(bot, [...(bots.get(bot) ?? []), alias]);
  }
  return [...bots].map(([name, list]) => ({ name, aliases: list }));
}

/** The AWS CLI, an independent client, against the emulator as the given account. */
export async function awsCli(
  emu: TestEmulator,
  instance: { Account: string; Region: string },
  home: string,
  args: string[],
): Promise<Record<string, unknown>> {
  const { stdout } = await run('aws', [...args, '--output', 'json'], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ENDPOINT_URL: emu.url,
      AWS_ACCESS_KEY_ID: `AKIA${instance.Account}`,
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: instance.Region,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout || '{}');
}
