/**
 * `connect-copy copy A B`: A's files onto B's branch with B's mapping, as one reviewable commit
 * `copy A@<sha> to B`; B's other resources are never removed. `--push` then pushes B.
 */
import { copyCommitMessage, copyEnvironment, CopySummary } from '../core/copy';
import { diffEnvironments, EnvironmentDiff } from '../core/diff';
import { moveFingerprints } from '../core/env-files';
import { ConnectCopyError, ExitCode } from '../errors';
import { readFingerprints, recordFingerprints } from '../store/fingerprints';
import { findLastCopy, readMappingAt } from '../store/history';
import { openEnvironment } from './environment';
import { pushEnvironment, PushOptions, PushResult } from './push';

export interface CopyOptions {
  cwd: string;
  from: string;
  to: string;
  include?: string[];
  exclude?: string[];
  dryRun?: boolean;
  push?: boolean;
  /** Passed on to the push. */
  pushOptions?: Omit<PushOptions, 'cwd' | 'environment' | 'dryRun'>;
}

export interface CopyResult {
  from: string;
  to: string;
  /** A's commit that was copied. */
  source: string;
  /** The copy commit on B's branch; undefined for a dry run or when B already matched. */
  commit?: string;
  dryRun: boolean;
  summary: CopySummary;
  /** What the copy changes on B, per resource. */
  diff: EnvironmentDiff;
  push?: PushResult;
}

export async function copyAction(options: CopyOptions): Promise<CopyResult> {
  if (options.from === options.to) {
    throw new ConnectCopyError('COPY_TO_ITSELF', `Cannot copy ${options.from} onto itself.`, {
      exitCode: ExitCode.usage,
      suggestions: ['connect-copy copy dev prod'],
    });
  }
  const source = await openEnvironment(options.cwd, options.from);
  const target = await openEnvironment(options.cwd, options.to);
  const { store, config } = target;

  const sourceSha = await store.resolveRef(source.branch);
  const [sourceFiles, targetFiles] = await Promise.all([
    store.readBranchFiles(sourceSha),
    store.readBranchFiles(target.branch),
  ]);
  const lastCopy = await findLastCopy(store, target.branch, options.from);
  const previousSourceMapping = lastCopy ? await readMappingAt(store, lastCopy) : undefined;

  const copied = await copyEnvironment({
    source: { env: options.from, files: sourceFiles },
    target: { env: options.to, files: targetFiles },
    include: [...config.include, ...(options.include ?? [])],
    exclude: [...config.exclude, ...(options.exclude ?? [])],
    previousSourceMapping,
  });
  const unreadable = copied.summary.problems.filter((p) => p.side === 'source');
  if (unreadable.length > 0) {
    throw new ConnectCopyError(
      'SOURCE_UNREADABLE',
      `${unreadable.length} file(s) on ${source.branch} cannot be copied: ` +
        unreadable.map((p) => `${p.path} (${p.message})`).join('; '),
      {
        exitCode: ExitCode.usage,
        data: { problems: unreadable },
        suggestions: [
          `connect-copy validate ${options.from}`,
          `fix or revert the file on ${source.branch} (git revert, or pull ${options.from} again)`,
        ],
      },
    );
  }
  const result: CopyResult = {
    from: options.from,
    to: options.to,
    source: sourceSha,
    dryRun: Boolean(options.dryRun),
    summary: copied.summary,
    diff: diffEnvironments(targetFiles, copied.files),
  };
  if (options.dryRun) {
    if (options.push) {
      result.push = await pushEnvironment({
        ...options.pushOptions,
        cwd: options.cwd,
        environment: options.to,
        dryRun: true,
        files: copied.files,
      });
    }
    return result;
  }

  result.commit = await store.commitFiles(
    target.branch,
    copied.files,
    copyCommitMessage(options.from, sourceSha, options.to, copied.summary),
  );
  if (result.commit && copied.summary.renamed.length > 0) {
    // A renamed resource keeps what was last pulled under its new name, so the push's conflict
    // check still recognises it.
    const fingerprints = await readFingerprints(store, target.branch);
    const moves = copied.summary.renamed.map((r) => ({ ...r, kind: r.kind }));
    await recordFingerprints(
      store,
      target.branch,
      result.commit,
      'pull',
      moveFingerprints(fingerprints, moves),
    );
  }
  if (options.push) {
    result.push = await pushEnvironment({
      ...options.pushOptions,
      cwd: options.cwd,
      environment: options.to,
    });
  }
  return result;
}
