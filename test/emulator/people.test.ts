import { strict as assert } from 'node:assert';
import {
  CreateUserCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DuplicateResourceException,
  InvalidParameterException,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  ResourceNotFoundException,
  SearchSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import { allPages, useEmulator } from './fixtures';

describe('emulator: security profiles and users', () => {
  const t = useEmulator();
  const createUser = (Username: string, RoutingProfileId = t.fx.basicProfileId) =>
    t.client.send(
      new CreateUserCommand({
        InstanceId: t.fx.instanceId,
        Username,
        PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false },
        SecurityProfileIds: [t.fx.securityProfileId('Agent')],
        RoutingProfileId,
        IdentityInfo: { FirstName: 'Ann', LastName: 'Agent' },
      }),
    );

  it('lists, describes and searches the default security profiles', async () => {
    const { SecurityProfileSummaryList } = await t.client.send(
      new ListSecurityProfilesCommand({ InstanceId: t.fx.instanceId }),
    );
    assert.deepEqual(SecurityProfileSummaryList?.map((p) => p.Name).sort(), [
      'Admin',
      'Agent',
      'CallCenterManager',
      'QualityAnalyst',
    ]);
    const adminId = t.fx.securityProfileId('Admin');
    const { SecurityProfile } = await t.client.send(
      new DescribeSecurityProfileCommand({
        InstanceId: t.fx.instanceId,
        SecurityProfileId: adminId,
      }),
    );
    assert.equal(SecurityProfile?.SecurityProfileName, 'Admin');
    assert.equal(SecurityProfile?.Arn, `${t.fx.arn}/security-profile/${adminId}`);
    const found = await t.client.send(
      new SearchSecurityProfilesCommand({
        InstanceId: t.fx.instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'a', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );
    assert.deepEqual(found.SecurityProfiles?.map((p) => p.SecurityProfileName).sort(), [
      'Admin',
      'Agent',
    ]);
  });

  it('creates a user, describes it, and lists users across pages', async () => {
    const { UserId, UserArn } = await createUser('ann');
    await createUser('bob');
    assert.equal(UserArn, `${t.fx.arn}/agent/${UserId}`);
    const { User } = await t.client.send(
      new DescribeUserCommand({ InstanceId: t.fx.instanceId, UserId }),
    );
    assert.equal(User?.Username, 'ann');
    assert.equal(User?.RoutingProfileId, t.fx.basicProfileId);
    assert.deepEqual(User?.SecurityProfileIds, [t.fx.securityProfileId('Agent')]);
    assert.equal(User?.PhoneConfig?.PhoneType, 'SOFT_PHONE');
    assert.equal(User?.IdentityInfo?.FirstName, 'Ann');
    const { items } = await allPages(async (NextToken) => {
      const page = await t.client.send(
        new ListUsersCommand({ InstanceId: t.fx.instanceId, MaxResults: 1, NextToken }),
      );
      return { items: page.UserSummaryList, next: page.NextToken };
    });
    assert.deepEqual(items.map((u) => u.Username).sort(), ['ann', 'bob']);
  });

  it('validates users: unique username, existing routing profile, phone type', async () => {
    await createUser('ann');
    await assert.rejects(createUser('ann'), DuplicateResourceException);
    await assert.rejects(
      createUser('carl', '00000000-0000-4000-8000-000000000000'),
      ResourceNotFoundException,
    );
    await assert.rejects(
      t.client.send(
        new CreateUserCommand({
          InstanceId: t.fx.instanceId,
          Username: 'dora',
          PhoneConfig: { PhoneType: 'CARRIER_PIGEON' as 'SOFT_PHONE' },
          SecurityProfileIds: [t.fx.securityProfileId('Agent')],
          RoutingProfileId: t.fx.basicProfileId,
        }),
      ),
      InvalidParameterException,
    );
  });
});
