/**
 * docs/benchmarks.md, generated from bench/results.json by `npm run bench`: what was measured,
 * against which bound, and whether each of the issue's targets is met.
 */
import type { Results, RunResult, StepResult } from './run';

export interface Target {
  target: string;
  measured: string;
  met: boolean;
}

const RATIO_TARGET = 1.3;
const THROTTLED_SHARE = 0.02;
const PEAK_RSS_MB = 400;
const GIT_MS = 3000;

export function evaluateTargets(results: Results): Target[] {
  const { main } = results;
  const targets: Target[] = [];
  for (const step of main.steps) {
    targets.push({
      target: `${step.name}: within ${RATIO_TARGET}x its lower bound`,
      measured:
        step.ratio === null
          ? `${step.wallS.toFixed(2)} s, bound under 0.1 s (no quota wait)`
          : `${step.ratio.toFixed(2)}x measured, ${step.ratioAtRealQuota!.toFixed(2)}x at real quota`,
      met:
        step.ok &&
        (step.ratio === null || Math.min(step.ratio, step.ratioAtRealQuota!) <= RATIO_TARGET),
    });
  }
  const cold = main.steps.find((s) => s.name === 'cold pull');
  const warm = main.steps.find((s) => s.name === 'pull, nothing changed');
  if (cold && warm) {
    targets.push({
      target: 'pull with nothing changed: at most a tenth of a cold pull’s calls',
      measured: `${warm.calls.total} of ${cold.calls.total} (${pct(warm.calls.total / cold.calls.total)})`,
      met: warm.calls.total * 10 <= cold.calls.total,
    });
  }
  const calls = main.steps.reduce((n, s) => n + s.calls.total, 0);
  const throttled = main.steps.reduce((n, s) => n + s.calls.throttled, 0);
  targets.push({
    target: `under ${pct(THROTTLED_SHARE)} of calls answered 429, none surfacing as an error`,
    measured:
      `${throttled} of ${calls} (${pct(throttled / Math.max(1, calls))}); ` +
      `${main.steps.filter((s) => !s.ok).length} steps failed`,
    met: throttled < THROTTLED_SHARE * calls && main.steps.every((s) => s.ok),
  });
  const peak = Math.max(...main.steps.map((s) => s.peakRssMb));
  targets.push({
    target: `peak memory under ${PEAK_RSS_MB} MB at ${main.flows} flows`,
    measured: `${peak.toFixed(0)} MB`,
    met: peak < PEAK_RSS_MB,
  });
  if (main.git && typeof main.git.commitMs === 'number') {
    const { commitMs, diffMs, files } = main.git as Record<string, number>;
    targets.push({
      target: `commit of ${files} files under 3 s`,
      measured: `${(commitMs / 1000).toFixed(2)} s`,
      met: commitMs < GIT_MS,
    });
    targets.push({
      target: `diff of two ${files}-file branches under 3 s`,
      measured: `${(diffMs / 1000).toFixed(2)} s`,
      met: diffMs < GIT_MS,
    });
  }
  if (results.scaling && results.scaling.length > 1) {
    const growth = linearity(results.scaling);
    targets.push({
      target: 'cost grows linearly with the number of resources',
      measured: growth.summary,
      met: growth.linear,
    });
  }
  return targets;
}

/**
 * Linear means calls and wall time per flow do not grow between the two largest runs (the
 * smallest one is dominated by fixed costs, which would hide growth): at most 25% more per flow.
 */
