import { Args } from '@oclif/core';
import { validateAction, ValidateResult } from '../src/actions/compare';
import { BaseCommand } from '../src/cli/base-command';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Validate extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment whose branch to check.', required: true }),
  };

  static override description =
    "The push's reference check, offline: every token must name a resource in the " +
    "environment's mapping or one the branch would create, and flow content must be " +
    'structurally sound. Exit 5 when a push would stop.\n\n' +
    EXIT_CODES_HELP;

  static override examples = ['<%= config.bin %> <%= command.id %> prod'];

  static override summary = 'Check a branch before pushing it.';

  async run(): Promise<ValidateResult> {
    const { args } = await this.parse(Validate);
    const result = await validateAction({ cwd: process.cwd(), environment: args.env });
    for (const issue of result.issues) {
      this.warn(`${issue.file}${issue.path ? ` at ${issue.path}` : ''}: ${issue.message}`);
    }
    this.log(`${result.branch}: no problem a push would stop on (${result.warnings} warning(s)).`);
    return result;
  }
}
