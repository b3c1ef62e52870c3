/**
 * Fault runs on the same generated data: the copy and push to the empty target with one call in
 * ten answered 500 or 429 at random, and with the push process killed halfway through its writes
 * and run again. Each ends with the target compared, resource by resource, with the fault-free
 * run's target, and checked for anything that exists twice.
 */
import { ApiError } from '../src/emulator/errors';
import type { InstanceRecord } from '../src/emulator/model';
import type { CallRecord } from '../src/emulator/server';
import { seededRandom, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './generate';
import { Bench, pushPhases, readPhases, runChild, type BenchOptions, type StepResult } from './run';

/** Record families compared, with the field that names a record. */
const FAMILIES = [
  ['hours', 'Name'],
  ['queues', 'Name'],
  ['routingProfiles', 'Name'],
  ['flows', 'Name'],
  ['modules', 'Name'],
  ['prompts', 'Name'],
  ['quickConnects', 'Name'],
  ['securityProfiles', 'Name'],
  ['users', 'Username'],
] as const;

const VOLATILE = new Set(['Id', 'LastModifiedTime', 'Versions']);

/**
 * An instance as `family/name -> record`, with every id (in fields and inside flow content)
 * replaced by what it names, so two instances built by separate runs compare equal when they hold
 * the same things. Agent queues have no name and are skipped.
 */
export function normalizeInstance(instance: InstanceRecord): {
  records: Map<string, string>;
  duplicates: string[];
} {
  const names = new Map<string, string>([[instance.Id, 'instance']]);
  for (const [family, field] of FAMILIES) {
    for (const record of Object.values(instance[family]) as Record<string, unknown>[]) {
      const name = record[field];
      if (typeof name === 'string') names.set(String(record.Id), `${family}:${name}`);
    }
  }
  const ids = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const rename = (text: string) =>
    text
      .replace(ids, (id) => `<${names.get(id) ?? 'unknown'}>`)
      .split(instance.Account)
      .join('<account>');
  const records = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [family, field] of FAMILIES) {
    for (const record of Object.values(instance[family]) as Record<string, unknown>[]) {
      const name = record[field];
      if (typeof name !== 'string') continue;
      const key = `${family}/${name}`;
      if (records.has(key)) duplicates.push(key);
      const kept = Object.fromEntries(
        Object.entries(record)
          .filter(([k]) => !VOLATILE.has(k))
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      records.set(key, rename(JSON.stringify(kept)));
    }
  }
  return { records, duplicates };
}

export interface Comparison {
  resources: number;
  equal: boolean;
  missing: string[];
  extra: string[];
  different: string[];
  duplicates: string[];
}

export function compareInstances(expected: InstanceRecord, actual: InstanceRecord): Comparison {
  const a = normalizeInstance(expected);
  const b = normalizeInstance(actual);
  const missing = [...a.records.keys()].filter((k) => !b.records.has(k));
  const extra = [...b.records.keys()].filter((k) => !a.records.has(k));
  const different = [...a.records.keys()].filter(
    (k) => b.records.has(k) && a.records.get(k) !== b.records.get(k),
  );
  return {
    resources: b.records.size,
    equal: missing.length + extra.length + different.length + b.duplicates.length === 0,
    missing: missing.slice(0, 20),
    extra: extra.slice(0, 20),
    different: different.slice(0, 20),
    duplicates: b.duplicates,
  };
}

/** One call in ten answered 500 or 429, at random but the same for a seed. */
function injectRandomFaults(bench: Bench, share: number, seed: number): () => number {
  const random = seededRandom(seed);
  const faults = bench.emulator.faults;
  const original = faults.apply.bind(faults);
  let injected = 0;
  faults.apply = (operation: string) => {
    if (random() < share) {
      injected++;
      return random() < 0.5
        ? { delayMs: 0, error: new ApiError('InternalServiceException', 500, 'Injected') }
        : { delayMs: 0, error: new ApiError('ThrottlingException', 429, 'Rate exceeded') };
    }
    return original(operation);
  };
  return () => injected;
}

/** Pulls both environments of a fresh bench, ready for the copy. */
async function prepare(bench: Bench): Promise<void> {
  const { source, target } = bench.generated;
  for (const [environment, instance, account] of [
    ['dev', source, SOURCE_ACCOUNT],
    ['prod', target, TARGET_ACCOUNT],
  ] as const) {
    const result = await bench.step(
      `pull ${environment}`,
      bench.spec({
        kind: 'pull',
        environment,
        instance: instance.Id,
        endpointUrl: bench.url,
        account,
      }),
      readPhases,
      bench.options.multiplier,
    );
    if (!result.ok) throw new Error(`pull ${environment} failed: ${result.error?.message}`);
  }
}

function targetOf(bench: Bench): InstanceRecord {
  return bench.emulator.state.instances[bench.generated.target.Id];
}

function stepSummary(step: StepResult) {
  return {
    ok: step.ok,
    error: step.error?.message ?? null,
    wallS: Number(step.wallS.toFixed(1)),
    calls: step.calls.total,
    answered429: step.calls.throttled,
    answered5xx: step.calls.serverErrors,
    retries: step.calls.retries,
  };
}

export async function runFaults(options: BenchOptions): Promise<Record<string, unknown>> {
  const log = (line: string) => process.stderr.write(`bench faults: ${line}\n`);

  // The reference: the same copy without faults.
  const clean = new Bench(options, options.flows);
  await clean.start();
  let reference: InstanceRecord;
  try {
    await prepare(clean);
    const copy = await clean.step(
      'fault-free copy and push',
      clean.spec({ kind: 'copy', from: 'dev', environment: 'prod', account: TARGET_ACCOUNT }),
      pushPhases,
      options.multiplier,
    );
    if (!copy.ok) throw new Error(`fault-free copy failed: ${copy.error?.message}`);
    reference = structuredClone(targetOf(clean));
  } finally {
    await clean.stop();
  }

  // One call in ten fails with 500 or 429.
  const random = new Bench(options, options.flows);
  await random.start();
  let randomResult: Record<string, unknown>;
  try {
    await prepare(random);
    const injected = injectRandomFaults(random, 0.1, options.seed);
    const copy = await random.step(
      'copy and push, 10% of calls failing',
      random.spec({ kind: 'copy', from: 'dev', environment: 'prod', account: TARGET_ACCOUNT }),
      pushPhases,
      options.multiplier,
    );
    const comparison = compareInstances(reference, targetOf(random));
    randomResult = { ...stepSummary(copy), injected: injected(), comparison };
    log(`random faults: ${JSON.stringify(randomResult)}`);
  } finally {
    await random.stop();
  }

  // The push killed halfway through its writes, then run again.
  const killed = new Bench(options, options.flows);
  await killed.start();
  let killResult: Record<string, unknown>;
  try {
    await prepare(killed);
    const expectedWrites = countWrites(reference);
    let writes = 0;
    let kill: (() => void) | undefined;
    const onCall = (call: CallRecord) => {
      if (call.write && call.status < 300 && ++writes === Math.floor(expectedWrites / 2)) kill?.();
    };
    killed.emulator.on('call', onCall);
    const first = await runChild(
      {
        ...killed.spec({ kind: 'copy', from: 'dev', environment: 'prod', account: TARGET_ACCOUNT }),
        quota: killed.useQuota(options.multiplier),
      },
      (k) => (kill = k),
    );
    killed.emulator.off('call', onCall);
    const writesBeforeKill = writes;
    const rerun = await killed.step(
      'push after the kill',
      killed.spec({ kind: 'push', environment: 'prod', account: TARGET_ACCOUNT }),
      pushPhases,
      options.multiplier,
    );
    const comparison = compareInstances(reference, targetOf(killed));
    killResult = {
      killed: !first.ok,
      writesBeforeKill,
      rerun: stepSummary(rerun),
      rerunCreates: rerun.detail.created ?? null,
      comparison,
    };
    log(`kill and re-run: ${JSON.stringify(killResult)}`);
  } finally {
    await killed.stop();
  }
  return { flows: options.flows, randomFaults: randomResult, killAndRerun: killResult };
}

/**
 * Creates a push makes on the empty target: every resource the reference target holds beyond
 * what a new instance starts with is at least one write.
 */
function countWrites(reference: InstanceRecord): number {
  return (
    Object.keys(reference.flows).length +
    Object.keys(reference.modules).length +
    Object.keys(reference.queues).length +
    Object.keys(reference.routingProfiles).length +
    Object.keys(reference.hours).length
  );
}
