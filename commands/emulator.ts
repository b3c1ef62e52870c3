import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command';
import { runEmulator } from '../src/emulator/run';

export default class EmulatorCommand extends BaseCommand {
  static override description =
    'Run the local Amazon Connect emulator.\n\n' +
    'Serves the Amazon Connect, Lambda and Lex V2 model APIs on 127.0.0.1 for the real AWS SDKs ' +
    'and the AWS CLI (point them at it with AWS_ENDPOINT_URL). The endpoint URL is the first ' +
    'line of stdout; each seeded instance follows as one line of JSON. Stops on SIGINT or ' +
    'SIGTERM and then saves its state to --state when given. See docs/emulator.md.';

  // A long-running server whose output is already machine-readable (a URL, then JSON lines).
  static override enableJsonFlag = false;

  static override examples = [
    '<%= config.bin %> emulator --seed test/fixtures/corpus/flows',
    '<%= config.bin %> emulator --port 4566 --state emulator-state.json --throttle aws',
    'AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws connect list-instances',
  ];

  static override flags = {
    host: Flags.string({ default: '127.0.0.1', description: 'Address to listen on.' }),
    port: Flags.integer({
      default: 0,
      description: 'Port to listen on (0 picks a free one).',
      max: 65535,
      min: 0,
    }),
    seed: Flags.string({
      description: 'Folder of exported flows and modules to import as one instance (repeatable).',
      multiple: true,
    }),
    state: Flags.string({
      description: 'State file: loaded at start when it exists, saved on exit.',
    }),
    throttle: Flags.string({
      default: 'off',
      description: "Enforce Connect's default API rate limits (2 calls a second, burst 5).",
      options: ['aws', 'off'],
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EmulatorCommand);
    const running = await runEmulator({
      host: flags.host,
      port: flags.port,
      stateFile: flags.state,
      throttle: flags.throttle === 'aws',
      seedDirectories: flags.seed ?? [],
    });
    this.log(running.url);
    for (const instance of running.seeded) this.log(JSON.stringify(instance));
    await running.closed;
  }
}
