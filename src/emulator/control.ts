/**
 * The test hooks, outside the AWS API surface: reset, instances with chosen ids, seeding, faults,
 * throttling, options, state and the call log. Documented in docs/emulator.md.
 */
import { invalidParameter } from './errors';
import { createInstance } from './instances';
import { instanceArn } from './model';
import type { Route, RequestContext } from './router';
import type { FaultSpec } from './faults';
import type { ThrottleSettings } from './throttle';
import type { EmulatorOptions } from './server';
import { seedInstanceFromDirectory } from './seed';

export const CONTROL_PREFIX = '/__emulator';

const route = (
  method: string,
  path: string,
  operation: string,
  handler: Route['handler'],
): Route => ({ method, path: `${CONTROL_PREFIX}${path}`, operation, handler });

export const controlRoutes: Route[] = [
  route('GET', '/health', 'Health', () => ({ ok: true })),
  route('POST', '/reset', 'Reset', (ctx) => {
    ctx.emulator.reset();
    return {};
  }),
  route('GET', '/state', 'GetState', (ctx) => ctx.emulator.state),
  route('PUT', '/state', 'PutState', (ctx) => {
    ctx.emulator.loadState(ctx.body);
    return {};
  }),
  route('POST', '/instances', 'CreateInstance', (ctx) => {
    const body = ctx.body as {
      Id?: string;
      Alias?: string;
      Account?: string;
      Region?: string;
      Defaults?: boolean;
    };
    const instance = createInstance(ctx.state, {
      id: body.Id,
      alias: body.Alias,
      account: body.Account ?? ctx.state.defaultAccount,
      region: body.Region ?? 'us-east-1',
      defaults: body.Defaults,
    });
    return instanceSummary(instance);
  }),
  route('POST', '/seed', 'Seed', async (ctx) => {
    const dir = ctx.body.Directory;
    if (typeof dir !== 'string') throw invalidParameter('Directory is required.');
    const result = await seedInstanceFromDirectory(ctx.state, dir);
    return { ...instanceSummary(result.instance), Created: result.created };
  }),
  route('GET', '/faults', 'ListFaults', (ctx) => ({ Faults: ctx.emulator.faults.list() })),
  route('POST', '/faults', 'AddFault', (ctx) => {
    try {
      return { Id: ctx.emulator.faults.add(ctx.body as unknown as FaultSpec) };
    } catch (error) {
      throw invalidParameter((error as Error).message);
    }
  }),
  route('POST', '/faults/release', 'ReleaseFaults', (ctx) => {
    const id = ctx.body.Id;
    if (id !== undefined && typeof id !== 'number') throw invalidParameter('Id must be a number.');
    try {
      return { Released: ctx.emulator.faults.release(id) };
    } catch (error) {
      throw invalidParameter((error as Error).message);
    }
  }),
  route('DELETE', '/faults', 'ClearFaults', (ctx) => {
    ctx.emulator.faults.clear();
    return {};
  }),
  route('GET', '/throttle', 'GetThrottle', (ctx) => ctx.emulator.throttle.settings),
  route('PUT', '/throttle', 'PutThrottle', (ctx) => {
    ctx.emulator.configureThrottle(ctx.body as Partial<ThrottleSettings>);
    return ctx.emulator.throttle.settings;
  }),
  route('GET', '/options', 'GetOptions', (ctx) => ctx.emulator.options),
  route('PUT', '/options', 'PutOptions', (ctx) => {
    const patch = ctx.body as Partial<EmulatorOptions>;
    ctx.emulator.options = {
      ...ctx.emulator.options,
      ...patch,
      pagination: { ...ctx.emulator.options.pagination, ...(patch.pagination ?? {}) },
      quotas: { ...ctx.emulator.options.quotas, ...(patch.quotas ?? {}) },
    };
    return ctx.emulator.options;
  }),
  route('GET', '/calls', 'ListCalls', (ctx: RequestContext) => {
    const since = Number(ctx.query.get('since') ?? 0);
    return { Calls: ctx.emulator.calls.filter((c) => c.seq > since) };
  }),
  route('DELETE', '/calls', 'ClearCalls', (ctx) => {
    ctx.emulator.calls.length = 0;
    return {};
  }),
];

function instanceSummary(instance: { Id: string; Alias: string; Account: string; Region: string }) {
  return {
    Id: instance.Id,
    Arn: instanceArn(instance),
    Alias: instance.Alias,
    Account: instance.Account,
    Region: instance.Region,
  };
}
