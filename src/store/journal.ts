/**
 * The push journal: what a push is about to write and what each write returned, so a push that
 * was killed or stopped by a persistent failure resumes where it stopped instead of creating
 * resources twice. It lives under the repository's gitdir (`connect-copy/push-<env>.json`), never
 * in the working tree or a commit, and is removed when a push completes.
 */
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

/**
 * On disk the journal is JSON lines: a header, then one line per begin or finish, appended.
 * Rewriting the whole journal at every step made a push quadratic in its writes (3.8 MB written
 * 17,000 times for 5,000 flows: four minutes of a ten-minute push at a 10x quota).
 */
interface JournalHeader {
  version: 1;
}

interface JournalLine {
  instanceId: string;
  record: JournalRecord;
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
    const started: JournalRecord = { ...record, state: 'started' };
    this.records.set(record.key, started);
    this.append(started);
  }

  async finish(key: string, result?: JournalResult): Promise<void> {
    const record = this.records.get(key);
    if (!record) throw new Error(`journal: finish without begin for ${key}`);
    const done: JournalRecord = { ...record, state: 'done', ...(result ? { result } : {}) };
    this.records.set(key, done);
    this.append(done);
  }

  async remove(): Promise<void> {
    this.records.clear();
    this.instance = undefined;
    this.started = false;
    if (this.file) rmSync(this.file, { force: true });
  }

  private started = false;

  /**
   * The first write of a run writes the whole journal afresh (aside, then renamed: a kill leaves
   * the previous file, never half of one), which also drops a line a kill tore; later writes
   * append one line. A kill mid-append leaves at most a torn last line, which reading skips: its
   * step then counts as not begun (the call was not sent yet) or as started (the writer looks the
   * resource up by name before creating it again). The writer runs steps side by side: their
   * lines interleave, but each is appended whole (synchronously) and names its key, and reading
   * keeps the last line per key.
   */
  private append(record: JournalRecord): void {
    if (!this.file) return;
    const line = (r: JournalRecord) =>
      `${JSON.stringify({ instanceId: this.instance!, record: r } satisfies JournalLine)}\n`;
    if (this.started) {
      appendFileSync(this.file, line(record));
      return;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const header: JournalHeader = { version: 1 };
    const temporary = `${this.file}.tmp`;
    writeFileSync(
      temporary,
      `${JSON.stringify(header)}\n${[...this.records.values()].map(line).join('')}`,
    );
    renameSync(temporary, this.file);
    this.started = true;
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
    parsed = parseJournal(text);
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

function parseJournal(text: string): JournalFile {
  const whole = wholeFile(text);
  if (whole) return whole;
  const lines = text.split('\n');
  const header = JSON.parse(lines[0]) as JournalHeader & Partial<JournalFile>;
  if (header.version !== 1) throw new Error('unknown format');
  const journal: JournalFile = { version: 1, records: [] };
  const records = new Map<string, JournalRecord>();
  lines.slice(1).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line: JournalLine;
    try {
      line = JSON.parse(raw) as JournalLine;
    } catch (error) {
      // Only the last line can be torn by a kill; anything else is damage.
      if (i === lines.length - 2 && !text.endsWith('\n')) return;
      throw error;
    }
    journal.instanceId = line.instanceId;
    records.set(line.record.key, line.record);
  });
  journal.records = [...records.values()];
  return journal;
}

/** A journal kept in memory only (no repository): an interrupted push cannot resume from it. */
export function memoryJournal(): PushJournal {
  return new Journal(undefined);
}

/** The earlier format, one JSON document rewritten at every step, from an interrupted push. */
function wholeFile(text: string): JournalFile | undefined {
  try {
    const parsed = JSON.parse(text) as JournalFile;
    return parsed.version === 1 && Array.isArray(parsed.records) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
