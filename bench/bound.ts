/**
 * The fastest a step could possibly go under Connect's quotas. Every operation has its own token
 * bucket per account and region, so operations in one phase run side by side and the phase takes
 * as long as its busiest operation; phases that depend on each other (find the instance, then
 * read it; create the queues, then the flows that name them) run one after the other.
 *
 * An operation with n calls in a phase needs n tokens: the bucket holds `burst` at the start, the
 * rest arrive at `rate` a second, so the phase lasts at least (n - burst) / rate. Every phase is
 * credited a full bucket even if the previous one drained it, which can only lower the bound.
 */

export interface Quota {
  rate: number;
  burst: number;
}

export interface Phase {
  name: string;
  /** Calls per operation (`connect:SearchQueues` or `SearchQueues`; keys are only labels). */
  calls: Record<string, number>;
}

export interface PhaseBound {
  name: string;
  seconds: number;
  /** The operation that sets the phase's length, if any has to wait for tokens. */
  limitedBy?: string;
}

export interface Bound {
  seconds: number;
  phases: PhaseBound[];
}

export function phaseBound(phase: Phase, quotaOf: (operation: string) => Quota): PhaseBound {
  let seconds = 0;
  let limitedBy: string | undefined;
  for (const [operation, count] of Object.entries(phase.calls)) {
    if (count <= 0) continue;
    const { rate, burst } = quotaOf(operation);
    const wait = Math.max(0, (count - burst) / rate);
    if (wait > seconds) {
      seconds = wait;
      limitedBy = operation;
    }
  }
  return { name: phase.name, seconds, ...(limitedBy ? { limitedBy } : {}) };
}

export function lowerBound(phases: Phase[], quotaOf: (operation: string) => Quota): Bound {
  const bounds = phases.map((phase) => phaseBound(phase, quotaOf));
  return { seconds: bounds.reduce((sum, b) => sum + b.seconds, 0), phases: bounds };
}

/** Adds up calls per operation over several phases (for reporting a step's totals). */
export function totalCalls(phases: Phase[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const phase of phases) {
    for (const [operation, count] of Object.entries(phase.calls)) {
      total[operation] = (total[operation] ?? 0) + count;
    }
  }
  return total;
}
