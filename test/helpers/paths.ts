import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from the compiled test's location (dist/test/...). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('dist')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export const fixturesDir = (...parts: string[]) => join(repoRoot(), 'test', 'fixtures', ...parts);
