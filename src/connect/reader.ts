/**
 * Reads everything a snapshot needs from one instance with as few calls as Connect allows: the
 * Search APIs return whole objects a page at a time (100 or 500), so flows, modules, queues,
 * hours and prompts cost one call per page. Routing profiles cost two calls each (their queues
 * and some settings are in no search result) unless an earlier read is offered and they have
 * not changed since. Describe calls are the fallback for search results without content.
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
  ListRoutingProfilesCommand,
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
import { ConnectCopyError, ExitCode } from '../errors';
import type {
  RawFlow,
  RawInstance,
  RawInstanceInfo,
  RawModule,
  RawQueue,
  RawRoutingProfile,
} from '../core/raw';
import { DescribeBotAliasCommand, DescribeBotCommand } from '@aws-sdk/client-lex-models-v2';
import { routingProfileListing } from '../core/snapshot';
import type { Clients } from './clients';
import { instanceNotFound, tagResource, translateError, type ErrorContext } from './errors';

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

/** What an earlier read offers; a promise when the caller is still loading it. */
export type Reused<T> = T | undefined | Promise<T | undefined>;

export interface ReadOptions {
  onProgress?: (event: ReadProgress) => void;
  /**
   * Results of an earlier read, offered for search results that come without content. The caller
   * decides by fingerprint whether the summary still describes what it cached; `savedView` is the
   * flow's entry in the SAVED search, when it has one (a draft or a never-published flow).
   */
  reuse?: {
    flow?(summary: ContactFlow, savedView?: ContactFlow): Reused<RawFlow>;
    module?(summary: ContactFlowModule, savedView?: ContactFlowModule): Reused<RawModule>;
    /** `summary`: the search result with the list's LastModifiedTime. */
    routingProfile?(summary: RoutingProfile, listing: string): Reused<RawRoutingProfile>;
  };
  /**
   * 'search': one more search with StatusCondition SAVED returns the saved view of every flow
   * whose latest content is unpublished. 'describe': one DescribeContactFlow(`id:$SAVED`) per
   * published flow, for endpoints whose search does not answer that way.
   */
  draftDetection?: 'search' | 'describe';
  /**
   * Each page of flow or module search results (published and saved views alike), as it arrives
   * and before the next page is asked for: work done here should wait for the next tick.
   */
  onSearchPage?(
    kind: 'flows' | 'modules',
    items: readonly { Name?: string; Content?: string; Settings?: string }[],
  ): void;
}

/**
 * Every Connect operation a read may call, which is every IAM action a pull needs
 * (`connect:<Operation>`; docs/iam.md builds its read-only policy from this list).
 */
export const READ_OPERATIONS = [
  'DescribeInstance',
  'ListInstances',
  'SearchContactFlows',
  'DescribeContactFlow',
  'SearchContactFlowModules',
  'DescribeContactFlowModule',
  'SearchQueues',
  'ListQueues',
  'SearchQuickConnects',
  'ListQueueQuickConnects',
  'ListRoutingProfiles',
  'SearchRoutingProfiles',
  'DescribeRoutingProfile',
  'ListRoutingProfileQueues',
  'SearchHoursOfOperations',
  'SearchPrompts',
  'ListUsers',
  'ListSecurityProfiles',
  'ListLambdaFunctions',
  'ListBots',
] as const;

/** Lex V2 model actions a pull uses to name bot aliases (IAM: `lex:DescribeBot`, ...). */
export const LEX_READ_OPERATIONS = ['DescribeBot', 'DescribeBotAlias'] as const;

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

/** Per-item calls in flight per operation: the limiter paces them; this bounds what a failure
 * leaves queued behind it. */
const PER_ITEM_CONCURRENCY = 8;

