/**
 * Fingerprints of what the last pull read (or the last push wrote), per `<folder>/<name>`. They
 * live in a git note on that commit rather than in a file, so a one-field change made in the
 * console is a one-file diff, and two environments in sync differ in mapping.json only.
 */
import { createHash } from 'node:crypto';
import { SnapshotStore } from './git-store';

export interface FingerprintNote {
  version: 1;
  /** What produced the fingerprints. */
  by: 'pull' | 'push';
  fingerprints: Record<string, string>;
  /**
   * The sha256 of each file as that read rendered it. A branch file with another hash was edited
   * since (by hand, by a copy), so it is no evidence of the instance and not canonical text.
   */
  files?: Record<string, string>;
}

export interface LastRead {
  fingerprints: Record<string, string>;
  files: Record<string, string>;
}

export async function readLastRead(store: SnapshotStore, branch: string): Promise<LastRead> {
  if (!(await store.branchExists(branch))) return { fingerprints: {}, files: {} };
  const note = await store.lastNote(branch);
  if (!note) return { fingerprints: {}, files: {} };
  const parsed = JSON.parse(note.text) as FingerprintNote;
  return { fingerprints: parsed.fingerprints ?? {}, files: parsed.files ?? {} };
}

export async function readFingerprints(
  store: SnapshotStore,
  branch: string,
): Promise<Record<string, string>> {
  return (await readLastRead(store, branch)).fingerprints;
}

/** The files whose text is still exactly what the last read rendered. */
export function filesAsRead(
  files: ReadonlyMap<string, string>,
  hashes: Record<string, string>,
): Map<string, string> {
  const kept = new Map<string, string>();
  for (const [path, text] of files) {
    const hash = hashes[path];
    if (hash !== undefined && hash === hashOf(text)) kept.set(path, text);
  }
  return kept;
}

/**
 * Notes the fingerprints (and the hashes of `files`, the read's rendering) on `commit` unless the
 * newest note already says the same.
 */
export async function recordFingerprints(
  store: SnapshotStore,
  branch: string,
  commit: string,
  by: FingerprintNote['by'],
  fingerprints: Record<string, string>,
  files?: ReadonlyMap<string, string>,
): Promise<void> {
  const sorted = sortedRecord(Object.entries(fingerprints));
  const hashes =
    files === undefined
      ? undefined
      : sortedRecord([...files].map(([path, text]) => [path, hashOf(text)]));
  const current = await store.lastNote(branch);
  if (current) {
    const note = JSON.parse(current.text) as FingerprintNote;
    if (sameRecord(note.fingerprints, sorted) && sameRecord(note.files, hashes)) return;
  }
  const note: FingerprintNote = {
    version: 1,
    by,
    fingerprints: sorted,
    ...(hashes ? { files: hashes } : {}),
  };
  await store.writeNote(commit, JSON.stringify(note, null, 2) + '\n');
}

function hashOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function sortedRecord(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sameRecord(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([key, value]) => b?.[key] === value);
}
