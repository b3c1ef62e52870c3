/**
 * The one error type the CLI shows users: a stable code, the process exit code, structured data
 * for `--json`, and suggestions that name the next thing to run. Third-party errors are wrapped
 * into it at the adapters.
 */

/** Exit codes, documented in the README and in `--help`. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  aws: 3,
  conflict: 4,
  unresolved: 5,
  repository: 6,
} as const;

export class ConnectCopyError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly data: Record<string, unknown>;
  readonly suggestions: string[];

  constructor(
    code: string,
    message: string,
    options: {
      exitCode: number;
      data?: Record<string, unknown>;
      suggestions?: string[];
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectCopyError';
    this.code = code;
    this.exitCode = options.exitCode;
    this.data = options.data ?? {};
    this.suggestions = options.suggestions ?? [];
  }
}
