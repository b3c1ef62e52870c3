import { newId, optionalString, requireString, validateTags } from '../common';
import { invalidParameter, resourceInUse } from '../errors';
import { HoursConfig, HoursRecord, InstanceRecord, nowSeconds } from '../model';
import { Family, integerIn, lastModified, NAME_FIELDS, oneOf, route, tagsOut } from './shared';

const hours = new Family({
  kind: 'hours',
  label: 'Hours of operation',
  idParam: 'HoursOfOperationId',
});

const DAYS = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
] as const;

function parseConfig(value: unknown): HoursConfig[] {
  if (!Array.isArray(value) || value.length > 100) {
    throw invalidParameter('Config must be a list of at most 100 day entries.');
  }
  return value.map((entry: Record<string, unknown>, i) => {
    const time = (member: 'StartTime' | 'EndTime') => {
      const t = (entry?.[member] ?? {}) as Record<string, unknown>;
      return {
        Hours: integerIn(t.Hours, `Config[${i}].${member}.Hours`, 0, 23),
        Minutes: integerIn(t.Minutes, `Config[${i}].${member}.Minutes`, 0, 59),
      };
    };
    return {
      Day: oneOf(entry?.Day, `Config[${i}].Day`, DAYS),
      StartTime: time('StartTime'),
      EndTime: time('EndTime'),
    };
  });
}

function hoursShape(instance: InstanceRecord, record: HoursRecord) {
  return {
    HoursOfOperationId: record.Id,
    HoursOfOperationArn: hours.arn(instance, record.Id),
    Name: record.Name,
    Description: record.Description,
    TimeZone: record.TimeZone,
    Config: record.Config,
    Tags: tagsOut(record.Tags),
    ...lastModified(instance, record),
  };
}

const PATH = '/hours-of-operations/{InstanceId}';
const ITEM = `${PATH}/{HoursOfOperationId}`;

export const hoursRoutes = [
  route('PUT', PATH, 'CreateHoursOfOperation', (ctx) => {
    const instance = ctx.instance();
    const name = requireString(ctx.body, 'Name', { min: 1, max: 127 });
    const record: HoursRecord = {
      Id: newId(),
      Name: name,
      Description: optionalString(ctx.body, 'Description', { min: 1, max: 250 }),
      TimeZone: requireString(ctx.body, 'TimeZone', { min: 1 }),
      Config: parseConfig(ctx.body.Config),
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    hours.insert(ctx, instance, record, 'hours');
    return { HoursOfOperationId: record.Id, HoursOfOperationArn: hours.arn(instance, record.Id) };
  }),
  hours.describeRoute(ITEM, 'DescribeHoursOfOperation', 'HoursOfOperation', hoursShape),
  hours.listRoute(
    '/hours-of-operations-summary/{InstanceId}',
    'ListHoursOfOperations',
    'HoursOfOperationSummaryList',
    (instance, record) => hours.summary(instance, record),
  ),
  hours.searchRoute(
    '/search-hours-of-operations',
    'SearchHoursOfOperations',
    'HoursOfOperations',
    100,
    { fields: { ...NAME_FIELDS, timezone: (r) => r.TimeZone } },
    hoursShape,
  ),
  hours.updateRoute(ITEM, 'UpdateHoursOfOperation', (ctx, instance, record) => {
    const timeZone = optionalString(ctx.body, 'TimeZone', { min: 1 });
    const config = ctx.body.Config === undefined ? undefined : parseConfig(ctx.body.Config);
    hours.rename(ctx, instance, record, { max: 250 });
    if (timeZone !== undefined) record.TimeZone = timeZone;
    if (config) record.Config = config;
  }),
  hours.deleteRoute(ITEM, 'DeleteHoursOfOperation', (instance, record) => {
    const user = Object.values(instance.queues).find((q) => q.HoursOfOperationId === record.Id);
    return user
      ? resourceInUse(
          `Hours of operation ${record.Id} is used by queue ${user.Id}.`,
          'QUEUE',
          user.Id,
        )
      : undefined;
  }),
];
