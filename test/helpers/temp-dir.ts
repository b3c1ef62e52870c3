import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory per test under the OS temp dir, removed after the test. Call in a
 * `describe` body: `const tmp = useTempDirs();` then `await tmp.make()` inside tests.
 */
export function useTempDirs(prefix = 'connect-copy-test-') {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    make: async (): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
  };
}