function linearity(runs: RunResult[]): { linear: boolean; summary: string } {
  const perFlow = (run: RunResult, key: 'calls' | 'wall') =>
    run.steps.reduce((n, s) => n + (key === 'calls' ? s.calls.total : s.wallS), 0) / run.flows;
  const small = runs[runs.length - 2];
  const large = runs[runs.length - 1];
  const calls = perFlow(large, 'calls') / perFlow(small, 'calls');
  const wall = perFlow(large, 'wall') / perFlow(small, 'wall');
  return {
    linear: calls <= 1.25 && wall <= 1.25,
    summary:
      `from ${small.flows} to ${large.flows} flows, calls per flow x${calls.toFixed(2)}, ` +
      `wall time per flow x${wall.toFixed(2)}`,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;
const num = (x: number, digits = 1) => x.toFixed(digits);

function stepRow(step: StepResult): string {
  const busiest = step.phases
    .filter((p) => p.limitedBy)
    .map((p) => `${p.name}: ${p.limitedBy} (${num(p.seconds)} s)`)
    .join('; ');
  return (
    `| ${step.name} | ${step.multiplier}x | ${step.ok ? num(step.wallS) : 'failed'} | ` +
    `${num(step.apiSpanS)} | ` +
    `${num(step.boundS)} | ${step.ratio === null ? 'n/a' : num(step.ratio, 2)} | ` +
    `${step.ratioAtRealQuota === null ? 'n/a' : num(step.ratioAtRealQuota, 2)} | ` +
    `${step.calls.total} | ` +
    `${step.calls.throttled} | ${step.calls.serverErrors} | ${num(step.peakRssMb, 0)} | ` +
    `${busiest || 'none (within burst)'} |`
  );
}

function callsTable(steps: StepResult[]): string[] {
  const operations = [...new Set(steps.flatMap((s) => Object.keys(s.calls.byOperation)))].sort();
  const lines = [
    `| operation | ${steps.map((s) => s.name).join(' | ')} |`,
    `|---|${steps.map(() => '---:').join('|')}|`,
  ];
  for (const op of operations) {
    lines.push(`| ${op} | ${steps.map((s) => s.calls.byOperation[op] ?? '').join(' | ')} |`);
  }
  return lines;
}

function scalingTable(runs: RunResult[]): string[] {
  const names = runs[0].steps.map((s) => s.name);
  const lines = [
    `| step | ${runs.map((r) => `${r.flows} flows: calls`).join(' | ')} | ` +
      `${runs.map((r) => `${r.flows} flows: wall s`).join(' | ')} |`,
    `|---|${runs.map(() => '---:').join('|')}|${runs.map(() => '---:').join('|')}|`,
  ];
  for (const name of names) {
    const of = (r: RunResult) => r.steps.find((s) => s.name === name);
    lines.push(
      `| ${name} | ${runs.map((r) => of(r)?.calls.total ?? '').join(' | ')} | ` +
        `${runs.map((r) => (of(r) ? num(of(r)!.wallS) : '')).join(' | ')} |`,
    );
  }
  if (runs.every((r) => r.git && typeof r.git.commitMs === 'number')) {
    lines.push(
      `| commit of 1,500 files (ms) | ${runs.map(() => '').join(' | ')} | ` +
        `${runs.map((r) => num(Number(r.git!.commitMs), 0)).join(' | ')} |`,
    );
  }
  return lines;
}

export function renderReport(results: Results, notes = ''): string {
  const { main } = results;
  const m = results.quota.multiplier;
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results.json; do not edit. -->',
    '',
    'Amazon Connect allows about 2 calls a second per operation, account and region (burst 5),',
    'so a step cannot be faster than its busiest operation allows. For each step the benchmark',
    'counts the calls the emulator received per operation and computes that lower bound:',
    'per phase, the busiest operation’s `(calls - burst) / rate`; phases that depend on each',
    'other add up (bench/bound.ts). The ratio is wall time over that bound.',
    '',
    `Run of ${results.generatedAt} on ${results.machine.cpus} × ${results.machine.cpuModel}, ` +
      `${results.machine.memoryGb} GB, Node ${results.machine.node}.`,
    '',
    `**Quotas:** every step but one ran at Connect’s real quotas (column *quota* 1x). The copy ` +
      `and push to the empty target, whose bound at real quotas is many minutes, ran with the ` +
      `emulator and the tool’s limiter at ${m} × the real rates ` +
      `(${results.quota.default.rate * m} calls a second per operation, burst ` +
      `${results.quota.default.burst}): a bucket with ${m} times the rate and the same burst ` +
      `admits in t/${m} seconds what the real one admits in t, so its bound is ${m} times ` +
      'shorter. Local work and call latency do not shrink with the multiplier, which is why the ' +
      'short steps are measured at real quotas: compressed, a pull of a few seconds would be ' +
      'mostly local work.',
    '',
    `Instance: ${Object.entries(main.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} (plus the defaults of a new instance), generated by bench/generate.ts ` +
      '(seeded, shaped like the flows in test/fixtures/corpus). Each step runs in its own ' +
      'process, so peak memory is the tool’s alone.',
    '',
    '## Steps',
    '',
    '| step | quota | wall s | API s | bound s | ratio | ratio at real quota | calls | 429s | ' +
      '5xx | peak RSS MB | what limits it |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...main.steps.map(stepRow),
    '',
    '*API s* is the time from the first API call to the last; the rest of the wall time is ' +
      'local work (reading the branch, building canonical files, git). *Ratio at real quota* ' +
      `is the ratio for a step run at real quotas; for the one run at ${m}x it stretches the API ` +
      `part by ${m} and keeps the local part as measured. *What limits it* ` +
      'names, per phase of the bound, the operation with the most calls beyond its burst.',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...evaluateTargets(results).map(
      (t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Calls per operation',
    '',
    ...callsTable(main.steps),
    '',
  ];
  if (main.git) {
    lines.push(
      '## Snapshot store',
      '',
      `Commit of ${main.git.files} files (${num(Number(main.git.bytes) / 1e6)} MB) to a new ` +
        `branch: ${num(Number(main.git.commitMs), 0)} ms; the same files with one in ten ` +
        `edited, to another: ${num(Number(main.git.commitEditedMs), 0)} ms; diff of the two ` +
        `branches (${main.git.changes} changes): ${num(Number(main.git.diffMs), 0)} ms.`,
      '',
    );
  }
  if (results.scaling) {
    lines.push(
      '## Scaling',
      '',
      'The same steps at 100, 1,000 and 5,000 flows (other resources in proportion; ' +
        '`npm run bench -- --scaling`).',
      '',
      ...scalingTable(results.scaling),
      '',
    );
  }
  if (results.faults) {
    lines.push(...faultSection(results.faults as unknown as FaultResults));
  }
  if (notes.trim() !== '') lines.push(notes.trim(), '');
  return lines.join('\n');
}

interface FaultComparison {
  resources: number;
  equal: boolean;
  missing: string[];
  extra: string[];
  different: string[];
  duplicates: string[];
}

interface FaultResults {
  flows: number;
  randomFaults: {
    ok: boolean;
    error: string | null;
    wallS: number;
    calls: number;
    injected: number;
    retries: number;
    comparison: FaultComparison;
  };
  killAndRerun: {
    killed: boolean;
    writesBeforeKill: number;
    rerun: { ok: boolean; error: string | null; wallS: number; calls: number };
    rerunCreates: number | null;
    comparison: FaultComparison;
  };
}

function verdict(c: FaultComparison): string {
  if (c.equal) return `equal to the fault-free run for all ${c.resources} resources; nothing twice`;
  return (
    `**differs**: missing ${c.missing.join(', ') || 'none'}; extra ${c.extra.join(', ') || 'none'}; ` +
    `different ${c.different.join(', ') || 'none'}; twice ${c.duplicates.join(', ') || 'none'}`
  );
}

function faultSection(f: FaultResults): string[] {
  const r = f.randomFaults;
  const k = f.killAndRerun;
  return [
    '## Fault runs',
    '',
    `Same data (${f.flows} flows); the copy and push to the empty target, compared afterwards ` +
      'with the fault-free run’s target record by record (ids replaced by the names they point ' +
      'at, inside flow content too) and checked for names that exist twice (bench/faults.ts).',
    '',
    '| run | outcome | wall s | calls | target state |',
    '|---|---|---:|---:|---|',
    `| one call in ten answered 500 or 429 at random (${r.injected} injected, ${r.retries} ` +
      `retries) | ${r.ok ? 'succeeded' : `failed: ${r.error}`} | ${num(r.wallS)} | ${r.calls} | ` +
      `${verdict(r.comparison)} |`,
    `| push process killed after ${k.writesBeforeKill} writes, then \`push\` again (it ` +
      `created ${k.rerunCreates ?? '?'} more) | ${k.killed ? 'killed' : 'not killed'}; re-run ` +
      `${k.rerun.ok ? 'succeeded' : `failed: ${k.rerun.error}`} | ${num(k.rerun.wallS)} | ` +
      `${k.rerun.calls} | ${verdict(k.comparison)} |`,
    '',
  ];
}
