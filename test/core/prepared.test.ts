import { strict as assert } from 'node:assert';
import { parsedFiles, prepareWhilePaging } from '../../src/actions/reuse';
import { PreparedContent } from '../../src/core/prepared';
import type { RawInstance } from '../../src/core/raw';
import { buildSnapshot, type Snapshot, type SnapshotOptions } from '../../src/core/snapshot';
import type { TokenizeContext } from '../../src/core/tokens';
import { DEV, PROD, rawInstance, type Environment } from '../helpers/raw-instance';

function options(env: Environment): SnapshotOptions {
  return {
    environment: env.seed,
    naming: { lambda: { prefix: env.lambdaPrefix, suffix: '' }, lex: { prefix: '', suffix: '' } },
  };
}

/** Feeds `raw`'s flows and modules, drafts too, through the paging hook as a read would. */
async function preparedFor(last: Snapshot, raw: RawInstance) {
  const preparing = prepareWhilePaging({ values: parsedFiles(last.files) }, undefined);
  const pages = {
    flows: raw.flows.flatMap((f) => [f.flow, ...(f.draft ? [f.draft] : [])]),
    modules: raw.modules.flatMap((m) => [m.module, ...(m.draft ? [m.draft] : [])]),
  };
  preparing.onSearchPage('flows', pages.flows);
  preparing.onSearchPage('modules', pages.modules);
  const prepared = await preparing.done();
  assert.ok(prepared, 'the last read has a mapping: something is prepared');
  return counted(prepared);
}

/** Counts what the snapshot took from `prepared` and what it had to tokenize itself. */
function counted(prepared: PreparedContent) {
  const tally = { taken: 0, missed: 0 };
  const take = prepared.take.bind(prepared);
  prepared.take = (text: string, ctx: TokenizeContext) => {
    const result = take(text, ctx);
    tally[result ? 'taken' : 'missed']++;
    return result;
  };
  return { prepared, tally };
}

/** Builds `raw` with and without prepared content: the two must not differ in anything. */
async function bothWays(raw: () => RawInstance, env: Environment, last: Snapshot) {
  const plain = await buildSnapshot(raw(), options(env));
  // The same objects as read: fingerprints noted while paging are found by identity.
  const read = raw();
  const { prepared, tally } = await preparedFor(last, read);
  const fast = await buildSnapshot(read, { ...options(env), prepared });
  assert.deepEqual([...fast.files.keys()].sort(), [...plain.files.keys()].sort());
  for (const [path, text] of plain.files) assert.equal(fast.files.get(path), text, path);
  assert.deepEqual(fast.warnings, plain.warnings);
  assert.deepEqual(fast.findings, plain.findings);
  assert.deepEqual(fast.mapping, plain.mapping);
  return { snapshot: fast, tally };
}

function renameQueue(raw: RawInstance, from: string, to: string): RawInstance {
  const queue = raw.queues.find((q) => q.queue.Name === from);
  assert.ok(queue, `queue ${from} in the test instance`);
  queue.queue.Name = to;
  return raw;
}

