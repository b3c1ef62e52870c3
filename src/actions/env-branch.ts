/**
 * Reading one environment's branch for the verbs that only look at a snapshot (show, uses): they
 * need the repository alone, no configuration and no credentials.
 */
import { assertEnvironmentName, environmentBranch, isEnvironmentName } from '../core/config';
import { SnapshotStore } from '../store/git-store';

/** The files of `env/ENV` at its newest commit, and that commit. */
export async function readEnvironmentBranch(
  store: SnapshotStore,
  environment: string,
): Promise<{ commit: string; files: Map<string, string> }> {
  assertEnvironmentName(environment);
  const commit = await store.resolveRef(environmentBranch(environment));
  return { commit, files: await store.readBranchFiles(commit) };
}

/**
 * A REF to compare against: another environment's name (its branch) or any commit sha or ref of
 * the repository, such as an older commit of the same branch.
 */
export async function resolveCompareRef(
  store: SnapshotStore,
  ref: string,
): Promise<{ ref: string; commit: string }> {
  const branch = environmentBranch(ref);
  if (isEnvironmentName(ref) && (await store.branchExists(branch))) {
    return { ref: branch, commit: await store.resolveRef(branch) };
  }
  return { ref, commit: await store.resolveRef(ref) };
}
