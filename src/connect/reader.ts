/**
 * Reads everything a snapshot needs from one instance with as few calls as Connect allows: the
 * Search APIs return whole objects a page at a time (100 or 500), so a cold read of an instance
 * with 1,000 flows and 300 queues takes about two dozen calls. Describe calls are the fallback
 * for search results without content, and the per-item list calls (routing profile queues,
 * queue quick connects) run only where the search results cannot answer.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeInstanceCommand,
  DescribeRoutingProfileCommand,
  ListBotsCommand,
  ListInstancesCommand,
  ListLambdaFunctionsCommand,
  ListQueueQuickConnectsCommand,
  ListQueuesCommand,
  ListRoutingProfileQueuesCommand,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  SearchContactFlowModulesCommand,
  SearchContactFlowsCommand,
  SearchHoursOfOperationsCommand,
  SearchPromptsCommand,
  SearchQueuesCommand,
  SearchQuickConnectsCommand,
  SearchRoutingProfilesCommand,
  type ContactFlow,
  type ContactFlowModule,
  type RoutingProfile,
} from '@aws-sdk/client-connect';
import { ConnectCopyError, EXIT } from '../errors';
import type {
  RawFlow,
  RawInstance,
  RawInstanceInfo,
  RawModule,
  RawQueue,
  RawRoutingProfile,
} from '../core/raw';
import type { Clients } from './clients';
import { instanceNotFound, translateError, type ErrorContext } from './errors';

export interface InstanceRef {
  /** Alias, id or ARN, as the configuration names it. */
  instance: string;
  region: string;
}

export interface ReadProgress {
  kind: string;
  done: number;
  /** Connect's approximate total, when the API gives one. */
  total?: number;
}

export interface ReadOptions {
  onProgress?: (event: ReadProgress) => void;
  /**
   * Results of an earlier read, offered for search results that come without content. The caller
   * decides by fingerprint whether the summary still describes what it cached.
   */
  reuse?: {
    flow?(summary: ContactFlow): RawFlow | undefined;
    module?(summary: ContactFlowModule): RawModule | undefined;
  };
  /**
   * 'search': one more search with StatusCondition SAVED returns the saved view of every flow
   * whose latest content is unpublished. 'describe': one DescribeContactFlow(`id:$SAVED`) per
   * published flow, for endpoints whose search does not answer that way.
   */
  draftDetection?: 'search' | 'describe';
}

/** Page sizes: each API's maximum, from the Connect API reference. */
const PAGE = {
  listInstances: 10,
  searchFlows: 100,
  searchQueues: 500,
  searchRoutingProfiles: 500,
  searchOther: 100,
  listPerItem: 100,
  listSummaries: 1000,
  listIntegrations: 25,
} as const;

/** Per-item calls in flight per operation; the limiter paces them, this bounds what a failure strands. */
const PER_ITEM_CONCURRENCY = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANCE_ARN = /^arn:aws[\w-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})$/;

