/** `uses`: what refers to a resource in one environment branch. */
import { findUses, parseResourceArgument, UsesReport } from '../core/uses';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';
import { readEnvironmentBranch } from './env-branch';

export interface UsesOptions {
  cwd: string;
  environment: string;
  /** `kind:name`. */
  resource: string;
}

export interface UsesResult extends UsesReport {
  environment: string;
  commit: string;
}

export async function findResourceUses(options: UsesOptions): Promise<UsesResult> {
  const resource = parseResourceArgument(options.resource);
  const store = await SnapshotStore.open(options.cwd);
  const { commit, files } = await readEnvironmentBranch(store, options.environment);
  const report = findUses(files, resource);
  if (!report.exists && report.referrers.length === 0) {
    throw new ConnectCopyError(
      'RESOURCE_NOT_FOUND',
      `env/${options.environment} has no ${resource.kind} named "${resource.name}" and nothing ` +
        'refers to one',
      {
        exitCode: ExitCode.usage,
        data: { environment: options.environment, ...resource },
        suggestions: [
          'Names are exact and case-sensitive; Lambda functions go by their portable name ' +
            '(the naming rule removed), as in integrations.json',
        ],
      },
    );
  }
  return { environment: options.environment, commit, ...report };
}
