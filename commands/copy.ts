import { Args, Flags } from '@oclif/core';
import { copyAction, CopyResult } from '../src/actions/copy';
import { BaseCommand } from '../src/cli/base-command';
import { renderCopy, renderFollowUps, renderPlan } from '../src/cli/render';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Copy extends BaseCommand {
  static override args = {
    from: Args.string({ description: 'Source environment (A).', required: true }),
    to: Args.string({ description: 'Target environment (B).', required: true }),
  };

  static override description =
    "Take A's resource files onto B's branch, with B's mapping, as one commit " +
    '"copy A@<sha> to B" you can review with git. B\'s other resources are never removed; flows ' +
    "and modules renamed in A are renamed in B. Lambda and Lex names follow each environment's " +
    'naming rule. With --push, B is pushed to its instance afterwards.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> dev prod --dry-run',
    '<%= config.bin %> <%= command.id %> dev prod --include "flows/Sales*" --push',
  ];

  static override flags = {
    verbose: Flags.boolean({
      description: 'Log every API call to stderr (also DEBUG=connect-copy*).',
    }),
    'dry-run': Flags.boolean({ description: 'Show what would change; commit and write nothing.' }),
    exclude: Flags.string({ description: 'Glob on FOLDER/NAME to leave out.', multiple: true }),
    force: Flags.boolean({ description: 'With --push: overwrite console changes in B.' }),
    include: Flags.string({ description: 'Glob on FOLDER/NAME to copy.', multiple: true }),
    push: Flags.boolean({ description: 'Push B after the copy (with --dry-run: show its plan).' }),
  };

  static override summary = 'Copy one environment onto another.';

  async run(): Promise<CopyResult> {
    const { args, flags } = await this.parse(Copy);
    const result = await copyAction({
      cwd: process.cwd(),
      from: args.from,
      to: args.to,
      include: flags.include,
      exclude: flags.exclude,
      dryRun: flags['dry-run'],
      push: flags.push,
      pushOptions: {
        force: flags.force,
        clientOptions: flags.verbose ? { verbose: true } : undefined,
      },
    });
    this.log(renderCopy(result));
    if (result.push) {
      this.log(renderPlan(result.push));
      const followUps = renderFollowUps(result.push);
      if (followUps) this.log(followUps);
    }
    return result;
  }
}
