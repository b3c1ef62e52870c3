import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateQueueCommand, ListHoursOfOperationsCommand } from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { corpusPath, FLOW_SETS, seedFolder } from '../helpers/fixtures';
import { repoRoot } from '../helpers/paths';
import { makeRepo, pullFrom, SeededInstance, TestRepo } from '../helpers/repo';

const exec = promisify(execFile);

// js-yaml comes with mocha; it has no type declarations of its own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const workflowPath = (name: string) => join(repoRoot(), 'templates', 'workflows', name);

function loadWorkflow(name: string): Workflow {
  return yaml.load(readFileSync(workflowPath(name), 'utf8')) as Workflow;
}

/** The `connect-copy ...` command lines of a workflow, first word after it the command. */
function connectCopyCommands(workflow: Workflow): string[] {
  return Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .flatMap((step) => (step.run ?? '').split('\n'))
    .map((line) => /(?:^|\s)connect-copy ([a-z]+)/.exec(line)?.[1])
    .filter((command): command is string => command !== undefined);
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd });
  return stdout.trim();
}

/**
 * Runs the `run:` steps of the workflow's job in `cwd` as the runner would (bash -eo pipefail,
 * GITHUB_ENV read back between steps), with `connect-copy` on PATH as the built binary. The
 * `uses:` steps are done by the test itself (checkout) or not needed (Node, AWS sign-in with
 * keys that name the emulator's account), and the install step is skipped.
 */
