/**
 * What a step costs the machine it runs on. Each measured step runs in a process of its own
 * (bench/step.ts), so the peak resident set is the tool's alone: the emulator, with every record
 * of both instances in memory, stays in the benchmark's parent process.
 */

export interface Usage {
  wallMs: number;
  /** Peak resident set of the whole process, in MB (node itself and the SDK included). */
  peakRssMb: number;
  /** Peak V8 heap in use, sampled, in MB. */
  peakHeapMb: number;
}

/** Runs `work`, timing it and sampling the heap; maxRSS is the kernel's own high-water mark. */
export async function measured<T>(work: () => Promise<T>): Promise<{ value: T; usage: Usage }> {
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 25);
  const started = performance.now();
  try {
    const value = await work();
    const wallMs = performance.now() - started;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return {
      value,
      usage: {
        wallMs,
        // resourceUsage().maxRSS is in kilobytes.
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        peakHeapMb: peakHeap / 2 ** 20,
      },
    };
  } finally {
    clearInterval(sampler);
  }
}

export interface CallSummary {
  total: number;
  byOperation: Record<string, number>;
  throttled: number;
  /** Each 429: its operation, which call of it in the step, and seconds since the one before. */
  throttledCalls: { operation: string; nth: number; afterS: number | null }[];
  serverErrors: number;
  /** Attempts after the first for one SDK invocation (a retry of a 429 or 500). */
  retries: number;
}

export interface LoggedCall {
  operation: string;
  /** Seconds, on the emulator's clock. */
  time: number;
  status: number;
  attempt: number;
  write: boolean;
}

export function summarizeCalls(calls: LoggedCall[]): CallSummary {
  const byOperation: Record<string, number> = {};
  let throttled = 0;
  const throttledCalls: CallSummary['throttledCalls'] = [];
  const lastTime = new Map<string, number>();
  let serverErrors = 0;
  let retries = 0;
  for (const call of calls) {
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    if (call.status === 429) {
      throttled++;
      const previous = lastTime.get(call.operation);
      throttledCalls.push({
        operation: call.operation,
        nth: byOperation[call.operation],
        afterS: previous === undefined ? null : Math.round((call.time - previous) * 1000) / 1000,
      });
    }
    lastTime.set(call.operation, call.time);
    if (call.status >= 500) serverErrors++;
    if (call.attempt > 1) retries++;
  }
  return {
    total: calls.length,
    byOperation: sortKeys(byOperation),
    throttled,
    throttledCalls,
    serverErrors,
    retries,
  };
}

export function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}
