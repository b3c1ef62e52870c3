import { newId, paginate, queryPage, requireString, validateTags } from '../common';
import { ApiError, invalidParameter, resourceInUse, serviceQuotaExceeded } from '../errors';
import {
  InstanceRecord,
  MediaConcurrency,
  nowSeconds,
  resourceArn,
  RoutingProfileQueueConfig,
  RoutingProfileRecord,
} from '../model';
import type { RequestContext } from '../router';
import {
  Family,
  integerIn,
  lastModified,
  NAME_FIELDS,
  oneOf,
  requireReference,
  route,
  tagsOut,
} from './shared';

const profiles = new Family({
  kind: 'routingProfile',
  label: 'Routing profile',
  idParam: 'RoutingProfileId',
});

const CHANNELS = ['VOICE', 'CHAT', 'TASK', 'EMAIL'] as const;
const TIMERS = ['TIME_SINCE_LAST_ACTIVITY', 'TIME_SINCE_LAST_INBOUND'] as const;
/** "You can add up to 10 queues per request" on every queue-config operation. */
const PER_CALL = 10;

type PairKey = string;
const pairKey = (queueId: string, channel: string): PairKey => `${queueId}\u0000${channel}`;

function listOf(value: unknown, member: string, required: boolean): Record<string, unknown>[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) throw invalidParameter(`${member} must be a list.`);
  if (value.length > PER_CALL) {
    throw invalidParameter(`${member} can hold at most ${PER_CALL} entries a call.`);
  }
  return value as Record<string, unknown>[];
}

/** `{QueueId, Channel}` references, each naming an existing queue, without repeats. */
function queueReferences(instance: InstanceRecord, items: unknown[], member: string) {
  const seen = new Set<PairKey>();
  return items.map((item, i) => {
    const ref = (item ?? {}) as Record<string, unknown>;
    const queue = requireReference(instance, 'queue', ref.QueueId, `${member}[${i}].QueueId`);
    const channel = oneOf(ref.Channel, `${member}[${i}].Channel`, CHANNELS);
    const key = pairKey(queue.Id, channel);
    if (seen.has(key))
      throw invalidParameter(`${member} names queue ${queue.Id} on ${channel} twice.`);
    seen.add(key);
    return { QueueId: queue.Id, Channel: channel };
  });
}

function queueConfigs(instance: InstanceRecord, value: unknown, required: boolean) {
  const items = listOf(value, 'QueueConfigs', required);
  const refs = queueReferences(
    instance,
    items.map((c) => c.QueueReference),
    'QueueConfigs.QueueReference',
  );
  return refs.map((ref, i): RoutingProfileQueueConfig => ({
    ...ref,
    Priority: integerIn(items[i].Priority, `QueueConfigs[${i}].Priority`, 1, 99),
    Delay: integerIn(items[i].Delay, `QueueConfigs[${i}].Delay`, 0, 9999),
  }));
}

function mediaConcurrencies(value: unknown): MediaConcurrency[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidParameter('MediaConcurrencies is required.');
  }
  return value.map((item: Record<string, unknown>, i) => {
    const channel = oneOf(item?.Channel, `MediaConcurrencies[${i}].Channel`, CHANNELS);
    const max = channel === 'VOICE' ? 1 : 10;
    const concurrency = integerIn(item.Concurrency, `MediaConcurrencies[${i}].Concurrency`, 1, max);
    const behavior = item.CrossChannelBehavior as { BehaviorType?: unknown } | undefined;
    return {
      Channel: channel,
      Concurrency: concurrency,
      CrossChannelBehavior: {
        BehaviorType: oneOf(
          behavior?.BehaviorType ?? 'ROUTE_CURRENT_CHANNEL_ONLY',
          `MediaConcurrencies[${i}].CrossChannelBehavior.BehaviorType`,
          ['ROUTE_CURRENT_CHANNEL_ONLY', 'ROUTE_ANY_CHANNEL'],
        ),
      },
    };
  });
}

/** Routing profiles hold at most `queuesPerRoutingProfile` queue x channel pairs in total. */
function assertPairQuota(ctx: RequestContext, count: number): void {
  const quota = ctx.emulator.options.quotas.queuesPerRoutingProfile;
  if (count > quota) {
    throw serviceQuotaExceeded(
      `A routing profile can hold at most ${quota} queue and channel pairs.`,
    );
  }
}

