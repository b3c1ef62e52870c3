/**
 * `npm run bench`: generates a large instance in the emulator with Connect's throttling on, runs
 * the tool's steps against it, each in a process of its own, and compares each step's wall time
 * with the least time Connect's quotas allow for the calls it made (bench/bound.ts).
 *
 * Options:
 *   --flows N               flows in the source instance (default 1000; other resources follow)
 *   --quota-multiplier M    quota rates times M, for emulator and client alike, in the steps whose
 *                           bound at real quotas is many minutes (default 10)
 *   --scaling               also run 100, 1,000 and 5,000 flows and tabulate growth (long; every
 *                           step there runs at the multiplier)
 *   --faults                also run the copy and push with faults and an interrupted push
 *   --seed S                generator seed (default 1)
 *   --report-only           rewrite docs/benchmarks.md from bench/results.json, running nothing
 *
 * The multiplier compresses time without changing the shape of the bound: a bucket with rate
 * M*r and the same burst admits in t/M seconds exactly what the real one admits in t, so the
 * bound scales by 1/M. Only rates are scaled for that reason. What does not scale is local work
 * and each call's latency: in a step of a few seconds at real quotas (a pull with nothing to
 * pull) they are a large share of a compressed run, so the main run measures every step at real
 * quotas except the copy and push to the empty target, whose bound is about eight minutes.
 */
import { spawn } from 'node:child_process';
import * as prettier from 'prettier';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { initRepository } from '../src/actions/init';
import { Emulator } from '../src/emulator/server';
import { AWS_DEFAULT_QUOTA, AWS_OPERATION_QUOTAS } from '../src/emulator/throttle';
import type { CallRecord } from '../src/emulator/server';
import type { InstanceRecord } from '../src/emulator/model';
import { SnapshotStore } from '../src/store/git-store';
import type { QuotaOptions } from '../src/connect/clients';
import { lowerBound, type Bound, type Phase, type Quota } from './bound';
import {
  generate,
  REGION,
  scaleFor,
  SOURCE_ACCOUNT,
  TARGET_ACCOUNT,
  type Generated,
} from './generate';
import { summarizeCalls, type CallSummary } from './measure';
import { RESULT_PREFIX, type StepOutcome, type StepSpec } from './step';
import { renderReport } from './report';
import { runFaults } from './faults';

export interface BenchOptions {
  flows: number;
  multiplier: number;
  scaling: boolean;
  faults: boolean;
  seed: number;
}

export interface StepResult {
  name: string;
  /** The quota multiplier the step ran at (1: real quotas). */
  multiplier: number;
  ok: boolean;
  error?: StepOutcome['error'];
  wallS: number;
  boundS: number;
  /** wallS / boundS; null when the quota does not bound the step (every call within a burst). */
  ratio: number | null;
  /** From the first API call to the last: the part of the wall time the quota stretches. */
  apiSpanS: number;
  /**
   * The ratio expected at real quotas: the API span stretched by the multiplier, local work
   * (reading the branch, building files, git) as measured; the ratio itself for a step run at
   * real quotas. Null like `ratio`.
   */
  ratioAtRealQuota: number | null;
  phases: Bound['phases'];
  calls: CallSummary;
  peakRssMb: number;
  peakHeapMb: number;
  detail: Record<string, unknown>;
}

export interface RunResult {
  flows: number;
  counts: Generated['counts'];
  steps: StepResult[];
  git?: Record<string, unknown>;
}

export interface Results {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  options: BenchOptions;
  quota: { default: Quota; multiplier: number };
  main: RunResult;
  scaling?: RunResult[];
  faults?: Record<string, unknown>;
}

const ROOT = resolvePath(__dirname, '..', '..');
const STEP_SCRIPT = join(__dirname, 'step.js');

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    flows: 1000,
    multiplier: 10,
    scaling: false,
    faults: false,
    seed: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) {
        throw new Error(`${flag} needs a positive number (got ${argv[i] ?? 'nothing'})`);
      }
      return n;
    };
    if (flag === '--flows') options.flows = Math.round(value());
    else if (flag === '--quota-multiplier') options.multiplier = value();
    else if (flag === '--seed') options.seed = Math.round(value());
    else if (flag === '--scaling') options.scaling = true;
    else if (flag === '--faults') options.faults = true;
    else throw new Error(`unknown option ${flag}; see the header of bench/run.ts`);
  }
  return options;
}