export async function readInstance(
  clients: Clients,
  ref: InstanceRef,
  options: ReadOptions = {},
): Promise<RawInstance> {
  const context: ErrorContext = { ...clients.context, region: ref.region, instance: ref.instance };
  const run = new Run(context);
  await run.checkRegion(clients, ref.region);

  const instance = await run.guard(() => resolveInstance(clients, ref, context));
  options.onProgress?.({ kind: 'instance', done: 1, total: 1 });
  const reader = new Reader(clients, instance, run, options);

  const [flows, modules, queuesAndQuickConnects, routingProfiles, hours, prompts] = [
    run.task(() => reader.flows()),
    run.task(() => reader.modules()),
    run.task(() => reader.queuesAndQuickConnects()),
    run.task(() => reader.routingProfiles()),
    run.task(() => reader.hours()),
    run.task(() => reader.prompts()),
  ];
  const [users, securityProfiles, agentQueues, lambdaFunctions, lexBots, lexV2Aliases] = [
    run.task(() => reader.users()),
    run.task(() => reader.securityProfiles()),
    run.task(() => reader.agentQueues()),
    run.task(() => reader.lambdaFunctions()),
    run.task(() => reader.lexBots()),
    run.task(() => reader.lexV2Aliases()),
  ];
  await run.settle();

  const { queues, quickConnects } = await queuesAndQuickConnects;
  return {
    instance,
    hours: byName(await hours, (h) => h.HoursOfOperationId),
    queues: queues.sort((a, b) =>
      compareNames(a.queue.Name, b.queue.Name, a.queue.QueueId, b.queue.QueueId),
    ),
    agentQueues: (await agentQueues).sort((a, b) => compareNames(a.Id, b.Id)),
    routingProfiles: (await routingProfiles).sort((a, b) =>
      compareNames(
        a.profile.Name,
        b.profile.Name,
        a.profile.RoutingProfileId,
        b.profile.RoutingProfileId,
      ),
    ),
    flows: (await flows).sort((a, b) =>
      compareNames(a.flow.Name, b.flow.Name, a.flow.Id, b.flow.Id),
    ),
    modules: (await modules).sort((a, b) =>
      compareNames(a.module.Name, b.module.Name, a.module.Id, b.module.Id),
    ),
    prompts: byName(await prompts, (p) => p.PromptId),
    quickConnects: byName(quickConnects, (q) => q.QuickConnectId),
    users: (await users).sort((a, b) => compareNames(a.Username, b.Username, a.Id, b.Id)),
    securityProfiles: byName(await securityProfiles, (p) => p.Id),
    lambdaFunctions: (await lambdaFunctions).sort(),
    lexBots: (await lexBots).sort(
      (a, b) => compareNames(a.name, b.name) || compareNames(a.region, b.region),
    ),
    lexV2Aliases: (await lexV2Aliases).sort((a, b) => compareNames(a.aliasArn, b.aliasArn)),
  };
}

async function resolveInstance(
  clients: Clients,
  ref: InstanceRef,
  context: ErrorContext,
): Promise<RawInstanceInfo> {
  const arn = INSTANCE_ARN.exec(ref.instance);
  if (arn && arn[1] !== ref.region) {
    throw new ConnectCopyError(
      'INSTANCE_REGION_MISMATCH',
      `Instance ${ref.instance} is in region ${arn[1]}, but the environment reads region ${ref.region}.`,
      {
        exitCode: EXIT.usage,
        data: { instance: ref.instance, region: ref.region },
        suggestions: [`set the environment's region to ${arn[1]} (--region ${arn[1]})`],
      },
    );
  }
  const id = arn ? arn[3] : UUID.test(ref.instance) ? ref.instance : undefined;

  if (id) {
    const { Instance } = await clients.connect.send(
      new DescribeInstanceCommand({ InstanceId: id }),
    );
    if (!Instance?.Id || !Instance.Arn) throw instanceNotFound(ref.instance, context);
    return info(Instance.Id, Instance.Arn, Instance.InstanceAlias, ref.region);
  }

  // An alias is only unique within a region; ListInstances is the only way to look one up.
  let nextToken: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await clients.connect.send(
      new ListInstancesCommand({ MaxResults: PAGE.listInstances, NextToken: nextToken }),
    );
    const match = page.InstanceSummaryList?.find((i) => i.InstanceAlias === ref.instance);
    if (match?.Id && match.Arn) return info(match.Id, match.Arn, match.InstanceAlias, ref.region);
    nextToken = nextPageToken(page.NextToken, seen, 'ListInstances');
  } while (nextToken);
  throw instanceNotFound(ref.instance, context);
}

function info(id: string, arn: string, alias: string | undefined, region: string): RawInstanceInfo {
  return { id, arn, alias: alias ?? '', region, account: arn.split(':')[4] };
}

class Reader {
  constructor(
    private readonly clients: Clients,
    private readonly instance: RawInstanceInfo,
    private readonly run: Run,
    private readonly options: ReadOptions,
  ) {}

