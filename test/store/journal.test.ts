import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConnectCopyError } from '../../src/errors';
import { journalPath, memoryJournal, openJournal } from '../../src/store/journal';

describe('store: push journal', () => {
  let gitdir: string;
  beforeEach(() => {
    gitdir = mkdtempSync(join(tmpdir(), 'cc-journal-'));
  });
  afterEach(() => rmSync(gitdir, { recursive: true, force: true }));

  it('lives under the gitdir, survives a reopen, is removed when the push completes', async () => {
    const file = journalPath(gitdir, 'prod');
    assert.equal(file, join(gitdir, 'connect-copy', 'push-prod.json'));

    const journal = openJournal(gitdir, 'prod');
    assert.equal(existsSync(file), false, 'nothing written before the first write');
    await journal.begin({ key: 'flows/A#create', resource: 'flows/A', operation: 'create' }, 'i-1');
    await journal.begin({ key: 'flows/B#create', resource: 'flows/B', operation: 'create' }, 'i-1');
    await journal.finish('flows/A#create', { id: 'a', arn: 'arn:a' });

    const reopened = openJournal(gitdir, 'prod');
    assert.equal(reopened.instanceId, 'i-1');
    assert.deepEqual(reopened.get('flows/A#create')?.result, { id: 'a', arn: 'arn:a' });
    assert.equal(reopened.get('flows/A#create')?.state, 'done');
    assert.equal(reopened.get('flows/B#create')?.state, 'started');
    assert.deepEqual(reopened.touched(), ['flows/A', 'flows/B']);
    assert.equal(existsSync(`${file}.tmp`), false);

    await reopened.remove();
    assert.equal(existsSync(file), false);
    assert.equal(openJournal(gitdir, 'prod').get('flows/A#create'), undefined);
  });

  it('resumes after a kill that tore its last line, and goes on appending', async () => {
    const file = journalPath(gitdir, 'prod');
    const journal = openJournal(gitdir, 'prod');
    await journal.begin({ key: 'flows/A#create', resource: 'flows/A', operation: 'create' }, 'i-1');
    await journal.finish('flows/A#create', { id: 'a' });
    await journal.begin({ key: 'flows/B#create', resource: 'flows/B', operation: 'create' }, 'i-1');
    // The finish of B was being appended when the process died.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"instanceId":"i-1","rec');

    const resumed = openJournal(gitdir, 'prod');
    assert.equal(resumed.get('flows/A#create')?.state, 'done');
    assert.equal(resumed.get('flows/B#create')?.state, 'started');
    await resumed.finish('flows/B#create', { id: 'b' });
    await resumed.begin({ key: 'flows/C#create', resource: 'flows/C', operation: 'create' }, 'i-1');

    const again = openJournal(gitdir, 'prod');
    assert.deepEqual(again.get('flows/B#create')?.result, { id: 'b' });
    assert.equal(again.get('flows/C#create')?.state, 'started');
    assert.deepEqual(again.touched(), ['flows/A', 'flows/B', 'flows/C']);
  });

  it('refuses to mix writes to two instances in one journal', async () => {
    const journal = openJournal(gitdir, 'prod');
    await journal.begin({ key: 'k', resource: 'flows/A', operation: 'create' }, 'i-1');
    await assert.rejects(
      openJournal(gitdir, 'prod').begin(
        { key: 'k2', resource: 'flows/B', operation: 'create' },
        'i-2',
      ),
      (e: unknown) => e instanceof ConnectCopyError && e.code === 'PUSH_JOURNAL_OTHER_INSTANCE',
    );
  });

  it('names the file and the way out when the journal is unreadable', () => {
    const file = journalPath(gitdir, 'prod');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '{ half');
    assert.throws(
      () => openJournal(gitdir, 'prod'),
      (e: unknown) =>
        e instanceof ConnectCopyError &&
        e.code === 'PUSH_JOURNAL_UNREADABLE' &&
        e.message.includes(file) &&
        e.suggestions.some((s) => s.includes('connect-copy pull prod')),
    );
    assert.equal(readFileSync(file, 'utf8'), '{ half', 'left for the user to inspect');
  });

  it('keeps a memory journal for pushes without a repository', async () => {
    const journal = memoryJournal();
    await journal.begin({ key: 'k', resource: 'hours/Office', operation: 'create' }, 'i-1');
    await journal.finish('k', { id: 'h' });
    assert.equal(journal.get('k')?.result?.id, 'h');
    await journal.remove();
    assert.equal(journal.get('k'), undefined);
  });
});
