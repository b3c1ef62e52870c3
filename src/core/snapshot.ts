/**
 * A pulled instance as a snapshot: the canonical files of one environment branch, every reference
 * tokenized, plus mapping.json (everything environment-specific) and integrations.json. Pure: the
 * Connect adapter reads the RawInstance, the store writes the files.
 */
import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';
import { resourceFilter, type ResourceFilter } from './filters';
import type {
  HoursOfOperation,
  HoursOfOperationConfig,
  Prompt,
  RoutingProfile,
} from '@aws-sdk/client-connect';
import {
  FOLDERS,
  isJsonOf,
  pickWritable,
  renderCanonical,
  sameValue,
  type FileType,
} from './canonical';
import { fileNamesFor } from './filenames';
import { buildMapping, MappingIndex, type Mapping, type ResourceKind } from './mapping';
import {
  parseLambdaArn,
  lambdaArn,
  portableName,
  type LambdaOverrides,
  type NamingRules,
} from './naming';
import type { PreparedContent } from './prepared';
import type { RawFlow, RawInstance, RawModule, RawQueue, RawRoutingProfile } from './raw';
import {
  addDiscovered,
  tokenize,
  token,
  type Json,
  type ReferenceFinding,
  type TokenizeContext,
  type TokenizeFindings,
} from './tokens';
import type { Warning } from './warnings';

export interface SnapshotOptions {
  environment: string;
  naming: NamingRules;
  /** Patterns on `<folder>/<name>` (see filters.ts); default everything. */
  include?: string[];
  exclude?: string[];
  /** `overrides.lambda[portable][environment]` from the configuration. */
  lambdaOverrides?: LambdaOverrides;
  /**
   * Files of an earlier snapshot of this instance: a file whose value has not changed keeps its
   * text instead of being rendered again (most of a pull's local work). Only files exactly as a
   * read rendered them belong here: equal JSON in other bytes (a hand edit) is not canonical.
   */
  previousFiles?: ReadonlyMap<string, string>;
  /** `previousFiles` already parsed, by path (any missing here are parsed when compared). */
  previousValues?: ReadonlyMap<string, unknown>;
  /** Content tokenized while the read was paging, taken where it tokenizes the same here. */
  prepared?: PreparedContent;
}

export interface ResourceFinding extends ReferenceFinding {
  /** `<folder>/<name>` of the file holding the reference. */
  resource: string;
}

export interface SnapshotFindings {
  foreign: ResourceFinding[];
  unknown: ResourceFinding[];
  /** Tokens written, by kind, over all files. */
  counts: Record<string, number>;
}

export interface Snapshot {
  /** Repository path -> file content. */
  files: Map<string, string>;
  mapping: Mapping;
  warnings: Warning[];
  findings: SnapshotFindings;
}

const DAY_ORDER = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A hash of what describes a change to a resource as the API reports it, so the next pull or push
 * can tell a resource was edited in the console since. Content is hashed through the API's own
 * content hash when it gives one.
 */
export function fingerprintOf(type: FileType, apiObject: object, related?: unknown): string {
  const fields = pickWritable(type, apiObject, '').fields;
  const api = apiObject as Record<string, unknown>;
  const contentHash = api.FlowContentSha256 ?? api.FlowModuleContentSha256;
  // The API's content hash stands for the content, so a result with or without Content (search
  // results may leave it out) gives the same fingerprint.
  if (typeof contentHash === 'string') fields.Content = contentHash;
  else if (typeof fields.Content === 'string') fields.Content = sha256(fields.Content);
  const described = {
    fields,
    lastModified: api.LastModifiedTime ?? null,
    related: related ?? null,
  };
  return sha256(stableStringify(described) ?? '');
}

/** Where a routing profile's listing fingerprint is kept next to its fingerprint. */
export const LISTING_SUFFIX = '#listing';

/**
 * A routing profile costs two calls of its own (DescribeRoutingProfile for the timer and
 * cross-channel settings, ListRoutingProfileQueues for its queues), so a later read keeps the
 * earlier one's result while this stays the same: ListRoutingProfiles' LastModifiedTime, plus
 * what SearchRoutingProfiles shows (queue ids, concurrencies, tags) in case an association does
 * not move the timestamp. Computed alike from a search result and from a full read; undefined
 * when the API gives no timestamp, and then nothing is reused.
 */
