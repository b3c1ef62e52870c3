import { Flags } from '@oclif/core';
import { join } from 'node:path';
import { runDemo, DemoResult } from '../src/actions/demo';
import { BaseCommand } from '../src/cli/base-command';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Demo extends BaseCommand {
  static override description =
    'See connect-copy work without an AWS account: starts the local emulator with a dev ' +
    'instance imported from a real exported flow and an empty prod instance, creates a ' +
    'snapshot repository, pulls both, compares them, copies dev to prod (a dry run, then for ' +
    'real) and shows that the environments now match. The repository is left for you to ' +
    'explore with git.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --dir ./connect-copy-demo',
  ];

  static override flags = {
    dir: Flags.string({ description: 'Folder for the snapshot repository (new or empty).' }),
  };

  static override summary = 'Try the whole job on the local emulator.';

  async run(): Promise<DemoResult> {
    const { flags } = await this.parse(Demo);
    const result = await runDemo({
      dir: flags.dir,
      packageRoot: join(__dirname, '..', '..'),
      version: this.config.version,
      onStep: this.jsonEnabled()
        ? undefined
        : (step) => {
            this.log(`\n== ${step.title}`);
            this.log(`$ ${step.command}`);
            this.log(step.output);
          },
    });
    this.log(
      [
        '',
        `Done. The snapshot repository is ${result.dir}. Try next:`,
        `  cd ${result.dir}`,
        '  git log --oneline env/prod             # pulls, the copy and the push',
        '  git log --all --oneline                # both environments, and the notes holding',
        '                                         # what each pull read (refs/notes/*)',
        '  git diff env/dev env/prod              # only mapping.json differs now',
        "  git show env/prod                      # the push: the ids prod's new resources got",
        '',
        'The emulator stopped with the demo. To run status, push or copy --push against the same',
        'two instances, serve them again on the same port, in another terminal:',
        `  node bin/run.js emulator --port ${new URL(result.emulator).port} --state ${result.emulatorState}`,
        `  cd ${result.dir} && AWS_ACCESS_KEY_ID=AKIA444455556666 AWS_SECRET_ACCESS_KEY=x \\`,
        "    connect-copy status prod     # the access key names prod's account (docs/emulator.md)",
        '',
        'Point it at a real instance (your AWS credentials, read-only is enough for pull; use',
        '`node bin/run.js` for `connect-copy` unless you ran `npm install -g .`):',
        '  connect-copy init my-connect && cd my-connect',
        '  connect-copy pull dev --instance my-dev-alias --region eu-west-2 --profile dev',
        '  connect-copy pull prod --instance my-prod-alias --region eu-west-2 --profile prod',
        '  connect-copy copy dev prod --dry-run',
      ].join('\n'),
    );
    return result;
  }
}
