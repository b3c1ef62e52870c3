import { newId, optionalString, paginate, queryPage, requireString, validateTags } from '../common';
import { invalidParameter, resourceInUse } from '../errors';
import { InstanceRecord, nowSeconds, QueueRecord, resourceArn, UserRecord } from '../model';
import { quickConnectSummary } from './quick-connects';
import {
  Family,
  integerIn,
  lastModified,
  LIST_LIMITS,
  NAME_FIELDS,
  oneOf,
  requireReference,
  route,
  tagsOut,
} from './shared';

export const queues = new Family({ kind: 'queue', label: 'Queue', idParam: 'QueueId' });

function queueShape(instance: InstanceRecord, record: QueueRecord) {
  return {
    Name: record.Name,
    QueueArn: queues.arn(instance, record.Id),
    QueueId: record.Id,
    Description: record.Description,
    OutboundCallerConfig: record.OutboundCallerConfig,
    OutboundEmailConfig: record.OutboundEmailConfig,
    HoursOfOperationId: record.HoursOfOperationId,
    MaxContacts: record.MaxContacts,
    Status: record.Status,
    Tags: tagsOut(record.Tags),
    ...lastModified(instance, record),
  };
}

/** Every user has an agent queue: no name, id = user id, ARN `.../queue/agent/{userId}`. */
function agentQueueSummary(instance: InstanceRecord, user: UserRecord) {
  return {
    Id: user.Id,
    Arn: resourceArn(instance, 'agentQueue', user.Id),
    QueueType: 'AGENT',
    ...lastModified(instance, user),
  };
}

function outboundCallerConfig(instance: InstanceRecord, value: unknown) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw invalidParameter('OutboundCallerConfig must be an object.');
  const config = value as NonNullable<QueueRecord['OutboundCallerConfig']>;
  optionalString(config, 'OutboundCallerIdName', { min: 1, max: 255 });
  if (config.OutboundFlowId !== undefined) {
    requireReference(instance, 'flow', config.OutboundFlowId, 'OutboundFlowId');
  }
  return { ...config };
}

function quickConnectIds(instance: InstanceRecord, value: unknown, max: number): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) {
    throw invalidParameter(`QuickConnectIds must be a list of at most ${max} ids.`);
  }
  return [
    ...new Set(
      value.map((id) => requireReference(instance, 'quickConnect', id, 'Quick connect').Id),
    ),
  ];
}

const PATH = '/queues/{InstanceId}';
const ITEM = `${PATH}/{QueueId}`;
const QUEUE_TYPES = ['STANDARD', 'AGENT'] as const;

