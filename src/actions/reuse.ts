/**
 * What a read may take from an earlier one instead of asking the API again. Only resources whose
 * fingerprint, or a routing profile's listing, is unchanged since are taken; everything else is
 * read as usual. Pull and push plan from the last read's files; push reads back from its own
 * planning read.
 */
import { setImmediate } from 'node:timers/promises';
import type {
  ContactFlow,
  ContactFlowModule,
  RoutingProfile,
  RoutingProfileQueueConfigSummary,
} from '@aws-sdk/client-connect';
import { FOLDERS } from '../core/canonical';
import { Mapping, MappingIndex } from '../core/mapping';
import type { LambdaOverrides } from '../core/naming';
import { PreparedContent } from '../core/prepared';
import type { RawFlow, RawInstance, RawModule, RawRoutingProfile } from '../core/raw';
import { draftState, fingerprintOf, LISTING_SUFFIX } from '../core/snapshot';
import { Json, resolve } from '../core/tokens';
import { ReadOptions } from '../connect/reader';
import { SnapshotStore } from '../store/git-store';
import { filesAsRead, readLastRead } from '../store/fingerprints';
import { MAPPING_FILE } from '../core/env-files';

/**
 * The branch's files and what the last read recorded of them. Only files exactly as that read
 * rendered them (`asRead`) stand for the instance, and are canonical: a hand edit since, even to
 * other valid JSON or to mapping.json, is read and rendered again.
 */
export async function loadLastRead(
  store: SnapshotStore,
  branch: string,
  options: { exists?: boolean; tolerateCorrupt?: boolean } = {},
) {
  const exists = options.exists ?? true;
  const previous = exists ? await store.readBranchFiles(branch) : new Map<string, string>();
  const { fingerprints, files } = await readLastRead(store, branch, options);
  const asRead = filesAsRead(previous, files);
  // Parsed now, while the instance's pages are on their way: the snapshot compares against these
  // values, and the reuse hooks read them.
  const values = await parsedFiles(asRead, { yieldEvery: 100 });
  return { previous, fingerprints, asRead, values, reuse: reuseFrom(asRead, fingerprints, values) };
}

/**
 * The last read's mapping.json alone, read ahead of the branch's other files, when it is still
 * exactly as that read rendered it: content is tokenized against it while the pages arrive.
 */
export async function loadLastMapping(
  store: SnapshotStore,
  branch: string,
  options: { exists?: boolean } = {},
): Promise<Mapping | undefined> {
  if (options.exists === false) return undefined;
  const [text, { files }] = await Promise.all([
    store.readFile(branch, MAPPING_FILE),
    readLastRead(store, branch, { tolerateCorrupt: true }),
  ]);
  if (text === undefined) return undefined;
  if (!filesAsRead(new Map([[MAPPING_FILE, text]]), files).has(MAPPING_FILE)) return undefined;
  return parseOrUndefined(text) as Mapping | undefined;
}

/**
 * The JSON files of `files`, parsed; a file that does not parse is left out. With `yieldEvery`,
 * other work (a page that arrived, the next call due) gets its turn after that many files.
 */
export async function parsedFiles(
  files: ReadonlyMap<string, string>,
  options: { yieldEvery?: number } = {},
): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  let parsed = 0;
  for (const [path, text] of files) {
    if (!path.endsWith('.json')) continue;
    const value = parseOrUndefined(text);
    if (value !== undefined) values.set(path, value);
    if (options.yieldEvery && ++parsed % options.yieldEvery === 0) await setImmediate();
  }
  return values;
}

/**
 * What a read takes from the last one while it is still loading: the reuse hooks (unless
 * `reuse` is false) and the files and values a snapshot compares against. A failed load only
 * costs the read what it would have saved.
 */
export function fromLastRead(
  last: Promise<{
    reuse: ReturnType<typeof reuseFrom>;
    asRead: ReadonlyMap<string, string>;
    values: ReadonlyMap<string, unknown>;
  }>,
  reuse: boolean,
) {
  const settled = last.catch(() => undefined);
  return {
    reuse: reuse ? lazyReuse(settled) : undefined,
    previousFiles: settled.then((l) => l?.asRead),
    previousValues: settled.then((l) => l?.values),
  };
}

/** The reuse hooks of `reuseFrom`, answering once the last snapshot has loaded (or failed to). */
function lazyReuse(
  last: Promise<{ reuse: ReturnType<typeof reuseFrom> } | undefined>,
): ReadOptions['reuse'] {
  return {
    flow: async (summary, savedView) => (await last)?.reuse?.flow(summary, savedView),
    module: async (summary, savedView) => (await last)?.reuse?.module(summary, savedView),
    routingProfile: async (summary, listing) =>
      (await last)?.reuse?.routingProfile(summary, listing),
  };
}

/**
 * The last read's files stand in for what the API would describe, where the resource's
 * fingerprint (or a routing profile's listing) says nothing changed since: flows and modules a
 * search returned without content, routing profiles. `asRead` must hold only files exactly as
 * that read rendered them (`filesAsRead`); without its mapping.json nothing is reused.
 */
