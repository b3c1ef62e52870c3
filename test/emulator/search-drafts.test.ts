import { strict as assert } from 'node:assert';
import {
  CreateContactFlowCommand,
  SearchContactFlowsCommand,
  UpdateContactFlowContentCommand,
} from '@aws-sdk/client-connect';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { flowContent, minimalFlow, step, endAction } from '../helpers/flows';

describe('emulator: searching for drafts', () => {
  let emu: TestEmulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(() => emu.control.reset());

  it('answers StatusCondition SAVED with every unpublished draft, showing the draft', async () => {
    const { Id: instanceId } = await emu.control.createInstance({});
    const client = emu.connect();
    const create = (Name: string, Status?: 'SAVED') =>
      client.send(
        new CreateContactFlowCommand({
          InstanceId: instanceId,
          Name,
          Type: 'CONTACT_FLOW',
          Content: minimalFlow(),
          Status,
        }),
      );
    const published = await create('Published only');
    const withDraft = await create('Published with draft');
    await create('Never published', 'SAVED');
    const draft = flowContent([step('say', 'MessageParticipant', { Text: 'draft' }), endAction()]);
    await client.send(
      new UpdateContactFlowContentCommand({
        InstanceId: instanceId,
        ContactFlowId: `${withDraft.ContactFlowId}:$SAVED`,
        Content: draft,
      }),
    );

    const saved = await client.send(
      new SearchContactFlowsCommand({
        InstanceId: instanceId,
        SearchCriteria: { StatusCondition: 'SAVED' },
      }),
    );
    const byName = new Map(saved.ContactFlows!.map((f) => [f.Name, f]));
    assert.deepEqual([...byName.keys()].sort(), ['Never published', 'Published with draft']);
    assert.equal(byName.get('Published with draft')!.Content, draft);
    assert.equal(byName.get('Published with draft')!.Status, 'SAVED');

    const all = await client.send(
      new SearchContactFlowsCommand({
        InstanceId: instanceId,
        SearchCriteria: {
          StringCondition: { FieldName: 'name', Value: 'Published', ComparisonType: 'STARTS_WITH' },
        },
      }),
    );
    const shown = all.ContactFlows!.find((f) => f.Id === withDraft.ContactFlowId)!;
    assert.equal(shown.Content, minimalFlow(), 'a plain search shows the published content');
    assert.equal(shown.Status, 'PUBLISHED');
    assert.ok(all.ContactFlows!.some((f) => f.Id === published.ContactFlowId));
  });
});
