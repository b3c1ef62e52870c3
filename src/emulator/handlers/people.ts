/**
 * Security profiles and users: enough to give an instance agents (and so agent queues) and to
 * resolve the user and security-profile ARNs flows and quick connects hold.
 */
import { newId, optionalString, requireString, validateTags, assertUniqueName } from '../common';
import { invalidParameter } from '../errors';
import { InstanceRecord, nowSeconds, SecurityProfileRecord, UserRecord } from '../model';
import { Family, lastModified, NAME_FIELDS, requireReference, route, tagsOut } from './shared';

const securityProfiles = new Family({
  kind: 'securityProfile',
  label: 'Security profile',
  idParam: 'SecurityProfileId',
});
const users = new Family({ kind: 'user', label: 'User', idParam: 'UserId' });

/** Search summaries carry no LastModified* members. */
function securityProfileSearchShape(instance: InstanceRecord, record: SecurityProfileRecord) {
  return {
    Id: record.Id,
    OrganizationResourceId: instance.Id,
    Arn: securityProfiles.arn(instance, record.Id),
    SecurityProfileName: record.Name,
    Description: record.Description,
    Tags: tagsOut(record.Tags),
  };
}

function securityProfileShape(instance: InstanceRecord, record: SecurityProfileRecord) {
  return { ...securityProfileSearchShape(instance, record), ...lastModified(instance, record) };
}

function userShape(instance: InstanceRecord, record: UserRecord) {
  return {
    Id: record.Id,
    Arn: users.arn(instance, record.Id),
    Username: record.Username,
    IdentityInfo: record.IdentityInfo,
    PhoneConfig: record.PhoneConfig,
    SecurityProfileIds: record.SecurityProfileIds,
    RoutingProfileId: record.RoutingProfileId,
    Tags: tagsOut(record.Tags),
    ...lastModified(instance, record),
  };
}

const USERNAME = /^[a-zA-Z0-9_\-.@]+$/;
const PHONE_TYPES = ['SOFT_PHONE', 'DESK_PHONE'];

export const peopleRoutes = [
  securityProfiles.listRoute(
    '/security-profiles-summary/{InstanceId}',
    'ListSecurityProfiles',
    'SecurityProfileSummaryList',
    (i, r) => securityProfiles.summary(i, r),
  ),
  securityProfiles.describeRoute(
    '/security-profiles/{InstanceId}/{SecurityProfileId}',
    'DescribeSecurityProfile',
    'SecurityProfile',
    securityProfileShape,
  ),
  securityProfiles.searchRoute(
    '/search-security-profiles',
    'SearchSecurityProfiles',
    'SecurityProfiles',
    100,
    { fields: { ...NAME_FIELDS, securityprofilename: (r) => r.Name } },
    securityProfileSearchShape,
  ),
  route('PUT', '/users/{InstanceId}', 'CreateUser', (ctx) => {
    const instance = ctx.instance();
    const username = requireString(ctx.body, 'Username', { min: 1, max: 100 });
    if (!USERNAME.test(username)) throw invalidParameter(`Username ${username} is not valid.`);
    const phone = ctx.body.PhoneConfig as UserRecord['PhoneConfig'];
    if (!phone || !PHONE_TYPES.includes(phone.PhoneType)) {
      throw invalidParameter('PhoneConfig.PhoneType must be SOFT_PHONE or DESK_PHONE.');
    }
    const profileIds = ctx.body.SecurityProfileIds;
    if (!Array.isArray(profileIds) || profileIds.length < 1 || profileIds.length > 10) {
      throw invalidParameter('SecurityProfileIds must name 1 to 10 security profiles.');
    }
    optionalString(ctx.body, 'Password', { min: 1 });
    const record: UserRecord = {
      Id: newId(),
      Username: username,
      RoutingProfileId: requireReference(
        instance,
        'routingProfile',
        ctx.body.RoutingProfileId,
        'RoutingProfileId',
      ).Id,
      SecurityProfileIds: profileIds.map(
        (id) => requireReference(instance, 'securityProfile', id, 'SecurityProfileIds').Id,
      ),
      PhoneConfig: { ...phone },
      IdentityInfo: ctx.body.IdentityInfo as UserRecord['IdentityInfo'],
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    const named = Object.values(instance.users).map((u) => ({ Id: u.Id, Name: u.Username }));
    assertUniqueName(ctx, named, username, 'User');
    instance.users[record.Id] = record;
    return { UserId: record.Id, UserArn: users.arn(instance, record.Id) };
  }),
  users.describeRoute('/users/{InstanceId}/{UserId}', 'DescribeUser', 'User', userShape),
  users.listRoute('/users-summary/{InstanceId}', 'ListUsers', 'UserSummaryList', (instance, r) => ({
    Id: r.Id,
    Arn: users.arn(instance, r.Id),
    Username: r.Username,
    ...lastModified(instance, r),
  })),
];