const LEX_V2_ALIAS =
  /^arn:aws[\w-]*:lex:([a-z0-9-]+):(\d{12}):bot-alias\/([0-9A-Z]{10})\/([0-9A-Z]{10})$/;
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

  // The API's order is unspecified; a snapshot must not depend on it.
  const { queues, quickConnects } = await queuesAndQuickConnects;
  return {
    instance,
    hours: sorted(
      await hours,
      (h) => h.Name,
      (h) => h.HoursOfOperationId,
    ),
    queues: sorted(
      queues,
      (q) => q.queue.Name,
      (q) => q.queue.QueueId,
    ),
    agentQueues: sorted(await agentQueues, (q) => q.Id),
    routingProfiles: sorted(
      await routingProfiles,
      (p) => p.profile.Name,
      (p) => p.profile.RoutingProfileId,
    ),
    flows: sorted(
      await flows,
      (f) => f.flow.Name,
      (f) => f.flow.Id,
    ),
    modules: sorted(
      await modules,
      (m) => m.module.Name,
      (m) => m.module.Id,
    ),
    prompts: sorted(
      await prompts,
      (p) => p.Name,
      (p) => p.PromptId,
    ),
    quickConnects: sorted(
      quickConnects,
      (q) => q.Name,
      (q) => q.QuickConnectId,
    ),
    users: sorted(
      await users,
      (u) => u.Username,
      (u) => u.Id,
    ),
    securityProfiles: sorted(
      await securityProfiles,
      (p) => p.Name,
      (p) => p.Id,
    ),
    lambdaFunctions: sorted(await lambdaFunctions, (arn) => arn),
    lexBots: sorted(
      await lexBots,
      (b) => b.name,
      (b) => b.region,
    ),
    lexV2Aliases: sorted(await lexV2Aliases, (a) => a.aliasArn),
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
      `Instance ${ref.instance} is in region ${arn[1]}, but its environment says ${ref.region}.`,
      {
        exitCode: ExitCode.usage,
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
    if (!Instance?.Id || !Instance.Arn) throw instanceNotFound(context);
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
  throw instanceNotFound({ ...context, operation: 'ListInstances' });
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
    const read = await this.withDrafts<ContactFlow>({
      kind: 'flows',
      operation: 'SearchContactFlows',
      search: async (SearchCriteria, NextToken) => {
        const page = await this.connect.send(
          new SearchContactFlowsCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchFlows,
            NextToken,
            SearchCriteria,
          }),
        );
        return {
          items: page.ContactFlows,
          next: page.NextToken,
          total: page.ApproximateTotalCount,
        };
      },
      describe: async (ContactFlowId) => {
        const { ContactFlow } = await this.connect.send(
          new DescribeContactFlowCommand({ InstanceId: this.instanceId, ContactFlowId }),
        );
        return ContactFlow;
      },
      reuse: async (summary, savedView) => {
        const cached = await this.options.reuse?.flow?.(summary, savedView);
        return cached && { main: cached.flow, draft: cached.draft };
      },
      differs: (draft, flow) => !sameContent(draft.Content, flow.Content),
    });
    return read.map(({ main, draft }) => (draft ? { flow: main, draft } : { flow: main }));
  }

  async modules(): Promise<RawModule[]> {
    const read = await this.withDrafts<ContactFlowModule>({
      kind: 'modules',
      operation: 'SearchContactFlowModules',
      search: async (SearchCriteria, NextToken) => {
        const page = await this.connect.send(
          new SearchContactFlowModulesCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.searchFlows,
            NextToken,
            SearchCriteria,
          }),
        );
        return {
          items: page.ContactFlowModules,
          next: page.NextToken,
          total: page.ApproximateTotalCount,
        };
      },
      describe: async (ContactFlowModuleId) => {
        const { ContactFlowModule } = await this.connect.send(
          new DescribeContactFlowModuleCommand({
            InstanceId: this.instanceId,
            ContactFlowModuleId,
          }),
        );
        return ContactFlowModule;
      },
      reuse: async (summary, savedView) => {
        const cached = await this.options.reuse?.module?.(summary, savedView);
        return cached && { main: cached.module, draft: cached.draft };
      },
      // A module draft may change its Settings (inputs, outputs, branches) alone.
      differs: (draft, module) =>
        !sameContent(draft.Content, module.Content) ||
        !sameContent(draft.Settings, module.Settings),
    });
    return read.map(({ main, draft }) => (draft ? { module: main, draft } : { module: main }));
  }

  /**
   * Flows and modules alike: search everything, and in 'search' mode search the SAVED view too;
   * describe only what came without content and was not reused; pair drafts by id. A draft only
   * counts when it differs from the published content (Status compared case-insensitively: real
   * responses spell module Status in lower case).
   */
  private async withDrafts<
    T extends { Id?: string; Name?: string; Content?: string; Status?: string },
  >(spec: DraftedKind<T>): Promise<{ main: T; draft?: T }[]> {
    const mode = this.options.draftDetection ?? 'search';
    const onPage = this.progress(spec.kind);
    const searchAll = (criteria?: SavedCriteria, report?: typeof onPage) =>
      this.pages(spec.operation, async (token) => {
        const page = await spec.search(criteria, token);
        report?.(page.items?.length ?? 0, page.total);
        this.options.onSearchPage?.(spec.kind, page.items ?? []);
        return { items: page.items ?? [], next: page.next };
      });
    const [all, saved] = await together([
      searchAll(undefined, onPage),
      mode === 'search' ? searchAll({ StatusCondition: 'SAVED' }) : undefined,
    ]);
    const savedById = new Map((saved ?? []).map((item) => [item.Id, item]));
    const uniq = uniqueById(all);
    const names = new Map(uniq.map((item) => [item.Id, (item as { Name?: string }).Name]));
    const describe = (id: string) =>
      this.run
        .call(() => spec.describe(id))
        .catch((error: unknown) => {
          const base = id.split(':')[0];
          throw tagResource(error, `${spec.kind}/${names.get(base) ?? base}`);
        });

    return this.perItem(uniq, async (summary) => {
      const id = summary.Id!;
      let main = summary;
      if (summary.Content === undefined) {
        const reused = await spec.reuse(summary, savedById.get(id));
        if (reused) return reused;
        main = (await describe(id)) ?? summary;
      }
      if (!isStatus(main.Status, 'PUBLISHED')) return { main };

      let draft: T | undefined;
      if (mode === 'describe') {
        draft = await describe(`${id}:$SAVED`);
      } else if (savedById.has(id)) {
        const view = savedById.get(id)!;
        draft = view.Content === undefined ? await describe(`${id}:$SAVED`) : view;
      }
      return draft && spec.differs(draft, main) ? { main, draft } : { main };
    });
  }

  /**
   * Quick connects are read first: ListQueueQuickConnects costs one call per queue, so it only
   * runs when the instance has any quick connect to associate.
   */
  async queuesAndQuickConnects(): Promise<{ queues: RawQueue[]; quickConnects: QuickConnectList }> {
    const onQueues = this.progress('queues');
    const onQuickConnects = this.progress('quick-connects');
    const [queues, quickConnects] = await together([
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
   * ListRoutingProfiles gives each profile's LastModifiedTime; DescribeRoutingProfile the rest
   * but its queues, which cost one ListRoutingProfileQueues each. When an earlier read is offered,
   * one search shows enough to tell which profiles are unchanged (`routingProfileListing`), and
   * only the others cost their two calls.
   */
  async routingProfiles(): Promise<RawRoutingProfile[]> {
    const onPage = this.progress('routing-profiles');
    const reuse = this.options.reuse?.routingProfile;
    const [listed, searched] = await together([
      this.pages('ListRoutingProfiles', async (NextToken) => {
        const page = await this.connect.send(
          new ListRoutingProfilesCommand({
            InstanceId: this.instanceId,
            MaxResults: PAGE.listSummaries,
            NextToken,
          }),
        );
        onPage(page.RoutingProfileSummaryList?.length ?? 0);
        return { items: page.RoutingProfileSummaryList ?? [], next: page.NextToken };
      }),
      reuse
        ? this.pages('SearchRoutingProfiles', async (NextToken) => {
            const page = await this.connect.send(
              new SearchRoutingProfilesCommand({
                InstanceId: this.instanceId,
                MaxResults: PAGE.searchRoutingProfiles,
                NextToken,
              }),
            );
            return { items: page.RoutingProfiles ?? [], next: page.NextToken };
          })
        : undefined,
    ]);
    const searchedById = new Map((searched ?? []).map((p) => [p.RoutingProfileId, p]));
    const onQueues = this.progress('routing-profile-queues');

    return this.perItem(listed, async (summary): Promise<RawRoutingProfile> => {
      const id = summary.Id;
      const found = searchedById.get(id);
      if (found && reuse) {
        const listing = routingProfileListing(
          summary.LastModifiedTime,
          found,
          found.AssociatedQueueIds ?? [],
        );
        const cached = listing && (await reuse({ ...found, ...lastModified(summary) }, listing));
        if (cached) {
          onQueues(1, listed.length);
          return cached;
        }
      }
      const [described, queueConfigs] = await together([
        this.run.call(async () => {
          const { RoutingProfile } = await this.connect.send(
            new DescribeRoutingProfileCommand({
              InstanceId: this.instanceId,
              RoutingProfileId: id,
            }),
          );
          return RoutingProfile;
        }),
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
      onQueues(1, listed.length);
      const profile: RoutingProfile = {
        RoutingProfileId: id,
        RoutingProfileArn: summary.Arn,
        Name: summary.Name,
        ...lastModified(summary),
        ...described,
      };
      const queueIds = queueConfigs.map((c) => c.QueueId).filter((q): q is string => !!q);
      const listing = routingProfileListing(summary.LastModifiedTime, profile, queueIds);
      return { profile, queueConfigs, ...(listing ? { listing } : {}) };
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

  /**
   * Bot and alias ids differ between environments, so aliases are named by bot name and alias
   * name, read from the Lex V2 models API (two calls an alias, bots cached). An alias in another
   * region, or one Lex will not describe, keeps its ids as its name: a push then says so.
   */
  async lexV2Aliases(): Promise<RawInstance['lexV2Aliases']> {
    const bots = await this.listBots('V2');
    const arns = bots.flatMap((b) => (b.LexV2Bot?.AliasArn ? [b.LexV2Bot.AliasArn] : []));
    const botNames = new Map<string, Promise<string | undefined>>();
    return Promise.all(
      arns.map(async (aliasArn) => {
        const m = LEX_V2_ALIAS.exec(aliasArn);
        if (!m || m[1] !== this.instance.region) return { aliasArn };
        const [, , , botId, botAliasId] = m;
        if (!botNames.has(botId))
          botNames.set(
            botId,
            this.lexName(() => this.describeBot(botId)),
          );
        const [botName, aliasName] = await Promise.all([
          botNames.get(botId)!,
          this.lexName(() => this.describeBotAlias(botId, botAliasId)),
        ]);
        return botName && aliasName ? { aliasArn, botName, aliasName } : { aliasArn };
      }),
    );
  }

  private async describeBot(botId: string): Promise<string | undefined> {
    return (await this.clients.lex.send(new DescribeBotCommand({ botId }))).botName;
  }

  private async describeBotAlias(botId: string, botAliasId: string): Promise<string | undefined> {
    const alias = await this.clients.lex.send(new DescribeBotAliasCommand({ botId, botAliasId }));
    return alias.botAliasName;
  }

  /** Only a bot that is gone or hidden from us falls back to ids; other failures stop the read. */
  private async lexName(read: () => Promise<string | undefined>): Promise<string | undefined> {
    try {
      return await read();
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'ResourceNotFoundException' || name === 'AccessDeniedException')
        return undefined;
      throw error;
    }
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
    await together(Array.from({ length: Math.min(PER_ITEM_CONCURRENCY, items.length) }, worker));
    return results;
  }
}

/**
 * Promise.all that waits for every promise before failing, so no call is still in flight when a
 * failure reaches the caller (who then closes the clients).
 */
async function together<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: T[K] | Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

type QuickConnectList = RawInstance['quickConnects'];

type SavedCriteria = { StatusCondition: 'SAVED' };

/** How to search, describe and compare one kind of content that has drafts. */
interface DraftedKind<T> {
  kind: 'flows' | 'modules';
  operation: string;
  search(
    criteria: SavedCriteria | undefined,
    token: string | undefined,
  ): Promise<{ items?: T[]; next?: string; total?: number }>;
  describe(id: string): Promise<T | undefined>;
  reuse(summary: T, savedView?: T): Promise<{ main: T; draft?: T } | undefined>;
  differs(draft: T, published: T): boolean;
}

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
        `The clients are set up for region ${configured}, not ${region} where ` +
          `${this.context.instance} is read.`,
        { exitCode: ExitCode.internal, data: { configured, region } },
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
        exitCode: ExitCode.aws,
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

function lastModified(summary: { LastModifiedTime?: Date; LastModifiedRegion?: string }) {
  return {
    ...(summary.LastModifiedTime ? { LastModifiedTime: summary.LastModifiedTime } : {}),
    ...(summary.LastModifiedRegion ? { LastModifiedRegion: summary.LastModifiedRegion } : {}),
  };
}

function uniqueById<T extends { Id?: string }>(items: T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (item.Id && !byId.has(item.Id)) byId.set(item.Id, item);
  return [...byId.values()];
}

/** Sorts in place by the first key that differs; plain code-unit order, like `sort()`. */
function sorted<T>(items: T[], ...keys: ((item: T) => string | undefined)[]): T[] {
  return items.sort((a, b) => {
    for (const key of keys) {
      const x = key(a) ?? '';
      const y = key(b) ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