  private get connect() {
    return this.clients.connect;
  }

  private get instanceId() {
    return this.instance.id;
  }

  private progress(kind: string) {
    let done = 0;
    return (count: number, total?: number) => {
      done += count;
      this.options.onProgress?.({ kind, done, total });
    };
  }

  async flows(): Promise<RawFlow[]> {
    const mode = this.options.draftDetection ?? 'search';
    const onPage = this.progress('flows');
    const search = (criteria?: { StatusCondition: 'SAVED' }, report?: typeof onPage) =>
      this.pages('SearchContactFlows', async (NextToken) => {
        const page = await this.connect.send(
          new SearchContactFlowsCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchFlows,
            NextToken,
            SearchCriteria: criteria,
          }),
        );
        report?.(page.ContactFlows?.length ?? 0, page.ApproximateTotalCount);
        return { items: page.ContactFlows ?? [], next: page.NextToken };
      });
    const [all, saved] = await Promise.all([
      search(undefined, onPage),
      mode === 'search' ? search({ StatusCondition: 'SAVED' }) : undefined,
    ]);
    const savedById = new Map((saved ?? []).map((f) => [f.Id, f]));

    const describe = (id: string) =>
      this.run.call(async () => {
        const { ContactFlow } = await this.connect.send(
          new DescribeContactFlowCommand({ InstanceId: this.instanceId, ContactFlowId: id }),
        );
        return ContactFlow;
      });

    return this.perItem(uniqueById(all), async (summary): Promise<RawFlow> => {
      const id = summary.Id!;
      let flow = summary;
      if (summary.Content === undefined) {
        const reused = this.options.reuse?.flow?.(summary);
        if (reused) return reused;
        flow = (await describe(id)) ?? summary;
      }
      if (!isStatus(flow.Status, 'PUBLISHED')) return { flow };

      let draft: ContactFlow | undefined;
      if (mode === 'describe') {
        draft = await describe(`${id}:$SAVED`);
      } else if (savedById.has(id)) {
        const view = savedById.get(id)!;
        draft = view.Content === undefined ? await describe(`${id}:$SAVED`) : view;
      }
      return draft && !sameContent(draft.Content, flow.Content) ? { flow, draft } : { flow };
    });
  }

  async modules(): Promise<RawModule[]> {
    const mode = this.options.draftDetection ?? 'search';
    const onPage = this.progress('modules');
    const search = (criteria?: { StatusCondition: 'SAVED' }, report?: typeof onPage) =>
      this.pages('SearchContactFlowModules', async (NextToken) => {
        const page = await this.connect.send(
          new SearchContactFlowModulesCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchFlows,
            NextToken,
            SearchCriteria: criteria,
          }),
        );
        report?.(page.ContactFlowModules?.length ?? 0, page.ApproximateTotalCount);
        return { items: page.ContactFlowModules ?? [], next: page.NextToken };
      });
    const [all, saved] = await Promise.all([
      search(undefined, onPage),
      mode === 'search' ? search({ StatusCondition: 'SAVED' }) : undefined,
    ]);
    const savedById = new Map((saved ?? []).map((m) => [m.Id, m]));

    const describe = (id: string) =>
      this.run.call(async () => {
        const { ContactFlowModule } = await this.connect.send(
          new DescribeContactFlowModuleCommand({
            InstanceId: this.instanceId,
            ContactFlowModuleId: id,
          }),
        );
        return ContactFlowModule;
      });

    return this.perItem(uniqueById(all), async (summary): Promise<RawModule> => {
      const id = summary.Id!;
      let module = summary;
      if (summary.Content === undefined) {
        const reused = this.options.reuse?.module?.(summary);
        if (reused) return reused;
        module = (await describe(id)) ?? summary;
      }
      // Real responses spell module Status in lower case, unlike flows.
      if (!isStatus(module.Status, 'PUBLISHED')) return { module };

      let draft: ContactFlowModule | undefined;
      if (mode === 'describe') {
        draft = await describe(`${id}:$SAVED`);
      } else if (savedById.has(id)) {
        const view = savedById.get(id)!;
        draft = view.Content === undefined ? await describe(`${id}:$SAVED`) : view;
      }
      const differs =
        draft &&
        (!sameContent(draft.Content, module.Content) ||
          !sameContent(draft.Settings, module.Settings));
      return differs ? { module, draft } : { module };
    });
  }

  /**
   * Quick connects are read first: ListQueueQuickConnects costs one call per queue, so it only
   * runs when the instance has any quick connect to associate.
   */
  async queuesAndQuickConnects(): Promise<{ queues: RawQueue[]; quickConnects: QuickConnectList }> {
    const onQueues = this.progress('queues');
    const onQuickConnects = this.progress('quick-connects');
    const [queues, quickConnects] = await Promise.all([
      this.pages('SearchQueues', async (NextToken) => {
        const page = await this.connect.send(
          new SearchQueuesCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchQueues,
            NextToken,
            SearchCriteria: { QueueTypeCondition: 'STANDARD' },
          }),
        );
        onQueues(page.Queues?.length ?? 0, page.ApproximateTotalCount);
        return { items: page.Queues ?? [], next: page.NextToken };
      }),
      this.pages('SearchQuickConnects', async (NextToken) => {
        const page = await this.connect.send(
          new SearchQuickConnectsCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchOther,
            NextToken,
          }),
        );
        onQuickConnects(page.QuickConnects?.length ?? 0, page.ApproximateTotalCount);
        return { items: page.QuickConnects ?? [], next: page.NextToken };
      }),
    ]);

    if (quickConnects.length === 0) {
      return { queues: queues.map((queue) => ({ queue, quickConnectIds: [] })), quickConnects };
    }
    const onAssociations = this.progress('queue-quick-connects');
    const raw = await this.perItem(queues, async (queue): Promise<RawQueue> => {
      const summaries = await this.pages('ListQueueQuickConnects', async (NextToken) => {
        const page = await this.connect.send(
          new ListQueueQuickConnectsCommand({
            InstanceId: this.instanceId,
            QueueId: queue.QueueId,
            MaxResults: PAGE.listPerItem,
            NextToken,
          }),
        );
        return { items: page.QuickConnectSummaryList ?? [], next: page.NextToken };
      });
      onAssociations(1, queues.length);
      const ids = summaries.map((s) => s.Id).filter((id): id is string => !!id);
      return { queue, quickConnectIds: [...new Set(ids)].sort() };
    });
    return { queues: raw, quickConnects };
  }

  /**
   * SearchRoutingProfiles leaves out AgentAvailabilityTimer and CrossChannelBehavior, and
   * DescribeRoutingProfile leaves out the queues, so a profile costs one list call for its queues
   * and, where the search dropped those fields, one describe.
   */
  async routingProfiles(): Promise<RawRoutingProfile[]> {
    const onPage = this.progress('routing-profiles');
    const profiles = await this.pages('SearchRoutingProfiles', async (NextToken) => {
      const page = await this.connect.send(
        new SearchRoutingProfilesCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.searchRoutingProfiles,
          NextToken,
        }),
      );
      onPage(page.RoutingProfiles?.length ?? 0, page.ApproximateTotalCount);
      return { items: page.RoutingProfiles ?? [], next: page.NextToken };
    });
    const onQueues = this.progress('routing-profile-queues');

    return this.perItem(profiles, async (found): Promise<RawRoutingProfile> => {
      const id = found.RoutingProfileId;
      const [profile, queueConfigs] = await Promise.all([
        searchDroppedFields(found)
          ? this.run.call(async () => {
              const { RoutingProfile } = await this.connect.send(
                new DescribeRoutingProfileCommand({
                  InstanceId: this.instanceId,
                  RoutingProfileId: id,
                }),
              );
              return { ...found, ...RoutingProfile, AssociatedQueueIds: found.AssociatedQueueIds };
            })
          : found,
        this.pages('ListRoutingProfileQueues', async (NextToken) => {
          const page = await this.connect.send(
            new ListRoutingProfileQueuesCommand({
              InstanceId: this.instanceId,
              RoutingProfileId: id,
              MaxResults: PAGE.listPerItem,
              NextToken,
            }),
          );
          return { items: page.RoutingProfileQueueConfigSummaryList ?? [], next: page.NextToken };
        }),
      ]);
      onQueues(1, profiles.length);
      return { profile, queueConfigs };
    });
  }

  hours() {
    const onPage = this.progress('hours');
    return this.pages('SearchHoursOfOperations', async (NextToken) => {
      const page = await this.connect.send(
        new SearchHoursOfOperationsCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.searchOther,
          NextToken,
        }),
      );
      onPage(page.HoursOfOperations?.length ?? 0, page.ApproximateTotalCount);
      return { items: page.HoursOfOperations ?? [], next: page.NextToken };
    });
  }

  prompts() {
    const onPage = this.progress('prompts');
    return this.pages('SearchPrompts', async (NextToken) => {
      const page = await this.connect.send(
        new SearchPromptsCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.searchOther,
          NextToken,
        }),
      );
      onPage(page.Prompts?.length ?? 0, page.ApproximateTotalCount);
      return { items: page.Prompts ?? [], next: page.NextToken };
    });
  }

  users() {
    const onPage = this.progress('users');
    return this.pages('ListUsers', async (NextToken) => {
      const page = await this.connect.send(
        new ListUsersCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.listSummaries,
          NextToken,
        }),
      );
      onPage(page.UserSummaryList?.length ?? 0);
      return { items: page.UserSummaryList ?? [], next: page.NextToken };
    });
  }

  securityProfiles() {
    const onPage = this.progress('security-profiles');
    return this.pages('ListSecurityProfiles', async (NextToken) => {
      const page = await this.connect.send(
        new ListSecurityProfilesCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.listSummaries,
          NextToken,
        }),
      );
      onPage(page.SecurityProfileSummaryList?.length ?? 0);
      return { items: page.SecurityProfileSummaryList ?? [], next: page.NextToken };
    });
  }

  /** SearchQueues cannot return agent queues; flows may still target one. */
  agentQueues() {
    const onPage = this.progress('agent-queues');
    return this.pages('ListQueues', async (NextToken) => {
      const page = await this.connect.send(
        new ListQueuesCommand({
          InstanceId: this.instanceId,
          QueueTypes: ['AGENT'],
          MaxResults: PAGE.listSummaries,
          NextToken,
        }),
      );
      onPage(page.QueueSummaryList?.length ?? 0);
      return { items: page.QueueSummaryList ?? [], next: page.NextToken };
    });
  }

  lambdaFunctions() {
    return this.pages('ListLambdaFunctions', async (NextToken) => {
      const page = await this.connect.send(
        new ListLambdaFunctionsCommand({
          InstanceId: this.instanceId,
          MaxResults: PAGE.listIntegrations,
          NextToken,
        }),
      );
      return { items: page.LambdaFunctions ?? [], next: page.NextToken };
    });
  }

  async lexBots(): Promise<RawInstance['lexBots']> {
    const bots = await this.listBots('V1');
    return bots.flatMap((b) =>
      b.LexBot?.Name ? [{ name: b.LexBot.Name, region: b.LexBot.LexRegion ?? '' }] : [],
    );
  }

  /** Names stay unset: the alias ARN carries the ids, and the Lex models API is not needed. */
  async lexV2Aliases(): Promise<RawInstance['lexV2Aliases']> {
    const bots = await this.listBots('V2');
    return bots.flatMap((b) => (b.LexV2Bot?.AliasArn ? [{ aliasArn: b.LexV2Bot.AliasArn }] : []));
  }

  private listBots(version: 'V1' | 'V2') {
    return this.pages('ListBots', async (NextToken) => {
      const page = await this.connect.send(
        new ListBotsCommand({
          InstanceId: this.instanceId,
          LexVersion: version,
          MaxResults: PAGE.listIntegrations,
          NextToken,
        }),
      );
      return { items: page.LexBots ?? [], next: page.NextToken };
    });
  }

  /** Follows NextToken until it is absent: Connect may return short or empty pages with a token. */
  private async pages<T>(
    operation: string,
    fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.run.call(() => fetch(token));
      items.push(...page.items);
      token = nextPageToken(page.next, seen, operation);
    } while (token);
    return items;
  }

  private async perItem<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length && !this.run.failed) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PER_ITEM_CONCURRENCY, items.length) }, worker));
    return results;
  }
}

