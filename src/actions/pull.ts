/**
 * `connect-copy pull ENV`: read the instance, write its canonical files and mapping on `env/ENV`,
 * and commit when anything changed. Nothing is committed unless the whole read succeeded, and the
 * configuration records a new environment only after its first snapshot is committed.
 */
import {
  Config,
  EnvironmentConfig,
  assertEnvironmentName,
  defaultEnvironment,
  environmentBranch,
  isEndpointUrl,
  isRegionName,
} from '../core/config';
import { INTEGRATIONS_FILE, isResourceFolder } from '../core/env-files';
import { Mapping } from '../core/mapping';
import { SnapshotFindings } from '../core/snapshot';
import { Warning } from '../core/warnings';
import { ClientOptions } from '../connect/clients';
import { ReadProgress } from '../connect/reader';
import { clientsFor, MAPPING_FILE, readRemote } from './environment';
import { fromLastRead, loadLastMapping, loadLastRead } from './reuse';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';
import { recordFingerprints } from '../store/fingerprints';

export interface PullOptions {
  cwd: string;
  environment: string;
  /** Alias, id or ARN; required the first time an environment is pulled. */
  instance?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  include?: string[];
  exclude?: string[];
  message?: string;
  /** Read every resource from the instance, reusing nothing from the last pull. */
  full?: boolean;
  onProgress?: (event: ReadProgress) => void;
  /** Client settings the command line does not expose (tests: credentials, quotas). */
  clientOptions?: Partial<ClientOptions>;
}

export interface PullResult {
  environment: string;
  branch: string;
  /** The new commit, or undefined when the instance matched the branch already. */
  commit?: string;
  instance: Mapping['instance'];
  /** Files added, changed or removed by this pull. */
  changed: string[];
  counts: Record<string, number>;
  /** API calls made, by operation (attempts, retries included). */
  calls: Record<string, number>;
  warnings: Warning[];
  foreign: SnapshotFindings['foreign'];
  unknown: SnapshotFindings['unknown'];
  /** True when this pull recorded the environment in connect-copy.json. */
  configured: boolean;
}

export async function pullEnvironment(options: PullOptions): Promise<PullResult> {
  assertEnvironmentName(options.environment);
  const store = await SnapshotStore.open(options.cwd);
  const config = await store.readConfig();
  const { environment, isNew } = environmentFor(config, options);
  const branch = environmentBranch(options.environment);
  await refuseDirtyCheckout(store, branch);

  // The last snapshot only saves calls; it loads while the first pages are on their way.
  const pulledBefore = await store.branchExists(branch);
  // A note that is not connect-copy's only costs this pull its reuse; it records a new one.
  const last = loadLastRead(store, branch, { exists: pulledBefore, tolerateCorrupt: true });
  last.catch(() => undefined); // awaited below; a failed read of the instance comes first
  const clients = clientsFor(environment, config, options.clientOptions);
  try {
    const remote = await readRemote({ config, name: options.environment, environment }, clients, {
      onProgress: options.onProgress,
      ...fromLastRead(last, !options.full && pulledBefore),
      previousMapping: loadLastMapping(store, branch, { exists: pulledBefore }),
      include: options.include,
      exclude: options.exclude,
    });
    const { previous } = await last;
    const { snapshot, fingerprints } = remote;
    snapshot.files = remote.files;
    // Files of the user's own on the branch (a README, CI settings) are not the instance's.
    for (const [path, text] of previous) {
      if (!isPulledPath(path) && !snapshot.files.has(path)) snapshot.files.set(path, text);
    }
    const changed = changedPaths(previous, snapshot.files);
    const commit = await store.commitFiles(
      branch,
      snapshot.files,
      options.message ?? pullMessage(options.environment, snapshot.mapping, changed),
    );
    const head = commit ?? (await store.resolveRef(branch));
    await recordFingerprints(store, branch, head, 'pull', fingerprints, snapshot.files);
    if (isNew) {
      await store.writeConfig(
        { ...config, environments: { ...config.environments, [options.environment]: environment } },
        `Record environment ${options.environment}`,
      );
    }
    return {
      environment: options.environment,
      branch,
      commit,
      instance: snapshot.mapping.instance,
      changed: commit ? changed : [],
      counts: countFiles(snapshot.files),
      calls: Object.fromEntries(
        Object.entries(clients.stats()).map(([operation, s]) => [operation, s.attempts]),
      ),
      warnings: snapshot.warnings,
      foreign: snapshot.findings.foreign,
      unknown: snapshot.findings.unknown,
      configured: isNew,
    };
  } finally {
    clients.close();
  }
}

