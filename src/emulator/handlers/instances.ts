import { byId, paginate, queryPage, validateTags, tagsOut } from '../common';
import { invalidParameter } from '../errors';
import { createInstance } from '../instances';
import { InstanceRecord, instanceArn } from '../model';
import type { Route } from '../router';

function instanceShape(instance: InstanceRecord) {
  return {
    Id: instance.Id,
    Arn: instanceArn(instance),
    IdentityManagementType: instance.IdentityManagementType,
    InstanceAlias: instance.Alias,
    CreatedTime: instance.CreatedTime,
    ServiceRole:
      `arn:aws:iam::${instance.Account}:role/aws-service-role/connect.amazonaws.com/` +
      `AWSServiceRoleForAmazonConnect_${instance.Id.slice(0, 8)}`,
    InstanceStatus: 'ACTIVE',
    InboundCallsEnabled: instance.InboundCallsEnabled,
    OutboundCallsEnabled: instance.OutboundCallsEnabled,
    InstanceAccessUrl: `https://${instance.Alias}.my.connect.aws`,
  };
}

export const instanceRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/instance',
    operation: 'CreateInstance',
    handler: (ctx) => {
      const { IdentityManagementType, InstanceAlias, InboundCallsEnabled, OutboundCallsEnabled } =
        ctx.body;
      if (typeof IdentityManagementType !== 'string') {
        throw invalidParameter('IdentityManagementType is required.');
      }
      if (typeof InboundCallsEnabled !== 'boolean' || typeof OutboundCallsEnabled !== 'boolean') {
        throw invalidParameter('InboundCallsEnabled and OutboundCallsEnabled are required.');
      }
      const instance = createInstance(ctx.state, {
        alias: typeof InstanceAlias === 'string' ? InstanceAlias : undefined,
        account: ctx.account,
        region: ctx.region,
        identityManagementType: IdentityManagementType,
        inboundCallsEnabled: InboundCallsEnabled,
        outboundCallsEnabled: OutboundCallsEnabled,
        tags: validateTags(ctx.body.Tags),
      });
      return { Id: instance.Id, Arn: instanceArn(instance) };
    },
  },
  {
    method: 'GET',
    path: '/instance/{InstanceId}',
    operation: 'DescribeInstance',
    handler: (ctx) => {
      const instance = ctx.instance();
      return { Instance: { ...instanceShape(instance), Tags: tagsOut(instance.Tags) } };
    },
  },
  {
    method: 'GET',
    path: '/instance',
    operation: 'ListInstances',
    handler: (ctx) => {
      // Instances belong to one account and region. Dummy keys that name no account see every
      // account's instances in the region, so `aws connect list-instances` finds a seeded one.
      const mine = byId(ctx.state.instances).filter(
        (i) => i.Region === ctx.region && (!ctx.keyAccount || i.Account === ctx.keyAccount),
      );
      const { page, nextToken } = paginate(ctx, mine, { max: 10, defaultPage: 10 }, queryPage(ctx));
      return { InstanceSummaryList: page.map(instanceShape), NextToken: nextToken };
    },
  },
];