export const queueRoutes = [
  route('PUT', PATH, 'CreateQueue', (ctx) => {
    const instance = ctx.instance();
    const name = requireString(ctx.body, 'Name', { min: 1, max: 127 });
    const record: QueueRecord = {
      Id: newId(),
      Name: name,
      QueueType: 'STANDARD',
      Description: optionalString(ctx.body, 'Description', { min: 1, max: 250 }),
      HoursOfOperationId: requireReference(
        instance,
        'hours',
        ctx.body.HoursOfOperationId,
        'HoursOfOperationId',
      ).Id,
      MaxContacts:
        ctx.body.MaxContacts === undefined
          ? undefined
          : integerIn(ctx.body.MaxContacts, 'MaxContacts', 0, 1_000_000),
      Status: 'ENABLED',
      OutboundCallerConfig: outboundCallerConfig(instance, ctx.body.OutboundCallerConfig),
      OutboundEmailConfig: ctx.body.OutboundEmailConfig as QueueRecord['OutboundEmailConfig'],
      QuickConnectIds: quickConnectIds(instance, ctx.body.QuickConnectIds, 50),
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    queues.insert(ctx, instance, record, 'queues');
    return { QueueArn: queues.arn(instance, record.Id), QueueId: record.Id };
  }),
  queues.describeRoute(ITEM, 'DescribeQueue', 'Queue', queueShape),
  route('GET', '/queues-summary/{InstanceId}', 'ListQueues', (ctx) => {
    const instance = ctx.instance();
    const types = ctx.query.getAll('queueTypes').map((t) => oneOf(t, 'queueTypes', QUEUE_TYPES));
    const wants = (type: string) => types.length === 0 || types.includes(type as 'STANDARD');
    const rows = [
      ...(wants('STANDARD')
        ? queues
            .all(instance)
            .map((q) => ({ ...queues.summary(instance, q), QueueType: 'STANDARD' }))
        : []),
      ...(wants('AGENT')
        ? Object.values(instance.users).map((u) => agentQueueSummary(instance, u))
        : []),
    ].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
    const { page, nextToken } = paginate(ctx, rows, LIST_LIMITS, queryPage(ctx));
    return { QueueSummaryList: page, NextToken: nextToken };
  }),
  queues.searchRoute(
    '/search-queues',
    'SearchQueues',
    'Queues',
    500,
    {
      fields: NAME_FIELDS,
      leaves: {
        // Agent queues are not searchable, so STANDARD is the only type the condition accepts.
        QueueTypeCondition: (record, value) => {
          oneOf(value, 'QueueTypeCondition', ['STANDARD']);
          return record.QueueType === 'STANDARD';
        },
      },
    },
    queueShape,
  ),
  queues.updateRoute(`${ITEM}/name`, 'UpdateQueueName', (ctx, instance, record) => {
    queues.rename(ctx, instance, record, { max: 250 });
  }),
  queues.updateRoute(
    `${ITEM}/hours-of-operation`,
    'UpdateQueueHoursOfOperation',
    (ctx, instance, record) => {
      const id = ctx.body.HoursOfOperationId;
      record.HoursOfOperationId = requireReference(instance, 'hours', id, 'HoursOfOperationId').Id;
    },
  ),
  queues.updateRoute(`${ITEM}/max-contacts`, 'UpdateQueueMaxContacts', (ctx, _instance, record) => {
    record.MaxContacts =
      ctx.body.MaxContacts === undefined
        ? undefined
        : integerIn(ctx.body.MaxContacts, 'MaxContacts', 0, 1_000_000);
  }),
  queues.updateRoute(
    `${ITEM}/outbound-caller-config`,
    'UpdateQueueOutboundCallerConfig',
    (ctx, instance, record) => {
      const config = outboundCallerConfig(instance, ctx.body.OutboundCallerConfig);
      if (!config) throw invalidParameter('OutboundCallerConfig is required.');
      record.OutboundCallerConfig = config;
    },
  ),
  queues.updateRoute(`${ITEM}/status`, 'UpdateQueueStatus', (ctx, _instance, record) => {
    record.Status = oneOf(ctx.body.Status, 'Status', ['ENABLED', 'DISABLED'] as const);
  }),
  route('GET', `${ITEM}/quick-connects`, 'ListQueueQuickConnects', (ctx) => {
    const { instance, record } = queues.get(ctx);
    const rows = record.QuickConnectIds.map((id) => instance.quickConnects[id])
      .filter((qc) => qc !== undefined)
      .map((qc) => quickConnectSummary(instance, qc));
    const { page, nextToken } = paginate(ctx, rows, { max: 100, defaultPage: 100 }, queryPage(ctx));
    return {
      QuickConnectSummaryList: page,
      NextToken: nextToken,
      ...lastModified(instance, record),
    };
  }),
  queues.updateRoute(
    `${ITEM}/associate-quick-connects`,
    'AssociateQueueQuickConnects',
    (ctx, instance, record) => {
      const ids = quickConnectIds(instance, ctx.body.QuickConnectIds, 50);
      if (ids.length === 0) throw invalidParameter('QuickConnectIds must name at least one.');
      record.QuickConnectIds = [...new Set([...record.QuickConnectIds, ...ids])];
    },
  ),
  queues.updateRoute(
    `${ITEM}/disassociate-quick-connects`,
    'DisassociateQueueQuickConnects',
    (ctx, instance, record) => {
      const ids = quickConnectIds(instance, ctx.body.QuickConnectIds, 50);
      record.QuickConnectIds = record.QuickConnectIds.filter((id) => !ids.includes(id));
    },
  ),
  queues.deleteRoute(ITEM, 'DeleteQueue', (instance, record) => {
    const profile = Object.values(instance.routingProfiles).find(
      (p) =>
        p.DefaultOutboundQueueId === record.Id ||
        p.QueueConfigs.some((c) => c.QueueId === record.Id),
    );
    if (profile) {
      return resourceInUse(
        `Queue ${record.Id} is used by routing profile ${profile.Id}.`,
        'ROUTING_PROFILE',
        profile.Id,
      );
    }
    const quickConnect = Object.values(instance.quickConnects).find(
      (qc) => qc.QuickConnectConfig.QueueConfig?.QueueId === record.Id,
    );
    return quickConnect
      ? resourceInUse(
          `Queue ${record.Id} is the target of quick connect ${quickConnect.Id}.`,
          'QUICK_CONNECT',
          quickConnect.Id,
        )
      : undefined;
  }),
];
