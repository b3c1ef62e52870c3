import { newId, optionalString, requireString, validateTags } from '../common';
import { invalidParameter } from '../errors';
import { InstanceRecord, nowSeconds, QuickConnectRecord } from '../model';
import {
  Family,
  lastModified,
  NAME_FIELDS,
  oneOf,
  requireReference,
  route,
  tagsOut,
} from './shared';

export const quickConnects = new Family({
  kind: 'quickConnect',
  label: 'Quick connect',
  idParam: 'QuickConnectId',
});

type Config = QuickConnectRecord['QuickConnectConfig'];
const TYPES = ['USER', 'QUEUE', 'PHONE_NUMBER', 'FLOW'] as const;
const E164 = /^\+[1-9]\d{1,14}$/;

/** Each type carries its own sub-config; every id in it must exist in the instance. */
function parseConfig(instance: InstanceRecord, value: unknown): Config {
  if (!value || typeof value !== 'object')
    throw invalidParameter('QuickConnectConfig is required.');
  const raw = value as Record<string, Record<string, unknown> | undefined>;
  const type = oneOf(raw.QuickConnectType, 'QuickConnectConfig.QuickConnectType', TYPES);
  const sub = (member: string) => {
    const config = raw[member];
    if (!config) throw invalidParameter(`QuickConnectConfig.${member} is required for ${type}.`);
    return config;
  };
  const flow = (config: Record<string, unknown>) =>
    requireReference(instance, 'flow', config.ContactFlowId, 'ContactFlowId').Id;
  switch (type) {
    case 'USER': {
      const config = sub('UserConfig');
      const user = requireReference(instance, 'user', config.UserId, 'UserId');
      return {
        QuickConnectType: type,
        UserConfig: { UserId: user.Id, ContactFlowId: flow(config) },
      };
    }
    case 'QUEUE': {
      const config = sub('QueueConfig');
      const queue = requireReference(instance, 'queue', config.QueueId, 'QueueId');
      return {
        QuickConnectType: type,
        QueueConfig: { QueueId: queue.Id, ContactFlowId: flow(config) },
      };
    }
    case 'PHONE_NUMBER': {
      const number = sub('PhoneConfig').PhoneNumber;
      if (typeof number !== 'string' || !E164.test(number)) {
        throw invalidParameter(
          'PhoneConfig.PhoneNumber must be an E.164 number such as +15555550100.',
        );
      }
      return { QuickConnectType: type, PhoneConfig: { PhoneNumber: number } };
    }
    case 'FLOW':
      return { QuickConnectType: type, FlowConfig: { ContactFlowId: flow(sub('FlowConfig')) } };
  }
}

export function quickConnectSummary(instance: InstanceRecord, record: QuickConnectRecord) {
  return {
    ...quickConnects.summary(instance, record),
    QuickConnectType: record.QuickConnectConfig.QuickConnectType,
  };
}

function quickConnectShape(instance: InstanceRecord, record: QuickConnectRecord) {
  return {
    QuickConnectARN: quickConnects.arn(instance, record.Id),
    QuickConnectId: record.Id,
    Name: record.Name,
    Description: record.Description,
    QuickConnectConfig: record.QuickConnectConfig,
    Tags: tagsOut(record.Tags),
    ...lastModified(instance, record),
  };
}

const PATH = '/quick-connects/{InstanceId}';
const ITEM = `${PATH}/{QuickConnectId}`;

export const quickConnectRoutes = [
  route('PUT', PATH, 'CreateQuickConnect', (ctx) => {
    const instance = ctx.instance();
    const name = requireString(ctx.body, 'Name', { min: 1, max: 127 });
    const record: QuickConnectRecord = {
      Id: newId(),
      Name: name,
      Description: optionalString(ctx.body, 'Description', { min: 1, max: 250 }),
      QuickConnectConfig: parseConfig(instance, ctx.body.QuickConnectConfig),
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    quickConnects.insert(ctx, instance, record, 'quickConnects');
    return { QuickConnectARN: quickConnects.arn(instance, record.Id), QuickConnectId: record.Id };
  }),
  quickConnects.describeRoute(ITEM, 'DescribeQuickConnect', 'QuickConnect', quickConnectShape),
  quickConnects.listRoute(
    PATH,
    'ListQuickConnects',
    'QuickConnectSummaryList',
    quickConnectSummary,
    // The one List query member the model leaves PascalCase.
    (ctx, record) => {
      const types = ctx.query.getAll('QuickConnectTypes');
      return types.length === 0 || types.includes(record.QuickConnectConfig.QuickConnectType);
    },
  ),
  quickConnects.searchRoute(
    '/search-quick-connects',
    'SearchQuickConnects',
    'QuickConnects',
    100,
    { fields: NAME_FIELDS },
    quickConnectShape,
  ),
  quickConnects.updateRoute(`${ITEM}/name`, 'UpdateQuickConnectName', (ctx, instance, record) => {
    quickConnects.rename(ctx, instance, record, { max: 250 });
  }),
  quickConnects.updateRoute(
    `${ITEM}/config`,
    'UpdateQuickConnectConfig',
    (ctx, instance, record) => {
      record.QuickConnectConfig = parseConfig(instance, ctx.body.QuickConnectConfig);
    },
  ),
  // Queues drop a deleted quick connect rather than blocking the delete.
  quickConnects.deleteRoute(ITEM, 'DeleteQuickConnect', undefined, (instance, id) => {
    for (const queue of Object.values(instance.queues)) {
      queue.QuickConnectIds = queue.QuickConnectIds.filter((q) => q !== id);
    }
  }),
];
