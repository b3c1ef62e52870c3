/**
 * The push journal: what a push is about to write and what each write returned, so a push that
 * was killed or stopped by a persistent failure resumes where it stopped instead of creating
 * resources twice. It lives under the repository's gitdir (`connect-copy/push-<env>.json`), never
 * in the working tree or a commit, and is removed when a push completes.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConnectCopyError, ExitCode } from '../errors';

export interface JournalResult {
  id?: string;
  arn?: string;
}

export interface JournalRecord {
  /** `<folder>/<name>#<operation>`. */
  key: string;
  /** `<folder>/<name>` of the resource written. */
  resource: string;
  operation: string;
  /** Hash of what the write was meant to make true; a redo after a branch edit does not match. */
  digest?: string;
  state: 'started' | 'done';
  result?: JournalResult;
}

export interface PushJournal {
  /** The instance the journal's writes went to; a journal for another instance is not reused. */
  readonly instanceId: string | undefined;
  get(key: string): JournalRecord | undefined;
  /** Throws when the journal records writes to another instance: its entries mean nothing here. */
  assertInstance(instanceId: string): void;
  /** Resources an interrupted push wrote (or may have written). */
  touched(): string[];
  begin(record: Omit<JournalRecord, 'state' | 'result'>, instanceId: string): Promise<void>;
  finish(key: string, result?: JournalResult): Promise<void>;
  /** The push completed: nothing to resume. */
  remove(): Promise<void>;
}

interface JournalFile {
  version: 1;
  instanceId?: string;
  records: JournalRecord[];
}

export function journalPath(gitdir: string, environment: string): string {
  return join(gitdir, 'connect-copy', `push-${environment}.json`);
}

class Journal implements PushJournal {
  private instance: string | undefined;
  private readonly records = new Map<string, JournalRecord>();

  constructor(
    private readonly file: string | undefined,
    initial?: JournalFile,
  ) {
    this.instance = initial?.instanceId;
    for (const r of initial?.records ?? []) this.records.set(r.key, r);
  }

  get instanceId(): string | undefined {
    return this.instance;
  }

  get(key: string): JournalRecord | undefined {
    return this.records.get(key);
  }

  touched(): string[] {
    return [...new Set([...this.records.values()].map((r) => r.resource))].sort();
  }

  assertInstance(instanceId: string): void {
    if (this.instance !== undefined && this.instance !== instanceId) {
      throw new ConnectCopyError(
        'PUSH_JOURNAL_OTHER_INSTANCE',
        `The push journal ${this.file ?? ''} records writes to instance ${this.instance}, ` +
          `not ${instanceId}.`,
        {
          exitCode: ExitCode.repositoryState,
          data: { journal: this.file, journalInstance: this.instance, instanceId },
          suggestions: [
            'finish the interrupted push against its instance, ' +
              'or delete the journal file if that instance is gone',
          ],
        },
      );
    }
  }

  async begin(record: Omit<JournalRecord, 'state' | 'result'>, instanceId: string): Promise<void> {
    this.assertInstance(instanceId);
    this.instance = instanceId;
    this.records.set(record.key, { ...record, state: 'started' });
    this.save();
  }

  async finish(key: string, result?: JournalResult): Promise<void> {
    const record = this.records.get(key);
    if (!record) throw new Error(`journal: finish without begin for ${key}`);
    this.records.set(key, { ...record, state: 'done', ...(result ? { result } : {}) });
    this.save();
  }

  async remove(): Promise<void> {
    this.records.clear();
    this.instance = undefined;
    if (this.file) rmSync(this.file, { force: true });
  }

  private save(): void {
    if (!this.file) return;
    const content: JournalFile = {
      version: 1,
      instanceId: this.instance,
      records: [...this.records.values()],
    };
    mkdirSync(dirname(this.file), { recursive: true });
    // Written aside and renamed, so a kill mid-write leaves the previous journal, never half a one.
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(content, null, 2) + '\n');
    renameSync(temporary, this.file);
  }
}

/** Opens (or starts) the journal of pushes to one environment. */
export function openJournal(gitdir: string, environment: string): PushJournal {
  const file = journalPath(gitdir, environment);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) return new Journal(file);
  let parsed: JournalFile;
  try {
    parsed = JSON.parse(text) as JournalFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.records)) throw new Error('unknown format');
  } catch (error) {
    throw new ConnectCopyError(
      'PUSH_JOURNAL_UNREADABLE',
      `The push journal ${file} cannot be read (${(error as Error).message}).`,
      {
        exitCode: ExitCode.repositoryState,
        data: { journal: file },
        suggestions: [
          `delete ${file} and run \`connect-copy pull ${environment}\` before pushing again, ` +
            'so resources an interrupted push created are known',
        ],
      },
    );
  }
  return new Journal(file, parsed);
}

/** A journal kept in memory only (no repository): an interrupted push cannot resume from it. */
export function memoryJournal(): PushJournal {
  return new Journal(undefined);
}
