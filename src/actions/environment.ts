/**
 * What every verb does first: open the snapshot repository, find the environment in the
 * configuration, and (for verbs that talk to Connect) read the instance as canonical files.
 */
import {
  Config,
  EnvironmentConfig,
  assertEnvironmentName,
  environmentBranch,
  lambdaOverridesFor,
} from '../core/config';
import { Mapping } from '../core/mapping';
import type { RawInstance } from '../core/raw';
import { buildSnapshot, Snapshot } from '../core/snapshot';
import { ClientOptions, Clients, createClients } from '../connect/clients';
import { readInstance, ReadOptions } from '../connect/reader';
import { ConnectCopyError, ExitCode } from '../errors';
import { prepareWhilePaging } from './reuse';
import { SnapshotStore } from '../store/git-store';

export { MAPPING_FILE } from '../core/env-files';

export interface OpenedEnvironment {
  store: SnapshotStore;
  config: Config;
  name: string;
  environment: EnvironmentConfig;
  branch: string;
}

/** An environment that has been pulled at least once: configured, with its branch. */
export async function openEnvironment(cwd: string, name: string): Promise<OpenedEnvironment> {
  assertEnvironmentName(name);
  const store = await SnapshotStore.open(cwd);
  const config = await store.readConfig();
  const environment = config.environments[name];
  const branch = environmentBranch(name);
  if (!environment || !(await store.branchExists(branch))) {
    throw new ConnectCopyError(
      'ENVIRONMENT_NOT_PULLED',
      `Environment ${name} has not been pulled yet` +
        `${environment ? '' : ' (it is not in connect-copy.json)'}.`,
      {
        exitCode: ExitCode.repositoryState,
        data: { environment: name, known: Object.keys(config.environments) },
        suggestions: [
          environment
            ? `connect-copy pull ${name}`
            : `connect-copy pull ${name} --instance ALIAS --region REGION`,
        ],
      },
    );
  }
  return { store, config, name, environment, branch };
}

export function clientsFor(
  environment: EnvironmentConfig,
  config: Config,
  overrides: Partial<ClientOptions> = {},
): Clients {
  return createClients({
    region: environment.region,
    profile: environment.profile,
    endpointUrl: environment.endpointUrl,
    quota: config.quota,
    ...overrides,
  });
}

export interface RemoteState {
  /** The instance as canonical files; mapping.json holds no fingerprints. */
  files: Map<string, string>;
  mapping: Mapping;
  fingerprints: Record<string, string>;
  snapshot: Snapshot;
  /** What the API returned, for a later read to reuse (`reuseFromRead`). */
  raw: RawInstance;
}

/**
 * The instance as it is now, rendered exactly as a pull would write it. Filters are the
 * environment's, so a resource a pull leaves out is left out here too.
 */
export async function readRemote(
  opened: Pick<OpenedEnvironment, 'config' | 'name' | 'environment'>,
  clients: Clients,
  options: ReadOptions & {
    include?: string[];
    exclude?: string[];
    /** An earlier snapshot's files (see SnapshotOptions), possibly still loading. */
    previousFiles?: ReadonlyMap<string, string> | Promise<ReadonlyMap<string, string> | undefined>;
    /** The same files parsed (see SnapshotOptions), possibly still loading. */
    previousValues?:
      ReadonlyMap<string, unknown> | Promise<ReadonlyMap<string, unknown> | undefined>;
    /** Their mapping.json, possibly loaded ahead of them (see prepareWhilePaging). */
    previousMapping?: Mapping | Promise<Mapping | undefined>;
  } = {},
): Promise<RemoteState> {
  const { config, name, environment } = opened;
  const lambdaOverrides = lambdaOverridesFor(config, name);
  // Content is tokenized against the last read's mapping while the pages arrive.
  const preparing = prepareWhilePaging(
    { mapping: options.previousMapping, values: options.previousValues },
    lambdaOverrides,
  );
  const raw = await readInstance(
    clients,
    { instance: environment.instance, region: environment.region },
    { ...options, onSearchPage: preparing.onSearchPage },
  );
  const snapshot = await buildSnapshot(raw, {
    environment: name,
    naming: environment.naming,
    include: [...config.include, ...environment.include, ...(options.include ?? [])],
    exclude: [...config.exclude, ...environment.exclude, ...(options.exclude ?? [])],
    lambdaOverrides,
    previousFiles: await options.previousFiles,
    previousValues: await options.previousValues,
    prepared: await preparing.done(),
  });
  const files = new Map(snapshot.files);
  const { fingerprints } = snapshot.mapping;
  return { files, mapping: snapshot.mapping, fingerprints, snapshot, raw };
}