export function routingProfileListing(
  lastModified: Date | string | number | undefined,
  profile: RoutingProfile,
  queueIds: readonly string[],
): string | undefined {
  if (lastModified === undefined) return undefined;
  const listing = {
    lastModified: new Date(lastModified).toISOString(),
    name: profile.Name ?? null,
    description: profile.Description ?? null,
    defaultOutboundQueue: profile.DefaultOutboundQueueId ?? null,
    concurrencies: (profile.MediaConcurrencies ?? [])
      .map((m) => `${m.Channel}:${m.Concurrency}`)
      .sort(),
    tags: profile.Tags ?? {},
    queues: [...new Set(queueIds)].sort(),
  };
  return sha256(stableStringify(listing) ?? '');
}

class SnapshotBuilder {
  readonly warnings: Warning[] = [];
  readonly findings: SnapshotFindings = { foreign: [], unknown: [], counts: {} };
  readonly files = new Map<string, string>();
  readonly mapping: Mapping;
  private readonly index: MappingIndex;
  private readonly ctx: TokenizeContext;
  private readonly filter: ResourceFilter;
  /** Rendering is deferred so all files render concurrently once tokenizing is done. */
  private readonly pending: [string, unknown][] = [];

  constructor(
    private readonly raw: RawInstance,
    private readonly options: SnapshotOptions,
  ) {
    this.mapping = buildMapping(
      raw,
      options.environment,
      options.naming,
      this.warnings,
      options.lambdaOverrides,
    );
    this.index = new MappingIndex(this.mapping);
    this.ctx = { mapping: this.index, lambdaOverrides: options.lambdaOverrides };
    this.filter = resourceFilter(options.include ?? [], options.exclude ?? []);
  }

  private wanted(folder: string, name: string): boolean {
    return this.filter(folder, name);
  }

  /** The mapping name of a resource (which differs from its Name only for duplicates). */
  private nameOf(kind: ResourceKind, arn: string | undefined, id: string | undefined): string {
    const ref = (arn && this.index.byArn(arn)) || (id && this.index.byId(id)) || undefined;
    return ref && ref.kind === kind ? ref.name : (id ?? arn ?? '');
  }

  /**
   * Adds one resource: its fingerprint always (the mapping covers every resource), its file only
   * when the include and exclude globs select it.
   */
  private add<T>(
    type: FileType,
    items: T[],
    identify: (item: T) => { name: string; fingerprint: string; listing?: string },
    build: (item: T, resource: string, name: string) => Record<string, unknown>,
  ): void {
    const folder = FOLDERS[type];
    const named = items.map((item) => ({ item, ...identify(item) }));
    const fileNames = fileNamesFor(named.map((n) => n.name));
    for (const { item, name, fingerprint, listing } of named.sort((a, b) => cmp(a.name, b.name))) {
      const resource = `${folder}/${name}`;
      this.mapping.fingerprints[resource] = fingerprint;
      if (listing !== undefined) this.mapping.fingerprints[resource + LISTING_SUFFIX] = listing;
      if (!this.wanted(folder, name)) continue;
      this.pending.push([`${folder}/${fileNames.get(name)}`, build(item, resource, name)]);
    }
  }

  private collect(resource: string, findings: TokenizeFindings): void {
    addDiscovered(this.index, findings);
    for (const f of findings.foreign) this.findings.foreign.push({ ...f, resource });
    for (const f of findings.unknown) this.findings.unknown.push({ ...f, resource });
    for (const [kind, n] of Object.entries(findings.counts)) {
      this.findings.counts[kind] = (this.findings.counts[kind] ?? 0) + n;
    }
  }

  private tokenized(value: Json, resource: string): Json {
    const { value: out, findings } = tokenize(value, this.ctx);
    this.collect(resource, findings);
    return out;
  }

