import { Args, Flags } from '@oclif/core';
import { showFlow, ShowResult } from '../src/actions/show';
import { BaseCommand } from '../src/cli/base-command';
import { EXIT_CODES_HELP } from '../src/errors';

export default class Show extends BaseCommand {
  static override args = {
    env: Args.string({ description: 'Environment name (its branch is env/NAME).', required: true }),
    flow: Args.string({ description: 'Exact Name of the flow or flow module.', required: true }),
  };

  static override description =
    'Draws a flow or flow module of an environment branch: one node per block, labelled with ' +
    'its type and name, arrows for the next, error and condition branches, and the queues, ' +
    'prompts, Lambda functions and flows it references shown by name. Mermaid text pastes into ' +
    'a pull request or wiki; --format svg writes a standalone image. With --compare, blocks ' +
    'added or changed since REF (another environment, or an older commit) are highlighted.\n\n' +
    EXIT_CODES_HELP;

  static override examples = [
    '<%= config.bin %> <%= command.id %> dev "Main IVR"',
    '<%= config.bin %> <%= command.id %> dev "Main IVR" --format svg > main-ivr.svg',
    '<%= config.bin %> <%= command.id %> dev "Main IVR" --compare prod',
  ];

  static override flags = {
    compare: Flags.string({
      description: 'Highlight blocks added or changed relative to this environment or commit.',
    }),
    format: Flags.option({
      default: 'mermaid' as const,
      description: 'Diagram format.',
      options: ['mermaid', 'svg'] as const,
    })(),
  };

  static override summary = 'Draw a flow as a Mermaid or SVG diagram.';

  async run(): Promise<ShowResult> {
    const { args, flags } = await this.parse(Show);
    const result = await showFlow({
      cwd: process.cwd(),
      environment: args.env,
      flow: args.flow,
      format: flags.format,
      compare: flags.compare,
    });

    if (result.compare && !result.compare.found) {
      this.warning(`${result.compare.ref} has no ${result.flow.kind} "${result.flow.name}"`);
    }
    this.log((result.svg ?? result.mermaid ?? '').trimEnd());
    // The diagram alone goes to stdout, so `> flow.svg` writes a clean file.
    if (result.compare && !this.jsonEnabled()) {
      const removed = result.removedBlocks.length;
      this.logToStderr(
        `${result.changedBlocks.length} block(s) added or changed since ${result.compare.ref}` +
          (removed > 0 ? `; ${removed} removed (not drawn)` : ''),
      );
    }
    return result;
  }
}
