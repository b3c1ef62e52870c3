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
}

interface ActiveFault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
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
    this.faults.push({ ...spec, id, seen: 0, fired: 0 });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map(({ operations, skip, count, status, code, message, delayMs }) => ({
      operations,
      skip,
      count,
      status,
      code,
      message,
      delayMs,
    }));
  }

  /** Decides what happens to one call; faults are consumed in the order they were added. */
  apply(operation: string): FaultOutcome {
    let delayMs = 0;
    for (const fault of this.faults) {
      if (!matches(fault.operations, operation)) continue;
      fault.seen++;
      if (fault.seen <= (fault.skip ?? 0)) continue;
      const limit = fault.count ?? -1;
      if (limit >= 0 && fault.fired >= limit) continue;
      fault.fired++;
      delayMs += fault.delayMs ?? 0;
      if (fault.status !== undefined || fault.delayMs === undefined) {
        const status = fault.status ?? 500;
        const code = fault.code ?? CODE_FOR_STATUS[status] ?? 'InternalServiceException';
        const message = fault.message ?? `Injected fault for ${operation}`;
        return { delayMs, error: new ApiError(code, status, message) };
      }
    }
    this.faults = this.faults.filter((f) => (f.count ?? -1) < 0 || f.fired < (f.count ?? 0));
    return { delayMs };
  }
}

function matches(patterns: string[], operation: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === operation || (p === 'write' && isWriteOperation(operation)),
  );
}