function distinctQueues(record: RoutingProfileRecord): string[] {
  return [...new Set(record.QueueConfigs.map((c) => c.QueueId))];
}

function baseShape(instance: InstanceRecord, record: RoutingProfileRecord) {
  return {
    InstanceId: instance.Id,
    Name: record.Name,
    RoutingProfileArn: profiles.arn(instance, record.Id),
    RoutingProfileId: record.Id,
    Description: record.Description,
    DefaultOutboundQueueId: record.DefaultOutboundQueueId,
    Tags: tagsOut(record.Tags),
    NumberOfAssociatedQueues: distinctQueues(record).length,
    NumberOfAssociatedUsers: Object.values(instance.users).filter(
      (u) => u.RoutingProfileId === record.Id,
    ).length,
    IsDefault: record.IsDefault,
  };
}

/** Describe leaves AssociatedQueueIds out, as the API reference says it does. */
function describeShape(instance: InstanceRecord, record: RoutingProfileRecord) {
  return {
    ...baseShape(instance, record),
    MediaConcurrencies: record.MediaConcurrencies,
    AgentAvailabilityTimer: record.AgentAvailabilityTimer,
    ...lastModified(instance, record),
  };
}

/**
 * Search fills AssociatedQueueIds but omits LastModified*, AgentAvailabilityTimer and each
 * concurrency's CrossChannelBehavior (documented on SearchRoutingProfiles).
 */
function searchShape(instance: InstanceRecord, record: RoutingProfileRecord) {
  return {
    ...baseShape(instance, record),
    MediaConcurrencies: record.MediaConcurrencies.map((m) => ({
      Channel: m.Channel,
      Concurrency: m.Concurrency,
    })),
    AssociatedQueueIds: distinctQueues(record),
  };
}

const PATH = '/routing-profiles/{InstanceId}';
const ITEM = `${PATH}/{RoutingProfileId}`;

