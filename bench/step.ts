/**
 * One measured step of the benchmark, in a process of its own: `node dist/bench/step.js SPEC`,
 * SPEC being a JSON StepSpec. Prints one line `BENCH-RESULT {...}` with the step's outcome and
 * usage; the parent reads the emulator's call log for everything the API saw.
 */
import { copyAction } from '../src/actions/copy';
import { pullEnvironment } from '../src/actions/pull';
import { pushEnvironment, type PushResult } from '../src/actions/push';
import { rollbackAction } from '../src/actions/rollback';
import type { QuotaOptions } from '../src/connect/clients';
import { SnapshotStore } from '../src/store/git-store';
import { measured } from './measure';

export interface StepSpec {
  kind: 'pull' | 'push' | 'copy' | 'rollback' | 'git';
  cwd: string;
  environment?: string;
  /** First pull of an environment: where it is. */
  instance?: string;
  region?: string;
  endpointUrl?: string;
  /** The account the dummy access key names (the emulator takes it from the key). */
  account?: string;
  quota?: QuotaOptions;
  /** copy: the source environment (`environment` is the target). */
  from?: string;
  /** rollback: the commit to go back to. */
  commit?: string;
  /** git: the branch to take files from, and how many. */
  files?: number;
  fromBranch?: string;
}

export interface StepOutcome {
  ok: boolean;
  wallMs: number;
  peakRssMb: number;
  peakHeapMb: number;
  detail: Record<string, unknown>;
  error?: { code?: string; message: string };
}

export const RESULT_PREFIX = 'BENCH-RESULT ';

function clientOptions(spec: StepSpec) {
  return {
    credentials: { accessKeyId: `AKIA${spec.account}`, secretAccessKey: 'bench-secret' },
    ...(spec.quota ? { quota: spec.quota } : {}),
  };
}

async function pull(spec: StepSpec): Promise<Record<string, unknown>> {
  const result = await pullEnvironment({
    cwd: spec.cwd,
    environment: spec.environment!,
    instance: spec.instance,
    region: spec.region,
    endpointUrl: spec.endpointUrl,
    clientOptions: clientOptions(spec),
  });
  return {
    commit: result.commit ?? null,
    changed: result.changed.length,
    counts: result.counts,
    warnings: result.warnings.length,
  };
}

function pushSummary(push: PushResult | undefined): Record<string, unknown> {
  if (!push) return {};
  const count = (action: string) => push.applied.filter((r) => r.action === action).length;
  return {
    created: count('create'),
    updated: count('update'),
    planned: push.plan.summary,
    commit: push.commit ?? null,
  };
}

async function push(spec: StepSpec): Promise<Record<string, unknown>> {
  const result = await pushEnvironment({
    cwd: spec.cwd,
    environment: spec.environment!,
    clientOptions: clientOptions(spec),
  });
  return pushSummary(result);
}

async function copy(spec: StepSpec): Promise<Record<string, unknown>> {
  const result = await copyAction({
    cwd: spec.cwd,
    from: spec.from!,
    to: spec.environment!,
    push: true,
    pushOptions: { clientOptions: clientOptions(spec) },
  });
  const { summary } = result;
  return {
    copied: summary.resources.length,
    missing: summary.missingReferences.length + summary.missingIntegrations.length,
    ...pushSummary(result.push),
  };
}

async function rollback(spec: StepSpec): Promise<Record<string, unknown>> {
  const result = await rollbackAction({
    cwd: spec.cwd,
    environment: spec.environment!,
    commit: spec.commit!,
    clientOptions: clientOptions(spec),
  });
  return { commit: result.commit ?? null, ...pushSummary(result.push) };
}

/**
 * The snapshot store's two hot paths at the size: commit 1,500 files to a fresh branch,
 * commit them again with one file in ten edited, and diff the two branches.
 */
async function gitStep(spec: StepSpec): Promise<Record<string, unknown>> {
  const store = await SnapshotStore.open(spec.cwd);
  const source = await store.readBranchFiles(spec.fromBranch!);
  const paths = [...source.keys()].filter((p) => p.includes('/')).sort();
  const files = new Map<string, string>();
  for (let i = 0; files.size < spec.files!; i++) {
    const path = paths[i % paths.length];
    const name = i < paths.length ? path : path.replace(/\.json$/, ` copy ${i}.json`);
    files.set(name, source.get(path)!);
  }
  const edited = new Map(
    [...files].map(([path, text], i) => [path, i % 10 === 0 ? text.replace('"', '"Edited') : text]),
  );
  const time = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  };
  const first = await time(() => store.commitFiles('bench/a', files, 'bench: 1,500 files'));
  const second = await time(() => store.commitFiles('bench/b', edited, 'bench: edited'));
  const diff = await time(() => store.diffTrees('bench/a', 'bench/b'));
  return {
    files: files.size,
    bytes: [...files.values()].reduce((n, t) => n + t.length, 0),
    commitMs: first.ms,
    commitEditedMs: second.ms,
    diffMs: diff.ms,
    changes: diff.value.length,
  };
}

const STEPS: Record<StepSpec['kind'], (spec: StepSpec) => Promise<Record<string, unknown>>> = {
  pull,
  push,
  copy,
  rollback,
  git: gitStep,
};

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as StepSpec;
  let outcome: StepOutcome;
  const started = performance.now();
  try {
    const { value, usage } = await measured(() => STEPS[spec.kind](spec));
    outcome = { ok: true, ...usage, detail: value };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    outcome = {
      ok: false,
      wallMs: performance.now() - started,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      peakHeapMb: 0,
      detail: {},
      error: { code: e.code, message: e.message ?? String(error) },
    };
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(outcome)}\n`);
}

if (require.main === module) void main();
