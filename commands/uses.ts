import { Args } from '@oclif/core';
import { findResourceUses, UsesResult } from '../src/actions/uses';
import { BaseCommand } from '../src/cli/base-command';
import { formatUsesTree, USES_KINDS } from '../src/core/uses';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Uses extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment name (its branch is env/NAME).', required: true }),
    resource: Args.string({
      description: `KIND:NAME, KIND one of ${USES_KINDS.join(', ')}.`,
      required: true,
    }),
  };

  static override description =
    'Lists what refers to a queue, prompt, hours of operation, Lambda function, flow module or ' +
    'flow in an environment branch, directly and through other resources: the flows and ' +
    'modules whose blocks name it, the queues whose hours or outbound flow it is, the routing ' +
    'profiles that route to it, and in turn what refers to those. Read before renaming or ' +
    'deleting something. Lambda functions go by their portable name (as in integrations.json).' +
    '\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> dev queue:Sales',
    '<%= config.bin %> <%= command.id %> prod lambda:customer-lookup --json',
    '<%= config.bin %> <%= command.id %> dev "flow:Main IVR"',
  ];

  static override summary = 'Show what refers to a resource, directly and transitively.';

  async run(): Promise<UsesResult> {
    const { args } = await this.parse(Uses);
    const result = await findResourceUses({
      cwd: process.cwd(),
      environment: args.env,
      resource: args.resource,
    });

    if (!result.exists) {
      this.warning(
        `env/${result.environment} has no ${result.resource.kind} "${result.resource.name}", ` +
          'but these refer to one',
      );
    }
    this.log(formatUsesTree(result.tree));
    if (result.referrers.length === 0) this.log('Nothing refers to it.');
    return result;
  }
}