/** The emulator's quotas (the API's), rates scaled. */
function scaledQuotas(multiplier: number) {
  const scale = (q: Quota): Quota => ({ rate: q.rate * multiplier, burst: q.burst });
  return {
    default: scale(AWS_DEFAULT_QUOTA),
    overrides: Object.fromEntries(
      Object.entries(AWS_OPERATION_QUOTAS).map(([op, q]) => [op, scale(q)]),
    ),
  };
}

/**
 * The tool's own limiter at the same scaled rates. Connect operations all fall under the default;
 * Lambda's per-operation quotas are named, as the client does for the real service.
 */
function clientQuota(multiplier: number): QuotaOptions {
  const quotas = scaledQuotas(multiplier);
  return { default: quotas.default, operations: { ...quotas.overrides } };
}

export class Bench {
  readonly emulator: Emulator;
  url = '';
  repo = '';
  generated!: Generated;
  private parent = '';

  constructor(
    readonly options: BenchOptions,
    readonly flows: number,
  ) {
    this.emulator = new Emulator({ throttle: true, logUnknownRoutes: true });
  }

  async start(): Promise<void> {
    this.url = await this.emulator.start();
    this.generated = generate(this.emulator.state, scaleFor(this.flows), this.options.seed);
    this.parent = mkdtempSync(join(tmpdir(), 'connect-copy-bench-'));
    this.repo = join(this.parent, 'snapshots');
    await initRepository({ dir: this.repo, version: 'bench' });
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
    rmSync(this.parent, { recursive: true, force: true });
  }

  quotaOf = (operation: string): Quota => {
    const settings = this.emulator.throttle.settings;
    return settings.overrides[operation] ?? settings.default;
  };

  spec(extra: Partial<StepSpec> & Pick<StepSpec, 'kind'>): StepSpec {
    return { cwd: this.repo, region: REGION, ...extra };
  }

  /** Sets the emulator's quotas to `multiplier` times the real ones; returns the client's. */
  useQuota(multiplier: number): QuotaOptions {
    this.emulator.configureThrottle({ enabled: true, ...scaledQuotas(multiplier) });
    return clientQuota(multiplier);
  }

  /**
   * Runs one step in a child process, emulator and client at `multiplier` times the real rates,
   * and reads what the emulator saw meanwhile.
   */
  async step(
    name: string,
    spec: StepSpec,
    phasesOf: (calls: CallRecord[]) => Phase[],
    multiplier: number,
  ): Promise<StepResult> {
    const quota = this.useQuota(multiplier);
    this.emulator.calls.length = 0;
    const outcome = await runChild({ ...spec, quota });
    const calls = this.emulator.calls.slice();
    const bound = lowerBound(phasesOf(calls), this.quotaOf);
    const wallS = outcome.wallMs / 1000;
    const apiSpanS = calls.length > 1 ? calls[calls.length - 1].time - calls[0].time : 0;
    const m = multiplier;
    const result: StepResult = {
      name,
      multiplier,
      ok: outcome.ok,
      ...(outcome.error ? { error: outcome.error } : {}),
      wallS,
      boundS: bound.seconds,
      // A bound under a tenth of a second is latency, not quota: no meaningful ratio.
      ratio: bound.seconds >= 0.1 ? wallS / bound.seconds : null,
      apiSpanS,
      ratioAtRealQuota:
        bound.seconds >= 0.1
          ? (apiSpanS * m + Math.max(0, wallS - apiSpanS)) / (bound.seconds * m)
          : null,
      phases: bound.phases,
      calls: summarizeCalls(calls),
      peakRssMb: outcome.peakRssMb,
      peakHeapMb: outcome.peakHeapMb,
      detail: outcome.detail,
    };
    const ratio = result.ratio === null ? 'n/a' : result.ratio.toFixed(2);
    log(
      `${name} (${m}x quota): ${result.ok ? 'ok' : `FAILED (${outcome.error?.message})`} ` +
        `${wallS.toFixed(1)} s (API ${apiSpanS.toFixed(1)} s), bound ${bound.seconds.toFixed(1)} s, ` +
        `ratio ${ratio}, at real quota ${result.ratioAtRealQuota?.toFixed(2) ?? 'n/a'}, ` +
        `${result.calls.total} calls, ${result.calls.throttled} answered 429, ` +
        `peak RSS ${outcome.peakRssMb.toFixed(0)} MB`,
    );
    return result;
  }
}