type QuickConnectList = RawInstance['quickConnects'];

/**
 * The reads of one instance. The first failure stops every other task from starting new calls;
 * the read then reports that failure, translated, once everything in flight has settled.
 */
class Run {
  failed = false;
  private firstError: unknown;
  private readonly tasks: Promise<unknown>[] = [];

  constructor(private readonly context: ErrorContext) {}

  async checkRegion(clients: Clients, region: string): Promise<void> {
    const configured = await this.guard(() => clients.connect.config.region());
    if (configured !== region) {
      throw new ConnectCopyError(
        'REGION_MISMATCH',
        `The Connect client is set up for region ${configured}, but instance ${this.context.instance} is read in ${region}.`,
        { exitCode: EXIT.internal, data: { configured, region } },
      );
    }
  }

  async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateError(error, this.context);
    }
  }

  async call<T>(work: () => Promise<T>): Promise<T> {
    if (this.failed) throw new Cancelled();
    try {
      return await work();
    } catch (error) {
      if (!this.failed && !(error instanceof Cancelled)) {
        this.failed = true;
        this.firstError = error;
      }
      throw error;
    }
  }

  task<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.tasks.push(promise);
    return promise;
  }

  async settle(): Promise<void> {
    const results = await Promise.allSettled(this.tasks);
    if (this.failed) throw translateError(this.firstError, this.context);
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw translateError(rejected.reason, this.context);
  }
}

