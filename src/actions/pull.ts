/**
 * `connect-copy pull ENV`: read the instance, write its canonical files and mapping on `env/ENV`,
 * and commit when anything changed. Nothing is committed unless the whole read succeeded, and the
 * configuration records a new environment only after its first snapshot is committed.
 */
import type {
  ContactFlow,
  ContactFlowModule,
  RoutingProfile,
  RoutingProfileQueueConfigSummary,
} from '@aws-sdk/client-connect';
import {
  Config,
  EnvironmentConfig,
  assertEnvironmentName,
  defaultEnvironment,
  environmentBranch,
  isEndpointUrl,
  isRegionName,
} from '../core/config';
import { FOLDERS } from '../core/canonical';
import { Mapping, MappingIndex } from '../core/mapping';
import { RawFlow, RawModule, RawRoutingProfile } from '../core/raw';
import { draftState, fingerprintOf, LISTING_SUFFIX, SnapshotFindings } from '../core/snapshot';
import { Json, resolve } from '../core/tokens';
import { Warning } from '../core/warnings';
import { ClientOptions } from '../connect/clients';
import { ReadOptions, ReadProgress } from '../connect/reader';
import { clientsFor, MAPPING_FILE, readRemote } from './environment';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';
import { filesAsRead, readLastRead, recordFingerprints } from '../store/fingerprints';

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
  const last = lastSnapshot(store, branch, pulledBefore);
  last.catch(() => undefined); // awaited below; a failed read of the instance comes first
  const clients = clientsFor(environment, config, options.clientOptions);
  try {
    const remote = await readRemote({ config, name: options.environment, environment }, clients, {
      onProgress: options.onProgress,
      reuse: options.full || !pulledBefore ? undefined : lazyReuse(last),
      previousFiles: last.then(
        (l) => l.asRead,
        () => undefined,
      ),
      include: options.include,
      exclude: options.exclude,
    });
    const { previous } = await last;
    const { snapshot, fingerprints } = remote;
    snapshot.files = remote.files;
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

async function lastSnapshot(store: SnapshotStore, branch: string, exists: boolean) {
  const previous = exists ? await store.readBranchFiles(branch) : new Map<string, string>();
  const { fingerprints, files } = await readLastRead(store, branch);
  // Only files exactly as the last read wrote them stand for the instance (and are canonical): a
  // hand edit since, even to other valid JSON or to mapping.json, is read and rendered again.
  const asRead = filesAsRead(previous, files);
  return { previous, asRead, reuse: reuseFrom(asRead, fingerprints) };
}

/** The reuse hooks of `reuseFrom`, answering once the last snapshot has loaded. */
function lazyReuse(last: Promise<{ reuse: ReturnType<typeof reuseFrom> }>): ReadOptions['reuse'] {
  return {
    flow: async (summary, savedView) => (await last).reuse?.flow(summary, savedView),
    module: async (summary, savedView) => (await last).reuse?.module(summary, savedView),
    routingProfile: async (summary, listing) =>
      (await last).reuse?.routingProfile(summary, listing),
  };
}

/**
 * When a search result comes without content, the previous snapshot can stand in for it, if
 * the resource's fingerprint says nothing changed since: the next pull then describes nothing.
 */
function reuseFrom(previous: Map<string, string>, fingerprints: Record<string, string>) {
  // The previous snapshot only saves describe calls: an unreadable file there (a bad hand edit)
  // is read from the instance again, which rewrites it.
  const mapping = parseOrUndefined(previous.get(MAPPING_FILE)) as Mapping | undefined;
  if (!mapping?.resources) return undefined;
  const byName = (folder: string) => {
    const files = new Map<string, Record<string, Json>>();
    for (const [path, text] of previous) {
      if (!path.startsWith(`${folder}/`)) continue;
      const file = parseOrUndefined(text) as Record<string, Json> | undefined;
      if (typeof file?.Name === 'string') files.set(file.Name, file);
    }
    return files;
  };
  const flows = byName(FOLDERS.flow);
  const modules = byName(FOLDERS.module);
  const profiles = byName(FOLDERS['routing-profile']);
  const index = new MappingIndex(mapping);
  const content = (value: Json | undefined) =>
    value === undefined || value === null ? undefined : JSON.stringify(resolve(value, index).value);
  const unchanged = (folder: string, name: string | undefined, fingerprint: string) =>
    name !== undefined && fingerprints[`${folder}/${name}`] === fingerprint;

  return {
    flow(summary: ContactFlow, savedView?: ContactFlow): RawFlow | undefined {
      const file = summary.Name === undefined ? undefined : flows.get(summary.Name);
      const draft = isDraftOf(summary, savedView) ? draftState(savedView!) : undefined;
      if (!file || !unchanged(FOLDERS.flow, summary.Name, fingerprintOf('flow', summary, draft))) {
        return undefined;
      }
      const draftContent = content(file.Draft);
      return {
        flow: { ...summary, Content: content(file.Content) },
        draft:
          draftContent === undefined
            ? undefined
            : { ...savedView, Status: 'SAVED', Content: draftContent },
      };
    },
    module(summary: ContactFlowModule, savedView?: ContactFlowModule): RawModule | undefined {
      const file = summary.Name === undefined ? undefined : modules.get(summary.Name);
      const draft = isDraftOf(summary, savedView) ? draftState(savedView!) : undefined;
      if (
        !file ||
        !unchanged(FOLDERS.module, summary.Name, fingerprintOf('module', summary, draft))
      ) {
        return undefined;
      }
      const draftContent = content(file.Draft);
      const settings = file.Settings === undefined ? undefined : JSON.stringify(file.Settings);
      return {
        module: { ...summary, Content: content(file.Content), Settings: settings },
        draft:
          draftContent === undefined
            ? undefined
            : { ...savedView, Status: 'SAVED', Content: draftContent },
      };
    },
    routingProfile(summary: RoutingProfile, listing: string): RawRoutingProfile | undefined {
      const key = `${FOLDERS['routing-profile']}/${summary.Name}`;
      const file = summary.Name === undefined ? undefined : profiles.get(summary.Name);
      const fingerprint = fingerprints[key];
      if (!file || !fingerprint || fingerprints[key + LISTING_SUFFIX] !== listing) return undefined;
      return profileFromFile(file, summary, index, { listing, fingerprint });
    },
  };
}

/**
 * A routing profile as the API would describe it, rebuilt from its file: the fields only Describe
 * and ListRoutingProfileQueues give come from the file, the rest from this read's search result.
 * A reference that no longer resolves (its queue is gone) means the file is stale: not reused.
 */
function profileFromFile(
  file: Record<string, Json>,
  summary: RoutingProfile,
  index: MappingIndex,
  known: { listing: string; fingerprint: string },
): RawRoutingProfile | undefined {
  const { value, unresolved } = resolve(file, index);
  if (unresolved.length > 0 || !Array.isArray(value.Queues)) return undefined;
  const queueConfigs: RoutingProfileQueueConfigSummary[] = [];
  for (const entry of value.Queues) {
    const row = entry as Record<string, Json>;
    if (typeof row.Queue !== 'string') return undefined;
    const ref = index.byId(row.Queue);
    queueConfigs.push({
      QueueId: row.Queue,
      QueueArn: ref ? index.entry(ref.kind, ref.name)?.arn : undefined,
      Channel: row.Channel as RoutingProfileQueueConfigSummary['Channel'],
      Priority: row.Priority as number,
      Delay: row.Delay as number,
    } as RoutingProfileQueueConfigSummary);
  }
  const profile: RoutingProfile = {
    ...summary,
    Description: (value.Description as string | undefined) ?? summary.Description,
    DefaultOutboundQueueId: value.DefaultOutboundQueue as string | undefined,
    MediaConcurrencies: value.MediaConcurrencies as unknown as RoutingProfile['MediaConcurrencies'],
    AgentAvailabilityTimer:
      value.AgentAvailabilityTimer as RoutingProfile['AgentAvailabilityTimer'],
    Tags: value.Tags as Record<string, string>,
  };
  return { profile, queueConfigs, ...known };
}

/** A saved view is a draft when it sits over published content and differs from it. */
function isDraftOf(
  summary: { Status?: string; FlowContentSha256?: string; FlowModuleContentSha256?: string },
  saved?: { FlowContentSha256?: string; FlowModuleContentSha256?: string },
): boolean {
  if (!saved || summary.Status?.toUpperCase() !== 'PUBLISHED') return false;
  const published = summary.FlowContentSha256 ?? summary.FlowModuleContentSha256;
  const draft = saved.FlowContentSha256 ?? saved.FlowModuleContentSha256;
  return published === undefined || draft === undefined || published !== draft;
}

function parseOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function changedPaths(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}

function countFiles(files: Map<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const path of files.keys()) {
    const slash = path.indexOf('/');
    if (slash > 0) counts[path.slice(0, slash)] = (counts[path.slice(0, slash)] ?? 0) + 1;
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
