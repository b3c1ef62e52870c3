import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

const exec = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built binary in `cwd` with a dummy key naming `account` (the emulator reads the
 * account from it) and no AWS configuration of the machine, so nothing but the emulator answers.
 */
export async function runCli(cwd: string, args: string[], account: string): Promise<CliRun> {
  try {
    const { stdout, stderr } = await exec(
      process.execPath,
      [join(repoRoot(), 'bin', 'run.js'), ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: cwd,
          AWS_ACCESS_KEY_ID: `AKIA${account}`,
          AWS_SECRET_ACCESS_KEY: 'emulator-secret',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          // The SDK's notice about future Node versions is not ours to assert on.
          AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
