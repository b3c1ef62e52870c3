import { strict as assert } from 'node:assert';
import { Errors } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { repoRoot } from '../helpers/paths';

class Fails extends BaseCommand {
  static failure: Error = new Error('boom');

  async run(): Promise<void> {
    await this.parse(Fails);
    throw Fails.failure;
  }
}

interface Outcome {
  exit: number;
  stdout: string;
  stderr: string;
}

/** Runs the command in process, capturing what it writes and the exit code it asks for. */
async function runFails(failure: Error, argv: string[] = []): Promise<Outcome> {
  Fails.failure = failure;
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as never;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as never;
  try {
    await Fails.run(argv, repoRoot());
    assert.fail('the command did not exit');
  } catch (error) {
    assert.ok(error instanceof Errors.ExitError, `expected an exit, got ${error}`);
    return { exit: error.oclif.exit ?? -1, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

describe('cli: BaseCommand', () => {
  const conflict = () =>
    new ConnectCopyError('CONFLICT', 'Queue Sales changed in the console since the last pull.', {
      exitCode: ExitCode.conflict,
      data: { resources: ['queues/Sales'] },
      suggestions: ['connect-copy pull prod', 'connect-copy push prod --force'],
    });

  it('prints the message and next steps to stderr and exits with the error exit code', async () => {
    const outcome = await runFails(conflict());
    assert.equal(outcome.exit, ExitCode.conflict);
    assert.equal(outcome.stdout, '');
    assert.match(outcome.stderr, /^Error: Queue Sales changed in the console/);
    assert.match(
      outcome.stderr,
      /\n {2}connect-copy pull prod\n {2}connect-copy push prod --force/,
    );
  });

  it('prints the error as JSON on stdout under --json', async () => {
    const outcome = await runFails(conflict(), ['--json']);
    assert.equal(outcome.exit, ExitCode.conflict);
    assert.equal(outcome.stderr, '');
    assert.deepEqual(JSON.parse(outcome.stdout), { error: conflict().toJSON() });
  });

  it('reports an unexpected error as internal, exit code 1', async () => {
    const outcome = await runFails(new TypeError('x is undefined'), ['--json']);
    assert.equal(outcome.exit, ExitCode.internal);
    const { error } = JSON.parse(outcome.stdout);
    assert.equal(error.code, 'INTERNAL');
    assert.match(error.message, /x is undefined/);
    assert.match(error.suggestions[0], /bug/);
  });

  it('reports a bad flag as a usage error, exit code 2', async () => {
    const outcome = await runFails(new Error('unreached'), ['--nope']);
    assert.equal(outcome.exit, ExitCode.usage);
    assert.match(outcome.stderr, /--nope/);
  });
});
