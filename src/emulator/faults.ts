import { ApiError } from './errors';

/** Operations that change state; a fault can target "the Nth write" across all of them. */
const WRITE_PREFIXES = [
  'Create',
  'Update',
  'Associate',
  'Disassociate',
  'Delete',
  'Tag',
  'Untag',
  'Add',
  'Put',
];

export function isWriteOperation(operation: string): boolean {
  return WRITE_PREFIXES.some((prefix) => operation.startsWith(prefix));
}

export interface FaultSpec {
  /** Operation names to match; `"*"` matches every operation, `"write"` every write. */
  operations: string[];
  /** Matching calls to let through before the fault starts. Default 0. */
  skip?: number;
  /** Matching calls to fail; omitted or -1 means every call until the fault is cleared. */
  count?: number;
  /** HTTP status to answer with. Default 500. */
  status?: number;
  /** Error code (x-amzn-ErrorType). Defaults from the status. */
  code?: string;
  message?: string;
  /** Delay the answer by this many milliseconds (the call then succeeds unless status is set). */
  delayMs?: number;
  /**
   * Hold matching calls unanswered until the fault is released (the call then succeeds unless
   * status is set), so a test can see what else a client sends while one operation is pending.
   */
  hold?: boolean;
}

/** A fault as listed: its spec, its id and, for a hold, how many calls wait on it now. */
export interface ListedFault extends FaultSpec {
  id: number;
  held?: number;
}

interface ActiveFault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
  /** Calls waiting on a hold, and what lets them go. */
  held: number;
  gate?: { opened: Promise<void>; open: () => void };
}

const CODE_FOR_STATUS: Record<number, string> = {
  400: 'InvalidRequestException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  409: 'ResourceConflictException',
  429: 'ThrottlingException',
  500: 'InternalServiceException',
  503: 'ServiceUnavailableException',
};

export interface FaultOutcome {
  delayMs: number;
  /** Settles when every hold on the call is released. */
  hold?: Promise<void>;
  error?: ApiError;
}

export class Faults {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    if (!Array.isArray(spec.operations) || spec.operations.length === 0) {
      throw new Error('a fault needs "operations": a list of operation names, "*" or "write"');
    }
    const id = this.nextId++;
    const fault: ActiveFault = { ...spec, id, seen: 0, fired: 0, held: 0 };
    if (spec.hold) {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      fault.gate = { opened, open };
    }
    this.faults.push(fault);
    return id;
  }

  /** Clearing also lets held calls go, so no request is left hanging. */
  clear(): void {
    for (const fault of this.faults) fault.gate?.open();
    this.faults = [];
  }

  /** Lets the calls held by one hold fault (or by all) go, and removes those faults. */
  release(id?: number): number {
    const released = this.faults.filter((f) => f.gate && (id === undefined || f.id === id));
    if (id !== undefined && released.length === 0) throw new Error(`no hold fault with id ${id}`);
    for (const fault of released) fault.gate!.open();
    this.faults = this.faults.filter((f) => !released.includes(f));
    return released.reduce((sum, f) => sum + f.held, 0);
  }

  list(): ListedFault[] {
    return this.faults.map((f) => ({
      id: f.id,
      operations: f.operations,
      skip: f.skip,
      count: f.count,
      status: f.status,
      code: f.code,
      message: f.message,
      delayMs: f.delayMs,
      ...(f.hold ? { hold: true, held: f.held } : {}),
    }));
  }

  /** Decides what happens to one call; faults are consumed in the order they were added. */
  apply(operation: string): FaultOutcome {
    let delayMs = 0;
    const holds: Promise<void>[] = [];
    const outcome = (error?: ApiError): FaultOutcome => ({
      delayMs,
      ...(holds.length > 0 ? { hold: Promise.all(holds).then(() => {}) } : {}),
      ...(error ? { error } : {}),
    });
    for (const fault of this.faults) {
      if (!matches(fault.operations, operation)) continue;
      fault.seen++;
      if (fault.seen <= (fault.skip ?? 0)) continue;
      const limit = fault.count ?? -1;
      if (limit >= 0 && fault.fired >= limit) continue;
      fault.fired++;
      delayMs += fault.delayMs ?? 0;
      if (fault.gate) {
        const held = fault;
        held.held++;
        holds.push(fault.gate.opened.then(() => void held.held--));
      }
      if (fault.status !== undefined || (fault.delayMs === undefined && !fault.hold)) {
        const status = fault.status ?? 500;
        const code = fault.code ?? CODE_FOR_STATUS[status] ?? 'InternalServiceException';
        const message = fault.message ?? `Injected fault for ${operation}`;
        return outcome(new ApiError(code, status, message));
      }
    }
    this.faults = this.faults.filter(
      (f) => f.gate !== undefined || (f.count ?? -1) < 0 || f.fired < (f.count ?? 0),
    );
    return outcome();
  }
}

function matches(patterns: string[], operation: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === operation || (p === 'write' && isWriteOperation(operation)),
  );
}
