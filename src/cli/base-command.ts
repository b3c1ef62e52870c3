/**
 * The base of every connect-copy command: `--json` everywhere, warnings on stderr and in the JSON
 * result, and one way of reporting errors (message and next steps on stderr, or the error object
 * on stdout under `--json`) with the exit code from the documented table.
 */
import { Command, Errors } from '@oclif/core';
import { Config } from '../core/config';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  private readonly warnings: string[] = [];

  /** A warning for the user: on stderr, and under `warnings` in the JSON result. */
  protected warning(message: string): void {
    this.warnings.push(message);
    this.logToStderr(`Warning: ${message}`);
  }

  /** The snapshot repository around `dir` and its committed configuration. */
  protected async loadRepository(
    dir: string = process.cwd(),
  ): Promise<{ store: SnapshotStore; config: Config }> {
    const store = await SnapshotStore.open(dir);
    const config = await store.readConfig();
    if (await store.hasUncommittedConfigEdits()) {
      this.warning(
        'connect-copy.json has uncommitted edits, which are not used: commit them to apply them',
      );
    }
    return { store, config };
  }

  protected override toSuccessJson(result: unknown): unknown {
    const isRecord = typeof result === 'object' && result !== null && !Array.isArray(result);
    if (!isRecord || this.warnings.length === 0) return result;
    return { ...result, warnings: this.warnings };
  }

  protected override async catch(error: Error): Promise<never> {
    // `this.exit()` throws ExitError; it is a way out, not a failure to report.
    if (error instanceof Errors.ExitError) throw error;

    const failure = this.toConnectCopyError(error);
    if (this.jsonEnabled()) {
      const warnings = this.warnings.length > 0 ? { warnings: this.warnings } : {};
      this.logJson({ error: failure.toJSON(), ...warnings });
    } else {
      this.logToStderr(formatError(failure));
      if (failure.exitCode === ExitCode.internal && error.stack && process.env.DEBUG) {
        this.logToStderr(error.stack);
      }
    }
    return this.exit(failure.exitCode);
  }

  private toConnectCopyError(error: Error): ConnectCopyError {
    if (error instanceof ConnectCopyError) return error;
    // oclif's own errors are about the command line: unknown flags, missing arguments.
    if (error instanceof Errors.CLIError) {
      return new ConnectCopyError('USAGE', error.message, {
        exitCode: ExitCode.usage,
        suggestions: [`${this.config.bin} ${this.id ?? ''} --help`.replace(/\s+/g, ' ')],
      });
    }
    return new ConnectCopyError('INTERNAL', `Unexpected error: ${error.message}`, {
      exitCode: ExitCode.internal,
      data: { name: error.name },
      suggestions: [
        'This is a bug in connect-copy: please report it with the command you ran and this ' +
          'output (set DEBUG=connect-copy* to include the stack trace)',
      ],
      cause: error,
    });
  }
}

function formatError(error: ConnectCopyError): string {
  const lines = [`Error: ${error.message}`];
  if (error.suggestions.length === 1) lines.push(`Next: ${error.suggestions[0]}`);
  else if (error.suggestions.length > 1) {
    lines.push('Next steps:', ...error.suggestions.map((suggestion) => `  ${suggestion}`));
  }
  return lines.join('\n');
}
