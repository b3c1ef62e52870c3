import { Args, Flags } from '@oclif/core';
import { pullEnvironment, PullResult } from '../src/actions/pull';
import { BaseCommand } from '../src/cli/base-command';
import { progressReporter } from '../src/cli/progress';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Pull extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment name (its branch is env/NAME).', required: true }),
  };

  static override description =
    'Read an Amazon Connect instance into its environment branch: one canonical file per hours ' +
    'of operation, queue, routing profile, flow module and flow, with every reference stored as ' +
    'a portable token and the ids in mapping.json. Commits on env/ENV only when something ' +
    'changed, without touching your working tree. The first pull of an environment records it ' +
    'in connect-copy.json, so later pulls need only its name.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> dev --instance my-dev-instance --region eu-west-2',
    '<%= config.bin %> <%= command.id %> prod',
    '<%= config.bin %> <%= command.id %> dev --exclude "flows/Sample*" --json',
  ];

  static override flags = {
    'endpoint-url': Flags.string({
      description: 'Endpoint override (the local emulator); also AWS_ENDPOINT_URL.',
    }),
    exclude: Flags.string({
      description: 'Glob on FOLDER/NAME to leave out (repeatable).',
      multiple: true,
    }),
    full: Flags.boolean({
      description:
        'Read every resource again instead of keeping routing profiles unchanged since the ' +
        'last pull (their LastModifiedTime and search result are the same).',
    }),
    include: Flags.string({
      description: 'Glob on FOLDER/NAME to keep (repeatable).',
      multiple: true,
    }),
    instance: Flags.string({ description: 'Instance alias, id or ARN (first pull only).' }),
    message: Flags.string({ char: 'm', description: 'Commit message.' }),
    profile: Flags.string({ description: 'AWS profile; also AWS_PROFILE.' }),
    region: Flags.string({ description: 'AWS region; also AWS_REGION.' }),
    verbose: Flags.boolean({
      description: 'Log every API call to stderr (also DEBUG=connect-copy*).',
    }),
  };

  static override summary = 'Pull an instance into its environment branch.';

  async run(): Promise<PullResult> {
    const { args, flags } = await this.parse(Pull);
    const progress = this.jsonEnabled() ? undefined : progressReporter();
    const result = await pullEnvironment({
      cwd: process.cwd(),
      environment: args.env,
      instance: flags.instance,
      region: flags.region,
      profile: flags.profile,
      endpointUrl: flags['endpoint-url'],
      include: flags.include,
      exclude: flags.exclude,
      message: flags.message,
      full: flags.full,
      onProgress: progress?.onProgress,
      clientOptions: flags.verbose ? { verbose: true } : undefined,
    }).finally(() => progress?.done());

    for (const warning of result.warnings) this.warn(warning.message);
    if (result.foreign.length > 0) {
      this.warn(
        `${result.foreign.length} reference(s) point outside this instance and were kept as ` +
          `they are (first: ${result.foreign[0].resource} at ${result.foreign[0].path}).`,
      );
    }
    const files = Object.entries(result.counts)
      .map(([folder, n]) => `${n} ${folder}`)
      .join(', ');
    this.log(
      result.commit
        ? `Pulled ${result.environment} (${result.instance.alias}): ` +
            `${result.changed.filter((p) => p !== 'mapping.json').length} resource file(s) ` +
            `changed, committed ${result.commit.slice(0, 7)} on ${result.branch}.`
        : `Pulled ${result.environment} (${result.instance.alias}): no changes; ${result.branch} is up to date.`,
    );
    this.log(`Snapshot: ${files || 'no resource files'}.`);
    return result;
  }
}
