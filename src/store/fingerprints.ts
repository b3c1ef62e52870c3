/**
 * Fingerprints of what the last pull read (or the last push wrote), per `<folder>/<name>`. They
 * live in a git note on that commit rather than in a file, so a one-field change made in the
 * console is a one-file diff, and two environments in sync differ in mapping.json only.
 */
import { SnapshotStore } from './git-store';

export interface FingerprintNote {
  version: 1;
  /** What produced the fingerprints. */
  by: 'pull' | 'push';
  fingerprints: Record<string, string>;
}

export async function readFingerprints(
  store: SnapshotStore,
  branch: string,
): Promise<Record<string, string>> {
  if (!(await store.branchExists(branch))) return {};
  const note = await store.lastNote(branch);
  if (!note) return {};
  return (JSON.parse(note.text) as FingerprintNote).fingerprints ?? {};
}

/** Notes the fingerprints on `commit` unless the newest note already says the same. */
export async function recordFingerprints(
  store: SnapshotStore,
  branch: string,
  commit: string,
  by: FingerprintNote['by'],
  fingerprints: Record<string, string>,
): Promise<void> {
  const sorted = Object.fromEntries(
    Object.entries(fingerprints).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const current = await store.lastNote(branch);
  if (current && sameFingerprints(JSON.parse(current.text) as FingerprintNote, sorted)) return;
  const note: FingerprintNote = { version: 1, by, fingerprints: sorted };
  await store.writeNote(commit, JSON.stringify(note, null, 2) + '\n');
}

function sameFingerprints(note: FingerprintNote, fingerprints: Record<string, string>): boolean {
  const a = Object.entries(note.fingerprints ?? {});
  const b = Object.entries(fingerprints);
  return a.length === b.length && a.every(([key, value]) => fingerprints[key] === value);
}
