import { Args, Flags } from '@oclif/core';
import { pushEnvironment, PushResult } from '../src/actions/push';
import { BaseCommand } from '../src/cli/base-command';
import { progressReporter } from '../src/cli/progress';
import { renderFollowUps, renderPlan } from '../src/cli/render';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Push extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment to push (its branch env/ENV).', required: true }),
  };

  static override description =
    'Make the instance match its branch. Plans against a fresh read first: what to create, ' +
    'update or leave. Stops before any write when a resource changed in the console since the ' +
    'last pull (exit 4, unless --force) or a reference names nothing in the instance (exit 5). ' +
    'Then creates and updates in dependency order (hours, queues, routing profiles, modules, ' +
    'flows), records new ids in mapping.json and commits. An interrupted push is finished by ' +
    'running it again. Nothing is ever deleted.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> prod --dry-run',
    '<%= config.bin %> <%= command.id %> prod',
    '<%= config.bin %> <%= command.id %> prod --force --json',
  ];

  static override flags = {
    'dry-run': Flags.boolean({ description: 'Print the plan; write nothing.' }),
    exclude: Flags.string({ description: 'Glob on FOLDER/NAME to leave alone.', multiple: true }),
    force: Flags.boolean({ description: 'Overwrite resources changed in the console.' }),
    full: Flags.boolean({
      description:
        'Plan from a read of every resource instead of keeping routing profiles unchanged ' +
        'since the last pull (their LastModifiedTime and search result are the same).',
    }),
    include: Flags.string({ description: 'Glob on FOLDER/NAME to push.', multiple: true }),
    'update-queues': Flags.boolean({
      description: 'Also change settings of queues that already exist.',
    }),
    verbose: Flags.boolean({ description: 'Say why for each step; log API calls.' }),
  };

  static override summary = 'Push an environment branch to its instance.';

  async run(): Promise<PushResult> {
    const { args, flags } = await this.parse(Push);
    const progress = this.jsonEnabled() ? undefined : progressReporter();
    const result = await pushEnvironment({
      cwd: process.cwd(),
      environment: args.env,
      dryRun: flags['dry-run'],
      force: flags.force,
      full: flags.full,
      updateExistingQueues: flags['update-queues'],
      include: flags.include,
      exclude: flags.exclude,
      onReadProgress: progress?.onProgress,
      onPushProgress: progress
        ? (e) => progress.onProgress({ kind: 'writes', done: e.done, total: e.total })
        : undefined,
      clientOptions: flags.verbose ? { verbose: true } : undefined,
    }).finally(() => progress?.done());

    this.log(renderPlan(result, flags.verbose));
    if (!result.dryRun) {
      this.log(
        result.applied.length === 0
          ? 'Nothing to write: the instance already matches the branch.'
          : `Pushed ${result.applied.length} resource(s)` +
              (result.commit ? `; new ids committed as ${result.commit.slice(0, 7)}.` : '.'),
      );
    }
    const followUps = renderFollowUps(result);
    if (followUps) this.log(followUps);
    return result;
  }
}
