import { strict as assert } from 'node:assert';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors } from '@oclif/core';
import { initRepository } from '../../src/actions/init';
import { BaseCommand } from '../../src/cli/base-command';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { repoRoot } from '../helpers/paths';
import { useTempDirs } from '../helpers/temp-dir';

class Fails extends BaseCommand {
  static failure: Error = new Error('boom');

  async run(): Promise<void> {
    await this.parse(Fails);
    throw Fails.failure;
  }
}

class ListEnvironments extends BaseCommand {
  static dir = '.';

  async run(): Promise<{ environments: string[] }> {
    await this.parse(ListEnvironments);
    const { config } = await this.loadRepository(ListEnvironments.dir);
    return { environments: Object.keys(config.environments) };
  }
}

const listEnvironments = (argv: string[], root: string) => ListEnvironments.run(argv, root);

interface Outcome {
  exit: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in process, capturing what it writes and the exit code it asks for. */
async function capture(run: (argv: string[], root: string) => Promise<unknown>, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as never;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as never;
  let exit = 0;
  try {
    await run(argv, repoRoot());
  } catch (error) {
    if (!(error instanceof Errors.ExitError)) throw error;
    exit = error.oclif.exit ?? -1;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  return { exit, stdout: out.join(''), stderr: err.join('') } satisfies Outcome;
}

function runFails(failure: Error, argv: string[] = []): Promise<Outcome> {
  Fails.failure = failure;
  return capture((a, r) => Fails.run(a, r), argv);
}

describe('cli: BaseCommand', () => {
  const tmp = useTempDirs();

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

  describe('loadRepository', () => {
    async function repository() {
      const dir = await tmp.make();
      await initRepository({ dir, environments: ['dev=x'], region: 'us-east-1', version: '0' });
      ListEnvironments.dir = dir;
      return dir;
    }

    it('reads the committed configuration', async () => {
      await repository();
      const outcome = await capture(listEnvironments, ['--json']);
      assert.equal(outcome.exit, 0, outcome.stderr);
      assert.deepEqual(JSON.parse(outcome.stdout), { environments: ['dev'] });
    });

    it('warns, on stderr and in the JSON, that uncommitted config edits are not used', async () => {
      const dir = await repository();
      await writeFile(join(dir, 'connect-copy.json'), '{ "version": 1, "environments": {} }\n');

      const human = await capture(listEnvironments, []);
      assert.match(human.stderr, /^Warning: connect-copy\.json has uncommitted edits/);

      const json = await capture(listEnvironments, ['--json']);
      assert.equal(json.stderr, '', 'stderr stays quiet under --json');
      const result = JSON.parse(json.stdout);
      assert.deepEqual(result.environments, ['dev'], 'the committed configuration is used');
      assert.equal(result.warnings.length, 1);
      assert.match(result.warnings[0], /uncommitted edits/);
    });

    it('says to run init outside a repository', async () => {
      ListEnvironments.dir = await tmp.make();
      const outcome = await capture(listEnvironments, ['--json']);
      assert.equal(outcome.exit, ExitCode.repositoryState);
      assert.equal(JSON.parse(outcome.stdout).error.code, 'NOT_A_REPOSITORY');
    });
  });
});
