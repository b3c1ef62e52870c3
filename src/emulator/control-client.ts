import type { FaultSpec, ListedFault } from './faults';
import type { ThrottleSettings } from './throttle';
import type { CallRecord, EmulatorOptions } from './server';

export interface InstanceSummary {
  Id: string;
  Arn: string;
  Alias: string;
  Account: string;
  Region: string;
}

/** A small client for the emulator's control API (`/__emulator/...`), over HTTP like the SDK. */
export class EmulatorControl {
  constructor(readonly endpoint: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.endpoint}/__emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { Message?: string };
    if (!response.ok) {
      throw new Error(`emulator control ${method} ${path}: ${payload.Message ?? response.status}`);
    }
    return payload;
  }

  reset = () => this.call<object>('POST', '/reset');
  createInstance = (spec: Partial<Omit<InstanceSummary, 'Arn'>> & { Defaults?: boolean } = {}) =>
    this.call<InstanceSummary>('POST', '/instances', spec);
  seed = (directory: string) =>
    this.call<InstanceSummary & { Created: Record<string, number> }>('POST', '/seed', {
      Directory: directory,
    });
  addFault = (fault: FaultSpec) => this.call<{ Id: number }>('POST', '/faults', fault);
  faults = async () => (await this.call<{ Faults: ListedFault[] }>('GET', '/faults')).Faults;
  /** Lets calls held by a `hold` fault go (that fault, or every hold); answers how many. */
  releaseFaults = async (id?: number) =>
    (
      await this.call<{ Released: number }>(
        'POST',
        '/faults/release',
        id === undefined ? {} : { Id: id },
      )
    ).Released;
  clearFaults = () => this.call<object>('DELETE', '/faults');
  setThrottle = (settings: Partial<ThrottleSettings>) =>
    this.call<ThrottleSettings>('PUT', '/throttle', settings);
  setOptions = (options: Partial<EmulatorOptions>) =>
    this.call<EmulatorOptions>('PUT', '/options', options);
  calls = async (since = 0) =>
    (await this.call<{ Calls: CallRecord[] }>('GET', `/calls?since=${since}`)).Calls;
  clearCalls = () => this.call<object>('DELETE', '/calls');
  state = () => this.call<unknown>('GET', '/state');
}
