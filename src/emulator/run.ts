import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Emulator } from './server';
import { seedInstanceFromDirectory } from './seed';
import { instanceArn } from './model';
import { ApiError } from './errors';
import { ConnectCopyError, ExitCode } from '../errors';

export interface RunOptions {
  host: string;
  port: number;
  stateFile?: string;
  throttle: boolean;
  seedDirectories: string[];
}

export interface SeededInstance {
  id: string;
  arn: string;
  alias: string;
  account: string;
  region: string;
  created: Record<string, number>;
}

/** A state file that cannot be written is found at start, not when the state would be lost. */
async function checkStateFile(file: string): Promise<void> {
  try {
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (info?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await access(dirname(resolve(file)), constants.W_OK);
  } catch (error) {
    throw new ConnectCopyError(
      'STATE_FILE_UNUSABLE',
      `--state ${file} cannot be used: ${(error as Error).message}.`,
      { exitCode: ExitCode.usage, suggestions: ['--state ./emulator-state.json'] },
    );
  }
}

function startFailure(error: NodeJS.ErrnoException, options: RunOptions): Error {
  if (error instanceof SyntaxError || /state file/.test(error.message)) {
    return new ConnectCopyError(
      'STATE_FILE_INVALID',
      `--state ${options.stateFile} is not an emulator state file: ${error.message}`,
      {
        exitCode: ExitCode.usage,
        suggestions: ['move the file away to start from an empty state', 'see docs/emulator.md'],
      },
    );
  }
  const codes = ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND', 'ERR_SOCKET_BAD_PORT'];
  if (!codes.includes(error.code ?? '')) return error;
  return new ConnectCopyError(
    'EMULATOR_LISTEN',
    `Cannot listen on ${options.host}:${options.port}: ${error.code}.`,
    {
      exitCode: ExitCode.usage,
      suggestions: ['choose another --port (0 picks a free one) or --host 127.0.0.1'],
    },
  );
}

/**
 * Starts the emulator for the `emulator` command: seeds the given folders, then serves until
 * SIGINT or SIGTERM and saves the state file on the way out.
 */
export async function runEmulator(options: RunOptions): Promise<{
  url: string;
  seeded: SeededInstance[];
  closed: Promise<void>;
}> {
  const emulator = new Emulator({
    host: options.host,
    port: options.port,
    stateFile: options.stateFile,
    throttle: options.throttle,
  });
  if (options.stateFile) await checkStateFile(options.stateFile);
  const url = await emulator.start().catch((error: NodeJS.ErrnoException) => {
    throw startFailure(error, options);
  });
  const seeded: SeededInstance[] = [];
  try {
    for (const dir of options.seedDirectories) {
      const { instance, created } = await seedInstanceFromDirectory(emulator.state, dir);
      seeded.push({
        id: instance.Id,
        arn: instanceArn(instance),
        alias: instance.Alias,
        account: instance.Account,
        region: instance.Region,
        created,
      });
    }
  } catch (error) {
    await emulator.stop({ save: false });
    if (!(error instanceof ApiError)) throw error;
    const fromState = options.stateFile && /already exists/.test(error.message);
    throw new ConnectCopyError('SEED_INVALID', error.message, {
      exitCode: ExitCode.usage,
      suggestions: fromState
        ? [
            `the instance is already in ${options.stateFile}: start without --seed to use it, ` +
              'or delete the state file to seed afresh',
          ]
        : ['See "Seeding from exported flows" in docs/emulator.md'],
    });
  }

  const closed = new Promise<void>((resolve, reject) => {
    const shutdown = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      emulator.stop().then(resolve, reject);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
  return { url, seeded, closed };
}
