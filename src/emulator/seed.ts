/**
 * Creates one instance from a folder of exported flows and modules (Flow Language). Filled in by
 * the seed importer; see docs/emulator.md.
 */
import type { EmulatorState, InstanceRecord } from './model';
import { invalidParameter } from './errors';

export interface SeedResult {
  instance: InstanceRecord;
  /** Counts of what was created, per resource kind. */
  created: Record<string, number>;
}

export async function seedInstanceFromDirectory(
  _state: EmulatorState,
  dir: string,
): Promise<SeedResult> {
  throw invalidParameter(`seeding from ${dir} is not available yet`);
}
