import { strict as assert } from 'node:assert';
import { ConnectCopyError } from '../../src/errors';

/** The ConnectCopyError a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<ConnectCopyError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(outcome instanceof ConnectCopyError, String(outcome));
  return outcome;
}