/**
 * The environment as configured, with this run's flags on top. The first pull must say which
 * instance; later pulls (a nightly CI job) need only the name.
 */
function environmentFor(
  config: Config,
  options: PullOptions,
): { environment: EnvironmentConfig; isNew: boolean } {
  const known = config.environments[options.environment];
  if (!known && !options.instance) {
    throw new ConnectCopyError(
      'ENVIRONMENT_NOT_CONFIGURED',
      `Environment ${options.environment} is not in connect-copy.json yet: say which instance it ` +
        'is the first time you pull it.',
      {
        exitCode: ExitCode.usage,
        data: { environment: options.environment, known: Object.keys(config.environments) },
        suggestions: [`connect-copy pull ${options.environment} --instance ALIAS --region REGION`],
      },
    );
  }
  const region = options.region ?? known?.region ?? process.env.AWS_REGION;
  if (!region || !isRegionName(region)) {
    throw new ConnectCopyError(
      'REGION_REQUIRED',
      region
        ? `--region ${region} is not an AWS region name (for example eu-west-2).`
        : `No region for environment ${options.environment}: pass --region or set AWS_REGION.`,
      {
        exitCode: ExitCode.usage,
        suggestions: [`connect-copy pull ${options.environment} --region us-east-1`],
      },
    );
  }
  if (options.endpointUrl !== undefined && !isEndpointUrl(options.endpointUrl)) {
    throw new ConnectCopyError(
      'BAD_ENDPOINT_URL',
      `--endpoint-url ${options.endpointUrl} is not an http(s) URL.`,
      { exitCode: ExitCode.usage, suggestions: ['--endpoint-url http://127.0.0.1:4566'] },
    );
  }
  const base = known ?? defaultEnvironment(options.instance!, region);
  const environment: EnvironmentConfig = {
    ...base,
    instance: options.instance ?? base.instance,
    region,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  };
  return { environment, isNew: !known };
}

async function refuseDirtyCheckout(store: SnapshotStore, branch: string): Promise<void> {
  if ((await store.checkedOutBranch()) !== branch) return;
  const dirty = await store.uncommittedPaths();
  if (dirty.length === 0) return;
  throw new ConnectCopyError(
    'UNCOMMITTED_EDITS',
    `${branch} is checked out with uncommitted edits (${dirty.slice(0, 5).join(', ')}` +
      `${dirty.length > 5 ? ', …' : ''}); a pull would overwrite them.`,
    {
      exitCode: ExitCode.repositoryState,
      data: { branch, paths: dirty },
      suggestions: ['git stash', 'git commit -am "my edits"', 'git checkout main'],
    },
  );
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

/** What a pull writes: the resource folders, the mapping and the integrations. */
function isPulledPath(path: string): boolean {
  const slash = path.indexOf('/');
  if (slash < 0) return path === MAPPING_FILE || path === INTEGRATIONS_FILE;
  return isResourceFolder(path.slice(0, slash));
}

function countFiles(files: Map<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const path of files.keys()) {
    const folder = path.slice(0, path.indexOf('/'));
    if (isResourceFolder(folder)) counts[folder] = (counts[folder] ?? 0) + 1;
  }
  return counts;
}

function pullMessage(environment: string, mapping: Mapping, changed: string[]): string {
  const resources = changed.filter((path) => path !== MAPPING_FILE);
  const from = mapping.instance.alias;
  const subject = `pull ${environment} from ${from} (${resources.length} changed)`;
  const body = resources.slice(0, 50).map((path) => `- ${path}`);
  if (resources.length > 50) body.push(`- … and ${resources.length - 50} more`);
  return body.length > 0 ? `${subject}\n\n${body.join('\n')}\n` : `${subject}\n`;
}
