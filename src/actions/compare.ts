/**
 * The read-only verbs: `diff A B` (two environments' files), `status ENV` (the branch against its
 * instance) and `validate ENV` (the push's reference check, offline).
 */
import { lambdaOverridesFor } from '../core/config';
import { diffEnvironments, diffStatus, EnvironmentDiff, EnvironmentStatus } from '../core/diff';
import { parseMapping } from '../core/env-files';
import { validateReferences, ValidationReport } from '../core/validate';
import { ClientOptions } from '../connect/clients';
import { ConnectCopyError, ExitCode } from '../errors';
import { readFingerprints } from '../store/fingerprints';
import { MAPPING_FILE, clientsFor, openEnvironment, readRemote } from './environment';

export interface DiffResult extends EnvironmentDiff {
  a: string;
  b: string;
}

export async function diffAction(options: {
  cwd: string;
  a: string;
  b: string;
  include?: string[];
  exclude?: string[];
}): Promise<DiffResult> {
  const a = await openEnvironment(options.cwd, options.a);
  const b = await openEnvironment(options.cwd, options.b);
  const [filesA, filesB] = await Promise.all([
    a.store.readBranchFiles(a.branch),
    b.store.readBranchFiles(b.branch),
  ]);
  const diff = diffEnvironments(filesA, filesB, {
    include: [...a.config.include, ...(options.include ?? [])],
    exclude: [...a.config.exclude, ...(options.exclude ?? [])],
  });
  return { a: options.a, b: options.b, ...diff };
}

export interface StatusResult extends EnvironmentStatus {
  environment: string;
  branch: string;
  /** The commit whose fingerprints say what was last pulled (or pushed). */
  syncedAt?: string;
}

export async function statusAction(options: {
  cwd: string;
  environment: string;
  clientOptions?: Partial<ClientOptions>;
}): Promise<StatusResult> {
  const opened = await openEnvironment(options.cwd, options.environment);
  const { store, branch } = opened;
  const files = await store.readBranchFiles(branch);
  const lastPulled = await readFingerprints(store, branch);
  const note = await store.lastNote(branch);
  const pulledFiles = note ? await store.readBranchFiles(note.commit) : undefined;
  const clients = clientsFor(opened.environment, opened.config, options.clientOptions);
  try {
    const remote = await readRemote(opened, clients);
    const status = diffStatus(files, remote.files, lastPulled, remote.fingerprints, pulledFiles);
    return { environment: options.environment, branch, syncedAt: note?.commit, ...status };
  } finally {
    clients.close();
  }
}

export interface ValidateResult extends ValidationReport {
  environment: string;
  branch: string;
}

/** Throws with exit code 5 when any reference would not resolve at push time. */
export async function validateAction(options: {
  cwd: string;
  environment: string;
}): Promise<ValidateResult> {
  const { store, branch, config } = await openEnvironment(options.cwd, options.environment);
  const files = await store.readBranchFiles(branch);
  const mapping = parseMapping(files.get(MAPPING_FILE), `${MAPPING_FILE} on ${branch}`);
  const report = validateReferences(files, mapping, {
    lambdaOverrides: lambdaOverridesFor(config, options.environment),
  });
  const result = { environment: options.environment, branch, ...report };
  if (report.errors > 0) {
    const first = report.issues.find((i) => i.severity === 'error')!;
    throw new ConnectCopyError(
      'VALIDATION_FAILED',
      `${report.errors} problem(s) on ${branch} would stop a push, first: ${first.file}` +
        `${first.path ? ` at ${first.path}` : ''}: ${first.message}`,
      {
        exitCode: ExitCode.unresolvedReferences,
        data: result as unknown as Record<string, unknown>,
        suggestions: [
          'fix the files on the branch, or create the missing resources in the instance and pull',
        ],
      },
    );
  }
  return result;
}
