import { Args, Flags } from '@oclif/core';
import { InitResult, initRepository } from '../src/actions/init';
import { BaseCommand } from '../src/cli/base-command';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Init extends BaseCommand {
  static override args = {
    dir: Args.string({
      default: '.',
      description: 'Directory of the new snapshot repository (created if missing).',
    }),
  };

  static override description =
    'A snapshot repository is a git repository whose main branch holds connect-copy.json (the ' +
    'configuration) and a README that explains the layout to anyone reading it. Environments ' +
    'can be given here or added to connect-copy.json later; each one gets its own env/NAME ' +
    'branch when it is first pulled.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> connect-snapshots',
    '<%= config.bin %> <%= command.id %> --env dev=my-dev-instance --env prod=my-prod-instance --region eu-west-2',
  ];

  static override flags = {
    'endpoint-url': Flags.string({
      description: 'Endpoint override for the environments given with --env (the local emulator).',
    }),
    env: Flags.string({
      description: 'An environment as NAME=INSTANCE (alias, id or ARN); repeatable.',
      multiple: true,
    }),
    profile: Flags.string({ description: 'AWS profile for the environments given with --env.' }),
    region: Flags.string({ description: 'AWS region of the environments given with --env.' }),
  };

  static override summary = 'Create a snapshot repository.';

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init);
    const result = await initRepository({
      dir: args.dir,
      environments: flags.env,
      region: flags.region,
      profile: flags.profile,
      endpointUrl: flags['endpoint-url'],
      version: this.config.version,
    });

    this.log(
      `Initialised a snapshot repository in ${result.dir} (main at ${result.commit.slice(0, 7)}).`,
    );
    this.log(
      result.environments.length > 0
        ? `Next: connect-copy pull ${result.environments[0]}`
        : 'Next: connect-copy pull ENV --instance ALIAS --region REGION (the first pull of an ' +
            'environment records it in connect-copy.json)',
    );
    return result;
  }
}