export function reuseFrom(
  previous: ReadonlyMap<string, string>,
  fingerprints: Record<string, string>,
  values: ReadonlyMap<string, unknown>,
) {
  // The previous snapshot only saves describe calls: an unreadable file there (a bad hand edit)
  // is read from the instance again, which rewrites it.
  const mapping = values.get(MAPPING_FILE) as Mapping | undefined;
  if (!mapping?.resources) return undefined;
  const byName = (folder: string) => {
    const files = new Map<string, Record<string, Json>>();
    for (const [path, value] of values) {
      if (!path.startsWith(`${folder}/`)) continue;
      const file = value as Record<string, Json> | undefined;
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

/**
 * Lets a read made shortly after another (push reads back what it wrote) skip what the first
 * read already holds and has not changed since: routing profiles with the same listing.
 */
export function reuseFromRead(raw: RawInstance): NonNullable<ReadOptions['reuse']> {
  const key = (id: string | undefined, listing: string) => `${id}\n${listing}`;
  const known = new Map<string, RawRoutingProfile>();
  for (const p of raw.routingProfiles) {
    if (p.listing) known.set(key(p.profile.RoutingProfileId, p.listing), p);
  }
  return {
    routingProfile: (summary, listing) => known.get(key(summary.RoutingProfileId, listing)),
  };
}

/** Items prepared between two turns of the event loop (each a few hundred microseconds). */
const YIELD_EVERY = 20;

type SearchItem = { Name?: string; Content?: string; Settings?: string };

type Loading<T> = T | undefined | Promise<T | undefined>;

/**
 * Prepares each flow and module search page's content in the wait for the next page, against the
 * last read's mapping (`last.mapping`, or the mapping.json of `last.values`); without one nothing
 * is prepared. Once the last read's files are parsed (`last.values`), prepared content equal to
 * what a file held shares its object. `done` settles once every page reported so far is
 * prepared; a failure in preparing only costs the snapshot the time it would have saved.
 */
export function prepareWhilePaging(
  last: { mapping?: Loading<Mapping>; values?: Loading<ReadonlyMap<string, unknown>> },
  lambdaOverrides: LambdaOverrides | undefined,
) {
  const values = Promise.resolve(last.values).catch(() => undefined);
  const mapping =
    last.mapping === undefined
      ? values.then((v) => v?.get(MAPPING_FILE) as Mapping | undefined)
      : Promise.resolve(last.mapping);
  let tokenizing: Promise<PreparedContent | undefined> = mapping
    .then((m) => (m?.resources ? new PreparedContent(m, lambdaOverrides) : undefined))
    .catch(() => undefined);
  let sharing: Promise<unknown> = Promise.resolve();
  // The last read's file values by resource, once they are parsed.
  const earlier = values.then((parsed) => parsed && earlierValues(parsed));

  // Small slices, so the read asks for its next page, and takes its answers, in between.
  const inSlices = async (items: readonly SearchItem[], work: (item: SearchItem) => void) => {
    for (const [i, item] of items.entries()) {
      if (i % YIELD_EVERY === 0) await setImmediate();
      work(item);
    }
  };

  return {
    onSearchPage(kind: 'flows' | 'modules', items: readonly SearchItem[]): void {
      const type = kind === 'flows' ? 'flow' : 'module';
      const page = tokenizing.then(async (prepared) => {
        if (!prepared) return undefined;
        try {
          await inSlices(items, (item) => {
            prepared.prepare(item.Content);
            prepared.prepare(item.Settings);
            prepared.prepareFingerprint(type, item);
          });
          return prepared;
        } catch {
          return undefined;
        }
      });
      tokenizing = page;
      sharing = Promise.all([page, earlier, sharing])
        .then(async ([prepared, heldBy]) => {
          if (!prepared || !heldBy) return;
          await inSlices(items, (item) => {
            if (item.Name === undefined) return;
            const held = heldBy(FOLDERS[type], item.Name);
            prepared.share(item.Content, held);
            prepared.share(item.Settings, held);
          });
        })
        .catch(() => undefined);
    },
    done: async () => {
      await sharing;
      return tokenizing;
    },
  };
}

/** The content-like values of the last read's flow and module files, by folder and Name. */
function earlierValues(values: ReadonlyMap<string, unknown>) {
  const byResource = new Map<string, unknown[]>();
  for (const [path, value] of values) {
    const folder = path.slice(0, path.indexOf('/'));
    if (folder !== FOLDERS.flow && folder !== FOLDERS.module) continue;
    const file = value as Record<string, unknown> | null;
    if (typeof file?.Name !== 'string') continue;
    const held = [file.Content, file.Draft, file.Settings].filter((v) => v !== undefined);
    byResource.set(`${folder}/${file.Name}`, held);
  }
  return (folder: string, name: string) => byResource.get(`${folder}/${name}`) ?? [];
}
