import { createHash } from 'node:crypto';
import type { EmulatorState, InstanceRecord } from '../../src/emulator/model';
import type { TestEmulator } from './emulator';

/** Small Flow Language documents for tests; real exports carry far more Metadata. */
export interface TestAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: Record<string, unknown>;
}

export const endAction = (identifier = 'end'): TestAction => ({
  Identifier: identifier,
  Type: 'DisconnectParticipant',
  Parameters: {},
  Transitions: {},
});

/** An action that continues to `next` on success and on error. */
export const step = (
  identifier: string,
  type: string,
  parameters: Record<string, unknown>,
  next = 'end',
): TestAction => ({
  Identifier: identifier,
  Type: type,
  Parameters: parameters,
  Transitions: {
    NextAction: next,
    Errors: [{ NextAction: next, ErrorType: 'NoMatchingError' }],
    Conditions: [],
  },
});

export function flowContent(actions: TestAction[], startAction = actions[0].Identifier): string {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: startAction,
    Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
    Actions: actions,
  });
}

/** A one-block flow that ends at once. */
export const minimalFlow = (): string => flowContent([endAction()]);

/** Sets the working queue and disconnects. */
export const queueFlow = (queue: string): string =>
  flowContent([step('queue', 'UpdateContactTargetQueue', { QueueId: queue }), endAction()]);

export function moduleContent(actions?: TestAction[]): string {
  return JSON.stringify({
    Version: '2019-10-30',
    StartAction: actions?.[0].Identifier ?? 'done',
    Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
    Actions: actions ?? [
      { Identifier: 'done', Type: 'EndFlowModuleExecution', Parameters: {}, Transitions: {} },
    ],
    Settings: { InputParameters: [], OutputParameters: [], Transitions: [] },
  });
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The emulator's state through the control API, for fixtures no AWS API can create. */
export async function readState(emu: TestEmulator): Promise<EmulatorState> {
  return (await emu.control.state()) as EmulatorState;
}

export async function instanceState(emu: TestEmulator, id: string): Promise<InstanceRecord> {
  return (await readState(emu)).instances[id];
}

/** Changes one instance's records through the control API (GET then PUT /__emulator/state). */
export async function patchInstance(
  emu: TestEmulator,
  id: string,
  change: (instance: InstanceRecord) => void,
): Promise<void> {
  const state = await readState(emu);
  change(state.instances[id]);
  const response = await fetch(`${emu.url}/__emulator/state`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(state),
  });
  if (!response.ok) throw new Error(`PUT /__emulator/state answered ${response.status}`);
}

/** The id of the instance's record with this name (queues, prompts, hours, flows, ...). */
export function idByName(records: Record<string, { Id: string; Name?: string }>, name: string) {
  const found = Object.values(records).find((r) => r.Name === name);
  if (!found) throw new Error(`no record named ${name}`);
  return found.Id;
}
