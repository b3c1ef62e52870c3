/**
 * Process exit codes, the same for every command (also listed in the README and in `--help`).
 *
 * | code | meaning                                                                        |
 * | ---- | ------------------------------------------------------------------------------ |
 * | 0    | success                                                                        |
 * | 1    | unexpected internal error (a bug: please report it)                            |
 * | 2    | usage, bad input or invalid configuration                                      |
 * | 3    | AWS access or API error (access denied, not found, throttled beyond retries)   |
 * | 4    | conflict: a resource changed in the console since the last pull                |
 * | 5    | unresolved references: a token names nothing in the target environment         |
 * | 6    | repository state: uncommitted edits, missing branch, not a snapshot repository |
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  aws: 3,
  conflict: 4,
  unresolvedReferences: 5,
  repositoryState: 6,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ConnectCopyErrorOptions {
  exitCode: ExitCode;
  /** Facts a script needs to act on the error (printed under `--json`). */
  data?: Record<string, unknown>;
  /** Commands or actions that move the user forward, most likely first. */
  suggestions?: string[];
  cause?: unknown;
}

/**
 * The one error type of the project. Adapters translate third-party errors (SDK, isomorphic-git)
 * into it at their boundary, so commands only ever show a message that says what to do next.
 */
export class ConnectCopyError extends Error {
  readonly exitCode: ExitCode;
  readonly data: Record<string, unknown>;
  readonly suggestions: string[];

  /** `code` is stable (scripts match on it); the message may be reworded. */
  constructor(
    readonly code: string,
    message: string,
    options: ConnectCopyErrorOptions,
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectCopyError';
    this.exitCode = options.exitCode;
    this.data = options.data ?? {};
    this.suggestions = options.suggestions ?? [];
  }

  /** The shape printed under `--json`. */
  toJSON(): ConnectCopyErrorJson {
    return {
      code: this.code,
      message: this.message,
      exitCode: this.exitCode,
      data: this.data,
      suggestions: this.suggestions,
    };
  }
}

export interface ConnectCopyErrorJson {
  code: string;
  message: string;
  exitCode: number;
  data: Record<string, unknown>;
  suggestions: string[];
}

export const isConnectCopyError = (error: unknown): error is ConnectCopyError =>
  error instanceof ConnectCopyError;

/** The exit code table as shown at the end of each command's `--help`. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success',
  '  1  internal error (a bug: please report it)',
  '  2  usage, bad input or configuration',
  '  3  AWS access or API error',
  '  4  conflict: changed in the console since the last pull',
  '  5  unresolved references',
  '  6  repository state: uncommitted edits, missing branch',
].join('\n');
