/**
 * Fingerprints of what the last pull read (or the last push wrote), per `<folder>/<name>`. They
 * live in a git note on that commit rather than in a file, so a one-field change made in the
 * console is a one-file diff, and two environments in sync differ in mapping.json only.
 */
import { createHash } from 'node:crypto';
import { ConnectCopyError, ExitCode } from '../errors';
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

/**
 * The newest note on the branch. A note that is not connect-copy's (edited by hand, another tool)
 * leaves what was last pulled unknown: an error naming it, unless `tolerateCorrupt` (a pull, which
 * reads everything and records a new one).
 */
export async function readLastRead(
  store: SnapshotStore,
  branch: string,
  options: { tolerateCorrupt?: boolean } = {},
): Promise<LastRead> {
  if (!(await store.branchExists(branch))) return { fingerprints: {}, files: {} };
  const note = await store.lastNote(branch);
  if (!note) return { fingerprints: {}, files: {} };
  const parsed = parseNote(note.text);
  if (parsed) return { fingerprints: parsed.fingerprints, files: parsed.files ?? {} };
  if (options.tolerateCorrupt) return { fingerprints: {}, files: {} };
  const environment = branch.replace(/^env\//, '');
  throw new ConnectCopyError(
    'CORRUPT_NOTE',
    `The connect-copy note on ${branch} (commit ${note.commit.slice(0, 12)}, ` +
      `refs/notes/connect-copy) is not what connect-copy writes, so what was last pulled is ` +
      'unknown and console changes since cannot be told apart from branch edits.',
    {
      exitCode: ExitCode.repositoryState,
      data: { branch, commit: note.commit },
      suggestions: [
        `connect-copy pull ${environment}   # reads the instance and records a new note`,
        `git notes --ref connect-copy show ${note.commit.slice(0, 12)}`,
      ],
    },
  );
}

function parseNote(text: string): FingerprintNote | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const note = value as FingerprintNote | null;
  const isRecord = (r: unknown) =>
    typeof r === 'object' &&
    r !== null &&
    !Array.isArray(r) &&
    Object.values(r).every((v) => typeof v === 'string');
  if (!isRecord(note?.fingerprints)) return undefined;
  if (note!.files !== undefined && !isRecord(note!.files)) return undefined;
  return note!;
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
  const note = current && parseNote(current.text);
  if (note && sameRecord(note.fingerprints, sorted) && sameRecord(note.files, hashes)) return;
  const next: FingerprintNote = {
    version: 1,
    by,
    fingerprints: sorted,
    ...(hashes ? { files: hashes } : {}),
  };
  await store.writeNote(commit, JSON.stringify(next, null, 2) + '\n');
}

/**
 * Texts hashed lately: a read checks the branch's files against the last note, then notes the
 * same texts (most of them unchanged) again.
 */
const hashed = new Map<string, string>();
const MAX_HASHED = 50_000;

function hashOf(text: string): string {
  let hash = hashed.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(text, 'utf8').digest('hex');
    if (hashed.size >= MAX_HASHED) hashed.clear();
    hashed.set(text, hash);
  }
  return hash;
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
