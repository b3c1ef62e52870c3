import {
  ConnectClient,
  DescribeContactFlowCommand,
  DescribeContactFlowModuleCommand,
  DescribeInstanceCommand,
  ListContactFlowModulesCommand,
  ListContactFlowsCommand,
  ListQueueQuickConnectsCommand,
  ListRoutingProfileQueuesCommand,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  SearchHoursOfOperationsCommand,
  SearchPromptsCommand,
  SearchQueuesCommand,
  SearchQuickConnectsCommand,
  SearchRoutingProfilesCommand,
  DescribeRoutingProfileCommand,
  type RoutingProfileQueueConfigSummary,
} from '@aws-sdk/client-connect';
import type { RawInstance } from '../../src/core/raw';

/**
 * A plain, sequential read of an emulator instance into the RawInstance shape, for tests that
 * need the instance as it is after a push (the real reader is src/connect/reader.ts).
 */
export async function readRaw(client: ConnectClient, instanceId: string): Promise<RawInstance> {
  const described = await client.send(new DescribeInstanceCommand({ InstanceId: instanceId }));
  const arn = described.Instance!.Arn!;
  const [, , , region, account] = arn.split(':');
  const id = { InstanceId: instanceId };

  const all = async <T>(page: (token?: string) => Promise<{ items?: T[]; next?: string }>) => {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const p = await page(token);
      out.push(...(p.items ?? []));
      token = p.next || undefined;
    } while (token);
    return out;
  };

  const flows = [];
  const summaries = await all((NextToken) =>
    client
      .send(new ListContactFlowsCommand({ ...id, NextToken }))
      .then((r) => ({ items: r.ContactFlowSummaryList, next: r.NextToken })),
  );
  for (const s of summaries) {
    const flow = (await client.send(new DescribeContactFlowCommand({ ...id, ContactFlowId: s.Id })))
      .ContactFlow!;
    const saved = (
      await client.send(new DescribeContactFlowCommand({ ...id, ContactFlowId: `${s.Id}:$SAVED` }))
    ).ContactFlow!;
    flows.push(saved.Content !== flow.Content ? { flow, draft: saved } : { flow });
  }

  const modules = [];
  const moduleSummaries = await all((NextToken) =>
    client
      .send(new ListContactFlowModulesCommand({ ...id, NextToken }))
      .then((r) => ({ items: r.ContactFlowModulesSummaryList, next: r.NextToken })),
  );
  for (const s of moduleSummaries) {
    const module = (
      await client.send(new DescribeContactFlowModuleCommand({ ...id, ContactFlowModuleId: s.Id }))
    ).ContactFlowModule!;
    modules.push({ module });
  }

  const queues = [];
  for (const queue of await all((NextToken) =>
    client
      .send(new SearchQueuesCommand({ ...id, NextToken }))
      .then((r) => ({ items: r.Queues, next: r.NextToken })),
  )) {
    const quickConnects = await all((NextToken) =>
      client
        .send(new ListQueueQuickConnectsCommand({ ...id, QueueId: queue.QueueId, NextToken }))
        .then((r) => ({ items: r.QuickConnectSummaryList, next: r.NextToken })),
    );
    queues.push({ queue, quickConnectIds: quickConnects.map((q) => q.Id!) });
  }

  const routingProfiles = [];
  for (const found of await all((NextToken) =>
    client
      .send(new SearchRoutingProfilesCommand({ ...id, NextToken }))
      .then((r) => ({ items: r.RoutingProfiles, next: r.NextToken })),
  )) {
    const profile = (
      await client.send(
        new DescribeRoutingProfileCommand({ ...id, RoutingProfileId: found.RoutingProfileId }),
      )
    ).RoutingProfile!;
    const queueConfigs: RoutingProfileQueueConfigSummary[] = await all((NextToken) =>
      client
        .send(
          new ListRoutingProfileQueuesCommand({
            ...id,
            RoutingProfileId: found.RoutingProfileId,
            NextToken,
          }),
        )
        .then((r) => ({ items: r.RoutingProfileQueueConfigSummaryList, next: r.NextToken })),
    );
    routingProfiles.push({ profile, queueConfigs });
  }

  return {
    instance: {
      id: instanceId,
      arn,
      alias: described.Instance!.InstanceAlias ?? '',
      region,
      account,
    },
    hours: await all((NextToken) =>
      client
        .send(new SearchHoursOfOperationsCommand({ ...id, NextToken }))
        .then((r) => ({ items: r.HoursOfOperations, next: r.NextToken })),
    ),
    queues,
    agentQueues: [],
    routingProfiles,
    flows,
    modules,
    prompts: await all((NextToken) =>
      client
        .send(new SearchPromptsCommand({ ...id, NextToken }))
        .then((r) => ({ items: r.Prompts, next: r.NextToken })),
    ),
    quickConnects: await all((NextToken) =>
      client
        .send(new SearchQuickConnectsCommand({ ...id, NextToken }))
        .then((r) => ({ items: r.QuickConnects, next: r.NextToken })),
    ),
    users: await all((NextToken) =>
      client
        .send(new ListUsersCommand({ ...id, NextToken }))
        .then((r) => ({ items: r.UserSummaryList, next: r.NextToken })),
    ),
    securityProfiles: await all((NextToken) =>
      client
        .send(new ListSecurityProfilesCommand({ ...id, NextToken }))
        .then((r) => ({ items: r.SecurityProfileSummaryList, next: r.NextToken })),
    ),
    lambdaFunctions: [],
    lexBots: [],
    lexV2Aliases: [],
  };
}