describe('core/prepared', () => {
  it('takes every prepared content when nothing changed since the last read', async () => {
    const last = await buildSnapshot(rawInstance(DEV), options(DEV));
    const { tally } = await bothWays(() => rawInstance(DEV), DEV, last);
    assert.ok(tally.taken >= 5, `taken ${tally.taken}`);
    assert.equal(tally.missed, 0);
  });

  it('tokenizes again content naming a queue renamed since the last read', async () => {
    const last = await buildSnapshot(rawInstance(DEV), options(DEV));
    const renamed = () => renameQueue(rawInstance(DEV), 'Sales', 'Sales EU');
    const { snapshot, tally } = await bothWays(renamed, DEV, last);
    assert.ok(tally.missed >= 1, 'the flows naming Sales are tokenized again');
    assert.ok(tally.taken >= 1, 'content not naming it is still taken');
    const texts = [...snapshot.files].filter(([p]) => p.startsWith('flows/')).map(([, t]) => t);
    assert.ok(texts.some((t) => t.includes('{{cc:arn:queue:Sales EU}}')));
    assert.ok(!texts.some((t) => t.includes('{{cc:arn:queue:Sales}}')));
  });

  it('tokenizes again content naming a queue the last read did not have', async () => {
    const without = rawInstance(DEV);
    without.queues = without.queues.filter((q) => q.queue.Name !== 'Sales');
    const last = await buildSnapshot(without, options(DEV));
    const { snapshot, tally } = await bothWays(() => rawInstance(DEV), DEV, last);
    assert.ok(tally.missed >= 1);
    assert.ok(
      [...snapshot.files.values()].some((t) => t.includes('{{cc:arn:queue:Sales}}')),
      'the reference unknown to the last read is a token now',
    );
  });

  it('takes nothing prepared against another instance or other naming rules', async () => {
    const prod = await buildSnapshot(rawInstance(PROD), options(PROD));
    const { tally } = await bothWays(() => rawInstance(DEV), DEV, prod);
    assert.equal(tally.taken, 0);

    const last = await buildSnapshot(rawInstance(DEV), options(DEV));
    const renamedLambdas = { ...options(DEV), naming: { ...options(DEV).naming } };
    renamedLambdas.naming.lambda = { prefix: '', suffix: '' };
    const { prepared, tally: other } = await preparedFor(last, rawInstance(DEV));
    const plain = await buildSnapshot(rawInstance(DEV), renamedLambdas);
    const fast = await buildSnapshot(rawInstance(DEV), { ...renamedLambdas, prepared });
    assert.equal(other.taken, 0);
    for (const [path, text] of plain.files) assert.equal(fast.files.get(path), text, path);
  });

  it('agrees with a plain snapshot after seeded random changes between two reads', async () => {
    // Renames, removals and lost associations, on either side: whatever changed, a prepared
    // snapshot is the plain one.
    const changes: ((raw: RawInstance, pick: (n: number) => number) => void)[] = [
      (raw, pick) => (raw.queues[pick(raw.queues.length)].queue.Name += ' renamed'),
      (raw, pick) => (raw.flows[pick(raw.flows.length)].flow.Name += ' renamed'),
      (raw, pick) => (raw.prompts[pick(raw.prompts.length)].Name += ' renamed'),
      (raw, pick) => (raw.hours[pick(raw.hours.length)].Name += ' renamed'),
      (raw, pick) => raw.queues.splice(pick(raw.queues.length), 1),
      (raw, pick) => raw.flows.splice(pick(raw.flows.length), 1),
      (raw, pick) => raw.modules.splice(pick(raw.modules.length), 1),
      (raw) => (raw.lambdaFunctions = []),
      (raw) => (raw.lexV2Aliases = []),
      (raw) => (raw.users = []),
    ];
    let seed = 7;
    const pick = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const changed = (count: number) => {
      const steps = Array.from({ length: count }, () => ({
        change: changes[pick(changes.length)],
        at: pick(1000),
      }));
      return () => {
        const raw = rawInstance(DEV);
        for (const { change, at } of steps) change(raw, (n) => at % n);
        return raw;
      };
    };
    let missed = 0;
    for (let round = 0; round < 12; round++) {
      const before = round % 2 === 0 ? () => rawInstance(DEV) : changed(1 + pick(3));
      const after = round % 2 === 0 ? changed(1 + pick(3)) : () => rawInstance(DEV);
      const last = await buildSnapshot(before(), options(DEV));
      missed += (await bothWays(after, DEV, last)).tally.missed;
    }
    assert.ok(missed > 0, 'some changes made prepared content stale');
  });

  it('prepares nothing without the last read, and survives content that is not JSON', async () => {
    const none = prepareWhilePaging({ values: new Map<string, unknown>() }, undefined);
    none.onSearchPage(
      'flows',
      rawInstance(DEV).flows.map((f) => f.flow),
    );
    assert.equal(await none.done(), undefined);

    const last = await buildSnapshot(rawInstance(DEV), options(DEV));
    const broken = () => {
      const raw = rawInstance(DEV);
      raw.flows[0].flow.Content = '{"Version": ';
      return raw;
    };
    const { snapshot } = await bothWays(broken, DEV, last);
    assert.ok(snapshot.warnings.some((w) => w.code === 'content-not-json'));
  });
});
