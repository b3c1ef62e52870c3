/**
 * What the branch history tells the copy verb: which commit of A was last copied to B (A's mapping
 * at that commit is how renames in A are recognised), read from commit messages so the history
 * stays the only record and a plain `git log` shows it too.
 */
import { parseCopyMessage } from '../core/copy';
import { MAPPING_FILE, parseMapping } from '../core/env-files';
import type { Mapping } from '../core/mapping';

/** The part of the snapshot store these helpers read. */
export interface HistoryReader {
  log(branch: string, depth?: number): Promise<{ sha: string; message: string }[]>;
  readFile(ref: string, filepath: string): Promise<string | undefined>;
}

/**
 * The source sha of the newest `copy <envA>@<sha> to ...` commit on `branchB`, or undefined when
 * A was never copied there.
 */
export async function findLastCopy(
  store: HistoryReader,
  branchB: string,
  envA: string,
): Promise<string | undefined> {
  for (const entry of await store.log(branchB)) {
    const parsed = parseCopyMessage(entry.message);
    if (parsed && parsed.source === envA) return parsed.sha;
  }
  return undefined;
}

/** The mapping committed at `ref`, or undefined when that commit has none. */
export async function readMappingAt(
  store: HistoryReader,
  ref: string,
): Promise<Mapping | undefined> {
  const text = await store.readFile(ref, MAPPING_FILE);
  return parseMapping(text, `${MAPPING_FILE} at ${ref}`);
}