  /** Flow content is stored parsed, so diffs show lines of JSON rather than one escaped string. */
  private parsedContent(text: string | undefined, resource: string, field: string): Json {
    if (text === undefined) return null;
    const prepared = this.options.prepared?.take(text, this.ctx);
    if (prepared) {
      this.collect(resource, prepared.findings);
      return prepared.value;
    }
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      this.warnings.push({
        code: 'content-not-json',
        message: `${field} of ${resource} is not JSON; it is stored as a string.`,
        resource,
        path: field,
      });
      parsed = text;
    }
    return this.tokenized(parsed, resource);
  }

  /** A reference stored in a resource's own settings: the kind is known, so a miss is reported. */
  private reference(kind: ResourceKind, value: string | undefined, resource: string, path: string) {
    if (value === undefined) return undefined;
    const byArn = this.index.byArn(value);
    if (byArn && byArn.kind === kind) return token('arn', kind, byArn.name);
    const byId = this.index.byId(value);
    if (byId && byId.kind === kind) return token('id', kind, byId.name);
    const known = kind !== 'phone-number' || this.raw.phoneNumbers !== undefined;
    if (known) {
      this.warnings.push({
        code: 'unknown-reference',
        message: `${resource} refers to ${kind} ${value}, which the instance does not have; kept.`,
        resource,
        path,
      });
    }
    return value;
  }

  private keepWarnings(picked: { fields: Record<string, unknown>; warnings: Warning[] }) {
    this.warnings.push(...picked.warnings);
    return picked.fields;
  }

  hours(): void {
    this.add(
      'hours',
      this.raw.hours,
      (h: HoursOfOperation) => ({
        name: this.nameOf('hours', h.HoursOfOperationArn, h.HoursOfOperationId),
        fingerprint: fingerprintOf('hours', h),
      }),
      (h, resource, name) => {
        const f = this.keepWarnings(pickWritable('hours', h, name));
        const config = [...((f.Config as HoursOfOperationConfig[] | undefined) ?? [])].sort(
          (a, b) =>
            DAY_ORDER.indexOf(a.Day ?? '') - DAY_ORDER.indexOf(b.Day ?? '') ||
            minutes(a.StartTime) - minutes(b.StartTime) ||
            minutes(a.EndTime) - minutes(b.EndTime),
        );
        return { ...f, Config: config, Tags: f.Tags ?? {} };
      },
    );
  }

  queues(): void {
    this.add(
      'queue',
      this.raw.queues,
      (q: RawQueue) => ({
        name: this.nameOf('queue', q.queue.QueueArn, q.queue.QueueId),
        fingerprint: fingerprintOf('queue', q.queue, [...q.quickConnectIds].sort()),
      }),
      (q, resource, name) => {
        const f = this.keepWarnings(pickWritable('queue', q.queue, name));
        const caller = q.queue.OutboundCallerConfig;
        const quickConnects = q.quickConnectIds
          .map((id) => {
            const ref = this.index.byId(id);
            if (ref?.kind === 'quick-connect') return ref.name;
            this.reference('quick-connect', id, resource, 'QuickConnects');
            return id;
          })
          .sort(cmp);
        const file: Record<string, unknown> = {
          Name: f.Name,
          Description: f.Description,
          HoursOfOperation: this.reference(
            'hours',
            q.queue.HoursOfOperationId,
            resource,
            'HoursOfOperation',
          ),
          MaxContacts: f.MaxContacts,
          Status: f.Status,
          QuickConnects: quickConnects,
          Tags: f.Tags ?? {},
        };
        if (caller) {
          file.OutboundCallerConfig = {
            OutboundCallerIdName: caller.OutboundCallerIdName,
            OutboundCallerIdNumber: this.reference(
              'phone-number',
              caller.OutboundCallerIdNumberId,
              resource,
              'OutboundCallerConfig.OutboundCallerIdNumber',
            ),
            OutboundFlow: this.reference(
              'flow',
              caller.OutboundFlowId,
              resource,
              'OutboundCallerConfig.OutboundFlow',
            ),
          };
        }
        if (f.OutboundEmailConfig !== undefined) {
          file.OutboundEmailConfig = this.tokenized(f.OutboundEmailConfig as Json, resource);
        }
        return file;
      },
    );
  }

  routingProfiles(): void {
    this.add(
      'routing-profile',
      this.raw.routingProfiles,
      (r: RawRoutingProfile) => ({
        name: this.nameOf(
          'routing-profile',
          r.profile.RoutingProfileArn,
          r.profile.RoutingProfileId,
        ),
        fingerprint:
          r.fingerprint ??
          fingerprintOf(
            'routing-profile',
            r.profile,
            r.queueConfigs.map((c) => `${c.QueueId}/${c.Channel}/${c.Priority}/${c.Delay}`).sort(),
          ),
        listing: r.listing,
      }),
      (r, resource, name) => {
        const f = this.keepWarnings(pickWritable('routing-profile', r.profile, name));
        const queues = r.queueConfigs
          .map((c) => ({
            sortName: this.nameOf('queue', c.QueueArn, c.QueueId),
            entry: {
              Queue: this.reference('queue', c.QueueId, resource, 'Queues'),
              Channel: c.Channel,
              Priority: c.Priority,
              Delay: c.Delay,
            },
          }))
          .sort(
            (a, b) =>
              cmp(a.sortName, b.sortName) || cmp(a.entry.Channel ?? '', b.entry.Channel ?? ''),
          )
          .map((q) => q.entry);
        const concurrencies = [...((f.MediaConcurrencies as { Channel?: string }[]) ?? [])].sort(
          (a, b) => cmp(a.Channel ?? '', b.Channel ?? ''),
        );
        return {
          Name: f.Name,
          Description: f.Description,
          DefaultOutboundQueue: this.reference(
            'queue',
            r.profile.DefaultOutboundQueueId,
            resource,
            'DefaultOutboundQueue',
          ),
          MediaConcurrencies: concurrencies,
          AgentAvailabilityTimer: f.AgentAvailabilityTimer,
          Queues: queues,
          Tags: f.Tags ?? {},
        };
      },
    );
  }

  modules(): void {
    this.add(
      'module',
      this.raw.modules,
      (m: RawModule) => ({
        name: this.nameOf('module', m.module.Arn, m.module.Id),
        fingerprint: m.draft
          ? fingerprintOf('module', m.module, draftState(m.draft))
          : (this.options.prepared?.fingerprint(m.module) ?? fingerprintOf('module', m.module)),
      }),
      (m, resource, name) => {
        const f = this.keepWarnings(pickWritable('module', m.module, name));
        const file: Record<string, unknown> = {
          Name: f.Name,
          Description: f.Description,
          // Modules come back in lower case from the real API, flows in upper case.
          State: upper(f.State),
          Status: upper(f.Status),
          Tags: f.Tags ?? {},
          Content: this.parsedContent(m.module.Content, resource, 'Content'),
        };
        if (m.module.Settings !== undefined) {
          file.Settings = this.parsedContent(m.module.Settings, resource, 'Settings');
        }
        if (f.ExternalInvocationConfiguration !== undefined) {
          file.ExternalInvocationConfiguration = f.ExternalInvocationConfiguration;
        }
        if (isNewerDraft(m.draft?.Content, m.module.Content)) {
          file.Draft = this.parsedContent(m.draft?.Content, resource, 'Draft');
        }
        return file;
      },
    );
  }

  flows(): void {
    this.add(
      'flow',
      this.raw.flows,
      (fl: RawFlow) => ({
        name: this.nameOf('flow', fl.flow.Arn, fl.flow.Id),
        fingerprint: fl.draft
          ? fingerprintOf('flow', fl.flow, draftState(fl.draft))
          : (this.options.prepared?.fingerprint(fl.flow) ?? fingerprintOf('flow', fl.flow)),
      }),
      (fl, resource, name) => {
        const f = this.keepWarnings(pickWritable('flow', fl.flow, name));
        const file: Record<string, unknown> = {
          Name: f.Name,
          Type: f.Type,
          Description: f.Description,
          State: f.State,
          Status: f.Status,
          Tags: f.Tags ?? {},
          Content: this.parsedContent(fl.flow.Content, resource, 'Content'),
        };
        if (isNewerDraft(fl.draft?.Content, fl.flow.Content)) {
          file.Draft = this.parsedContent(fl.draft?.Content, resource, 'Draft');
        }
        return file;
      },
    );
  }

  prompts(): void {
    this.add(
      'prompt',
      this.raw.prompts,
      (p: Prompt) => ({
        name: this.nameOf('prompt', p.PromptARN, p.PromptId),
        fingerprint: fingerprintOf('prompt', p),
      }),
      (p, resource, name) => {
        const f = this.keepWarnings(pickWritable('prompt', p, name));
        return { ...f, Tags: f.Tags ?? {} };
      },
    );
  }

  integrations(): Record<string, string[]> {
    const naming = this.options.naming;
    const lambdas = new Set<string>();
    for (const arn of this.raw.lambdaFunctions) {
      const parts = parseLambdaArn(arn);
      if (!parts) continue;
      const ref = this.index.byArn(lambdaArn(parts));
      if (!ref) continue;
      lambdas.add(ref.name + (parts.qualifier ? `:${parts.qualifier}` : ''));
    }
    const bots = new Set(this.raw.lexBots.map((b) => portableName(b.name, naming.lex)));
    const aliases = new Set<string>();
    for (const a of this.raw.lexV2Aliases) {
      const ref = this.index.byArn(a.aliasArn);
      if (ref) aliases.add(ref.name);
    }
    return {
      LambdaFunctions: [...lambdas].sort(cmp),
      LexBots: [...bots].sort(cmp),
      LexV2Aliases: [...aliases].sort(cmp),
    };
  }

  async render(): Promise<void> {
    // The order fixes which flow discovers a Lambda function first; keep it stable.
    this.hours();
    this.queues();
    this.routingProfiles();
    this.prompts();
    this.modules();
    this.flows();
    this.pending.push(['integrations.json', this.integrations()]);
    // Fingerprints go to the note that records this read, not to the branch.
    this.pending.push(['mapping.json', { ...this.mapping, fingerprints: undefined }]);

    const { previousFiles: before, previousValues: parsed } = this.options;
    const unchanged = (path: string, text: string, value: unknown) =>
      parsed?.has(path) ? sameValue(parsed.get(path), value) : isJsonOf(text, value);
    const rendered = await Promise.all(
      this.pending.map(([path, value]) => {
        const text = before?.get(path);
        return text !== undefined && unchanged(path, text, value) ? text : renderCanonical(value);
      }),
    );
    this.pending.forEach(([path], i) => this.files.set(path, rendered[i]));
  }
}

