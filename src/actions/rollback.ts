/**
 * `connect-copy rollback ENV COMMIT`: the files of an older commit, with today's mapping (so
 * resources are updated in place by id), as a new commit on the branch, then a push. Flows and
 * modules created since are listed and left alone, or deleted with `--prune`.
 */
import { parseMapping } from '../core/env-files';
import { CreatedSince, rollbackFiles } from '../core/rollback';
import { ClientOptions } from '../connect/clients';
import { deleteFlowsAndModules, PruneTarget } from '../connect/prune';
import { ConnectCopyError, ExitCode } from '../errors';
import { MAPPING_FILE, clientsFor, openEnvironment } from './environment';
import { pushEnvironment, PushOptions, PushResult } from './push';
import { pullEnvironment } from './pull';

export interface RollbackOptions {
  cwd: string;
  environment: string;
  /** A commit of the environment's branch (sha, short sha or ref). */
  commit: string;
  dryRun?: boolean;
  prune?: boolean;
  pushOptions?: Omit<PushOptions, 'cwd' | 'environment' | 'dryRun' | 'files'>;
  clientOptions?: Partial<ClientOptions>;
}

export interface RollbackResult {
  environment: string;
  /** The commit rolled back to. */
  target: string;
  /** The rollback commit; undefined for a dry run or when the branch already held those files. */
  commit?: string;
  dryRun: boolean;
  createdSince: CreatedSince[];
  pruned: PruneTarget[];
  /** With `--prune --dry-run`: what a real run would delete. */
  wouldPrune?: PruneTarget[];
  push: PushResult;
}

export async function rollbackAction(options: RollbackOptions): Promise<RollbackResult> {
  const { store, branch } = await openEnvironment(options.cwd, options.environment);
  const target = await store.resolveRef(options.commit);
  const history = await store.log(branch);
  if (!history.some((entry) => entry.sha === target)) {
    throw new ConnectCopyError(
      'NOT_ON_BRANCH',
      `${options.commit} is not a commit of ${branch}; a rollback goes back in that branch's own ` +
        'history.',
      {
        exitCode: ExitCode.usage,
        data: { commit: options.commit, branch },
        suggestions: [
          `git log --oneline ${branch}`,
          `connect-copy rollback ${options.environment} ${branch}~1`,
        ],
      },
    );
  }
  const pushOptions = {
    ...options.pushOptions,
    cwd: options.cwd,
    environment: options.environment,
    clientOptions: options.clientOptions,
  };
  // The files are worked out, and committed, while the push reads the instance; the push plans
  // only once they are there.
  const rolled = Promise.all([store.readBranchFiles(branch), store.readBranchFiles(target)]).then(
    ([current, old]) => rollbackFiles(current, old),
  );
  if (options.dryRun) {
    const push = await pushEnvironment({
      ...pushOptions,
      dryRun: true,
      files: handled(rolled.then((r) => r.files)),
    }).catch(async (error: unknown) => {
      await rolled.catch(() => undefined);
      throw error;
    });
    const { createdSince } = await rolled;
    return {
      environment: options.environment,
      target,
      dryRun: true,
      createdSince,
      pruned: [],
      wouldPrune: options.prune
        ? createdSince.filter((c): c is PruneTarget => c.id !== undefined)
        : [],
      push,
    };
  }

  const committed = rolled.then(async (r) => ({
    ...r,
    commit: await store.commitFiles(
      branch,
      r.files,
      `rollback ${options.environment} to ${target.slice(0, 12)}\n\nRollback-Of: ${target}\n`,
    ),
  }));
  const push = await pushEnvironment({
    ...pushOptions,
    files: handled(committed.then((c) => c.files)),
  }).catch(async (error: unknown) => {
    await committed.catch(() => undefined); // no commit left half-made behind the error
    throw error;
  });
  const { createdSince, commit } = await committed;
  const pruned = options.prune ? await prune(options, createdSince) : [];
  return {
    environment: options.environment,
    target,
    commit,
    dryRun: false,
    createdSince,
    pruned,
    push,
  };
}

/** Deletes the flows and modules created since the target commit, then records the instance. */
async function prune(options: RollbackOptions, created: CreatedSince[]): Promise<PruneTarget[]> {
  const targets = created.filter((c): c is PruneTarget => c.id !== undefined);
  if (targets.length === 0) return [];
  const opened = await openEnvironment(options.cwd, options.environment);
  const mapping = parseMapping(
    await opened.store.readFile(opened.branch, MAPPING_FILE),
    MAPPING_FILE,
  );
  const clients = clientsFor(opened.environment, opened.config, options.clientOptions);
  try {
    const deleted = await deleteFlowsAndModules(clients, mapping!.instance.id, targets);
    await pullEnvironment({
      cwd: options.cwd,
      environment: options.environment,
      message: `prune ${options.environment}: ${deleted.map((d) => d.name).join(', ')}`,
      clientOptions: options.clientOptions,
    });
    return deleted;
  } finally {
    clients.close();
  }
}

/**
 * `promise`, marked as handled: it may fail before the push gets to await it (while it opens the
 * environment), and the failure must then wait for that await rather than end the process.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