async function runSteps(
  workflow: Workflow,
  cwd: string,
  env: Record<string, string>,
): Promise<{ name: string; code: number; output: string }[]> {
  const results: { name: string; code: number; output: string }[] = [];
  const githubEnv = join(env.RUNNER_TEMP, 'github-env');
  writeFileSync(githubEnv, '');
  const stepEnv: Record<string, string> = { ...env, GITHUB_ENV: githubEnv };
  for (const step of Object.values(workflow.jobs)[0].steps) {
    if (step.run === undefined || /npm install/.test(step.run)) continue;
    assert.ok(!step.run.includes('${{'), `${step.name}: run steps read only the environment`);
    const name = step.name ?? step.run.split('\n')[0];
    try {
      const { stdout, stderr } = await exec(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run],
        { cwd, env: stepEnv, maxBuffer: 64 * 1024 * 1024 },
      );
      results.push({ name, code: 0, output: stdout + stderr });
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      results.push({ name, code: failed.code, output: failed.stdout + failed.stderr });
      break;
    }
    for (const line of readFileSync(githubEnv, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) stepEnv[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return results;
}

describe('templates/workflows: the GitHub Actions a snapshot repository copies', function () {
  this.timeout(180000);
  let emu: TestEmulator;
  let repo: TestRepo;
  let dev: SeededInstance;
  let scratch: string;
  let origin: string;
  let env: Record<string, string>;

  before(async () => {
    emu = await startEmulator();
    const folder = seedFolder(FLOW_SETS.voicemail.map(corpusPath));
    try {
      dev = await emu.control.seed(folder.dir);
    } finally {
      folder.remove();
    }
    const prod = await emu.control.createInstance({ Account: dev.Account, Region: dev.Region });
    repo = await makeRepo();
    await pullFrom(emu, repo, 'dev', dev);
    await pullFrom(emu, repo, 'prod', prod);

    scratch = mkdtempSync(join(tmpdir(), 'connect-copy-workflows-'));
    origin = join(scratch, 'origin.git');
    await exec('git', ['clone', '--quiet', '--bare', repo.dir, origin]);

    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    const shim = join(bin, 'connect-copy');
    writeFileSync(
      shim,
      `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot(), 'bin', 'run.js')}" "$@"\n`,
    );
    chmodSync(shim, 0o755);
    const runnerTemp = join(scratch, 'runner');
    mkdirSync(runnerTemp);
    env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: scratch,
      RUNNER_TEMP: runnerTemp,
      AWS_ACCESS_KEY_ID: `AKIA${dev.Account}`,
      AWS_SECRET_ACCESS_KEY: 'emulator-secret',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
      GIT_AUTHOR_NAME: 'CI',
      GIT_AUTHOR_EMAIL: 'ci@example.com',
      GIT_COMMITTER_NAME: 'CI',
      GIT_COMMITTER_EMAIL: 'ci@example.com',
    };
  });
  after(async () => {
    await emu.stop();
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('both are workflows with a trigger, a job, pinned actions and least privilege', () => {
    for (const name of ['nightly-backup.yml', 'pr-check.yml']) {
      const workflow = loadWorkflow(name);
      assert.ok(Object.keys(workflow.on).length > 0, `${name} has a trigger`);
      assert.equal(workflow.permissions['id-token'], 'write', `${name} signs in with OIDC`);
      for (const job of Object.values(workflow.jobs)) {
        assert.equal(job['runs-on'], 'ubuntu-latest');
        for (const step of job.steps) {
          assert.ok(step.run !== undefined || /@v\d+$/.test(step.uses ?? ''), `${name}: pinned`);
        }
      }
    }
    assert.deepEqual(loadWorkflow('pr-check.yml').on, { pull_request: { branches: ['env/*'] } });
    assert.equal(loadWorkflow('pr-check.yml').permissions.contents, 'read');
  });

  it('every connect-copy command they run exists', () => {
    const commands = new Set(
      ['nightly-backup.yml', 'pr-check.yml'].flatMap((name) =>
        connectCopyCommands(loadWorkflow(name)),
      ),
    );
    assert.deepEqual([...commands].sort(), ['pull', 'push', 'validate']);
    const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
      oclif: { commands: string };
    };
    for (const command of commands) {
      const compiled = join(repoRoot(), manifest.oclif.commands, `${command}.js`);
      assert.doesNotThrow(() => readFileSync(compiled), `${command} is built at ${compiled}`);
    }
  });

  it('nightly-backup pulls every environment and pushes the branches and notes', async () => {
    const prodBefore = await git(origin, 'rev-parse', 'refs/heads/env/prod');
    const client = emu.connect(dev.Account, dev.Region);
    const hours = await client.send(new ListHoursOfOperationsCommand({ InstanceId: dev.Id }));
    await client.send(
      new CreateQueueCommand({
        InstanceId: dev.Id,
        Name: 'Night shift',
        HoursOfOperationId: hours.HoursOfOperationSummaryList![0].Id!,
      }),
    );

    const work = join(scratch, 'nightly');
    await exec('git', ['clone', '--quiet', origin, work]);
    const steps = await runSteps(loadWorkflow('nightly-backup.yml'), work, env);
    for (const step of steps) assert.equal(step.code, 0, `${step.name}:\n${step.output}`);
    assert.ok(steps.some((s) => /connect-copy pull/.test(s.name) || /Pull/.test(s.name)));

    const files = await git(origin, 'ls-tree', '-r', '--name-only', 'refs/heads/env/dev');
    assert.ok(
      files.split('\n').includes('queues/Night shift.json'),
      'the new queue reached origin',
    );
    assert.equal(await git(origin, 'rev-parse', 'refs/heads/env/prod'), prodBefore, 'quiet night');
    const notes = await git(origin, 'for-each-ref', '--format=%(refname)', 'refs/notes/');
    assert.ok(notes.length > 0, 'the fingerprint notes reached origin');
  });

  it('pr-check validates the proposed branch and puts the push plan in the job summary', async () => {
    const work = join(scratch, 'pr');
    await exec('git', ['clone', '--quiet', origin, work]);
    await git(work, 'checkout', '--quiet', '--detach', 'origin/env/prod');
    const queueFile = join(work, 'queues', 'BasicQueue.json');
    const queue = JSON.parse(readFileSync(queueFile, 'utf8')) as Record<string, unknown>;
    queue.Description = 'Reviewed in a pull request';
    writeFileSync(queueFile, JSON.stringify(queue, null, 2) + '\n');
    const flowFile = join(work, 'flows', 'Default agent hold.json');
    const flow = JSON.parse(readFileSync(flowFile, 'utf8')) as Record<string, unknown>;
    flow.Description = 'Plays music while the agent holds';
    writeFileSync(flowFile, JSON.stringify(flow, null, 2) + '\n');
    await exec('git', ['commit', '--quiet', '-am', 'Describe the basic queue'], {
      cwd: work,
      env: { ...process.env, ...env },
    });

    const summary = join(scratch, 'summary.md');
    writeFileSync(summary, '');
    const steps = await runSteps(loadWorkflow('pr-check.yml'), work, {
      ...env,
      GITHUB_BASE_REF: 'env/prod',
      GITHUB_STEP_SUMMARY: summary,
    });
    for (const step of steps) assert.equal(step.code, 0, `${step.name}:\n${step.output}`);
    assert.deepEqual(
      steps.map((s) => s.name).filter((n) => /Validate|Plan/.test(n)),
      ['Validate', 'Plan the push'],
    );
    const text = readFileSync(summary, 'utf8');
    assert.match(text, /What a push to prod would change/);
    assert.match(text, /\| update \| flows\/Default agent hold \| Description \|/);
    // Existing queues change only with --update-queues: the summary says so rather than hiding it.
    assert.match(text, /queues\/BasicQueue \(Description\): existing queue left as is/);
  });
});
