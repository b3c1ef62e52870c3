import { strict as assert } from 'node:assert';
import { ConnectClient } from '@aws-sdk/client-connect';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Emulator, StartOptions } from '../../src/emulator/server';
import { EmulatorControl } from '../../src/emulator/control-client';

export const DEV_ACCOUNT = '111122223333';
export const PROD_ACCOUNT = '444455556666';

export interface TestEmulator {
  emulator: Emulator;
  url: string;
  control: EmulatorControl;
  /** An SDK client whose dummy access key names the account (see parseAuthorization). */
  connect(account?: string, region?: string, maxAttempts?: number): ConnectClient;
  lambda(account?: string, region?: string): LambdaClient;
  stop(): Promise<void>;
}

/** Starts an emulator on a free port of 127.0.0.1, in this process. */
export async function startEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const emulator = new Emulator({ logUnknownRoutes: true, ...options });
  const url = await emulator.start();
  const credentials = (account: string) => ({
    accessKeyId: `AKIA${account}`,
    secretAccessKey: 'emulator-secret',
  });
  return {
    emulator,
    url,
    control: new EmulatorControl(url),
    connect: (account = DEV_ACCOUNT, region = 'us-east-1', maxAttempts = 3) =>
      new ConnectClient({ region, endpoint: url, credentials: credentials(account), maxAttempts }),
    lambda: (account = DEV_ACCOUNT, region = 'us-east-1') =>
      new LambdaClient({ region, endpoint: url, credentials: credentials(account) }),
    stop: () => emulator.stop(),
  };
}

/**
 * Asks the emulator (through `ready`, over its control API) until a condition holds, failing
 * after `ms` with what never happened. For waiting on what a client sends while a hold fault
 * keeps a call pending: no sleeps, and a short deadline instead of mocha's timeout.
 */
export async function until(what: string, ready: () => Promise<boolean>, ms = 3000) {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) assert.fail(`after ${ms} ms, still not: ${what}`);
  }
}