/**
 * Describing `<id>:$SAVED` returns the published content when there is no draft, so a draft is
 * only kept when its JSON differs (whitespace and key order aside).
 */
function isNewerDraft(draft: string | undefined, published: string | undefined): boolean {
  if (draft === undefined || draft === published) return false;
  try {
    return stableStringify(JSON.parse(draft)) !== stableStringify(JSON.parse(published ?? 'null'));
  } catch {
    return true;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minutes(t: { Hours?: number; Minutes?: number } | undefined): number {
  return (t?.Hours ?? 0) * 60 + (t?.Minutes ?? 0);
}

function upper(value: unknown): unknown {
  return typeof value === 'string' ? value.toUpperCase() : value;
}

/** What identifies a draft in a fingerprint; its content hash when the API gives one. */
export function draftState(draft: {
  LastModifiedTime?: Date;
  Content?: string;
  FlowContentSha256?: string;
  FlowModuleContentSha256?: string;
}): unknown {
  const hash = draft.FlowContentSha256 ?? draft.FlowModuleContentSha256;
  return {
    lastModified: draft.LastModifiedTime ?? null,
    content: hash ?? sha256(draft.Content ?? ''),
  };
}

/**
 * The files of one environment branch for a pulled instance. The mapping holds every resource of
 * the instance whatever the filters, so references to unfiltered resources still tokenize.
 */
export async function buildSnapshot(raw: RawInstance, options: SnapshotOptions): Promise<Snapshot> {
  const builder = new SnapshotBuilder(raw, options);
  await builder.render();
  return {
    files: builder.files,
    mapping: builder.mapping,
    warnings: builder.warnings,
    findings: builder.findings,
  };
}