class Cancelled extends Error {
  constructor() {
    super('cancelled after another read failed');
  }
}

function nextPageToken(token: string | undefined, seen: Set<string>, operation: string) {
  if (!token) return undefined;
  // A repeated token would loop forever; the SDK's paginators do not guard against it either.
  if (seen.has(token)) {
    throw new ConnectCopyError(
      'AWS_PAGINATION_LOOP',
      `${operation} returned the same NextToken twice.`,
      {
        exitCode: EXIT.aws,
        data: { operation },
      },
    );
  }
  seen.add(token);
  return token;
}

/** Real responses spell module Status in lower case; flows in upper case. */
function isStatus(value: string | undefined, expected: string): boolean {
  return (value ?? '').toUpperCase() === expected;
}

/** A draft saved with other whitespace or key order is not a change. */
function sameContent(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

function searchDroppedFields(profile: RoutingProfile): boolean {
  return (
    profile.AgentAvailabilityTimer === undefined ||
    (profile.MediaConcurrencies ?? []).some((m) => m.CrossChannelBehavior === undefined)
  );
}

function uniqueById<T extends { Id?: string }>(items: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (item.Id && !byId.has(item.Id)) byId.set(item.Id, item);
  return [...byId.values()];
}

function compareNames(a = '', b = '', tieA = '', tieB = ''): number {
  return a < b ? -1 : a > b ? 1 : tieA < tieB ? -1 : tieA > tieB ? 1 : 0;
}

/** Sorted by name, then id: the API's order is unspecified and a snapshot must not depend on it. */
function byName<T extends { Name?: string }>(items: T[], idOf: (item: T) => string | undefined) {
  return items.sort((a, b) => compareNames(a.Name, b.Name, idOf(a), idOf(b)));
}
