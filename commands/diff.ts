import { Args, Flags } from '@oclif/core';
import { diffAction, DiffResult } from '../src/actions/compare';
import { BaseCommand } from '../src/cli/base-command';
import { renderDiffText } from '../src/core/diff';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Diff extends BaseCommand {
  static override args = {
    a: Args.string({ description: 'First environment.', required: true }),
    b: Args.string({ description: 'Second environment.', required: true }),
  };

  static override description =
    'The differences between two environments, per resource: added, removed and changed ' +
    'resources, with changed flow blocks by name. mapping.json (ids, ARNs) is environment-' +
    'specific and only reported as differing. Exit 0 either way.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> dev prod',
    '<%= config.bin %> <%= command.id %> dev prod --stat',
  ];

  static override flags = {
    exclude: Flags.string({ description: 'Glob on FOLDER/NAME to leave out.', multiple: true }),
    include: Flags.string({ description: 'Glob on FOLDER/NAME to compare.', multiple: true }),
    stat: Flags.boolean({ description: 'One line per resource.' }),
  };

  static override summary = 'Compare two environments.';

  async run(): Promise<DiffResult> {
    const { args, flags } = await this.parse(Diff);
    const result = await diffAction({
      cwd: process.cwd(),
      a: args.a,
      b: args.b,
      include: flags.include,
      exclude: flags.exclude,
    });
    this.log(renderDiffText(result, { stat: flags.stat, labels: [args.a, args.b] }));
    return result;
  }
}