export const routingProfileRoutes = [
  route('PUT', PATH, 'CreateRoutingProfile', (ctx) => {
    const instance = ctx.instance();
    const name = requireString(ctx.body, 'Name', { min: 1, max: 127 });
    const record: RoutingProfileRecord = {
      Id: newId(),
      Name: name,
      Description: requireString(ctx.body, 'Description', { min: 1, max: 250 }),
      DefaultOutboundQueueId: requireReference(
        instance,
        'queue',
        ctx.body.DefaultOutboundQueueId,
        'DefaultOutboundQueueId',
      ).Id,
      MediaConcurrencies: mediaConcurrencies(ctx.body.MediaConcurrencies),
      QueueConfigs: queueConfigs(instance, ctx.body.QueueConfigs, false),
      AgentAvailabilityTimer:
        ctx.body.AgentAvailabilityTimer === undefined
          ? 'TIME_SINCE_LAST_ACTIVITY'
          : oneOf(ctx.body.AgentAvailabilityTimer, 'AgentAvailabilityTimer', TIMERS),
      IsDefault: false,
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    assertPairQuota(ctx, record.QueueConfigs.length);
    profiles.insert(ctx, instance, record, 'routingProfiles');
    return { RoutingProfileArn: profiles.arn(instance, record.Id), RoutingProfileId: record.Id };
  }),
  profiles.describeRoute(ITEM, 'DescribeRoutingProfile', 'RoutingProfile', describeShape),
  profiles.listRoute(
    '/routing-profiles-summary/{InstanceId}',
    'ListRoutingProfiles',
    'RoutingProfileSummaryList',
    (instance, record) => profiles.summary(instance, record),
  ),
  profiles.searchRoute(
    '/search-routing-profiles',
    'SearchRoutingProfiles',
    'RoutingProfiles',
    500,
    { fields: { ...NAME_FIELDS, associatedQueueIds: distinctQueues } },
    searchShape,
  ),
  route('GET', `${ITEM}/queues`, 'ListRoutingProfileQueues', (ctx) => {
    const { instance, record } = profiles.get(ctx);
    const rows = record.QueueConfigs.map((c) => ({
      QueueId: c.QueueId,
      QueueArn: resourceArn(instance, 'queue', c.QueueId),
      QueueName: instance.queues[c.QueueId]?.Name,
      Priority: c.Priority,
      Delay: c.Delay,
      Channel: c.Channel,
    }));
    const { page, nextToken } = paginate(ctx, rows, { max: 100, defaultPage: 100 }, queryPage(ctx));
    return {
      RoutingProfileQueueConfigSummaryList: page,
      NextToken: nextToken,
      ...lastModified(instance, record),
    };
  }),
  profiles.updateRoute(
    `${ITEM}/associate-queues`,
    'AssociateRoutingProfileQueues',
    (ctx, instance, record) => {
      const configs = queueConfigs(instance, ctx.body.QueueConfigs, false);
      const existing = new Set(record.QueueConfigs.map((c) => pairKey(c.QueueId, c.Channel)));
      const again = configs.find((c) => existing.has(pairKey(c.QueueId, c.Channel)));
      if (again) {
        throw invalidParameter(`Queue ${again.QueueId} is already associated on ${again.Channel}.`);
      }
      assertPairQuota(ctx, record.QueueConfigs.length + configs.length);
      record.QueueConfigs.push(...configs);
    },
  ),
  profiles.updateRoute(
    `${ITEM}/disassociate-queues`,
    'DisassociateRoutingProfileQueues',
    (ctx, instance, record) => {
      const items = listOf(ctx.body.QueueReferences, 'QueueReferences', false);
      const gone = new Set(
        queueReferences(instance, items, 'QueueReferences').map((r) =>
          pairKey(r.QueueId, r.Channel),
        ),
      );
      record.QueueConfigs = record.QueueConfigs.filter(
        (c) => !gone.has(pairKey(c.QueueId, c.Channel)),
      );
    },
  ),
  profiles.updateRoute(`${ITEM}/queues`, 'UpdateRoutingProfileQueues', (ctx, instance, record) => {
    const configs = queueConfigs(instance, ctx.body.QueueConfigs, true);
    const current = new Map(record.QueueConfigs.map((c) => [pairKey(c.QueueId, c.Channel), c]));
    const missing = configs.find((c) => !current.has(pairKey(c.QueueId, c.Channel)));
    if (missing) {
      throw invalidParameter(
        `Queue ${missing.QueueId} is not associated on ${missing.Channel}; associate it first.`,
      );
    }
    for (const config of configs)
      Object.assign(current.get(pairKey(config.QueueId, config.Channel))!, config);
  }),
  profiles.updateRoute(`${ITEM}/name`, 'UpdateRoutingProfileName', (ctx, instance, record) => {
    profiles.rename(ctx, instance, record, { min: 1, max: 250 });
  }),
  profiles.updateRoute(
    `${ITEM}/concurrency`,
    'UpdateRoutingProfileConcurrency',
    (ctx, _instance, record) => {
      record.MediaConcurrencies = mediaConcurrencies(ctx.body.MediaConcurrencies);
    },
  ),
  profiles.updateRoute(
    `${ITEM}/default-outbound-queue`,
    'UpdateRoutingProfileDefaultOutboundQueue',
    (ctx, instance, record) => {
      const id = ctx.body.DefaultOutboundQueueId;
      record.DefaultOutboundQueueId = requireReference(
        instance,
        'queue',
        id,
        'DefaultOutboundQueueId',
      ).Id;
    },
  ),
  profiles.updateRoute(
    `${ITEM}/agent-availability-timer`,
    'UpdateRoutingProfileAgentAvailabilityTimer',
    (ctx, _i, record) => {
      record.AgentAvailabilityTimer = oneOf(
        ctx.body.AgentAvailabilityTimer,
        'AgentAvailabilityTimer',
        TIMERS,
      );
    },
  ),
  profiles.deleteRoute(ITEM, 'DeleteRoutingProfile', (instance, record): ApiError | undefined => {
    const user = Object.values(instance.users).find((u) => u.RoutingProfileId === record.Id);
    if (user) {
      return resourceInUse(
        `Routing profile ${record.Id} is assigned to user ${user.Id}.`,
        'USER',
        user.Id,
      );
    }
    return record.IsDefault
      ? resourceInUse(
          `Routing profile ${record.Id} is the instance default.`,
          'INSTANCE',
          instance.Id,
        )
      : undefined;
  }),
];
