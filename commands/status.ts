import { Args, Flags } from '@oclif/core';
import { statusAction, StatusResult } from '../src/actions/compare';
import { BaseCommand } from '../src/cli/base-command';
import { renderStatusText } from '../src/core/diff';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Status extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment to check.', required: true }),
  };

  static override description =
    'The branch against its instance: resources changed on the branch since the last pull, ' +
    'changed in the console since the last pull, and conflicts (both). Reads the instance; ' +
    'writes nothing.\n\n' +
    EXIT_CODES_HELP;

  static override examples = ['<%= config.bin %> <%= command.id %> prod'];

  static override flags = {
    verbose: Flags.boolean({
      description: 'Log every API call to stderr (also DEBUG=connect-copy*).',
    }),
  };

  static override summary = 'Compare a branch with its instance.';

  async run(): Promise<StatusResult> {
    const { args, flags } = await this.parse(Status);
    const result = await statusAction({
      cwd: process.cwd(),
      environment: args.env,
      clientOptions: flags.verbose ? { verbose: true } : undefined,
    });
    this.log(renderStatusText(result, args.env));
    return result;
  }
}
