import { Args, Flags } from '@oclif/core';
import { rollbackAction, RollbackResult } from '../src/actions/rollback';
import { BaseCommand } from '../src/cli/base-command';
import { renderFollowUps, renderPlan } from '../src/cli/render';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Rollback extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment to roll back.', required: true }),
    commit: Args.string({
      description:
        'A commit of env/ENV to go back to: its sha, a short sha (git log env/ENV), or a count ' +
        'back such as env/ENV~1.',
      required: true,
    }),
  };

  static override description =
    'Make the branch hold the files of an older commit (as a new commit, keeping the ids known ' +
    'today) and push it: resources are updated in place. Flows and modules created since that ' +
    'commit are listed and left alone, unless --prune deletes them.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> prod env/prod~1 --dry-run',
    '<%= config.bin %> <%= command.id %> prod 3f2a9c1 --prune',
  ];

  static override flags = {
    verbose: Flags.boolean({
      description: 'Log every API call to stderr (also DEBUG=connect-copy*).',
    }),
    'dry-run': Flags.boolean({ description: 'Show the plan; commit and write nothing.' }),
    force: Flags.boolean({ description: 'Overwrite resources changed in the console.' }),
    prune: Flags.boolean({ description: 'Delete the flows and modules created since COMMIT.' }),
  };

  static override summary = 'Roll an environment back to an earlier commit.';

  async run(): Promise<RollbackResult> {
    const { args, flags } = await this.parse(Rollback);
    const result = await rollbackAction({
      cwd: process.cwd(),
      environment: args.env,
      commit: args.commit,
      dryRun: flags['dry-run'],
      prune: flags.prune,
      pushOptions: { force: flags.force },
      clientOptions: flags.verbose ? { verbose: true } : undefined,
    });
    this.log(renderPlan(result.push));
    for (const c of result.createdSince) {
      const same = (p: { kind: string; name: string }) => p.kind === c.kind && p.name === c.name;
      const state = result.pruned.some(same)
        ? 'deleted'
        : result.wouldPrune?.some(same)
          ? 'would be deleted'
          : 'left in place';
      this.log(`  ${state}: ${c.kind} ${c.name} (created since)`);
    }
    const followUps = renderFollowUps(result.push);
    if (followUps) this.log(followUps);
    return result;
  }
}
