import { strict as assert } from 'node:assert';
import {
  CreateInstanceCommand,
  DescribeInstanceCommand,
  ListInstancesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator, DEV_ACCOUNT, PROD_ACCOUNT } from '../helpers/emulator';

describe('emulator: instances', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(() => emu.control.reset());

  it('creates an instance in the caller account and region and describes it', async () => {
    const client = emu.connect(PROD_ACCOUNT, 'eu-west-2');
    const created = await client.send(
      new CreateInstanceCommand({
        IdentityManagementType: 'CONNECT_MANAGED',
        InstanceAlias: 'prod-centre',
        InboundCallsEnabled: true,
        OutboundCallsEnabled: false,
      }),
    );
    assert.match(created.Id!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(created.Arn, `arn:aws:connect:eu-west-2:${PROD_ACCOUNT}:instance/${created.Id}`);

    const { Instance } = await client.send(new DescribeInstanceCommand({ InstanceId: created.Id }));
    assert.equal(Instance?.InstanceAlias, 'prod-centre');
    assert.equal(Instance?.OutboundCallsEnabled, false);
    assert.ok(Instance?.CreatedTime instanceof Date, 'CreatedTime parses as a Date');
  });

  it('lists only the caller account and region, a page of at most 10', async () => {
    for (let i = 0; i < 12; i++) {
      await emu.control.createInstance({ Alias: `dev-${i}`, Account: DEV_ACCOUNT });
    }
    await emu.control.createInstance({ Alias: 'other', Account: PROD_ACCOUNT });
    const client = emu.connect(DEV_ACCOUNT);
    const first = await client.send(new ListInstancesCommand({}));
    assert.equal(first.InstanceSummaryList?.length, 10);
    assert.ok(first.NextToken);
    const second = await client.send(new ListInstancesCommand({ NextToken: first.NextToken }));
    assert.equal(second.InstanceSummaryList?.length, 2);
    assert.equal(second.NextToken, undefined);
    const aliases = [...first.InstanceSummaryList!, ...second.InstanceSummaryList!].map(
      (i) => i.InstanceAlias,
    );
    assert.ok(!aliases.includes('other'));
  });

  it('answers an unknown instance with ResourceNotFoundException', async () => {
    await assert.rejects(
      emu
        .connect()
        .send(new DescribeInstanceCommand({ InstanceId: 'f00dfeed-0000-4000-8000-000000000000' })),
      (error: unknown) => error instanceof ResourceNotFoundException,
    );
  });
});
