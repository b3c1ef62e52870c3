import type { ConnectClient } from '@aws-sdk/client-connect';
import type { EmulatorState } from '../../src/emulator/model';
import { DEV_ACCOUNT, startEmulator, TestEmulator } from '../helpers/emulator';

export interface InstanceFixture {
  instanceId: string;
  arn: string;
  /** Ids of the default resources, looked up by name through the control API's state dump. */
  basicHoursId: string;
  basicQueueId: string;
  basicProfileId: string;
  flowId(name: string): string;
  securityProfileId(name: string): string;
}

export async function createInstanceFixture(
  emu: TestEmulator,
  account = DEV_ACCOUNT,
  region = 'us-east-1',
): Promise<InstanceFixture> {
  const { Id, Arn } = await emu.control.createInstance({ Account: account, Region: region });
  const state = (await emu.control.state()) as EmulatorState;
  const instance = state.instances[Id];
  const byName = <T extends { Id: string; Name?: string }>(
    records: Record<string, T>,
    name: string,
  ) => {
    const found = Object.values(records).find((r) => r.Name === name);
    if (!found) throw new Error(`fixture: no default resource named ${name}`);
    return found.Id;
  };
  return {
    instanceId: Id,
    arn: Arn,
    basicHoursId: byName(instance.hours, 'Basic Hours'),
    basicQueueId: byName(instance.queues, 'BasicQueue'),
    basicProfileId: byName(instance.routingProfiles, 'Basic Routing Profile'),
    flowId: (name) => byName(instance.flows, name),
    securityProfileId: (name) => byName(instance.securityProfiles, name),
  };
}

/** One emulator per test file, reset between tests, plus a fresh default instance. */
export function useEmulator(): { emu: TestEmulator; client: ConnectClient; fx: InstanceFixture } {
  const context = {} as { emu: TestEmulator; client: ConnectClient; fx: InstanceFixture };
  before(async () => {
    context.emu = await startEmulator();
    // Quota errors are 429 LimitExceededException, which the SDK retries; one attempt keeps the
    // tests fast and shows the raw answer.
    context.client = context.emu.connect(DEV_ACCOUNT, 'us-east-1', 1);
  });
  after(() => context.emu.stop());
  beforeEach(async () => {
    await context.emu.control.reset();
    context.fx = await createInstanceFixture(context.emu);
  });
  return context;
}

/** Collects every page of a listing through its NextToken, failing on a repeated token. */
export async function allPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items?: T[]; next?: string }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetchPage(token);
    pages++;
    items.push(...(page.items ?? []));
    token = page.next;
    if (token !== undefined) {
      if (seen.has(token)) throw new Error('repeated NextToken');
      seen.add(token);
    }
  } while (token);
  return { items, pages };
}
