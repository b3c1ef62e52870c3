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
  const url = await emulator.start().catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    throw new ConnectCopyError(
      'EMULATOR_PORT',
      `Cannot listen on ${options.host}:${options.port}: ${error.code}.`,
      {
        exitCode: ExitCode.usage,
        suggestions: ['Choose another --port, or omit it to use a free one'],
      },
    );
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
    await emulator.stop();
    if (!(error instanceof ApiError)) throw error;
    throw new ConnectCopyError('SEED_INVALID', error.message, {
      exitCode: ExitCode.usage,
      suggestions: ['See "Seeding from exported flows" in docs/emulator.md'],
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