export function runChild(
  spec: StepSpec,
  onSpawn?: (kill: () => void) => void,
): Promise<StepOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childNodeArgs(), STEP_SCRIPT, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      // The SDK's notice about future Node versions is noise in the benchmark's output.
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    onSpawn?.(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (line) return resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as StepOutcome);
      resolve({
        ok: false,
        wallMs: 0,
        peakRssMb: 0,
        peakHeapMb: 0,
        detail: { killed: signal ?? null, exitCode: code },
        error: { code: signal ?? 'EXIT', message: `step process ended (${signal ?? code})` },
      });
    });
  });
}

/** Extra node options for the step processes, e.g. BENCH_NODE_ARGS=--cpu-prof to profile. */
function childNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** A read: finding the instance comes first, then every read operation at once. */
export function readPhases(calls: CallRecord[]): Phase[] {
  const find = new Set(['DescribeInstance', 'ListInstances']);
  return [
    { name: 'find instance', calls: countOps(calls.filter((c) => find.has(c.operation))) },
    { name: 'read', calls: countOps(calls.filter((c) => !find.has(c.operation))) },
  ];
}

export function countOps(calls: CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

/**
 * A push: read the target, write, then read back what was written. The writer starts each step
 * once the steps creating what it references are done, so writes of different operations overlap
 * whatever layer they sit in: one phase, as long as its busiest operation, is the bound. The
 * dependency chain (hours, then queues, then routing profiles) would lengthen it only if the chain
 * outlasted the busiest operation; in the generated data CreateContactFlow alone outlasts the whole
 * chain, and leaving the chain out can only lower the bound. Reads interleaved with writes
 * (lookups) count as writes.
 */
export function pushPhases(calls: CallRecord[]): Phase[] {
  const first = calls.findIndex((c) => c.write);
  if (first < 0) return readPhases(calls);
  const last = calls.length - 1 - [...calls].reverse().findIndex((c) => c.write);
  return [
    ...readPhases(calls.slice(0, first)),
    { name: 'write', calls: countOps(calls.slice(first, last + 1)) },
    { name: 'read back', calls: countOps(calls.slice(last + 1)) },
  ];
}

/**
 * The steps at one scale. With `realQuotaReads`, every step but the copy and push to the empty
 * target runs at real quotas; otherwise all run at the multiplier.
 */
export async function runAtScale(
  options: BenchOptions,
  flows: number,
  realQuotaReads: boolean,
): Promise<RunResult> {
  const bench = new Bench(options, flows);
  const short = realQuotaReads ? 1 : options.multiplier;
  const long = options.multiplier;
  await bench.start();
  log(`instance: ${JSON.stringify(bench.generated.counts)}`);
  try {
    const { source } = bench.generated;
    const steps: StepResult[] = [];
    steps.push(
      await bench.step(
        'cold pull',
        bench.spec({
          kind: 'pull',
          environment: 'dev',
          instance: source.Id,
          endpointUrl: bench.url,
          account: SOURCE_ACCOUNT,
        }),
        readPhases,
        short,
      ),
    );
    steps.push(
      await bench.step(
        'pull, nothing changed',
        bench.spec({ kind: 'pull', environment: 'dev', account: SOURCE_ACCOUNT }),
        readPhases,
        short,
      ),
    );
    const { target } = bench.generated;
    steps.push(
      await bench.step(
        'pull empty target',
        bench.spec({
          kind: 'pull',
          environment: 'prod',
          instance: target.Id,
          endpointUrl: bench.url,
          account: TARGET_ACCOUNT,
        }),
        readPhases,
        short,
      ),
    );
    steps.push(
      await bench.step(
        'copy and push to the empty target',
        bench.spec({ kind: 'copy', from: 'dev', environment: 'prod', account: TARGET_ACCOUNT }),
        pushPhases,
        long,
      ),
    );
    steps.push(
      await bench.step(
        'push with nothing to do',
        bench.spec({ kind: 'push', environment: 'prod', account: TARGET_ACCOUNT }),
        pushPhases,
        short,
      ),
    );
    const store = new SnapshotStore(bench.repo);
    const before = await store.resolveRef('env/dev');
    editFlows(bench.generated.source, 10);
    steps.push(
      await bench.step(
        'pull, 10 flows changed',
        bench.spec({ kind: 'pull', environment: 'dev', account: SOURCE_ACCOUNT }),
        readPhases,
        short,
      ),
    );
    steps.push(
      await bench.step(
        'rollback of 10 flows',
        bench.spec({
          kind: 'rollback',
          environment: 'dev',
          commit: before,
          account: SOURCE_ACCOUNT,
        }),
        pushPhases,
        short,
      ),
    );
    const git = await runChild(bench.spec({ kind: 'git', fromBranch: 'env/dev', files: 1500 }));
    if (git.ok) {
      log(
        `git: commit of ${git.detail.files} files ${ms(git.detail.commitMs)}, ` +
          `diff ${ms(git.detail.diffMs)}`,
      );
    }
    return { flows, counts: bench.generated.counts, steps, git: git.detail };
  } finally {
    await bench.stop();
  }
}

/** As an admin would in the console: new wording in a prompt's place and a description. */
function editFlows(instance: InstanceRecord, count: number): void {
  const flows = Object.values(instance.flows)
    .filter((f) => f.Type === 'CONTACT_FLOW' && f.Name.startsWith('Inbound'))
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const step = Math.max(1, Math.floor(flows.length / count));
  for (let i = 0; i < count && i * step < flows.length; i++) {
    const flow = flows[i * step];
    const content = JSON.parse(flow.Content) as {
      Actions: { Parameters: Record<string, unknown> }[];
    };
    for (const action of content.Actions) {
      const attributes = action.Parameters.Attributes as Record<string, string> | undefined;
      if (attributes?.greeting) attributes.greeting = `${attributes.greeting} (edited)`;
    }
    flow.Content = JSON.stringify(content);
    flow.Description = `${flow.Description ?? ''} edited`.trim();
    flow.LastModifiedTime += 3600;
  }
}

const ms = (value: unknown) => `${Number(value).toFixed(0)} ms`;

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const resultsFile = join(ROOT, 'bench', 'results.json');
  const previous = readPrevious(resultsFile);
  if (argv[0] === '--report-only') {
    if (!previous) throw new Error('--report-only needs bench/results.json from an earlier run');
    await writeReport(previous);
    return;
  }
  const options = parseArgs(argv);
  const main = await runAtScale(options, options.flows, true);
  let scaling = previous?.scaling;
  if (options.scaling) {
    scaling = [];
    for (const flows of [100, 1000, 5000]) scaling.push(await runAtScale(options, flows, false));
  }
  const results: Results = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    options,
    quota: { default: AWS_DEFAULT_QUOTA, multiplier: options.multiplier },
    main,
    ...(scaling ? { scaling } : {}),
    ...(options.faults
      ? { faults: await runFaults(options) }
      : previous?.faults
        ? { faults: previous.faults }
        : {}),
  };
  await writeFormatted(resultsFile, JSON.stringify(results), 'json');
  await writeReport(results);
}

/** docs/benchmarks.md, with the hand-written analysis in bench/notes.md appended. */
async function writeReport(results: Results): Promise<void> {
  let notes = '';
  try {
    notes = readFileSync(join(ROOT, 'bench', 'notes.md'), 'utf8');
  } catch {
    notes = '';
  }
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  await writeFormatted(
    join(ROOT, 'docs', 'benchmarks.md'),
    renderReport(results, notes),
    'markdown',
  );
  log('wrote bench/results.json and docs/benchmarks.md');
}

/** Written as the project's prettier settings format them, so `npm run lint` stays clean. */
async function writeFormatted(file: string, text: string, parser: 'json' | 'markdown') {
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...config, parser }));
}

/** Scaling and fault runs are long; a default run keeps their last results. */
function readPrevious(file: string): Results | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  });
}
